-- The audit log (DESIGN.md: every export or unmasked view of personal data is written here).
-- Append-only from the application's side: rows are inserted, never updated.
CREATE TABLE IF NOT EXISTS pulse.audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  user_id      bigint REFERENCES pulse.users (id) ON DELETE SET NULL,
  user_email   text NOT NULL,
  role         text NOT NULL,
  -- What happened: 'export' (a customer list downloaded), 'pii_view' (personal data shown unmasked).
  action       text NOT NULL,
  -- What it was about, e.g. 'segment:3', 'customer:42', 'search'.
  target       text NOT NULL,
  -- How many customers' data it covered.
  row_count    integer,
  details      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON pulse.audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_user_idx ON pulse.audit_log (user_id, at);
