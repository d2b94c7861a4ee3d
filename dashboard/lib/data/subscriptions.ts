// Report subscriptions in the dashboard: the list with each one's next run (in its own time zone),
// and create / edit / pause / delete / "send now". The rules the backend (reports/subscriptions.ts)
// does not know, because they are about the person asking:
//   - a person may only give a subscription a role whose every permission they have themselves
//     (rolesGrantableBy): a marketer cannot send recipients the manager's unmasked report;
//   - they may only change, delete or send a subscription whose current role they could give.
// A change, its pg-boss schedule and its audit entry commit in one transaction: the worker never
// runs a schedule of a subscription that was not saved, and nothing changes unaudited.
import 'server-only';
import type pg from 'pg';
import { z } from 'zod';
import type { Role } from '../../../lib/auth-roles.ts';
import type { Session } from '../../../lib/auth.ts';
import { REPORT_QUEUE } from '../../../lib/queue-names.ts';
import {
  checkReportAccess,
  createSubscription,
  deleteSubscription,
  formatInTimeZone,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  nextRunTimes,
  rolesGrantableBy,
  scheduleSubscription,
  sendSubscriptionNow,
  setSubscriptionPaused,
  subscriptionInput,
  updateSubscription,
  type DeliveryRecord,
  type SlotSummary,
  type Subscription,
} from '../../../reports/index.ts';
import { getServerContext } from '../server/context.ts';
import { getJobQueue } from '../server/job-queue.ts';
import { sessionActor } from '../server/audit.ts';
import { auditReports, withDeliveryContext } from '../server/reports-env.ts';
import { ApiError } from '../server/session.ts';
import { parseZod } from './report-files.ts';

export interface SubscriptionView extends Subscription {
  /** The next run (ISO), as the worker's scheduler reads the cron in the subscription's zone; null when paused. */
  nextRun: string | null;
  /** The same instant in the subscription's own zone: "2026-11-30 08:00 (UTC+08:00)". */
  nextRunLocal: string | null;
  /** Whether the viewer may change, delete or send it (they could give its role). */
  editable: boolean;
}

export function viewOf(subscription: Subscription, viewer: Role, now = new Date()): SubscriptionView {
  let next: Date | undefined;
  if (!subscription.paused) {
    try {
      next = nextRunTimes(subscription.cron, subscription.timeZone, now)[0];
    } catch {
      // Saved before its cron was checked against the scheduler: shown without a next run.
      next = undefined;
    }
  }
  return {
    ...subscription,
    nextRun: next?.toISOString() ?? null,
    nextRunLocal: next ? formatInTimeZone(next, subscription.timeZone) : null,
    editable: rolesGrantableBy(viewer).includes(subscription.role),
  };
}

export async function listSubscriptionViews(viewer: Role, now = new Date()): Promise<SubscriptionView[]> {
  const { pool } = await getServerContext();
  return (await listSubscriptions(pool)).map((s) => viewOf(s, viewer, now));
}

export function parseSubscriptionId(value: string): number {
  if (!/^\d{1,12}$/.test(value)) throw new ApiError(400, 'bad_id', 'id: must be a subscription number', 'id');
  return Number(value);
}

/** The saved subscription, if the viewer may act on it: 404 when there is none, 403 when its role is stronger than theirs. */
async function editableSubscription(session: Session, id: number, db?: pg.ClientBase): Promise<Subscription> {
  const subscription = await getSubscription(db ?? (await getServerContext()).pool, id);
  if (!subscription) throw new ApiError(404, 'unknown_subscription', `There is no subscription ${id}.`, 'id');
  if (!rolesGrantableBy(session.user.role).includes(subscription.role)) {
    throw new ApiError(403, 'role_not_grantable', `Subscription ${id} sends the ${subscription.role} role's view of the report; role "${session.user.role}" may not act on it.`, 'role');
  }
  return subscription;
}

/**
 * Runs `fn` in one transaction and writes the pg-boss schedule with the same client. When the report
 * queue does not exist yet (the worker has never started), the schedule is left to the worker, which
 * registers every active subscription when it starts; `scheduled` says which happened.
 */
