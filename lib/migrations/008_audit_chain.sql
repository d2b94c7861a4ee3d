-- The audit log becomes a hash chain and append-only (issue #6).
--
-- Each entry stores prev_hash (the hash of the entry before it; 64 zeros for the first) and
-- hash = SHA-256 over its canonical encoding, version 1, defined here and in lib/audit-chain.ts
-- (`pulse audit verify` recomputes it outside the database):
--
--   'pulse-audit-v1' | prev_hash | id | at | user_id | user_email | role | action | target
--                    | row_count | details | outcome | address
--
-- joined with '|', where every field after prev_hash is its text form as UTF-8 bytes in lowercase
-- hex, or '~' for NULL. Text forms: integers in decimal; `at` in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ
-- (microseconds, as stored); `details` as PostgreSQL prints the jsonb (keys sorted, normalised).
-- Hex keeps the encoding unambiguous whatever a field contains (a '|' in a target cannot shift fields).
--
-- Writers are serialised by a transaction-level advisory lock taken by the insert trigger and held
-- until the inserting transaction ends: concurrent writers build one chain, and ids are handed out
-- after the previous entry (no gaps), so a missing id is a deleted entry. The one-row chain head
-- records the last committed entry (moved once per transaction, at commit, by a deferred trigger),
-- so entries deleted at the end of the log are found too. UPDATE, DELETE and TRUNCATE are refused by
-- triggers: the log is append-only even for code that bypasses lib/audit.ts.

-- The audit log outlives the users it names (user_email is recorded anyway); ON DELETE SET NULL
-- would also rewrite chained entries.
ALTER TABLE pulse.audit_log DROP CONSTRAINT IF EXISTS audit_log_user_id_fkey;

ALTER TABLE pulse.audit_log ADD COLUMN IF NOT EXISTS prev_hash text;
ALTER TABLE pulse.audit_log ADD COLUMN IF NOT EXISTS hash text;

CREATE TABLE IF NOT EXISTS pulse.audit_chain_head (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id    bigint NOT NULL,
  last_hash  text NOT NULL
);

CREATE OR REPLACE FUNCTION pulse.audit_field(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN '~' ELSE encode(convert_to(value, 'UTF8'), 'hex') END
$$;

CREATE OR REPLACE FUNCTION pulse.audit_entry_hash(prev_hash text, e pulse.audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws('|',
    'pulse-audit-v1',
    prev_hash,
    pulse.audit_field(e.id::text),
    pulse.audit_field(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
    pulse.audit_field(e.user_id::text),
    pulse.audit_field(e.user_email),
    pulse.audit_field(e.role),
    pulse.audit_field(e.action),
    pulse.audit_field(e.target),
    pulse.audit_field(e.row_count::text),
    pulse.audit_field(e.details::text),
    pulse.audit_field(e.outcome),
    pulse.audit_field(e.address)
  ), 'UTF8')), 'hex')
$$;

-- Chain the entries written before this migration, in id order (their ids may have gaps from
-- rolled-back inserts; the links, not the ids, prove nothing is missing among them).
DO $$
DECLARE
  previous text := repeat('0', 64);
  entry pulse.audit_log;
  last bigint := 0;
BEGIN
  FOR entry IN SELECT * FROM pulse.audit_log ORDER BY id LOOP
    entry.prev_hash := previous;
    previous := pulse.audit_entry_hash(previous, entry);
    UPDATE pulse.audit_log SET prev_hash = entry.prev_hash, hash = previous WHERE id = entry.id;
    last := entry.id;
  END LOOP;
  INSERT INTO pulse.audit_chain_head (singleton, last_id, last_hash) VALUES (true, last, previous)
  ON CONFLICT (singleton) DO NOTHING;
END
$$;

ALTER TABLE pulse.audit_log ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE pulse.audit_log ALTER COLUMN hash SET NOT NULL;

CREATE OR REPLACE FUNCTION pulse.audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  head pulse.audit_chain_head;
  previous_id bigint;
  previous_hash text;
BEGIN
  -- One writer at a time until the transaction ends (the key is "pulse-au" as a number).
  PERFORM pg_advisory_xact_lock(8103502347397587317);
  SELECT * INTO head FROM pulse.audit_chain_head WHERE singleton;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'pulse.audit_chain_head is empty: the audit chain has no head';
  END IF;
  -- The head holds the last committed entry. Entries past it can only be this transaction's own
  -- (earlier rows of this statement included): chain onto the newest of those. Entries deleted at
  -- the end of the log do not rewind the chain: the head still points past them.
  SELECT a.id, a.hash INTO previous_id, previous_hash FROM pulse.audit_log a WHERE a.id > head.last_id ORDER BY a.id DESC LIMIT 1;
  IF previous_id IS NULL THEN
    previous_id := head.last_id;
    previous_hash := head.last_hash;
  END IF;
  NEW.id := previous_id + 1;
  NEW.prev_hash := previous_hash;
  NEW.hash := pulse.audit_entry_hash(NEW.prev_hash, NEW);
  RETURN NEW;
END
$$;

-- At commit, the newest entry of the transaction becomes the head. Once per transaction, not per
-- row: updating one row many times in one transaction leaves a chain of versions every later read
-- walks (100,000 entries in one statement took 500 s that way; now seconds).
CREATE OR REPLACE FUNCTION pulse.audit_log_move_head() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id = (SELECT max(id) FROM pulse.audit_log) THEN
    UPDATE pulse.audit_chain_head SET last_id = NEW.id, last_hash = NEW.hash WHERE singleton AND last_id < NEW.id;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION pulse.audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'pulse.audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

DROP TRIGGER IF EXISTS audit_log_chain ON pulse.audit_log;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON pulse.audit_log
  FOR EACH ROW EXECUTE FUNCTION pulse.audit_log_chain();

DROP TRIGGER IF EXISTS audit_log_head ON pulse.audit_log;
CREATE CONSTRAINT TRIGGER audit_log_head AFTER INSERT ON pulse.audit_log
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION pulse.audit_log_move_head();

DROP TRIGGER IF EXISTS audit_log_append_only ON pulse.audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON pulse.audit_log
  FOR EACH ROW EXECUTE FUNCTION pulse.audit_log_refuse_change();

DROP TRIGGER IF EXISTS audit_log_no_truncate ON pulse.audit_log;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON pulse.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION pulse.audit_log_refuse_change();

-- Filters of the dashboard's audit page: by outcome and by target, newest first.
CREATE INDEX IF NOT EXISTS audit_log_outcome_idx ON pulse.audit_log (outcome, id);
CREATE INDEX IF NOT EXISTS audit_log_target_idx ON pulse.audit_log (target, id);
