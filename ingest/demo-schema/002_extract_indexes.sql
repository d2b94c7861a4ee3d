-- Indexes the incremental extract needs: "rows changed since the watermark" per table, and the
-- foreign keys the warehouse joins on. Kept apart from 001 so a bulk seed can load before indexing.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff_users', 'customers', 'products', 'orders', 'order_items', 'interactions',
                           'tickets', 'opportunities', 'campaigns', 'campaign_audience', 'campaign_events', 'fx_rates']
  LOOP
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pulse_app.%I (updated_at)', t || '_updated_at_idx', t);
  END LOOP;
END $$;

CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON pulse_app.orders (customer_id, ordered_at);
CREATE INDEX IF NOT EXISTS order_items_order_id_idx ON pulse_app.order_items (order_id);
CREATE INDEX IF NOT EXISTS interactions_customer_id_idx ON pulse_app.interactions (customer_id, occurred_at);
CREATE INDEX IF NOT EXISTS tickets_customer_id_idx ON pulse_app.tickets (customer_id);
CREATE INDEX IF NOT EXISTS opportunities_customer_id_idx ON pulse_app.opportunities (customer_id);
CREATE INDEX IF NOT EXISTS campaign_events_customer_id_idx ON pulse_app.campaign_events (customer_id, occurred_at);
CREATE INDEX IF NOT EXISTS campaign_audience_campaign_idx ON pulse_app.campaign_audience (campaign_id, customer_id);