async function inTransaction<T>(fn: (client: pg.PoolClient, schedule: (id: number, s: Subscription | null) => Promise<void>) => Promise<T>): Promise<{ result: T; scheduled: boolean }> {
  const { pool } = await getServerContext();
  const boss = await getJobQueue().catch(() => null);
  const queueReady = boss ? (await boss.getQueue(REPORT_QUEUE).catch(() => null)) !== null : false;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const schedule = async (id: number, s: Subscription | null): Promise<void> => {
      if (!boss || !queueReady) return;
      await scheduleSubscription(boss, id, s, { db: { executeSql: (text, values) => client.query(text, values) } });
    };
    const result = await fn(client, schedule);
    await client.query('COMMIT');
    return { result, scheduled: queueReady };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Checks a subscription body for the viewer: the backend's schema (field named), a role the viewer
 * may give, a report that role may see, and a cron the scheduler accepts. Refusals on permissions
 * are audited as denied.
 */
async function checkInput(session: Session, body: unknown): Promise<void> {
  const parsed = parseZod(subscriptionInput, body);
  if (!parsed.ok) throw new ApiError(400, 'bad_subscription', `${parsed.field}: ${parsed.message}`, parsed.field);
  const s = parsed.value;
  const denied = async (code: string, message: string): Promise<never> => {
    await auditReports(session, { action: 'subscription_change', target: `report:${s.report}`, outcome: 'denied', details: { code, report: s.report, role: s.role, recipients: s.recipients } });
    throw new ApiError(403, code, message, 'role');
  };
  if (!rolesGrantableBy(session.user.role).includes(s.role)) {
    await denied('role_not_grantable', `role: "${session.user.role}" may not send reports with the "${s.role}" role's permissions (choose ${rolesGrantableBy(session.user.role).join(', ')}).`);
  }
  const refusal = checkReportAccess(s.report, s.role);
  if (refusal) await denied('report_forbidden', refusal.message);
  try {
    nextRunTimes(s.cron, s.timeZone, new Date());
  } catch (error) {
    throw new ApiError(400, 'bad_cron', `cron: ${(error as Error).message}`, 'cron');
  }
}

export async function createSubscriptionFor(session: Session, body: unknown): Promise<{ subscription: SubscriptionView; scheduled: boolean }> {
  await checkInput(session, body);
  const { result, scheduled } = await inTransaction(async (client, schedule) => {
    const saved = await createSubscription(client, body, await sessionActor(session));
    await schedule(saved.id, saved);
    return saved;
  });
  return { subscription: viewOf(result, session.user.role), scheduled };
}

export async function updateSubscriptionFor(session: Session, id: number, body: unknown): Promise<{ subscription: SubscriptionView; scheduled: boolean }> {
  await checkInput(session, body);
  const { result, scheduled } = await inTransaction(async (client, schedule) => {
    await editableSubscription(session, id, client);
    const saved = await updateSubscription(client, id, body, await sessionActor(session));
    await schedule(saved.id, saved);
    return saved;
  });
  return { subscription: viewOf(result, session.user.role), scheduled };
}

export const pauseBody = z.strictObject({ paused: z.boolean({ error: 'must be true or false' }) });

export async function setPausedFor(session: Session, id: number, paused: boolean): Promise<{ subscription: SubscriptionView; scheduled: boolean }> {
  const { result, scheduled } = await inTransaction(async (client, schedule) => {
    await editableSubscription(session, id, client);
    await setSubscriptionPaused(client, id, paused, await sessionActor(session));
    const saved = (await getSubscription(client, id))!;
    await schedule(id, saved);
    return saved;
  });
  return { subscription: viewOf(result, session.user.role), scheduled };
}

export async function deleteSubscriptionFor(session: Session, id: number): Promise<{ scheduled: boolean }> {
  const { scheduled } = await inTransaction(async (client, schedule) => {
    await editableSubscription(session, id, client);
    await deleteSubscription(client, id, await sessionActor(session));
    await schedule(id, null);
  });
  return { scheduled };
}

/**
 * "Send now", in the request (not queued to the worker): rendering takes well under a second to a
 * few seconds on the data sizes Pulse is built for, the person sees at once whether it went out
 * (or the SMTP error), and it works while no worker runs. The delivery rows, Message-IDs and the
 * crash-safe states are the same as a scheduled slot's (reports/deliver.ts).
 */
export async function sendNowFor(session: Session, id: number): Promise<{ summary: SlotSummary; deliveries: DeliveryRecord[] }> {
  const subscription = await editableSubscription(session, id);
  const refusal = checkReportAccess(subscription.report, subscription.role);
  if (refusal) throw new ApiError(403, 'report_forbidden', refusal.message, 'role');
  let summary: SlotSummary;
  try {
    summary = await withDeliveryContext((ctx) => sendSubscriptionNow(ctx, subscription));
  } catch (error) {
    await auditReports(session, { action: 'report_send', target: `subscription:${id}`, outcome: 'failure', details: { report: subscription.report, error: (error as Error).message } });
    throw error;
  }
  await auditReports(session, {
    action: 'report_send',
    target: `subscription:${id}`,
    outcome: summary.sent === subscription.recipients.length ? 'success' : 'failure',
    details: { report: subscription.report, slot: summary.slot, recipients: subscription.recipients, sent: summary.sent, failed: summary.failed, unknown: summary.unknown },
  });
  const { pool } = await getServerContext();
  const deliveries = (await listDeliveries(pool, { subscriptionId: id, limit: 200 })).filter((d) => d.slot === summary.slot);
  return { summary, deliveries };
}
