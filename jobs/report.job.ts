// Scheduled reports: one pg-boss cron schedule per active subscription (key = subscription id, in the
// subscription's time zone). Each occurrence is one job; its slot is the cron occurrence the job was
// created for, so a retry of the job (after a crash or an SMTP outage) delivers the same slot, and
// the delivery table makes each recipient get it once (reports/deliver.ts).
import type pg from 'pg';
import type { Job, JobWithMetadata, PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '../lib/log.ts';
import {
  createMailTransport,
  createPersonalDataSource,
  deliverSlot,
  getSubscription,
  listSubscriptions,
  scheduleSubscription,
  type DeliveryContext,
  type MailTransport,
  type SlotSummary,
} from '../reports/index.ts';
import { createPool } from '../lib/pg-pool.ts';
import { REPORT_QUEUE } from '../lib/queue-names.ts';
import type { PipelineContext } from './pipeline.ts';

export { REPORT_QUEUE };

export const reportPayload = z.object({
  subscriptionId: z.number().int().positive(),
  /** The scheduled occurrence (ISO). Absent in the schedule's data; filled from the job by reportPayloadFromJob. */
  slot: z.string().datetime().optional(),
  /** When pg-boss created the job (ISO): the slot is the last occurrence at or before it. */
  createdOn: z.string().datetime().optional(),
});
export type ReportPayload = z.infer<typeof reportPayload>;

/** Work options for the report queue: metadata gives the job's createdOn, from which the slot follows. */
export const reportWorkOptions = { batchSize: 1, pollingIntervalSeconds: 5, includeMetadata: true } as const;

/** The payload with the job's creation time added (the registry calls this on each job). */
export function reportPayloadFromJob(job: Job<unknown> | JobWithMetadata<unknown>): unknown {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const createdOn = 'createdOn' in job && job.createdOn instanceof Date ? job.createdOn.toISOString() : undefined;
  return { ...data, ...(createdOn && data.createdOn === undefined ? { createdOn } : {}) };
}

/** What the report worker needs besides the pipeline's context: the mail transport and the source pool for names. */
export interface ReportWorkerContext {
  pool: pg.Pool;
  log: Logger;
  delivery: DeliveryContext;
  close(): Promise<void>;
}

/**
 * Started once by the worker: SMTP_URL, or the local capture server (DESIGN), and a pool on the
 * operational database for the personal data the reports print.
 */
export async function createReportWorkerContext(ctx: PipelineContext, transport?: MailTransport): Promise<ReportWorkerContext> {
  const mail = transport ?? (await createMailTransport({ smtpUrl: ctx.config.smtpUrl, dataDir: ctx.config.dataDir }));
  const sourcePool = createPool(ctx.sourceUrl, 2);
  ctx.log.info({ transport: mail.description }, 'report mail transport ready');
  return {
    pool: ctx.pool,
    log: ctx.log,
    delivery: { pool: ctx.pool, log: ctx.log, transport: mail, env: { dataDir: ctx.config.dataDir, personal: createPersonalDataSource(sourcePool), timeZone: ctx.config.timeZone } },
    async close() {
      await mail.close();
      await sourcePool.end();
    },
  };
}

/** (Re)creates one cron schedule per active subscription and removes schedules of paused or deleted ones. */
export async function registerReportSchedules(boss: PgBoss, pool: pg.Pool): Promise<{ scheduled: number; removed: number }> {
  const subscriptions = await listSubscriptions(pool);
  const active = subscriptions.filter((s) => !s.paused);
  const wanted = new Set(active.map((s) => String(s.id)));
  let removed = 0;
  for (const schedule of await boss.getSchedules(REPORT_QUEUE)) {
    if (schedule.key && !wanted.has(schedule.key)) {
      await boss.unschedule(REPORT_QUEUE, schedule.key);
      removed++;
    }
  }
  for (const s of active) await scheduleSubscription(boss, s.id, s);
  return { scheduled: active.length, removed };
}

/** Queue options: the job retries when a worker dies (heartbeat) or the slot is busy; SMTP retries happen inside. */
export function reportQueueOptions(heartbeatSeconds: number): { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number; heartbeatSeconds: number } {
  return { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 2 * 3600, heartbeatSeconds };
}

/**
 * One scheduled occurrence of a subscription. A deleted subscription's schedule is removed; a paused
 * one sends nothing. The slot is the cron occurrence at or before the job's creation.
 */
export async function handleReportSlot(ctx: ReportWorkerContext, boss: PgBoss, payload: ReportPayload): Promise<SlotSummary | { skipped: string }> {
  const subscription = await getSubscription(ctx.pool, payload.subscriptionId);
  if (!subscription) {
    await boss.unschedule(REPORT_QUEUE, String(payload.subscriptionId));
    return { skipped: `subscription ${payload.subscriptionId} no longer exists` };
  }
  if (subscription.paused) return { skipped: `subscription ${subscription.id} is paused` };
  const slot = payload.slot ?? slotOf(boss, subscription.cron, subscription.timeZone, payload.createdOn ? new Date(payload.createdOn) : new Date());
  return deliverSlot(ctx.delivery, {
    subscriptionId: subscription.id,
    slot,
    report: subscription.report,
    formats: subscription.formats,
    recipients: subscription.recipients,
    language: subscription.language,
    role: subscription.role,
    period: subscription.period,
    segmentId: subscription.segmentId,
  });
}

/** The latest occurrence of `cron` (in `tz`) at or before `at`, as an ISO time; `at` to the minute if none is near. */
export function slotOf(boss: Pick<PgBoss, 'previewSchedule'>, cron: string, tz: string, at: Date): string {
  const floor = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  // A job is created within the minute of its occurrence (or, for a missed one, later): look back a day.
  const occurrences = boss.previewSchedule(cron, { tz, from: new Date(floor.getTime() - 86_400_000 - 1), count: 1000 });
  const last = occurrences.filter((d) => d.getTime() <= floor.getTime()).pop();
  return (last ?? floor).toISOString();
}
