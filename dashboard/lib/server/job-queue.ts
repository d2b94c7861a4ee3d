// The dashboard's one connection to the job queue (pg-boss on Pulse's database): a sender only, for
// the pipeline's "run again" button and for writing report schedules when a subscription changes.
// The worker creates the queues and runs the jobs; the dashboard never works on a queue.
import 'server-only';
import { PgBoss } from 'pg-boss';
import { errorMessage } from '../../../lib/errors.ts';
import { createLogger } from '../../../lib/log.ts';
import { getServerContext } from './context.ts';

export class WorkerNotReadyError extends Error {}

const holder = globalThis as typeof globalThis & { __pulseBoss?: Promise<PgBoss> };

/** The shared sender, started on first use; WorkerNotReadyError when pg-boss's schema is not there yet. */
export function getJobQueue(): Promise<PgBoss> {
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
  return holder.__pulseBoss;
}
