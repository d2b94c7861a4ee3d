// When a subscription runs. The worker schedules each active subscription as a pg-boss cron schedule
// in the subscription's time zone (jobs/report.job.ts), so the next run times shown to people come
// from pg-boss's own reading of the same cron and zone (previewSchedule): what the page says is what
// the worker will do, daylight-saving gaps included. The dashboard applies a subscription change to
// the schedule table itself (scheduleSubscription), so the worker picks it up without a restart.
import { PgBoss } from 'pg-boss';
import { ReportError } from '../lib/errors.ts';
import { REPORT_QUEUE } from '../lib/queue-names.ts';

// previewSchedule is pure cron arithmetic on the instance; this one is never started and never
// connects (pg's pool only connects on a first query).
let previewer: PgBoss | undefined;
function getPreviewer(): PgBoss {
  previewer ??= new PgBoss({ connectionString: 'postgres://preview-only@127.0.0.1:1/none', schedule: false, supervise: false, migrate: false, max: 1 });
  return previewer;
}

/**
 * The next `count` times (after `from`) a subscription with this cron and time zone runs, as the
 * worker's scheduler computes them. Throws ReportError('bad_cron') naming the problem for a cron
 * that pg-boss would refuse (e.g. minute 61, 30 February).
 */
export function nextRunTimes(cron: string, timeZone: string, from: Date, count = 1): Date[] {
  try {
    return getPreviewer().previewSchedule(cron.trim(), { tz: timeZone, from, count });
  } catch (cause) {
    throw new ReportError('bad_cron', `cron ${JSON.stringify(cron)} in ${timeZone}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * A time shown in the subscription's own zone, with the zone's offset: "2026-11-30 08:00 (UTC+08:00)".
 * The page shows it this way so a subscriber in Shanghai and an admin in Berlin read the same hour
 * the recipients will get the mail.
 */
export function formatInTimeZone(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const offset = parts.timeZoneName === 'GMT' ? 'UTC+00:00' : (parts.timeZoneName ?? '').replace('GMT', 'UTC');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${offset})`;
}

/** What scheduleSubscription needs of pg-boss: the worker's instance or the dashboard's sender. */
export type ScheduleWriter = Pick<PgBoss, 'schedule' | 'unschedule'>;

/**
 * Makes the pg-boss schedule match one subscription: scheduled (key = its id, in its time zone)
 * while active, removed when paused or deleted (`null`). Both the worker's start-up registration
 * and the dashboard call this, so the two write identical schedules.
 */
export async function scheduleSubscription(
  boss: ScheduleWriter,
  id: number,
  subscription: { cron: string; timeZone: string; paused: boolean } | null,
  options: { db?: ScheduleDb } = {},
): Promise<void> {
  // `db` runs pg-boss's statement on the caller's connection, i.e. inside the caller's transaction.
  const connection = options.db ? { db: options.db } : {};
  if (!subscription || subscription.paused) {
    await boss.unschedule(REPORT_QUEUE, String(id), connection);
    return;
  }
  await boss.schedule(REPORT_QUEUE, subscription.cron, { subscriptionId: id }, { tz: subscription.timeZone, key: String(id), ...connection });
}

/** pg-boss's database adapter: one method, which a pg client inside a transaction can provide. */
export type ScheduleDb = NonNullable<NonNullable<Parameters<PgBoss['unschedule']>[2]>['db']>;
