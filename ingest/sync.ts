// Full and incremental sync of every mapped table from the source PostgreSQL into the staged tables
// of work.duckdb. All tables are read in one REPEATABLE READ snapshot of the source, so the counts and
// checksums compared at the end describe exactly the rows that were copied.
import crypto from 'node:crypto';
import pg from 'pg';
import { IngestError } from '../lib/errors.ts';
import {
  createSideTable,
  dropSideTable,
  getSyncState,
  mergeIntoStagedTable,
  replaceKeyRange,
  replaceStagedTable,
  stagedBucketChecksums,
  stagedChecksum,
  stagedColumns,
  type DuckDb,
  type TableChecksum,
} from '../warehouse/index.ts';
import { copyIntoDuckDb } from './copy-into-duckdb.ts';
import type { SourceMapping, TableMapping } from './mapping.ts';
import {
  copyKeyRangeToStdout,
  copyRowsToStdout,
  selectBucketChecksums,
  selectCountAndChecksum,
  selectRowCount,
  selectRowsToExtract,
  selectSourceColumns,
  selectWindowChecksum,
} from './source-queries.ts';
import { translateSourceError } from './source-errors.ts';

export type SyncMode = 'full' | 'incremental';

export interface TableProgress {
  table: string;
  mode: SyncMode;
  rowsExpected: number;
  rowsDone: number;
}

export interface TableSyncResult {
  table: string;
  mode: SyncMode;
  rowsCopied: number;
  rowsDeleted: number;
  sourceCount: number;
  warehouseCount: number;
  sourceChecksum: string;
  warehouseChecksum: string;
  checksumMatch: boolean;
  seconds: number;
}

export interface SyncOptions {
  sourceUrl: string;
  mapping: SourceMapping;
  workDb: DuckDb;
  tmpDir: string;
  mode: SyncMode;
  overlapSeconds: number;
  onTableStart?: (progress: TableProgress) => void | Promise<void>;
  onProgress?: (progress: TableProgress) => void;
  onTableDone?: (result: TableSyncResult) => void | Promise<void>;
}

interface SourceFigures extends TableChecksum {
  maxKey: number;
}

export async function syncTables(options: SyncOptions): Promise<TableSyncResult[]> {
  // Two connections reading one snapshot of the source: one streams rows, the other computes the counts
  // and checksums at the same time, so the verification scan is off the copy's critical path.
  const client = new pg.Client({ connectionString: options.sourceUrl, application_name: 'pulse-sync' });
  const checker = new pg.Client({ connectionString: options.sourceUrl, application_name: 'pulse-sync-check' });
  try {
    await client.connect();
    await checker.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    await checker.end().catch(() => undefined);
    throw translateSourceError(error, undefined, options.sourceUrl);
  }
  const results: TableSyncResult[] = [];
  try {
    // UTC and ISO output so DuckDB parses timestamps exactly; one snapshot for every table.
    for (const c of [client, checker]) await c.query("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'");
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ id: string; taken_at: string }>(
      `SELECT pg_export_snapshot() AS id, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS taken_at`,
    );
    // now() is the transaction's start, just before its snapshot: a safe watermark for every table.
    const snapshotTakenAt = rows[0]!.taken_at;
    await checker.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await checker.query(`SET TRANSACTION SNAPSHOT '${rows[0]!.id.replace(/[^0-9A-F-]/gi, '')}'`);
    // Every table's plan first, then every verification query queued on the checker connection at
    // once: it works through them (counts and checksums are scans) while the copies run, instead of
    // starting each table's scan only when that table's copy starts.
    const plans: TablePlan[] = [];
    for (const mapping of options.mapping.tables) plans.push(await planTable(options.workDb, mapping, options));
    let checkerQueue: Promise<unknown> = Promise.resolve();
    for (const plan of plans) {
      // One query at a time on the connection, in table order; a failure (e.g. a vanished column) is
      // reported by that table's own checks when its turn comes, and stops the queue.
      const figures = checkerQueue.then(() => (plan.since ? windowAndCount(checker, plan.mapping, plan.since) : sourceFigures(checker, plan.mapping)));
      figures.catch(() => undefined);
      plan.sourceFigures = figures;
      checkerQueue = figures;
    }
    for (const plan of plans) {
      try {
        results.push(await syncTable(client, plan, options, snapshotTakenAt));
      } catch (error) {
        throw translateSourceError(error, plan.mapping);
      }
      await options.onTableDone?.(results[results.length - 1]!);
    }
    await client.query('COMMIT');
    await checker.query('COMMIT');
  } finally {
    await client.end().catch(() => undefined);
    await checker.end().catch(() => undefined);
  }
  return results;
}

