// Pipeline runs and the published snapshot (lib/status.ts, shared with `pulse status`), and the
// retry that queues a new run for the worker.
import 'server-only';
import { getStatus, type PulseStatus } from '../../../lib/status.ts';
import { getServerContext } from '../server/context.ts';
import { getJobQueue, WorkerNotReadyError } from '../server/job-queue.ts';
import { SYNC_QUEUE } from '../../../lib/queue-names.ts';

export type { PulseStatus };
export { WorkerNotReadyError };

export async function getPipelineStatus(limit = 15): Promise<PulseStatus> {
  const { pool, config } = await getServerContext();
  return getStatus(pool, config.dataDir, limit);
}

/** Queues a pipeline run for the worker (pg-boss on Pulse's database); returns the job id, or null if one is already queued. */
export async function queuePipelineRun(mode: 'full' | 'incremental', trigger: string): Promise<string | null> {
  const boss = await getJobQueue();
  const queue = await boss.getQueue(SYNC_QUEUE);
  if (!queue) throw new WorkerNotReadyError('The sync queue does not exist yet: start the worker (`pulse worker` or `npm run demo`) once.');
  // One queued run per mode, as the worker's own scheduling does (singletonKey = mode).
  return boss.send(SYNC_QUEUE, { mode, trigger }, { singletonKey: mode });
}
