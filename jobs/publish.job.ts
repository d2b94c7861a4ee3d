// Stage 4: publish the run's snapshot atomically and prune old ones. Reports plug in after this.
import { z } from 'zod';
import { recordFailure, runPublishStage, withPipelineLock, type PipelineContext } from './pipeline.ts';

export { PUBLISH_QUEUE } from '../lib/queue-names.ts';

export const publishPayload = z.object({ runId: z.number().int().positive() });
export type PublishPayload = z.infer<typeof publishPayload>;

export async function handlePublish(ctx: PipelineContext, payload: PublishPayload): Promise<{ snapshot: string }> {
  return withPipelineLock(ctx.pool, async () => {
    try {
      const info = await runPublishStage(ctx, payload.runId);
      return { snapshot: info.file };
    } catch (error) {
      await recordFailure(ctx, payload.runId, error);
      throw error;
    }
  });
}
