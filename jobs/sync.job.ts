// Stage 1 of the pipeline chain: sync the source into the staged tables, then hand over to transform.
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import type { PulseConfig } from '../lib/config.ts';
import { recordFailure, runSyncStage, startRun, withPipelineLock, type PipelineContext } from './pipeline.ts';
import { TRANSFORM_QUEUE } from './transform.job.ts';

export { SYNC_QUEUE } from '../lib/queue-names.ts';

export const syncPayload = z.object({
  mode: z.enum(['full', 'incremental']),
  trigger: z.string().max(100).default('schedule'),
});
export type SyncPayload = z.infer<typeof syncPayload>;

/** Incremental every 15 minutes and full nightly by default (PULSE_SYNC_CRON, PULSE_FULL_SYNC_CRON). */
export function syncSchedules(config: PulseConfig): { key: string; cron: string; data: SyncPayload }[] {
  return [
    { key: 'incremental', cron: config.syncCron, data: { mode: 'incremental', trigger: 'schedule' } },
    { key: 'full', cron: config.fullSyncCron, data: { mode: 'full', trigger: 'schedule' } },
  ];
}

export async function handleSync(ctx: PipelineContext, boss: PgBoss, payload: SyncPayload, jobId: string): Promise<{ runId: number }> {
  return withPipelineLock(ctx.pool, async () => {
    const runId = await startRun(ctx, payload.mode, payload.trigger, jobId);
    try {
      const tables = await runSyncStage(ctx, runId, payload.mode);
      ctx.log.info({ runId, tables: tables.length, rows: tables.reduce((n, t) => n + t.rowsCopied, 0) }, 'sync done');
    } catch (error) {
      await recordFailure(ctx, runId, error);
      throw error;
    }
    await boss.send(TRANSFORM_QUEUE, { runId });
    return { runId };
  });
}
