-- The audit log records security events too (sign-ins, MFA, roles, sessions, job actions), so each
-- entry says how it ended and from which address. user_email/role stay NOT NULL: a failed sign-in
-- for an unknown address records the address typed, with role '' (nobody).
ALTER TABLE pulse.audit_log ADD COLUMN IF NOT EXISTS outcome text NOT NULL DEFAULT 'success'
  CHECK (outcome IN ('success', 'failure', 'denied'));
ALTER TABLE pulse.audit_log ADD COLUMN IF NOT EXISTS address text;
CREATE INDEX IF NOT EXISTS audit_log_action_idx ON pulse.audit_log (action, at);

-- Secrets Pulse stores (TOTP secrets, integration credentials), each AES-256-GCM encrypted under
-- the deployment key (lib/secrets.ts) with its name as associated data, so a ciphertext moved to
-- another name does not decrypt. One table, so key rotation has one place to re-encrypt.
CREATE TABLE IF NOT EXISTS pulse.secrets (
  name        text PRIMARY KEY,
  ciphertext  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
