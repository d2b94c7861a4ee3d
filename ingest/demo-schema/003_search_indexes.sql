-- Customer search (dashboard Customers page): substring search on name, e-mail, company and phone
-- over a million customers. pg_trgm GIN indexes serve patterns of three characters or more, also
-- Chinese ones (CJK characters count as word characters under C.UTF-8). A two-character pattern has
-- no trigram, so pg_trgm would scan the whole index; for that case (two characters of a
-- three-character Chinese name) an index on the name's character pairs answers it exactly.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Every distinct pair of adjacent characters, lower-cased: '王小明' → {王小, 小明}.
CREATE OR REPLACE FUNCTION pulse_app.text_bigrams(value text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT substr(lower(value), i, 2)), '{}')
  FROM generate_series(1, char_length(value) - 1) AS i
$$;

-- Digits only, so '13800138000' finds '+86 138 0013 8000'.
CREATE OR REPLACE FUNCTION pulse_app.phone_digits(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT regexp_replace(value, '\D', '', 'g') $$;

CREATE INDEX IF NOT EXISTS customers_name_trgm_idx ON pulse_app.customers USING gin (lower(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS customers_email_trgm_idx ON pulse_app.customers USING gin (lower(email) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS customers_company_trgm_idx ON pulse_app.customers USING gin (lower(company) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS customers_phone_trgm_idx ON pulse_app.customers USING gin (pulse_app.phone_digits(phone) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS customers_name_bigrams_idx ON pulse_app.customers USING gin (pulse_app.text_bigrams(name));
ANALYZE pulse_app.customers;
