-- Two-character name search, fourth form: a btree table of (character pair, customer id) instead of
-- the GIN index on name_pairs.
--
-- Why: a GIN scan cannot stop early. Two characters of a common given name ('思远') are in ~8,600
-- of a million customers; the GIN scan built a bitmap of all of them before the LIMIT of 201 took
-- its rows, 8.3 ms of PostgreSQL CPU per search under 20 concurrent searches (the trigram searches:
-- 1.5–3.2 ms). Read in (pair, customer_id) order from a btree, the search stops after 201 entries:
-- 2.1 ms, with the page's rows fetched by primary key. Matches now come in customer-id order.
-- Cost: 6.1 million pairs, 441 MB with the key as rebuild_customer_name_pairs() builds it, on the
-- 1M-customer bench source (names average six pairs: Latin names are longer than Chinese ones).
--
-- Triggers keep the table equal to the pairs of every customer's name (deleted customers included:
-- the search itself filters deleted_at). They are statement-level with transition tables, so a
-- COPY or an UPDATE of many customers maintains it in one set-based statement, and an UPDATE that
-- does not change a name does nothing to it. Pairs go in sorted by the key: the btree then takes
-- them page after page instead of at random places.
CREATE TABLE IF NOT EXISTS pulse_app.customer_name_pairs (
  pair        text NOT NULL,
  customer_id bigint NOT NULL,
  CONSTRAINT customer_name_pairs_pkey PRIMARY KEY (pair, customer_id)
);

-- The whole table from the customers in one pass, its key built afterwards by one sort: what this
-- migration and the demo seeder (which loads customers with the triggers below switched off) use.
-- Through the triggers, loading a million customers took 76 s of the seed; without them 20 s, plus
-- 23 s for this rebuild. As this migration on an existing 1M-customer source: 19.4 s.
CREATE OR REPLACE FUNCTION pulse_app.rebuild_customer_name_pairs() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE pulse_app.customer_name_pairs;
  ALTER TABLE pulse_app.customer_name_pairs DROP CONSTRAINT customer_name_pairs_pkey;
  INSERT INTO pulse_app.customer_name_pairs (pair, customer_id)
  SELECT DISTINCT p, c.id FROM pulse_app.customers c, unnest(pulse_app.text_bigrams(c.name)) AS p;
  ALTER TABLE pulse_app.customer_name_pairs ADD CONSTRAINT customer_name_pairs_pkey PRIMARY KEY (pair, customer_id);
END
$$;

SELECT pulse_app.rebuild_customer_name_pairs();

CREATE OR REPLACE FUNCTION pulse_app.customer_name_pairs_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pulse_app.customer_name_pairs (pair, customer_id)
  SELECT DISTINCT p, n.id FROM new_rows n, unnest(pulse_app.text_bigrams(n.name)) AS p
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION pulse_app.customer_name_pairs_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Rows whose id or name changed: their old pairs go, their new pairs come.
  DELETE FROM pulse_app.customer_name_pairs p
  USING old_rows o LEFT JOIN new_rows n ON n.id = o.id
  WHERE p.customer_id = o.id AND (n.id IS NULL OR n.name IS DISTINCT FROM o.name);
  INSERT INTO pulse_app.customer_name_pairs (pair, customer_id)
  SELECT DISTINCT p, n.id FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id, unnest(pulse_app.text_bigrams(n.name)) AS p
  WHERE o.id IS NULL OR n.name IS DISTINCT FROM o.name
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION pulse_app.customer_name_pairs_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pulse_app.customer_name_pairs p USING old_rows o WHERE p.customer_id = o.id;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS customer_name_pairs_insert ON pulse_app.customers;
CREATE TRIGGER customer_name_pairs_insert AFTER INSERT ON pulse_app.customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pulse_app.customer_name_pairs_on_insert();
DROP TRIGGER IF EXISTS customer_name_pairs_update ON pulse_app.customers;
CREATE TRIGGER customer_name_pairs_update AFTER UPDATE ON pulse_app.customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pulse_app.customer_name_pairs_on_update();
DROP TRIGGER IF EXISTS customer_name_pairs_delete ON pulse_app.customers;
CREATE TRIGGER customer_name_pairs_delete AFTER DELETE ON pulse_app.customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pulse_app.customer_name_pairs_on_delete();

-- TRUNCATE fires no delete trigger (the seeder empties the demo tables that way).
CREATE OR REPLACE FUNCTION pulse_app.customer_name_pairs_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE pulse_app.customer_name_pairs;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS customer_name_pairs_truncate ON pulse_app.customers;
CREATE TRIGGER customer_name_pairs_truncate AFTER TRUNCATE ON pulse_app.customers
  FOR EACH STATEMENT EXECUTE FUNCTION pulse_app.customer_name_pairs_on_truncate();

DROP INDEX IF EXISTS pulse_app.customers_name_pairs_idx;
ALTER TABLE pulse_app.customers DROP COLUMN IF EXISTS name_pairs;
ANALYZE pulse_app.customer_name_pairs;
