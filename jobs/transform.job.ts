// Stage 2: build a new snapshot file from the staged tables, then hand over to the models.
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import { recordFailure, runTransformStage, withPipelineLock, type PipelineContext } from './pipeline.ts';
import { MODELS_QUEUE } from './models.job.ts';

export { TRANSFORM_QUEUE } from '../lib/queue-names.ts';

export const transformPayload = z.object({ runId: z.number().int().positive() });
export type TransformPayload = z.infer<typeof transformPayload>;

export async function handleTransform(ctx: PipelineContext, boss: PgBoss, payload: TransformPayload): Promise<{ snapshot: string }> {
  return withPipelineLock(ctx.pool, async () => {
    let snapshot: string;
    try {
      snapshot = await runTransformStage(ctx, payload.runId);
    } catch (error) {
      await recordFailure(ctx, payload.runId, error);
      throw error;
    }
    await boss.send(MODELS_QUEUE, { runId: payload.runId });
    return { snapshot };
  });
}
