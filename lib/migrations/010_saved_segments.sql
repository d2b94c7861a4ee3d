-- Saved segments built from rules by marketers (issue #7). The definition is the typed rule tree
-- (warehouse/segments/segment-rules.ts) as JSON; it is compiled to parameterised SQL each time it is
-- evaluated, never stored as SQL. A dynamic segment is re-evaluated on every published snapshot; a
-- static one keeps the members it had when it was frozen.
CREATE TABLE IF NOT EXISTS pulse.saved_segments (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description    text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  definition     jsonb NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('dynamic', 'static')),
  owner_id       bigint NOT NULL REFERENCES pulse.users (id),
  -- false: only the owner (and admins) see it.
  shared         boolean NOT NULL DEFAULT false,
  -- Static segments: when and from which pipeline run's snapshot the members were frozen, and how many.
  frozen_at      timestamptz,
  frozen_run_id  bigint,
  frozen_count   bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'static') = (frozen_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS saved_segments_owner_idx ON pulse.saved_segments (owner_id);
CREATE INDEX IF NOT EXISTS saved_segments_shared_idx ON pulse.saved_segments (shared) WHERE shared;

-- A static segment's members: ascending customer ids in chunks of up to 10,000 per row. 500,000
-- ids store with one COPY of 50 rows in about half a second (one row per id, with its index, took
-- three times as long) and read back in one query; a page of members after a customer id (keyset
-- paging) reads the one or two chunks whose range reaches past it.
CREATE TABLE IF NOT EXISTS pulse.saved_segment_members (
  segment_id    bigint NOT NULL REFERENCES pulse.saved_segments (id) ON DELETE CASCADE,
  chunk         integer NOT NULL,
  first_id      bigint NOT NULL,
  last_id       bigint NOT NULL,
  customer_ids  bigint[] NOT NULL,
  PRIMARY KEY (segment_id, chunk)
);

-- Size of each saved segment on each published snapshot: written after every pipeline run and
-- when a segment is saved. `error` is set (and the figures NULL) when the segment could not be
-- evaluated on that snapshot; the pipeline itself never fails because of a saved segment.
CREATE TABLE IF NOT EXISTS pulse.saved_segment_sizes (
  segment_id     bigint NOT NULL REFERENCES pulse.saved_segments (id) ON DELETE CASCADE,
  run_id         bigint NOT NULL,
  snapshot       text NOT NULL,
  evaluated_at   timestamptz NOT NULL DEFAULT now(),
  customers      bigint,
  revenue        numeric(20, 2),
  revenue_share  double precision,
  error          text,
  PRIMARY KEY (segment_id, run_id)
);
