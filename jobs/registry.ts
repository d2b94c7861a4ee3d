// One registry creates the queues and schedules and starts the workers (CONVENTIONS 7).
// pg-boss lives in its own schema (`pgboss`) in Pulse's database.
import { PgBoss } from 'pg-boss';
import type { ZodType } from 'zod';
import { JobError, errorMessage } from '../lib/errors.ts';
import { BACKUP_QUEUE, backupPayload, backupQueueOptions, backupSchedule, handleBackup } from './backup.job.ts';
import type { PipelineContext } from './pipeline.ts';
import { MODELS_QUEUE, handleModels, modelsPayload } from './models.job.ts';
import {
  REPORT_QUEUE,
  createReportWorkerContext,
  handleReportSlot,
  registerReportSchedules,
  reportPayload,
  reportPayloadFromJob,
  reportQueueOptions,
  reportWorkOptions,
} from './report.job.ts';
import { PUBLISH_QUEUE, handlePublish, publishPayload } from './publish.job.ts';
import { DEAD_LETTER_QUEUE, stageQueueOptions } from './queues.ts';
import { SYNC_QUEUE, handleSync, syncPayload, syncSchedules, type SyncPayload } from './sync.job.ts';
import { TRANSFORM_QUEUE, handleTransform, transformPayload } from './transform.job.ts';

export function createBoss(url: string, ctx: Pick<PipelineContext, 'log' | 'config'>, options: { schedule?: boolean } = {}): PgBoss {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    schedule: options.schedule ?? false,
    max: 4,
    // Supervision is what notices a missed heartbeat (a worker that died mid-job); checking at the
    // heartbeat interval retries such a job within about two intervals instead of a minute or more.
    superviseIntervalSeconds: Math.min(60, ctx.config.jobHeartbeatSeconds),
  });
  // pg-boss reports background errors (lost connection, maintenance) here; without a listener they crash the process.
  boss.on('error', (error: unknown) => {
    if (!stopping.has(boss)) ctx.log.error({ err: errorMessage(error) }, 'job queue error');
  });
  return boss;
}

const stopping = new WeakSet<PgBoss>();

/** Stops workers (letting a running job finish, up to `timeoutMs`) and waits until pg-boss has fully stopped. */
export async function stopBoss(boss: PgBoss, timeoutMs = 20_000): Promise<void> {
  stopping.add(boss);
  const stopped = new Promise<void>((resolve) => boss.once('stopped', () => resolve()));
  await boss.stop({ graceful: true, timeout: timeoutMs });
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, timeoutMs + 5000))]);
}

export async function createQueues(boss: PgBoss, heartbeatSeconds: number): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  if (!existing.has(DEAD_LETTER_QUEUE)) await boss.createQueue(DEAD_LETTER_QUEUE);
  for (const name of [SYNC_QUEUE, TRANSFORM_QUEUE, MODELS_QUEUE, PUBLISH_QUEUE]) {
    // Sync is "stately": at most one queued and one running per mode, so a slow run never piles up
    // cron-triggered copies behind it.
    const options = stageQueueOptions(heartbeatSeconds);
    // A queue's policy is fixed when it is created; the other options follow the configuration.
    if (existing.has(name)) await boss.updateQueue(name, options);
    else await boss.createQueue(name, { ...options, ...(name === SYNC_QUEUE ? { policy: 'stately' as const } : {}) });
  }
}

function parsePayload<T>(schema: ZodType<T>, data: unknown, queue: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new JobError('bad_payload', `Invalid ${queue} job payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface RunningWorker {
  boss: PgBoss;
  /** Call as soon as shutdown starts: connection errors while PostgreSQL stops are expected, not logged. */
  quiet(): void;
  stop(): Promise<void>;
}

/**
 * Starts pg-boss with schedules and workers for every pipeline stage and the scheduled reports (with
 * the mail transport: SMTP_URL, or the local capture server): what `pulse worker` runs.
 */
export async function startWorker(url: string, ctx: PipelineContext): Promise<RunningWorker> {
  const boss = createBoss(url, ctx, { schedule: true });
  await boss.start();
  await createQueues(boss, ctx.config.jobHeartbeatSeconds);
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  if (existing.has(REPORT_QUEUE)) await boss.updateQueue(REPORT_QUEUE, reportQueueOptions(ctx.config.jobHeartbeatSeconds));
  else await boss.createQueue(REPORT_QUEUE, reportQueueOptions(ctx.config.jobHeartbeatSeconds));
  const reports = await createReportWorkerContext(ctx);
  await registerReportSchedules(boss, ctx.pool);
  for (const schedule of syncSchedules(ctx.config)) {
    await boss.schedule(SYNC_QUEUE, schedule.cron, schedule.data, { tz: ctx.config.timeZone, key: schedule.key, singletonKey: schedule.data.mode });
  }
  await registerBackupSchedule(boss, ctx);
  const work = { batchSize: 1, pollingIntervalSeconds: 2 };
  await boss.work(SYNC_QUEUE, work, async ([job]) => handleSync(ctx, boss, parsePayload(syncPayload, job!.data, SYNC_QUEUE), job!.id));
  await boss.work(TRANSFORM_QUEUE, work, async ([job]) => handleTransform(ctx, boss, parsePayload(transformPayload, job!.data, TRANSFORM_QUEUE)));
  await boss.work(MODELS_QUEUE, work, async ([job]) => handleModels(ctx, boss, parsePayload(modelsPayload, job!.data, MODELS_QUEUE)));
  await boss.work(PUBLISH_QUEUE, work, async ([job]) => handlePublish(ctx, parsePayload(publishPayload, job!.data, PUBLISH_QUEUE)));
  await boss.work(REPORT_QUEUE, reportWorkOptions, async ([job]) =>
    handleReportSlot(reports, boss, parsePayload(reportPayload, reportPayloadFromJob(job!), REPORT_QUEUE)),
  );
  await boss.work(BACKUP_QUEUE, { batchSize: 1, pollingIntervalSeconds: 30 }, async ([job]) => handleBackup(ctx, url, parsePayload(backupPayload, job!.data, BACKUP_QUEUE)));
  return {
    boss,
    quiet: () => stopping.add(boss),
    stop: async () => {
      await stopBoss(boss);
      await reports.close();
    },
  };
}

/** The backup queue, and its cron schedule when PULSE_BACKUP_CRON is set (removed when it is unset). */
export async function registerBackupSchedule(boss: PgBoss, ctx: Pick<PipelineContext, 'config'>): Promise<boolean> {
  const options = backupQueueOptions(ctx.config.jobHeartbeatSeconds);
  const { policy, ...changeable } = options;
  if ((await boss.getQueues()).some((q) => q.name === BACKUP_QUEUE)) await boss.updateQueue(BACKUP_QUEUE, changeable);
  else await boss.createQueue(BACKUP_QUEUE, { ...changeable, policy });
  const schedule = backupSchedule(ctx.config);
  if (!schedule) {
    await boss.unschedule(BACKUP_QUEUE);
    return false;
  }
  await boss.schedule(BACKUP_QUEUE, schedule.cron, schedule.data, { tz: ctx.config.timeZone });
  return true;
}

/** Queues one pipeline run (e.g. the dashboard's retry button, or `pulse sync --queue`). */
export async function requestSync(boss: PgBoss, payload: SyncPayload): Promise<string | null> {
  return boss.send(SYNC_QUEUE, payload, { singletonKey: payload.mode });
}
