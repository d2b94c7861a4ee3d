// Every SQL statement the demo seeder runs, as pure functions returning text (and values).
// Table names come from the fixed list below, never from input.

export const SOURCE_SCHEMA = 'pulse_app';

/** The demo tables in load order (parents before children). */
export const DEMO_TABLES = [
  'staff_users',
  'products',
  'campaigns',
  'fx_rates',
  'customers',
  'orders',
  'order_items',
  'interactions',
  'tickets',
  'opportunities',
  'campaign_audience',
  'campaign_events',
] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

export interface Query {
  text: string;
  values?: unknown[];
}

/** Quotes an identifier from our own allow-listed names (lower-case words only). */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected identifier: ${name}`);
  return `"${name}"`;
}

function qualified(table: string): string {
  return `${quoteIdent(SOURCE_SCHEMA)}.${quoteIdent(table)}`;
}

export function selectMissingTables(): Query {
  return {
    text: `SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass($2 || '.' || name) IS NULL`,
    values: [[...DEMO_TABLES], SOURCE_SCHEMA],
  };
}

export function selectCustomersTableExists(): Query {
  return { text: `SELECT to_regclass($1) IS NOT NULL AS present`, values: [`${SOURCE_SCHEMA}.customers`] };
}

export function selectAnyCustomer(): Query {
  return { text: `SELECT EXISTS (SELECT 1 FROM ${qualified('customers')}) AS present` };
}

/** Takes every demo table for the seeding transaction: no reader or second seeder interleaves. */
export function lockTables(): Query {
  return { text: `LOCK TABLE ${DEMO_TABLES.map(qualified).join(', ')} IN ACCESS EXCLUSIVE MODE` };
}

export function selectNonEmptyTables(): Query {
  return {
    text: DEMO_TABLES.map((table) => `SELECT '${table}' AS name WHERE EXISTS (SELECT 1 FROM ${qualified(table)})`).join(' UNION ALL '),
  };
}

/**
 * Truncating the (verified empty) tables inside the seeding transaction lets COPY ... FREEZE write
 * rows already frozen and all-visible: no hint-bit rewrite of every page on first read, no
 * anti-wraparound vacuum of the whole load later.
 */
export function truncateTables(): Query {
  return { text: `TRUNCATE ${DEMO_TABLES.map(qualified).join(', ')}` };
}

/**
 * The customers' name-pairs table (demo-schema/006) is derived from their names by triggers; a bulk
 * load switches the insert trigger off and rebuilds the table once afterwards (a sorted index build
 * instead of six million ordered inserts).
 */
export function setNamePairsTrigger(enabled: boolean): Query {
  return { text: `ALTER TABLE pulse_app.customers ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER customer_name_pairs_insert` };
}

export function rebuildNamePairs(): Query {
  return { text: 'SELECT pulse_app.rebuild_customer_name_pairs()' };
}

export function selectForeignKeys(): Query {
  return {
    text: `SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
             FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = $1::regnamespace
            ORDER BY c.conrelid::regclass::text, c.conname`,
    values: [SOURCE_SCHEMA],
  };
}

export interface ForeignKey {
  table_name: string;
  name: string;
  definition: string;
}

export function dropForeignKey(fk: ForeignKey): Query {
  return { text: `ALTER TABLE ${fk.table_name} DROP CONSTRAINT ${quoteIdentAny(fk.name)}` };
}

/** Re-adding a foreign key checks every row in one join, far cheaper than a trigger per row. */
export function addForeignKey(fk: ForeignKey): Query {
  return { text: `ALTER TABLE ${fk.table_name} ADD CONSTRAINT ${quoteIdentAny(fk.name)} ${fk.definition}` };
}

/** Quotes a name read from the catalogue (constraint names may hold any character). */
function quoteIdentAny(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface SecondaryIndex {
  name: string;
  definition: string;
}

/** Indexes of the demo tables that do not back a primary-key or unique constraint. */
export function selectSecondaryIndexes(): Query {
  return {
    text: `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
             FROM pg_index i
             JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relnamespace = $1::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1`,
    values: [SOURCE_SCHEMA],
  };
}

export function dropIndex(index: SecondaryIndex): Query {
  return { text: `DROP INDEX ${index.name}` };
}

export function createIndex(index: SecondaryIndex): Query {
  return { text: index.definition };
}

export function copyInto(table: DemoTable, columns: readonly string[], freeze: boolean): string {
  return `COPY ${qualified(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv${freeze ? ', FREEZE' : ''})`;
}

export function analyzeTables(): Query {
  return { text: `ANALYZE ${DEMO_TABLES.map(qualified).join(', ')}` };
}

export function setLocal(name: 'work_mem' | 'maintenance_work_mem' | 'statement_timeout' | 'lock_timeout', value: string): Query {
  return { text: `SELECT set_config($1, $2, true)`, values: [name, value] };
}
