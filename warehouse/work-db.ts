// The writer's side of the warehouse: staged tables and sync bookkeeping in work.duckdb.
// Every change to a staged table and its watermark commits in one DuckDB transaction, so a sync
// killed at any point leaves each table either before or after its step, never in between.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDb, quoteIdent } from './duckdb.ts';
import { migrateWorkDb } from './migrate.ts';
import { stagedColumns, stagingTables, type StagingTableSpec } from './staging-tables.ts';

export interface WorkDbOptions {
  memoryLimit?: string;
  threads?: number;
}

export async function openWorkDb(file: string, options: WorkDbOptions = {}): Promise<DuckDb> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = await DuckDb.open(file, { memoryLimit: options.memoryLimit, threads: options.threads });
  try {
    // Each staged table commits on its own; checkpointing after each (DuckDB's default once the WAL
    // passes 16 MB) rewrote every row group an incremental sync touched, ~4 s per large table. With a
    // high threshold the commits only append to the WAL and one checkpoint runs when the file closes.
    await db.run("SET checkpoint_threshold = '1GB'");
    await migrateWorkDb(db);
    for (const table of stagingTables) await db.run(createTableSql('staging', table.name, table));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function createTableSql(schema: string, name: string, table: StagingTableSpec, replace = false): string {
  const columns = stagedColumns(table).map((c) => `${quoteIdent(c.name)} ${c.type}`);
  return `CREATE ${replace ? 'OR REPLACE ' : ''}TABLE ${replace ? '' : 'IF NOT EXISTS '}${quoteIdent(schema)}.${quoteIdent(name)} (${columns.join(', ')})`;
}

/** An empty side table (e.g. orders__load) to stream rows into before they replace or merge into staging. */
export async function createSideTable(db: DuckDb, table: StagingTableSpec, suffix: 'load' | 'delta'): Promise<string> {
  const name = `${table.name}__${suffix}`;
  await db.run(createTableSql('staging', name, table, true));
  return name;
}

export interface SyncState {
  tableName: string;
  watermark: string | null;
  mappingFingerprint: string;
}

export async function getSyncState(db: DuckDb, tableName: string): Promise<SyncState | undefined> {
  const rows = await db.all<{ watermark: string | null; mapping_fingerprint: string }>(
    'SELECT strftime(watermark AT TIME ZONE \'UTC\', \'%Y-%m-%dT%H:%M:%S.%fZ\') AS watermark, mapping_fingerprint FROM meta.sync_state WHERE table_name = ?',
    [tableName],
  );
  const row = rows[0];
  return row ? { tableName, watermark: row.watermark, mappingFingerprint: row.mapping_fingerprint } : undefined;
}

/**
 * The watermark is the source's clock when the sync's snapshot was taken: every row committed before
 * it has been copied, so the next sync copies rows changed since then (less the overlap for
 * transactions still in flight). Not the highest change timestamp seen: after a quiet period that
 * lies far back, and the next window would re-copy everything changed since.
 */
async function saveSyncState(db: DuckDb, tableName: string, watermark: string, fingerprint: string, full: boolean): Promise<void> {
  await db.run(
    `INSERT INTO meta.sync_state (table_name, watermark, mapping_fingerprint, last_full_sync_at, last_sync_at)
     SELECT ?, ?::TIMESTAMPTZ, ?, CASE WHEN ? THEN now() END, now()
     ON CONFLICT (table_name) DO UPDATE SET
       watermark = greatest(CASE WHEN ? THEN NULL ELSE meta.sync_state.watermark END, excluded.watermark),
       mapping_fingerprint = excluded.mapping_fingerprint,
       last_full_sync_at = coalesce(excluded.last_full_sync_at, meta.sync_state.last_full_sync_at),
       last_sync_at = excluded.last_sync_at`,
    [tableName, watermark, fingerprint, full, full],
  );
}

/** Full sync: the loaded side table becomes the staged table, atomically with its watermark. */
export async function replaceStagedTable(db: DuckDb, table: StagingTableSpec, loadTable: string, fingerprint: string, watermark: string): Promise<void> {
  await db.transaction(async () => {
    await saveSyncState(db, table.name, watermark, fingerprint, true);
    await db.run(`DROP TABLE IF EXISTS staging.${quoteIdent(table.name)}`);
    await db.run(`ALTER TABLE staging.${quoteIdent(loadTable)} RENAME TO ${quoteIdent(table.name)}`);
  });
}

/** Incremental sync: changed rows replace their staged versions (upsert by key), atomically with the watermark. */
export async function mergeIntoStagedTable(db: DuckDb, table: StagingTableSpec, deltaTable: string, fingerprint: string, watermark: string): Promise<void> {
  const target = `staging.${quoteIdent(table.name)}`;
  const delta = `staging.${quoteIdent(deltaTable)}`;
  await db.transaction(async () => {
    await db.run(`DELETE FROM ${target} WHERE id IN (SELECT id FROM ${delta})`);
    await db.run(`INSERT INTO ${target} SELECT * FROM ${delta}`);
    await saveSyncState(db, table.name, watermark, fingerprint, false);
  });
  await db.run(`DROP TABLE IF EXISTS ${delta}`);
}

/** Replaces all staged rows with keys in [low, high) by the rows in `rangeTable` (repair after a mismatch). */
export async function replaceKeyRange(db: DuckDb, table: StagingTableSpec, rangeTable: string, low: number, high: number): Promise<number> {
  const target = `staging.${quoteIdent(table.name)}`;
  return db.transaction(async () => {
    const removed = await db.runCount(`DELETE FROM ${target} WHERE id >= ? AND id < ?`, [low, high]);
    const added = await db.runCount(`INSERT INTO ${target} SELECT * FROM staging.${quoteIdent(rangeTable)} WHERE id >= ? AND id < ?`, [low, high]);
    return removed - added;
  });
}

export interface TableChecksum {
  rowCount: number;
  keySum: string;
  versionSum: string;
}

/**
 * The same figures as the source's checksum queries, computed on the staged copy: the row count of the
 * whole table, and key/version sums over all rows or, with `since`, over rows changed since then.
 */
export async function stagedChecksum(db: DuckDb, tableName: string, since?: string): Promise<TableChecksum> {
  const table = `staging.${quoteIdent(tableName)}`;
  // The window's sums with the time condition in WHERE, not an aggregate FILTER: DuckDB then skips
  // every row group whose newest updated_at is older (after a merge, the changed rows sit at the end).
  const all = await db.one<{ row_count: number }>(`SELECT count(*) AS row_count FROM ${table}`);
  const window = await db.one<{ key_sum: string | number; version_sum: string | number }>(
    `SELECT coalesce(sum(id), 0)::HUGEINT::VARCHAR AS key_sum, coalesce(sum(epoch_us(updated_at)), 0)::HUGEINT::VARCHAR AS version_sum
     FROM ${table} ${since ? 'WHERE updated_at >= ?::TIMESTAMPTZ' : ''}`,
    since ? [since] : [],
  );
  return { rowCount: Number(all.row_count), keySum: String(window.key_sum), versionSum: String(window.version_sum) };
}

export async function stagedBucketChecksums(db: DuckDb, tableName: string, bucketSize: number): Promise<Map<number, TableChecksum>> {
  const rows = await db.all<{ bucket: number; row_count: number; key_sum: string | number; version_sum: string | number }>(
    `SELECT (id // ?)::BIGINT AS bucket, count(*) AS row_count, coalesce(sum(id), 0)::HUGEINT::VARCHAR AS key_sum,
       coalesce(sum(epoch_us(updated_at)), 0)::HUGEINT::VARCHAR AS version_sum FROM staging.${quoteIdent(tableName)} GROUP BY 1`,
    [bucketSize],
  );
  return new Map(rows.map((r) => [Number(r.bucket), { rowCount: Number(r.row_count), keySum: String(r.key_sum), versionSum: String(r.version_sum) }]));
}

export async function dropSideTable(db: DuckDb, name: string): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS staging.${quoteIdent(name)}`);
}