interface TablePlan {
  mapping: TableMapping;
  mode: SyncMode;
  fingerprint: string;
  /** Incremental: copy rows changed at or after this time. */
  since: Date | undefined;
  /** The source's count and checksum, computed on the checker connection (queued by syncTables). */
  sourceFigures?: Promise<SourceFigures>;
}

/** Full or incremental, and from when: from the staged table's sync state and the mapping's fingerprint. */
async function planTable(db: DuckDb, m: TableMapping, options: SyncOptions): Promise<TablePlan> {
  const fingerprint = mappingFingerprint(m);
  const state = await getSyncState(db, m.table.name);
  const incremental =
    options.mode === 'incremental' && state !== undefined && state.mappingFingerprint === fingerprint && state.watermark !== null && m.changeColumn !== undefined;
  const since = incremental ? new Date(Date.parse(state!.watermark!) - options.overlapSeconds * 1000) : undefined;
  return { mapping: m, mode: incremental ? 'incremental' : 'full', fingerprint, since };
}

async function syncTable(client: pg.Client, plan: TablePlan, options: SyncOptions, snapshotTakenAt: string): Promise<TableSyncResult> {
  const started = performance.now();
  const db = options.workDb;
  const { mapping: m, mode, fingerprint, since } = plan;
  const incremental = mode === 'incremental';
  await checkSourceColumns(client, m);

  // The progress total is the planner's estimate (counting first would cost a scan, or for a change
  // window a second pass over scattered pages).
  const rowsExpected = await estimateRows(client, selectRowsToExtract(m, since));
  const sourcePromise = plan.sourceFigures!;
  const progress: TableProgress = { table: m.table.name, mode, rowsExpected, rowsDone: 0 };
  await options.onTableStart?.({ ...progress });

  const sideTable = await createSideTable(db, m.table, incremental ? 'delta' : 'load');
  const rowsCopied = await copyIntoDuckDb({
    client,
    copySql: copyRowsToStdout(m, since),
    db,
    targetSchema: 'staging',
    targetTable: sideTable,
    columns: stagedColumns(m.table),
    tmpDir: options.tmpDir,
    onProgress: (rows) => {
      progress.rowsDone = rows;
      options.onProgress?.({ ...progress });
    },
  });
  const source = await sourcePromise;
  if (incremental) await mergeIntoStagedTable(db, m.table, sideTable, fingerprint, snapshotTakenAt);
  else await replaceStagedTable(db, m.table, sideTable, fingerprint, snapshotTakenAt);

  let figures = source;
  let staged = await stagedChecksum(db, m.table.name, since?.toISOString());
  let rowsDeleted = 0;
  if (!sameFigures(source, staged)) {
    // Rows vanished from the source (hard deletes) or changed without moving their change column:
    // find the key ranges that differ, re-copy just those, then compare the whole table.
    figures = await sourceFigures(client, m);
    rowsDeleted = await repairMismatchedRanges(client, m, db, figures, options.tmpDir);
    staged = await stagedChecksum(db, m.table.name);
  }
  const result: TableSyncResult = {
    table: m.table.name,
    mode,
    rowsCopied,
    rowsDeleted,
    sourceCount: figures.rowCount,
    warehouseCount: staged.rowCount,
    sourceChecksum: `${figures.keySum}:${figures.versionSum}`,
    warehouseChecksum: `${staged.keySum}:${staged.versionSum}`,
    checksumMatch: sameFigures(figures, staged),
    seconds: (performance.now() - started) / 1000,
  };
  if (!result.checksumMatch) {
    throw new IngestError(
      'checksum_mismatch',
      `Table ${m.table.name}: the warehouse does not match the source after sync (source ${figures.rowCount} rows, checksum ${result.sourceChecksum}; warehouse ${staged.rowCount} rows, checksum ${result.warehouseChecksum}).`,
    );
  }
  return result;
}

async function estimateRows(client: pg.Client, select: string): Promise<number> {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`EXPLAIN (FORMAT JSON) ${select}`);
  return Math.round(rows[0]!['QUERY PLAN'][0].Plan['Plan Rows']);
}

