// Stage 3: run the models on the built snapshot, then hand over to publish.
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import { PUBLISH_QUEUE } from './publish.job.ts';
import { recordFailure, runModelsStage, withPipelineLock, type PipelineContext } from './pipeline.ts';

export { MODELS_QUEUE } from '../lib/queue-names.ts';

export const modelsPayload = z.object({ runId: z.number().int().positive() });
export type ModelsPayload = z.infer<typeof modelsPayload>;

export async function handleModels(ctx: PipelineContext, boss: PgBoss, payload: ModelsPayload): Promise<{ customers: number; segments: number }> {
  return withPipelineLock(ctx.pool, async () => {
    let result: { customers: number; segments: number };
    try {
      const summary = await runModelsStage(ctx, payload.runId);
      result = { customers: summary?.customers ?? 0, segments: summary?.k ?? 0 };
    } catch (error) {
      await recordFailure(ctx, payload.runId, error);
      throw error;
    }
    await boss.send(PUBLISH_QUEUE, { runId: payload.runId });
    return result;
  });
}
