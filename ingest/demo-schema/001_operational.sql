-- The demo operational schema: what a small CRM / e-commerce system keeps. Pulse reads it through
-- the default source mapping (ingest/mappings/demo.json); any other schema works with its own mapping.
-- Every table has a bigint key and an updated_at change-tracking column (kept by a trigger) so the
-- extract can be incremental; deleted_at marks soft deletes.
CREATE SCHEMA IF NOT EXISTS pulse_app;

CREATE OR REPLACE FUNCTION pulse_app.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Keep an explicitly set updated_at (bulk loads, tests) but never let an update go untracked.
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := clock_timestamp();
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE pulse_app.staff_users (
  id          bigint PRIMARY KEY,
  name        text NOT NULL,
  email       text NOT NULL,
  department  text NOT NULL CHECK (department IN ('sales', 'service', 'marketing', 'management')),
  region      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);

CREATE TABLE pulse_app.customers (
  id                  bigint PRIMARY KEY,
  name                text NOT NULL,
  email               text,
  phone               text,
  company             text,
  industry            text,
  country             text NOT NULL,
  region              text,
  city                text,
  address             text,
  preferred_language  text NOT NULL DEFAULT 'en' CHECK (preferred_language IN ('zh-CN', 'en')),
  currency            char(3) NOT NULL,
  tags                text[] NOT NULL DEFAULT '{}',
  owner_id            bigint REFERENCES pulse_app.staff_users (id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz
);

CREATE TABLE pulse_app.products (
  id          bigint PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  category    text NOT NULL,
  list_price  numeric(12, 2) NOT NULL,
  currency    char(3) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);

CREATE TABLE pulse_app.orders (
  id            bigint PRIMARY KEY,
  customer_id   bigint NOT NULL REFERENCES pulse_app.customers (id),
  ordered_at    timestamptz NOT NULL,
  status        text NOT NULL CHECK (status IN ('paid', 'refunded', 'cancelled')),
  channel       text NOT NULL CHECK (channel IN ('web', 'app', 'store', 'phone', 'wechat', 'marketplace')),
  currency      char(3) NOT NULL,
  total_amount  numeric(14, 2) NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);

CREATE TABLE pulse_app.order_items (
  id          bigint PRIMARY KEY,
  order_id    bigint NOT NULL REFERENCES pulse_app.orders (id),
  product_id  bigint NOT NULL REFERENCES pulse_app.products (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  unit_price  numeric(12, 2) NOT NULL,
  amount      numeric(14, 2) NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);

CREATE TABLE pulse_app.interactions (
  id           bigint PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES pulse_app.customers (id),
  staff_id     bigint REFERENCES pulse_app.staff_users (id),
  channel      text NOT NULL CHECK (channel IN ('phone', 'email', 'wechat', 'web_chat', 'social', 'visit')),
  direction    text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  subject      text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);

CREATE TABLE pulse_app.tickets (
  id           bigint PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES pulse_app.customers (id),
  subject      text NOT NULL,
  status       text NOT NULL CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  priority     text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  opened_at    timestamptz NOT NULL,
  closed_at    timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);

CREATE TABLE pulse_app.opportunities (
  id              bigint PRIMARY KEY,
  customer_id     bigint NOT NULL REFERENCES pulse_app.customers (id),
  owner_id        bigint REFERENCES pulse_app.staff_users (id),
  name            text NOT NULL,
  stage           text NOT NULL CHECK (stage IN ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
  value           numeric(14, 2) NOT NULL,
  currency        char(3) NOT NULL,
  expected_close  date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);

CREATE TABLE pulse_app.campaigns (
  id          bigint PRIMARY KEY,
  name        text NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('email', 'sms', 'wechat', 'social')),
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  budget      numeric(14, 2),
  currency    char(3) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);

-- Who a campaign targeted, and who was held out as a control group.
CREATE TABLE pulse_app.campaign_audience (
  id           bigint PRIMARY KEY,
  campaign_id  bigint NOT NULL REFERENCES pulse_app.campaigns (id),
  customer_id  bigint NOT NULL REFERENCES pulse_app.customers (id),
  is_holdout   boolean NOT NULL DEFAULT false,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);

CREATE TABLE pulse_app.campaign_events (
  id           bigint PRIMARY KEY,
  campaign_id  bigint NOT NULL REFERENCES pulse_app.campaigns (id),
  customer_id  bigint NOT NULL REFERENCES pulse_app.customers (id),
  event_type   text NOT NULL CHECK (event_type IN ('sent', 'opened', 'clicked', 'converted')),
  occurred_at  timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);

-- Units of each currency per one US dollar, per day.
CREATE TABLE pulse_app.fx_rates (
  id             bigint PRIMARY KEY,
  currency       char(3) NOT NULL,
  rate_date      date NOT NULL,
  units_per_usd  numeric(18, 8) NOT NULL CHECK (units_per_usd > 0),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  UNIQUE (currency, rate_date)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff_users', 'customers', 'products', 'orders', 'order_items', 'interactions',
                           'tickets', 'opportunities', 'campaigns', 'campaign_audience', 'campaign_events', 'fx_rates']
  LOOP
    EXECUTE format('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON pulse_app.%I FOR EACH ROW EXECUTE FUNCTION pulse_app.touch_updated_at()', t);
  END LOOP;
END $$;