async function checkSourceColumns(client: pg.Client, m: TableMapping): Promise<void> {
  const { fields } = await client.query(selectSourceColumns(m));
  const present = new Set(fields.map((f) => f.name));
  const wanted: [string, string][] = [
    ['key', m.key],
    ...(m.changeColumn ? [['changeColumn', m.changeColumn] as [string, string]] : []),
    ...(m.deletedColumn ? [['deletedColumn', m.deletedColumn] as [string, string]] : []),
    ...[...m.columns].map(([field, column]) => [`columns.${field}`, column] as [string, string]),
  ];
  const missing = wanted.filter(([, column]) => !present.has(column));
  if (missing.length > 0) {
    throw new IngestError(
      'source_column_missing',
      `Source ${m.sourceName} (Pulse table ${m.table.name}) lacks mapped column(s): ${missing.map(([where, column]) => `${column} (mapped as ${where})`).join(', ')}. Columns there: ${[...present].join(', ')}. Fix the mapping or the source; nothing was copied for this table.`,
    );
  }
}

/** Count and checksum of the whole source table (full sync, and to confirm a repair). */
async function sourceFigures(client: pg.Client, m: TableMapping): Promise<SourceFigures> {
  const row = (await client.query<{ row_count: number; key_sum: string; version_sum: string; max_key: number }>(selectCountAndChecksum(m))).rows[0]!;
  return { rowCount: Number(row.row_count), keySum: row.key_sum, versionSum: row.version_sum, maxKey: Number(row.max_key) };
}

/**
 * An incremental sync compares the full row count but sums only the changed window it copied: the
 * previous sync already proved the rest, a hard delete shows in the count, and full-table sums would
 * cost a scan of every row on every run.
 */
async function windowFigures(client: pg.Client, m: TableMapping, since: Date): Promise<TableChecksum> {
  const row = (await client.query<{ row_count: number; key_sum: string; version_sum: string }>(selectWindowChecksum(m, since))).rows[0]!;
  return { rowCount: Number(row.row_count), keySum: row.key_sum, versionSum: row.version_sum };
}

/** The incremental figures: the window's sums and the whole table's count. */
async function windowAndCount(client: pg.Client, m: TableMapping, since: Date): Promise<SourceFigures> {
  const window = await windowFigures(client, m, since);
  return { ...(await countAllRows(client, m)), keySum: window.keySum, versionSum: window.versionSum };
}

async function countAllRows(client: pg.Client, m: TableMapping): Promise<{ rowCount: number; maxKey: number }> {
  const row = (await client.query<{ row_count: number; max_key: number }>(selectRowCount(m))).rows[0]!;
  return { rowCount: Number(row.row_count), maxKey: Number(row.max_key) };
}

function sameFigures(a: TableChecksum, b: TableChecksum): boolean {
  return a.rowCount === b.rowCount && a.keySum === b.keySum && a.versionSum === b.versionSum;
}

async function repairMismatchedRanges(client: pg.Client, m: TableMapping, db: DuckDb, source: SourceFigures, tmpDir: string): Promise<number> {
  const stagedMax = Number((await db.one<{ k: number | null }>(`SELECT max(id) AS k FROM staging."${m.table.name}"`)).k ?? 0);
  const bucketSize = Math.max(1000, Math.ceil((Math.max(source.maxKey, stagedMax) + 1) / 1000));
  const sourceBuckets = new Map<number, TableChecksum>();
  for (const r of (await client.query<{ bucket: number; row_count: number; key_sum: string; version_sum: string }>(selectBucketChecksums(m, bucketSize))).rows) {
    sourceBuckets.set(Number(r.bucket), { rowCount: Number(r.row_count), keySum: r.key_sum, versionSum: r.version_sum });
  }
  const stagedBuckets = await stagedBucketChecksums(db, m.table.name, bucketSize);
  const buckets = new Set([...sourceBuckets.keys(), ...stagedBuckets.keys()]);
  const empty: TableChecksum = { rowCount: 0, keySum: '0', versionSum: '0' };
  let removed = 0;
  for (const bucket of [...buckets].sort((a, b) => a - b)) {
    if (sameFigures(sourceBuckets.get(bucket) ?? empty, stagedBuckets.get(bucket) ?? empty)) continue;
    const low = bucket * bucketSize;
    const high = low + bucketSize;
    const rangeTable = await createSideTable(db, m.table, 'delta');
    await copyIntoDuckDb({ client, copySql: copyKeyRangeToStdout(m, low, high), db, targetSchema: 'staging', targetTable: rangeTable, columns: stagedColumns(m.table), tmpDir });
    removed += await replaceKeyRange(db, m.table, rangeTable, low, high);
    await dropSideTable(db, rangeTable);
  }
  return removed;
}

function mappingFingerprint(m: TableMapping): string {
  const description = JSON.stringify({ from: m.fromSql, key: m.key, change: m.changeColumn, deleted: m.deletedColumn, columns: [...m.columns].sort(), fields: m.table.fields });
  return crypto.createHash('sha256').update(description).digest('hex').slice(0, 16);
}
