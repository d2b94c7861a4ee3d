// Subscriptions: who gets which report, when, in which language and with whose permissions.
// Validated with zod at the boundary (CLI flags, HTTP bodies); a subscription to a report the
// role may not see is refused with an error naming the missing permissions. Every change is written
// to the audit log in the same transaction (who changed it is the `actor` the CLI or dashboard
// passes), so a change is never saved without its entry.
import pg from 'pg';
import { z } from 'zod';
import { writeAudit, type AuditActor } from '../lib/audit.ts';
import { roles, type Role } from '../lib/auth-roles.ts';
import { ReportError } from '../lib/errors.ts';
import { PERIOD_KINDS } from './period.ts';
import { FORMATS, LANGUAGES, REPORT_NAMES, missingReportPermissions, type Language, type ReportFormat, type ReportName } from './report-definitions.ts';

const timeZone = z.string().refine((value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Shanghai or UTC');

const cronField = /^[\d*,/-]+$|^[A-Za-z]{3}(-[A-Za-z]{3})?$/;

export const subscriptionInput = z.strictObject({
  name: z.string().trim().min(1, 'give the subscription a name').max(200),
  report: z.enum(REPORT_NAMES, { error: (i) => `unknown report ${JSON.stringify(i.input)}: one of ${REPORT_NAMES.join(', ')}` }),
  formats: z
    .array(z.enum(FORMATS, { error: (i) => `unknown format ${JSON.stringify(i.input)}: pdf or xlsx` }))
    .min(1, 'choose pdf, xlsx or both')
    .max(2)
    .transform((list) => [...new Set(list)]),
  recipients: z.array(z.email({ error: (i) => `not an e-mail address: ${JSON.stringify(i.input)}` })).min(1, 'add at least one recipient').max(200),
  cron: z
    .string()
    .trim()
    .refine((v) => {
      const fields = v.split(/\s+/);
      return fields.length === 5 && fields.every((f) => cronField.test(f));
    }, 'must be a 5-field cron expression, e.g. "0 8 * * 1" for Mondays at 08:00'),
  timeZone,
  language: z.enum(LANGUAGES, { error: () => 'must be zh-CN or en' }),
  role: z.enum(roles, { error: (i) => `unknown role ${JSON.stringify(i.input)}: one of ${roles.join(', ')}` }),
  period: z.enum(PERIOD_KINDS).default('week'),
  segmentId: z.number().int().nonnegative().nullable().default(null),
  paused: z.boolean().default(false),
});
export type SubscriptionInput = z.input<typeof subscriptionInput>;

export interface Subscription {
  id: number;
  name: string;
  report: ReportName;
  formats: ReportFormat[];
  recipients: string[];
  cron: string;
  timeZone: string;
  language: Language;
  role: Role;
  period: (typeof PERIOD_KINDS)[number];
  segmentId: number | null;
  paused: boolean;
}

export type ParsedSubscription = Omit<Subscription, 'id'>;

export type SubscriptionResult = { ok: true; subscription: ParsedSubscription } | { ok: false; error: ReportError };

/** Validates a subscription and its permissions; mistakes come back as a ReportError naming the field. */
export function parseSubscription(input: unknown): SubscriptionResult {
  const parsed = subscriptionInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: new ReportError('bad_subscription', `Invalid subscription: ${issue.path.map(String).join('.') || 'subscription'}: ${issue.message}`) };
  }
  const s = parsed.data;
  const refusal = checkReportAccess(s.report, s.role);
  if (refusal) return { ok: false, error: refusal };
  return { ok: true, subscription: { ...s, recipients: s.recipients.map((r) => r.trim()) } };
}

/** A ReportError when `role` may not see `report`, else undefined. */
export function checkReportAccess(report: ReportName, role: Role): ReportError | undefined {
  const missing = missingReportPermissions(report, role);
  if (missing.length === 0) return undefined;
  return new ReportError('report_forbidden', `Role "${role}" may not receive the ${report} report: it lacks ${missing.join(', ')} (see lib/auth-roles.ts).`);
}

interface SubscriptionRow {
  id: number;
  name: string;
  report: ReportName;
  formats: ReportFormat[];
  recipients: string[];
  cron: string;
  time_zone: string;
  language: Language;
  role: Role;
  period: Subscription['period'];
  segment_id: number | null;
  paused: boolean;
}

function fromRow(r: SubscriptionRow): Subscription {
  return {
    id: Number(r.id),
    name: r.name,
    report: r.report,
    formats: r.formats,
    recipients: r.recipients,
    cron: r.cron,
    timeZone: r.time_zone,
    language: r.language,
    role: r.role,
    period: r.period,
    segmentId: r.segment_id,
    paused: r.paused,
  };
}

