// SQL of backup and restore (lib/backup.ts), one small function per statement (CONVENTIONS 2).
// Identifiers that vary come from the catalog or from a validated manifest, and are quoted here.

export interface Sql {
  text: string;
  values: unknown[];
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** Ordinary tables of these schemas with their columns in order (generated columns are not copied: they are recomputed). */
export function selectTablesWithColumns(schemas: string[]): Sql {
  return {
    text: `SELECT n.nspname::text AS schema, c.relname::text AS name,
                  array_agg(a.attname::text ORDER BY a.attnum) AS columns,
                  greatest(c.reltuples, 0)::bigint AS estimated_rows
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
           WHERE c.relkind = 'r' AND n.nspname = ANY($1::text[])
           GROUP BY n.nspname, c.relname, c.reltuples
           ORDER BY n.nspname, c.relname`,
    values: [schemas],
  };
}

/** Foreign keys between tables of these schemas: restore loads a referenced table before its referrers. */
export function selectForeignKeys(schemas: string[]): Sql {
  return {
    text: `SELECT fn.nspname AS schema, f.relname AS name, tn.nspname AS ref_schema, t.relname AS ref_name
           FROM pg_constraint k
           JOIN pg_class f ON f.oid = k.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
           JOIN pg_class t ON t.oid = k.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
           WHERE k.contype = 'f' AND fn.nspname = ANY($1::text[])`,
    values: [schemas],
  };
}

export function selectSequences(schemas: string[]): Sql {
  return {
    text: `SELECT schemaname::text AS schema, sequencename::text AS name, coalesce(last_value, start_value) AS last_value, last_value IS NOT NULL AS is_called
           FROM pg_sequences WHERE schemaname = ANY($1::text[]) ORDER BY schemaname, sequencename`,
    values: [schemas],
  };
}

export function setSequence(schema: string, name: string, lastValue: number, isCalled: boolean): Sql {
  return { text: 'SELECT setval($1::regclass, $2, $3)', values: [qualified(schema, name), lastValue, isCalled] };
}

export function selectMigrations(): Sql {
  return { text: 'SELECT scope, version, name FROM pulse.schema_migrations ORDER BY scope, version', values: [] };
}

/** Up to `limit` tables of any user schema: a restore target must have none. */
export function selectUserTables(limit: number): Sql {
  return {
    text: `SELECT n.nspname AS schema, c.relname AS name
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
           ORDER BY 1, 2 LIMIT $1`,
    values: [limit],
  };
}

export function copyTableOut(schema: string, name: string, columns: string[]): string {
  return `COPY ${qualified(schema, name)} (${columns.map(quoteIdent).join(', ')}) TO STDOUT`;
}

export function copyTableIn(schema: string, name: string, columns: string[]): string {
  return `COPY ${qualified(schema, name)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
}

export function countRows(schema: string, name: string): string {
  return `SELECT count(*)::bigint AS n FROM ${qualified(schema, name)}`;
}

/**
 * Triggers written by migrations (the audit log's append-only and hash-chain triggers, `updated_at`
 * touches) must not rewrite or refuse rows being put back exactly as they were. Disabled for the
 * restore transaction only: ALTER TABLE is transactional, and they are enabled again before COMMIT.
 */
export function setUserTriggers(schema: string, name: string, enabled: boolean): string {
  return `ALTER TABLE ${qualified(schema, name)} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER`;
}

/**
 * Secondary indexes of these tables (not those behind a primary key, unique or exclusion constraint):
 * a restore drops them, loads the rows, and builds them again, which is many times faster than
 * updating a trigram GIN index row by row.
 */
export function selectSecondaryIndexes(tables: { schema: string; name: string }[]): Sql {
  return {
    text: `SELECT format('%I.%I', n.nspname, ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i
           JOIN pg_class ic ON ic.oid = i.indexrelid
           JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           WHERE format('%s.%s', n.nspname, t.relname) = ANY($1::text[])
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
           ORDER BY 1`,
    values: [tables.map((t) => `${t.schema}.${t.name}`)],
  };
}

/** Foreign keys declared on these tables, with their definitions: dropped for the load and added back (checked in one pass each). */
export function selectForeignKeyDefinitions(tables: { schema: string; name: string }[]): Sql {
  return {
    text: `SELECT format('%I.%I', n.nspname, t.relname) AS "table", quote_ident(k.conname) AS name, pg_get_constraintdef(k.oid) AS definition
           FROM pg_constraint k
           JOIN pg_class t ON t.oid = k.conrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           WHERE k.contype = 'f' AND format('%s.%s', n.nspname, t.relname) = ANY($1::text[])
           ORDER BY 1, 2`,
    values: [tables.map((t) => `${t.schema}.${t.name}`)],
  };
}
