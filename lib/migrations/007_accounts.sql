-- Accounts security (issue #6): TOTP multi-factor sign-in, recovery codes, the per-role MFA
-- requirement, sign-in throttling per address, password reset and invitation tokens, and what the
-- admin sessions screen shows. TOTP secrets themselves live only in pulse.secrets (encrypted, named
-- 'totp:user:<id>'); nothing here can produce a code.

-- mfa_enabled_at: set once the user confirmed enrolment with a valid code (a stored secret without it
-- is an enrolment in progress). totp_last_step: the last accepted TOTP time step, so a code cannot be
-- used twice. password_changed_at: NULL for an invited user who has not chosen a password yet.
ALTER TABLE pulse.users
  ADD COLUMN IF NOT EXISTS mfa_enabled_at timestamptz,
  ADD COLUMN IF NOT EXISTS totp_last_step bigint,
  ADD COLUMN IF NOT EXISTS password_changed_at timestamptz;
UPDATE pulse.users SET password_changed_at = created_at WHERE password_changed_at IS NULL;

-- Sessions get a public id (the primary key is the token's hash, which must not travel to browsers)
-- and the client address, for the admin sessions screen and revoking one session.
ALTER TABLE pulse.sessions
  ADD COLUMN IF NOT EXISTS id bigserial,
  ADD COLUMN IF NOT EXISTS address text;
CREATE UNIQUE INDEX IF NOT EXISTS sessions_id_key ON pulse.sessions (id);

-- Which roles must use MFA. Admins change it on the users screen; admin is required by default.
CREATE TABLE IF NOT EXISTS pulse.mfa_policy (
  role        text PRIMARY KEY CHECK (role IN ('admin', 'manager', 'marketer', 'executive', 'analyst')),
  required    boolean NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);
INSERT INTO pulse.mfa_policy (role, required) VALUES
  ('admin', true), ('manager', false), ('marketer', false), ('executive', false), ('analyst', false)
ON CONFLICT (role) DO NOTHING;

-- Ten one-time recovery codes per user. They are random (50 bits each), so a plain SHA-256 is enough:
-- there is no dictionary to run against it.
CREATE TABLE IF NOT EXISTS pulse.mfa_recovery_codes (
  user_id     bigint NOT NULL REFERENCES pulse.users (id) ON DELETE CASCADE,
  code_hash   bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  used_at     timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- The step between a right password and a session: 'mfa' (enter a code) or 'enrol' (the role needs
-- MFA and the user has none yet). Short-lived, single-use, held in an HttpOnly cookie; like sessions,
-- only the token's SHA-256 is stored. It is not a session: no page or API accepts it.
CREATE TABLE IF NOT EXISTS pulse.sign_in_challenges (
  token_hash    bytea PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES pulse.users (id) ON DELETE CASCADE,
  purpose       text NOT NULL CHECK (purpose IN ('mfa', 'enrol')),
  failed_codes  integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  user_agent    text,
  address       text
);
CREATE INDEX IF NOT EXISTS sign_in_challenges_expires_idx ON pulse.sign_in_challenges (expires_at);

-- E-mailed single-use tokens: password reset (1 hour) and invitation to set a first password (72 h).
CREATE TABLE IF NOT EXISTS pulse.account_tokens (
  token_hash  bytea PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES pulse.users (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('reset', 'invite')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX IF NOT EXISTS account_tokens_user_idx ON pulse.account_tokens (user_id, purpose);

-- Per-address throttling: failed sign-in steps and reset requests, counted in a sliding window.
CREATE TABLE IF NOT EXISTS pulse.auth_attempts (
  id       bigserial PRIMARY KEY,
  address  text NOT NULL,
  kind     text NOT NULL CHECK (kind IN ('failure', 'reset_request')),
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS auth_attempts_address_idx ON pulse.auth_attempts (address, kind, at);
CREATE INDEX IF NOT EXISTS auth_attempts_at_idx ON pulse.auth_attempts (at);

-- Wrong passwords for e-mails that have no account get the same lock as real accounts
-- (pulse.users.failed_sign_ins / locked_until), so "locked" does not reveal that an e-mail exists.
-- Keyed by the SHA-256 of the lower-cased e-mail.
CREATE TABLE IF NOT EXISTS pulse.unknown_account_failures (
  email_hash       bytea PRIMARY KEY,
  failed_sign_ins  integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
