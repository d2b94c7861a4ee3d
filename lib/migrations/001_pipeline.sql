-- Pulse's own state, in a schema of its own beside the operational data and pg-boss's schema.
CREATE TABLE IF NOT EXISTS pulse.pipeline_runs (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('full', 'incremental')),
  trigger      text NOT NULL,
  state        text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
  stage        text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  snapshot     text,
  error        text,
  job_id       text
);
CREATE INDEX IF NOT EXISTS pipeline_runs_started_idx ON pulse.pipeline_runs (started_at DESC);

-- Per table and run: progress while running, then the source/warehouse comparison.
CREATE TABLE IF NOT EXISTS pulse.pipeline_run_tables (
  run_id              bigint NOT NULL REFERENCES pulse.pipeline_runs (id) ON DELETE CASCADE,
  table_name          text NOT NULL,
  mode                text NOT NULL,
  rows_expected       bigint,
  rows_done           bigint NOT NULL DEFAULT 0,
  rows_deleted        bigint NOT NULL DEFAULT 0,
  source_count        bigint,
  warehouse_count     bigint,
  source_checksum     text,
  warehouse_checksum  text,
  checksum_match      boolean,
  seconds             double precision,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, table_name)
);
