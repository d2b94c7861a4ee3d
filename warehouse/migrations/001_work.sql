-- The writer's database (work.duckdb): staged copies of the source and the sync bookkeeping.
-- Only the pipeline opens it; readers use published snapshots.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.sync_state (
  table_name           VARCHAR PRIMARY KEY,
  -- Highest change timestamp staged; the next incremental sync reads from here minus the overlap.
  watermark            TIMESTAMPTZ,
  -- Hash of the table's mapping: when it changes, the next sync of that table is a full one.
  mapping_fingerprint  VARCHAR NOT NULL,
  last_full_sync_at    TIMESTAMPTZ,
  last_sync_at         TIMESTAMPTZ NOT NULL
);
