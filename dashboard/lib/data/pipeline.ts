// Pipeline runs and the published snapshot (lib/status.ts, shared with `pulse status`), and the
// retry that queues a new run for the worker.
import 'server-only';
import { PgBoss } from 'pg-boss';
import { errorMessage } from '../../../lib/errors.ts';
import { createLogger } from '../../../lib/log.ts';
import { getStatus, type PulseStatus } from '../../../lib/status.ts';
import { getServerContext } from '../server/context.ts';
import { SYNC_QUEUE } from '../../../lib/queue-names.ts';

export type { PulseStatus };

export async function getPipelineStatus(limit = 15): Promise<PulseStatus> {
  const { pool, config } = await getServerContext();
  return getStatus(pool, config.dataDir, limit);
}

const holder = globalThis as typeof globalThis & { __pulseBoss?: Promise<PgBoss> };



export class WorkerNotReadyError extends Error {}

/** Queues a pipeline run for the worker (pg-boss on Pulse's database); returns the job id, or null if one is already queued. */
export async function queuePipelineRun(mode: 'full' | 'incremental', trigger: string): Promise<string | null> {
  holder.__pulseBoss ??= (async () => {
    const { config, databaseUrl } = await getServerContext();
    const log = createLogger(config.logLevel, 'dashboard');
    // A sender only: no schedules, no supervision (the worker does that).
    const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', schedule: false, supervise: false, migrate: false, max: 2 });
    boss.on('error', (error: unknown) => log.error({ err: errorMessage(error) }, 'job queue error'));
    await boss.start();
    return boss;
  })().catch((error: unknown) => {
    holder.__pulseBoss = undefined;
    throw new WorkerNotReadyError(`The job queue is not set up yet (start the worker once): ${errorMessage(error)}`, { cause: error });
  });
  const boss = await holder.__pulseBoss;
  const queue = await boss.getQueue(SYNC_QUEUE);
  if (!queue) throw new WorkerNotReadyError('The sync queue does not exist yet: start the worker (`pulse worker` or `npm run demo`) once.');
  // One queued run per mode, as the worker's own scheduling does (singletonKey = mode).
  return boss.send(SYNC_QUEUE, { mode, trigger }, { singletonKey: mode });
}
