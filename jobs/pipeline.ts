// The pipeline's stages: sync (source → staged tables), transform (staged → a new snapshot file) and
// publish (swap the pointer, prune). The worker runs them as a chain of queues; `pulse sync` runs them
// in the foreground. Either way, a PostgreSQL advisory lock guarantees one pipeline at a time across
// all processes and machines, and DuckDB's one-writer rule is never tested.
import path from 'node:path';
import type pg from 'pg';
import { syncTables, loadMapping, type SyncMode, type TableProgress, type TableSyncResult } from '../ingest/index.ts';
import type { PulseConfig } from '../lib/config.ts';
import { JobError, ModelError, errorMessage } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { failInterruptedRuns, finishRun, getRun, insertRun, updateRunStage, upsertRunTable } from '../lib/pipeline-runs.ts';
import fs from 'node:fs';
import { runModels, type ModelRunSummary } from '../models/index.ts';
import { recordSavedSegmentSizes } from './segment-sizes.ts';
import {
  DuckDb,
  buildSnapshot,
  copyPublishedSnapshot,
  getPublishedSnapshot,
  openWorkDb,
  publishSnapshot,
  pruneSnapshots,
  quoteLiteral,
  snapshotPath,
  workDbPath,
  type SnapshotInfo,
} from '../warehouse/index.ts';

export interface PipelineContext {
  config: PulseConfig;
  pool: pg.Pool;
  sourceUrl: string;
  log: Logger;
}

/** The pipeline's advisory lock key (arbitrary, stable). */
export const PIPELINE_LOCK = 0x70756c73_65;

/** Runs `fn` holding the pipeline lock; fails at once (the job retries later) if another run holds it. */
export async function withPipelineLock<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [PIPELINE_LOCK]);
    // A queued job retries on its own; `pulse sync` in the foreground stops here, so say what to do.
    if (!rows[0]!.ok) throw new JobError('pipeline_busy', 'Another pipeline run is in progress (one runs at a time): try again when it has finished.');
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PIPELINE_LOCK]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

export async function startRun(ctx: PipelineContext, mode: SyncMode | 'models', trigger: string, jobId?: string): Promise<number> {
  const runId = await insertRun(ctx.pool, mode, trigger, jobId);
  // We hold the lock, so any other 'running' run belongs to a process that died.
  await failInterruptedRuns(ctx.pool, runId);
  return runId;
}

/** Stage 1: copy the source into the staged tables, recording progress and the per-table comparison. */
export async function runSyncStage(ctx: PipelineContext, runId: number, mode: SyncMode, onProgress?: (p: TableProgress) => void): Promise<TableSyncResult[]> {
  await updateRunStage(ctx.pool, runId, 'sync');
  const mapping = loadMapping(ctx.config.sourceMappingFile);
  const workDb = await openWorkDb(workDbPath(ctx.config.dataDir), { memoryLimit: ctx.config.duckdbMemoryLimit });
  // Progress is written at most twice a second per table, so a big table does not flood PostgreSQL.
  let lastWrite = 0;
  try {
    return await syncTables({
      sourceUrl: ctx.sourceUrl,
      mapping,
      workDb,
      tmpDir: path.join(ctx.config.dataDir, 'tmp'),
      mode,
      overlapSeconds: ctx.config.syncOverlapSeconds,
      onTableStart: (p) => upsertRunTable(ctx.pool, runId, { table: p.table, mode: p.mode, rowsExpected: p.rowsExpected, rowsDone: 0 }),
      onProgress: (p) => {
        onProgress?.(p);
        const now = Date.now();
        if (now - lastWrite < 500) return;
        lastWrite = now;
        upsertRunTable(ctx.pool, runId, { table: p.table, mode: p.mode, rowsDone: p.rowsDone }).catch((error: unknown) =>
          ctx.log.warn({ err: errorMessage(error) }, 'could not record progress'),
        );
      },
      onTableDone: async (r) => {
        onProgress?.({ table: r.table, mode: r.mode, rowsExpected: r.rowsCopied, rowsDone: r.rowsCopied });
        await upsertRunTable(ctx.pool, runId, {
          table: r.table,
          mode: r.mode,
          rowsDone: r.rowsCopied,
          rowsDeleted: r.rowsDeleted,
          sourceCount: r.sourceCount,
          warehouseCount: r.warehouseCount,
          sourceChecksum: r.sourceChecksum,
          warehouseChecksum: r.warehouseChecksum,
          checksumMatch: r.checksumMatch,
          seconds: r.seconds,
        });
      },
    });
  } finally {
    workDb.close();
  }
}

/** Stage 2: build a complete new snapshot file from the staged tables (not yet visible to readers). */
export async function runTransformStage(ctx: PipelineContext, runId: number): Promise<string> {
  await updateRunStage(ctx.pool, runId, 'transform');
  const workDb = await openWorkDb(workDbPath(ctx.config.dataDir), { memoryLimit: ctx.config.duckdbMemoryLimit });
  try {
    const file = await buildSnapshot(workDb, ctx.config.dataDir, runId, { reportingCurrency: ctx.config.reportingCurrency, attributionDays: ctx.config.attributionDays });
    await updateRunStage(ctx.pool, runId, 'transform', path.basename(file));
    return file;
  } finally {
    workDb.close();
  }
}

