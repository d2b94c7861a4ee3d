// The record of pipeline runs in PostgreSQL: written by the pipeline (jobs/), read by `pulse status`
// and the dashboard. Each statement is one small function (CONVENTIONS 2).
import type pg from 'pg';

export type RunState = 'running' | 'succeeded' | 'failed';
export type RunStage = 'sync' | 'transform' | 'models' | 'publish' | 'done';

export interface RunTable {
  table: string;
  mode: string;
  rowsExpected: number | null;
  rowsDone: number;
  rowsDeleted: number;
  sourceCount: number | null;
  warehouseCount: number | null;
  sourceChecksum: string | null;
  warehouseChecksum: string | null;
  checksumMatch: boolean | null;
  seconds: number | null;
}

export interface PipelineRun {
  id: number;
  kind: RunKind;
  trigger: string;
  state: RunState;
  stage: RunStage | null;
  startedAt: string;
  finishedAt: string | null;
  snapshot: string | null;
  error: string | null;
  tables: RunTable[];
}

export type RunKind = 'full' | 'incremental' | 'models';

export async function insertRun(db: pg.ClientBase | pg.Pool, kind: RunKind, trigger: string, jobId?: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO pulse.pipeline_runs (kind, trigger, state, stage, job_id) VALUES ($1, $2, 'running', CASE WHEN $1 = 'models' THEN 'models' ELSE 'sync' END, $3) RETURNING id",
    [kind, trigger, jobId ?? null],
  );
  return rows[0]!.id;
}

export async function updateRunStage(db: pg.ClientBase | pg.Pool, runId: number, stage: RunStage, snapshot?: string): Promise<void> {
  // A retried stage puts a failed run back to running.
  await db.query("UPDATE pulse.pipeline_runs SET stage = $2, snapshot = coalesce($3, snapshot), state = 'running', error = NULL, finished_at = NULL WHERE id = $1", [
    runId,
    stage,
    snapshot ?? null,
  ]);
}

export async function finishRun(db: pg.ClientBase | pg.Pool, runId: number, state: 'succeeded' | 'failed', error?: string): Promise<void> {
  await db.query(
    "UPDATE pulse.pipeline_runs SET state = $2, error = $3, finished_at = now(), stage = CASE WHEN $2 = 'succeeded' THEN 'done' ELSE stage END WHERE id = $1",
    [runId, state, error ?? null],
  );
}

/** Runs left 'running' by a process that died. Call only while holding the pipeline lock. */
export async function failInterruptedRuns(db: pg.ClientBase | pg.Pool, exceptRunId: number | null): Promise<number> {
  const { rowCount } = await db.query(
    "UPDATE pulse.pipeline_runs SET state = 'failed', finished_at = now(), error = 'Interrupted: the process running it stopped before it finished.' WHERE state = 'running' AND id IS DISTINCT FROM $1",
    [exceptRunId],
  );
  return rowCount ?? 0;
}

export async function upsertRunTable(db: pg.ClientBase | pg.Pool, runId: number, t: Partial<RunTable> & { table: string; mode: string }): Promise<void> {
  await db.query(
    `INSERT INTO pulse.pipeline_run_tables (run_id, table_name, mode, rows_expected, rows_done, rows_deleted, source_count, warehouse_count,
       source_checksum, warehouse_checksum, checksum_match, seconds, updated_at)
     VALUES ($1, $2, $3, $4, coalesce($5, 0), coalesce($6, 0), $7, $8, $9, $10, $11, $12, now())
     ON CONFLICT (run_id, table_name) DO UPDATE SET mode = excluded.mode,
       rows_expected = coalesce(excluded.rows_expected, pipeline_run_tables.rows_expected),
       rows_done = excluded.rows_done, rows_deleted = excluded.rows_deleted,
       source_count = coalesce(excluded.source_count, pipeline_run_tables.source_count),
       warehouse_count = coalesce(excluded.warehouse_count, pipeline_run_tables.warehouse_count),
       source_checksum = coalesce(excluded.source_checksum, pipeline_run_tables.source_checksum),
       warehouse_checksum = coalesce(excluded.warehouse_checksum, pipeline_run_tables.warehouse_checksum),
       checksum_match = coalesce(excluded.checksum_match, pipeline_run_tables.checksum_match),
       seconds = coalesce(excluded.seconds, pipeline_run_tables.seconds), updated_at = now()`,
    [
      runId,
      t.table,
      t.mode,
      t.rowsExpected ?? null,
      t.rowsDone ?? null,
      t.rowsDeleted ?? null,
      t.sourceCount ?? null,
      t.warehouseCount ?? null,
      t.sourceChecksum ?? null,
      t.warehouseChecksum ?? null,
      t.checksumMatch ?? null,
      t.seconds ?? null,
    ],
  );
}

interface RunRow {
  id: number;
  kind: RunKind;
  trigger: string;
  state: RunState;
  stage: RunStage | null;
  started_at: Date;
  finished_at: Date | null;
  snapshot: string | null;
  error: string | null;
}

interface RunTableRow {
  run_id: number;
  table_name: string;
  mode: string;
  rows_expected: number | null;
  rows_done: number;
  rows_deleted: number;
  source_count: number | null;
  warehouse_count: number | null;
  source_checksum: string | null;
  warehouse_checksum: string | null;
  checksum_match: boolean | null;
  seconds: number | null;
}

export async function getRun(db: pg.ClientBase | pg.Pool, runId: number): Promise<{ kind: RunKind; snapshot: string | null } | undefined> {
  const { rows } = await db.query<{ kind: RunKind; snapshot: string | null }>('SELECT kind, snapshot FROM pulse.pipeline_runs WHERE id = $1', [runId]);
  return rows[0];
}

export async function getRecentRuns(db: pg.ClientBase | pg.Pool, limit = 10): Promise<PipelineRun[]> {
  const runs = await db.query<RunRow>('SELECT * FROM pulse.pipeline_runs ORDER BY id DESC LIMIT $1', [limit]);
  if (runs.rows.length === 0) return [];
  const tables = await db.query<RunTableRow>('SELECT * FROM pulse.pipeline_run_tables WHERE run_id = ANY($1::bigint[]) ORDER BY table_name', [runs.rows.map((r) => r.id)]);
  return runs.rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    trigger: r.trigger,
    state: r.state,
    stage: r.stage,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    snapshot: r.snapshot,
    error: r.error,
    tables: tables.rows
      .filter((t) => t.run_id === r.id)
      .map((t) => ({
        table: t.table_name,
        mode: t.mode,
        rowsExpected: t.rows_expected,
        rowsDone: t.rows_done,
        rowsDeleted: t.rows_deleted,
        sourceCount: t.source_count,
        warehouseCount: t.warehouse_count,
        sourceChecksum: t.source_checksum,
        warehouseChecksum: t.warehouse_checksum,
        checksumMatch: t.checksum_match,
        seconds: t.seconds,
      })),
  }));
}
