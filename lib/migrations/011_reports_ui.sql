-- The dashboard's delivery log filters by report and by recipient and pages newest first; the state
-- filter already has report_deliveries_state_idx. Without these, each page of a long log is a scan.
CREATE INDEX IF NOT EXISTS report_deliveries_report_created_idx ON pulse.report_deliveries (report, created_at DESC);
CREATE INDEX IF NOT EXISTS report_deliveries_recipient_created_idx ON pulse.report_deliveries (lower(recipient), created_at DESC);
-- The deliveries of one subscription (its page shows the latest); ON DELETE SET NULL also needs it.
CREATE INDEX IF NOT EXISTS report_deliveries_subscription_idx ON pulse.report_deliveries (subscription_id, created_at DESC);
