-- Owner scope (issue #6): a user limited to the customers whose owner is one of these staff ids (the
-- source's customer owner: pulse_app.customers.owner_id, marts.customer_360.owner_id). No row: the
-- user's role decides alone, as before. Every customer list, search, customer page, segment member
-- list, watchlist and export that user opens is filtered to these owners.
CREATE TABLE IF NOT EXISTS pulse.user_scopes (
  user_id     bigint PRIMARY KEY REFERENCES pulse.users (id) ON DELETE CASCADE,
  owner_ids   bigint[] NOT NULL CHECK (cardinality(owner_ids) BETWEEN 1 AND 1000),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
