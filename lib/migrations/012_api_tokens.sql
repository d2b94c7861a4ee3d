-- API tokens for the public segment API v1 (issue #7). A token acts as its owner: the owner's role
-- decides what it may read and whether personal data is unmasked, and a disabled owner makes every
-- token of theirs useless. Only the SHA-256 of the token is stored, so a copy of this table cannot
-- be replayed against the API.
CREATE TABLE IF NOT EXISTS pulse.api_tokens (
  id            bigserial PRIMARY KEY,
  token_hash    bytea NOT NULL UNIQUE,
  -- The first characters after 'pulse_', shown in lists so a user can tell tokens apart.
  prefix        text NOT NULL,
  user_id       bigint NOT NULL REFERENCES pulse.users (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  scopes        text[] NOT NULL CHECK (scopes <@ ARRAY['segments:read', 'members:read']::text[] AND cardinality(scopes) >= 1),
  -- false: personal data is masked even when the owner's role may see it unmasked.
  pii           boolean NOT NULL DEFAULT false,
  expires_at    timestamptz NOT NULL,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS api_tokens_user_idx ON pulse.api_tokens (user_id);
