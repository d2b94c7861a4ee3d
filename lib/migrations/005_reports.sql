-- Report subscriptions and the delivery log. One delivery row per (subscription, slot, recipient) is
-- what makes a scheduled report arrive once: the row is claimed before sending, marked 'sending' in
-- its own committed transaction before SMTP is spoken to, and 'sent' after the server accepted it.
CREATE TABLE IF NOT EXISTS pulse.report_subscriptions (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  report       text NOT NULL CHECK (report IN ('executive', 'segment', 'sales', 'service')),
  formats      text[] NOT NULL CHECK (formats <@ ARRAY['pdf', 'xlsx']::text[] AND cardinality(formats) > 0),
  recipients   text[] NOT NULL CHECK (cardinality(recipients) > 0),
  cron         text NOT NULL,
  time_zone    text NOT NULL,
  language     text NOT NULL CHECK (language IN ('zh-CN', 'en')),
  role         text NOT NULL CHECK (role IN ('admin', 'manager', 'marketer', 'executive', 'analyst')),
  period       text NOT NULL DEFAULT 'week' CHECK (period IN ('week', 'month', 'quarter')),
  segment_id   integer,
  paused       boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS pulse.report_deliveries (
  id               bigserial PRIMARY KEY,
  -- NULL for a one-off "send now"; its slot is then unique by itself.
  subscription_id  bigint REFERENCES pulse.report_subscriptions (id) ON DELETE SET NULL,
  slot             text NOT NULL,
  recipient        text NOT NULL,
  report           text NOT NULL,
  formats          text[] NOT NULL,
  language         text NOT NULL,
  -- Whose permissions the data follows, and what it covers: enough to render again on an admin's retry.
  role             text NOT NULL,
  period           text NOT NULL DEFAULT 'week',
  segment_id       integer,
  message_id       text NOT NULL UNIQUE,
  -- pending: claimed, not yet handed to SMTP; sending: handed to SMTP, outcome not recorded yet;
  -- sent: accepted by the server; failed: gave up after the last retry (error says why);
  -- unknown: a worker stopped while sending and the server cannot be asked whether it accepted
  -- the message: not resent automatically (that could send it twice); an admin decides.
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts         integer NOT NULL DEFAULT 0,
  error            text,
  smtp_response    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sending_at       timestamptz,
  sent_at          timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT report_deliveries_slot_key UNIQUE NULLS NOT DISTINCT (subscription_id, slot, recipient)
);
CREATE INDEX IF NOT EXISTS report_deliveries_created_idx ON pulse.report_deliveries (created_at DESC);
CREATE INDEX IF NOT EXISTS report_deliveries_state_idx ON pulse.report_deliveries (state) WHERE state <> 'sent';