/** A pool, or one client inside a transaction (the dashboard saves a change, its schedule and its audit entry together). */
type Db = pg.Pool | pg.ClientBase;

const COLUMNS = 'id, name, report, formats, recipients, cron, time_zone, language, role, period, segment_id, paused';

/**
 * Runs `change` and its audit entry in one transaction: its own on a pool, or the caller's when given
 * a client (the dashboard saves a change together with its pg-boss schedule).
 */
async function inTransaction<T>(db: Db, change: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (!(db instanceof pg.Pool)) return change(db);
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await change(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** What the audit entry says about a subscription: enough to see who gets which data, when. */
function auditSummary(s: Subscription | ParsedSubscription): Record<string, unknown> {
  return { name: s.name, report: s.report, role: s.role, recipients: s.recipients, cron: s.cron, timeZone: s.timeZone, formats: s.formats, paused: s.paused };
}

/** The fields an update changed, as { field: { from, to } }. */
function changedFields(before: Subscription, after: Subscription): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof Subscription)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = { from: before[key], to: after[key] };
  }
  return changed;
}

/** Saves a new subscription; throws the validation or permission error. */
export async function createSubscription(pool: Db, input: unknown, actor: AuditActor): Promise<Subscription> {
  const result = parseSubscription(input);
  if (!result.ok) throw result.error;
  const s = result.subscription;
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<SubscriptionRow>(
      `INSERT INTO pulse.report_subscriptions (name, report, formats, recipients, cron, time_zone, language, role, period, segment_id, paused)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [s.name, s.report, s.formats, s.recipients, s.cron, s.timeZone, s.language, s.role, s.period, s.segmentId, s.paused],
    );
    const created = fromRow(rows[0]!);
    await writeAudit(client, { ...actor, action: 'subscription_change', target: `subscription:${created.id}`, details: { change: 'create', ...auditSummary(created) } });
    return created;
  });
}

export async function updateSubscription(pool: Db, id: number, input: unknown, actor: AuditActor): Promise<Subscription> {
  const result = parseSubscription(input);
  if (!result.ok) throw result.error;
  const s = result.subscription;
  return inTransaction(pool, async (client) => {
    const before = await client.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM pulse.report_subscriptions WHERE id = $1 FOR UPDATE`, [id]);
    if (!before.rows[0]) throw new ReportError('unknown_subscription', `No subscription ${id}`);
    const { rows } = await client.query<SubscriptionRow>(
      `UPDATE pulse.report_subscriptions SET name = $2, report = $3, formats = $4, recipients = $5, cron = $6, time_zone = $7, language = $8,
              role = $9, period = $10, segment_id = $11, paused = $12, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, s.name, s.report, s.formats, s.recipients, s.cron, s.timeZone, s.language, s.role, s.period, s.segmentId, s.paused],
    );
    const updated = fromRow(rows[0]!);
    await writeAudit(client, { ...actor, action: 'subscription_change', target: `subscription:${id}`, details: { change: 'update', changed: changedFields(fromRow(before.rows[0]), updated) } });
    return updated;
  });
}

export async function setSubscriptionPaused(pool: Db, id: number, paused: boolean, actor: AuditActor): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('UPDATE pulse.report_subscriptions SET paused = $2, updated_at = now() WHERE id = $1', [id, paused]);
    if (!rowCount) throw new ReportError('unknown_subscription', `No subscription ${id}`);
    await writeAudit(client, { ...actor, action: 'subscription_change', target: `subscription:${id}`, details: { change: paused ? 'pause' : 'resume' } });
  });
}

/** Deletes a subscription; throws 'unknown_subscription' when there is none with that id. */
export async function deleteSubscription(pool: Db, id: number, actor: AuditActor): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<SubscriptionRow>(`DELETE FROM pulse.report_subscriptions WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    if (!rows[0]) throw new ReportError('unknown_subscription', `No subscription ${id}`);
    await writeAudit(client, { ...actor, action: 'subscription_change', target: `subscription:${id}`, details: { change: 'delete', ...auditSummary(fromRow(rows[0])) } });
  });
}

export async function getSubscription(pool: Db, id: number): Promise<Subscription | undefined> {
  const { rows } = await pool.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM pulse.report_subscriptions WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function listSubscriptions(pool: Db): Promise<Subscription[]> {
  const { rows } = await pool.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM pulse.report_subscriptions ORDER BY id`);
  return rows.map(fromRow);
}
