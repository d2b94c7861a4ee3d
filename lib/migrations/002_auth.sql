-- Dashboard users and their server-side sessions. Passwords are Argon2id hashes (PHC strings);
-- a session row stores only the SHA-256 of the random cookie token, so a copy of this table
-- cannot be replayed as a cookie.
CREATE TABLE IF NOT EXISTS pulse.users (
  id                 bigserial PRIMARY KEY,
  email              text NOT NULL,
  name               text NOT NULL,
  role               text NOT NULL CHECK (role IN ('admin', 'manager', 'marketer', 'executive', 'analyst')),
  -- NULL: follow the browser (cookie / Accept-Language) until the user picks a language.
  language           text CHECK (language IN ('zh-CN', 'en')),
  password_hash      text NOT NULL,
  is_demo            boolean NOT NULL DEFAULT false,
  failed_sign_ins    integer NOT NULL DEFAULT 0,
  locked_until       timestamptz,
  last_sign_in_at    timestamptz,
  disabled_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
-- E-mail addresses are compared case-insensitively: Ann@x.com and ann@x.com are one user.
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON pulse.users (lower(email));

CREATE TABLE IF NOT EXISTS pulse.sessions (
  token_hash    bytea PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES pulse.users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  -- Sliding idle expiry, never past absolute_expires_at.
  expires_at    timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  user_agent    text
);
CREATE INDEX IF NOT EXISTS sessions_user_idx ON pulse.sessions (user_id);
CREATE INDEX IF NOT EXISTS sessions_expires_idx ON pulse.sessions (expires_at);