/**
 * Stage 3: segmentation, RFM, BG/NBD + Gamma-Gamma and the churn classifier on the built snapshot,
 * which no reader can see yet. The previous published snapshot is attached read-only so segments keep
 * their ids and names, and segment history carries over.
 */
export async function runModelsStage(ctx: PipelineContext, runId: number): Promise<ModelRunSummary | null> {
  await updateRunStage(ctx.pool, runId, 'models');
  const run = await getRun(ctx.pool, runId);
  if (!run?.snapshot) throw new JobError('no_snapshot', `Run ${runId} has no built snapshot to run the models on.`);
  const db = await DuckDb.open(snapshotPath(ctx.config.dataDir, run.snapshot), { memoryLimit: ctx.config.duckdbMemoryLimit });
  try {
    const previous = getPublishedSnapshot(ctx.config.dataDir);
    let hasPrevious = false;
    if (previous && previous.file !== run.snapshot && fs.existsSync(snapshotPath(ctx.config.dataDir, previous.file))) {
      await db.run(`ATTACH ${quoteLiteral(snapshotPath(ctx.config.dataDir, previous.file))} AS prev (READ_ONLY)`);
      const found = await db.all("SELECT 1 FROM duckdb_tables() WHERE database_name = 'prev' AND schema_name = 'models' AND table_name = 'segments'");
      hasPrevious = found.length > 0;
    }
    try {
      // A copied snapshot (`pulse models run`) carries the previous run's outputs: start clean.
      await db.run('DROP SCHEMA IF EXISTS models CASCADE');
      const summary = await runModels(db, { runId, runAt: new Date(), seed: 42, hasPrevious });
      await db.run('CHECKPOINT');
      return summary;
    } catch (error) {
      // A warehouse with a handful of customers (a new deployment) still publishes, without models.
      if (error instanceof ModelError && error.code === 'too_few_customers') {
        ctx.log.warn({ runId }, error.message);
        return null;
      }
      throw error;
    }
  } finally {
    db.close();
  }
}

/** Stage 4: make the run's snapshot the one readers open, then prune old ones. */
export async function runPublishStage(ctx: PipelineContext, runId: number): Promise<SnapshotInfo> {
  await updateRunStage(ctx.pool, runId, 'publish');
  const run = await getRun(ctx.pool, runId);
  if (!run?.snapshot) throw new JobError('no_snapshot', `Run ${runId} has no built snapshot to publish.`);
  const info = publishSnapshot(ctx.config.dataDir, path.join(ctx.config.dataDir, 'warehouse', 'snapshots', run.snapshot), runId);
  pruneSnapshots(ctx.config.dataDir, ctx.config.snapshotsKeep);
  await finishRun(ctx.pool, runId, 'succeeded');
  // Saved segments' sizes on the new snapshot: after the run has succeeded, and never failing it.
  await recordSavedSegmentSizes(ctx, info).catch((error: unknown) => ctx.log.warn({ runId, err: errorMessage(error) }, 'saved segment sizes were not recorded'));
  return info;
}

export async function recordFailure(ctx: PipelineContext, runId: number, error: unknown): Promise<void> {
  await finishRun(ctx.pool, runId, 'failed', errorMessage(error)).catch((e: unknown) => ctx.log.error({ err: errorMessage(e) }, 'could not record failure'));
}

/** All stages in this process, under one lock: what `pulse sync` does. */
export async function runPipelineNow(
  ctx: PipelineContext,
  options: { mode: SyncMode; trigger: string; onProgress?: (p: TableProgress) => void; onStage?: (stage: string) => void },
): Promise<{ runId: number; tables: TableSyncResult[]; snapshot: SnapshotInfo }> {
  return withPipelineLock(ctx.pool, async () => {
    const runId = await startRun(ctx, options.mode, options.trigger);
    try {
      options.onStage?.('sync');
      const tables = await runSyncStage(ctx, runId, options.mode, options.onProgress);
      options.onStage?.('transform');
      await runTransformStage(ctx, runId);
      options.onStage?.('models');
      await runModelsStage(ctx, runId);
      options.onStage?.('publish');
      const snapshot = await runPublishStage(ctx, runId);
      return { runId, tables, snapshot };
    } catch (error) {
      await recordFailure(ctx, runId, error);
      throw error;
    }
  });
}

/**
 * `pulse models run`: the models on the current warehouse — a copy of the published snapshot, so
 * nothing is rebuilt — then publish. (Marts and core tables only change with a sync.)
 */
export async function runModelsNow(ctx: PipelineContext, trigger: string): Promise<{ runId: number; models: ModelRunSummary | null; snapshot: SnapshotInfo }> {
  return withPipelineLock(ctx.pool, async () => {
    const runId = await startRun(ctx, 'models', trigger);
    try {
      const file = copyPublishedSnapshot(ctx.config.dataDir, runId);
      await updateRunStage(ctx.pool, runId, 'models', path.basename(file));
      const models = await runModelsStage(ctx, runId);
      const snapshot = await runPublishStage(ctx, runId);
      return { runId, models, snapshot };
    } catch (error) {
      await recordFailure(ctx, runId, error);
      throw error;
    }
  });
}
