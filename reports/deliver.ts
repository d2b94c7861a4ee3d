// Delivery, exactly once per scheduled slot and recipient.
//
// One row per (subscription, slot, recipient) in pulse.report_deliveries (unique), a deterministic
// Message-ID per row, and this order of steps:
//   1. lock the slot (a session advisory lock: released by PostgreSQL if this worker dies);
//   2. claim: insert the rows ('pending'); rows already 'sent', 'failed' or 'unknown' are left alone;
//   3. render, or reuse the files rendered for this slot under <dataDir>/reports/slots/ (written
//      atomically, so a retry after a crash sends the same bytes the first try would have);
//   4. per recipient: mark 'sending' (committed on its own, before SMTP is spoken to) → send with the
//      row's Message-ID → mark 'sent' with the server's reply.
// A retry finds each row where the crash left it:
//   - 'pending' (died before step 4 or between attempts): nothing was handed to SMTP → send.
//   - 'sending' (died during or just after the SMTP conversation): the message may or may not have
//     been accepted. When the transport can be asked (the local capture's outbox, looked up by
//     Message-ID), the answer decides: there → 'sent'; not there → send. When it cannot (a real
//     SMTP relay), the row becomes 'unknown', visibly, and is NOT resent: resending could deliver
//     it twice. An admin checks with the recipient and retries (`retryDelivery`).
// SMTP errors where the server did not take the message (refused connection, 4xx/5xx replies) are
// retried with exponential backoff; after the last attempt the row is 'failed' with the SMTP error.
// The slot's job then completes, so the next slot runs as scheduled.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Role } from '../lib/auth-roles.ts';
import { ReportError, errorMessage } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { PeriodInput } from './period.ts';
import { renderReportFiles, type RenderedReport, type ReportEnvironment } from './render-report.ts';
import type { Language, ReportFormat, ReportName } from './report-definitions.ts';
import { checkReportAccess, type Subscription } from './subscriptions.ts';
import { DEFAULT_FROM, type MailTransport } from './transport.ts';

export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'unknown'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What one slot delivers: a subscription's settings at the time, or a one-off "send now". */
export interface DeliveryTarget {
  subscriptionId: number | null;
  /** The scheduled occurrence (ISO time), or a unique "now-…" key for a one-off send. */
  slot: string;
  report: ReportName;
  formats: ReportFormat[];
  recipients: string[];
  language: Language;
  role: Role;
  period?: PeriodInput | undefined;
  segmentId?: number | null | undefined;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 2000, maxDelayMs: 120_000 };

/** Points where a test may stop the process, to check what a crash there leaves behind. */
export interface DeliveryHooks {
  afterRender?(): void | Promise<void>;
  afterSend?(recipient: string): void | Promise<void>;
}

export interface DeliveryContext {
  pool: pg.Pool;
  env: ReportEnvironment;
  transport: MailTransport;
  log: Logger;
  from?: string;
  retry?: RetryPolicy;
  hooks?: DeliveryHooks;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryRecord {
  id: number;
  subscriptionId: number | null;
  slot: string;
  recipient: string;
  report: ReportName;
  formats: ReportFormat[];
  language: Language;
  role: Role;
  messageId: string;
  state: DeliveryState;
  attempts: number;
  error: string | null;
  smtpResponse: string | null;
  createdAt: string;
  sendingAt: string | null;
  sentAt: string | null;
}

export interface SlotSummary {
  slot: string;
  sent: number;
  failed: number;
  unknown: number;
  /** Rows that were already settled before this run (a retry of a finished slot). */
  skipped: number;
}

/** `<report.12.20261005T0800Z.3f9a…@pulse.reports>`: the same for every retry of a slot and recipient. */
export function deliveryMessageId(target: Pick<DeliveryTarget, 'subscriptionId' | 'slot' | 'report'>, recipient: string): string {
  const slot = target.slot.replace(/[^0-9A-Za-z]/g, '');
  const who = crypto.createHash('sha256').update(recipient.trim().toLowerCase()).digest('hex').slice(0, 16);
  return `<${target.report}.${target.subscriptionId ?? 'now'}.${slot}.${who}@pulse.reports>`;
}

export async function deliverSlot(ctx: DeliveryContext, target: DeliveryTarget): Promise<SlotSummary> {
  const summary: SlotSummary = { slot: target.slot, sent: 0, failed: 0, unknown: 0, skipped: 0 };
  const lock = await ctx.pool.connect();
  let locked = false;
  try {
    const key = `report:${target.subscriptionId ?? 'now'}:${target.slot}`;
    locked = (await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key])).rows[0]!.ok;
    if (!locked) throw new ReportError('slot_busy', `Another worker is delivering ${key}; this attempt will be retried.`);

    await claimRows(ctx.pool, target);
    const refusal = checkReportAccess(target.report, target.role);
    let rows = await slotRows(ctx.pool, target);
    if (refusal) {
      // The role lost the permission since the subscription was saved: nothing is sent, visibly.
      for (const row of rows.filter((r) => r.state === 'pending')) await finish(ctx.pool, row.id, 'failed', refusal.message);
      rows = await slotRows(ctx.pool, target);
    }
    const open = rows.filter((r) => r.state === 'pending' || r.state === 'sending');
    summary.skipped = rows.length - open.length;
    if (open.length > 0) {
      let rendered: Awaited<ReturnType<typeof renderOrReuse>>;
      try {
        rendered = await renderOrReuse(ctx, target);
      } catch (error) {
        // Visible in the log either way: a one-off send fails for good; a scheduled slot keeps its rows
        // pending with the error, and the job's retry renders again.
        const message = `rendering failed: ${error instanceof Error ? error.message : String(error)}`;
        for (const row of open.filter((r) => r.state === 'pending')) {
          if (target.subscriptionId === null) await finish(ctx.pool, row.id, 'failed', message);
          else await ctx.pool.query('UPDATE pulse.report_deliveries SET error = $2, updated_at = now() WHERE id = $1', [row.id, message]);
        }
        throw error;
      }
      await ctx.hooks?.afterRender?.();
      for (const row of open) {
        const state = await deliverOne(ctx, row, rendered);
        if (state === 'sent') summary.sent++;
        else if (state === 'failed') summary.failed++;
        else summary.unknown++;
      }
    }
    ctx.log.info({ subscription: target.subscriptionId, ...summary }, 'report slot delivered');
    return summary;
  } finally {
    if (locked) await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`report:${target.subscriptionId ?? 'now'}:${target.slot}`]).catch(() => undefined);
    lock.release();
  }
}

async function claimRows(pool: pg.Pool, target: DeliveryTarget): Promise<void> {
  const recipients = [...new Set(target.recipients.map((r) => r.trim()))];
  await pool.query(
    `INSERT INTO pulse.report_deliveries (subscription_id, slot, recipient, report, formats, language, role, period, segment_id, message_id)
     SELECT $1, $2, r.recipient, $3, $4, $5, $6, $7, $8, r.message_id FROM unnest($9::text[], $10::text[]) AS r(recipient, message_id)
     ON CONFLICT ON CONSTRAINT report_deliveries_slot_key DO NOTHING`,
    [
      target.subscriptionId,
      target.slot,
      target.report,
      target.formats,
      target.language,
      target.role,
      typeof target.period === 'string' ? target.period : 'week',
      target.segmentId ?? null,
      recipients,
      recipients.map((r) => deliveryMessageId(target, r)),
    ],
  );
}

async function slotRows(pool: pg.Pool, target: DeliveryTarget): Promise<DeliveryRecord[]> {
  const { rows } = await pool.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM pulse.report_deliveries WHERE subscription_id IS NOT DISTINCT FROM $1 AND slot = $2 ORDER BY id`, [
    target.subscriptionId,
    target.slot,
  ]);
  return rows.filter((r) => target.recipients.some((x) => x.trim() === r.recipient)).map(fromDeliveryRow);
}

/** The folder a slot's rendered files live in: written once, reused by every retry of the slot. */
export function slotFolder(dataDir: string, target: Pick<DeliveryTarget, 'subscriptionId' | 'slot'>): string {
  return path.join(dataDir, 'reports', 'slots', String(target.subscriptionId ?? 'now'), target.slot.replace(/[^0-9A-Za-z-]/g, '_'));
}

interface Manifest {
  subject: string;
  text: string;
  files: { format: ReportFormat; filename: string; contentType: string }[];
}

async function renderOrReuse(ctx: DeliveryContext, target: DeliveryTarget): Promise<{ subject: string; text: string; attachments: { filename: string; content: Buffer; contentType: string }[] }> {
  const folder = slotFolder(ctx.env.dataDir, target);
  const manifestFile = path.join(folder, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    return { subject: manifest.subject, text: manifest.text, attachments: manifest.files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: fs.readFileSync(path.join(folder, f.filename)) })) };
  }
  const rendered: RenderedReport = await renderReportFiles(
    { report: target.report, formats: target.formats, lang: target.language, role: target.role, period: target.period, segmentId: target.segmentId ?? undefined },
    ctx.env,
  );
  fs.mkdirSync(folder, { recursive: true });
  for (const file of rendered.files) writeAtomically(path.join(folder, file.filename), file.content);
  // The manifest is written last: its presence means every file of the slot is complete.
  const manifest: Manifest = { subject: rendered.subject, text: rendered.text, files: rendered.files.map((f) => ({ format: f.format, filename: f.filename, contentType: f.contentType })) };
  writeAtomically(manifestFile, Buffer.from(JSON.stringify(manifest, null, 2)));
  return { subject: rendered.subject, text: rendered.text, attachments: rendered.files.map((f) => ({ filename: f.filename, content: f.content, contentType: f.contentType })) };
}

function writeAtomically(file: string, content: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

async function deliverOne(ctx: DeliveryContext, row: DeliveryRecord, mail: Awaited<ReturnType<typeof renderOrReuse>>): Promise<'sent' | 'failed' | 'unknown'> {
  const retry = ctx.retry ?? DEFAULT_RETRY;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  if (row.state === 'sending') {
    const resolved = await resolveUncertain(ctx, row, 'The worker stopped while this message was being sent');
    if (resolved !== 'not_sent') return resolved;
  }
  for (let attempt = 1; ; attempt++) {
    await ctx.pool.query(`UPDATE pulse.report_deliveries SET state = 'sending', attempts = attempts + 1, sending_at = now(), updated_at = now() WHERE id = $1`, [row.id]);
    try {
      const result = await ctx.transport.send({ from: ctx.from ?? DEFAULT_FROM, to: row.recipient, subject: mail.subject, text: mail.text, messageId: row.messageId, language: row.language, attachments: mail.attachments });
      await ctx.hooks?.afterSend?.(row.recipient);
      await finish(ctx.pool, row.id, 'sent', null, result.response);
      return 'sent';
    } catch (error) {
      const message = smtpErrorText(error);
      if (!definitelyNotAccepted(error)) {
        const resolved = await resolveUncertain(ctx, row, `Sending was interrupted (${message})`);
        if (resolved !== 'not_sent') return resolved;
      }
      if (attempt >= retry.attempts || isPermanent(error)) {
        await finish(ctx.pool, row.id, 'failed', `after ${attempt} attempt(s): ${message}`);
        ctx.log.warn({ delivery: row.id, recipient: row.recipient, err: message }, 'report delivery failed');
        return 'failed';
      }
      // Back to 'pending' while waiting: a crash during the wait then resends safely.
      await ctx.pool.query(`UPDATE pulse.report_deliveries SET state = 'pending', error = $2, updated_at = now() WHERE id = $1`, [row.id, `attempt ${attempt}: ${message}`]);
      await sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/** A send whose outcome is not known: ask the transport if it can be asked, else mark it 'unknown'. */
async function resolveUncertain(ctx: DeliveryContext, row: DeliveryRecord, why: string): Promise<'sent' | 'unknown' | 'not_sent'> {
  if (ctx.transport.hasMessage) {
    if (await ctx.transport.hasMessage(row.messageId)) {
      await finish(ctx.pool, row.id, 'sent', null, `found ${row.messageId} at the server after an interrupted send`);
      return 'sent';
    }
    return 'not_sent';
  }
  await finish(
    ctx.pool,
    row.id,
    'unknown',
    `${why}; ${ctx.transport.description} cannot be asked whether it accepted ${row.messageId}. Not resent automatically (it could arrive twice): check with the recipient, then retry the delivery.`,
  );
  ctx.log.warn({ delivery: row.id, recipient: row.recipient }, 'report delivery outcome unknown');
  return 'unknown';
}

async function finish(pool: pg.Pool, id: number, state: 'sent' | 'failed' | 'unknown', error: string | null, response?: string): Promise<void> {
  await pool.query(
    `UPDATE pulse.report_deliveries SET state = $2, error = $3, smtp_response = coalesce($4, smtp_response),
            sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, updated_at = now() WHERE id = $1`,
    [id, state, error, response ?? null],
  );
}

interface SmtpLikeError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

function smtpErrorText(error: unknown): string {
  const e = error as SmtpLikeError;
  return [e.code, e.responseCode, errorMessage(error)].filter((p) => p !== undefined && p !== '').join(' ');
}

/**
 * The server certainly did not take the message: it answered with a refusal, or the connection
 * never got as far as sending it. Anything else (a socket dying during or after DATA) is uncertain.
 */
function definitelyNotAccepted(error: unknown): boolean {
  const e = error as SmtpLikeError;
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return true;
  if (e.code && ['ECONNECTION', 'EDNS', 'EAUTH', 'ETLS', 'EENVELOPE', 'ECONNREFUSED', 'EMESSAGE'].includes(e.code)) return true;
  return (e.code === 'ETIMEDOUT' || e.code === 'ESOCKET') && (e.command === 'CONN' || e.command === undefined);
}

/** 5xx: the server refuses for good (bad address, message too big); retrying will not help. */
function isPermanent(error: unknown): boolean {
  const code = (error as SmtpLikeError).responseCode;
  return typeof code === 'number' && code >= 500;
}

// --- The delivery log ---------------------------------------------------------------------------

interface DeliveryRow {
  id: number;
  subscription_id: number | null;
  slot: string;
  recipient: string;
  report: ReportName;
  formats: ReportFormat[];
  language: Language;
  role: Role;
  message_id: string;
  state: DeliveryState;
  attempts: number;
  error: string | null;
  smtp_response: string | null;
  created_at: Date;
  sending_at: Date | null;
  sent_at: Date | null;
}

const DELIVERY_COLUMNS =
  'id, subscription_id, slot, recipient, report, formats, language, role, message_id, state, attempts, error, smtp_response, created_at, sending_at, sent_at';

function fromDeliveryRow(r: DeliveryRow): DeliveryRecord {
  return {
    id: Number(r.id),
    subscriptionId: r.subscription_id === null ? null : Number(r.subscription_id),
    slot: r.slot,
    recipient: r.recipient,
    report: r.report,
    formats: r.formats,
    language: r.language,
    role: r.role,
    messageId: r.message_id,
    state: r.state,
    attempts: r.attempts,
    error: r.error,
    smtpResponse: r.smtp_response,
    createdAt: r.created_at.toISOString(),
    sendingAt: r.sending_at?.toISOString() ?? null,
    sentAt: r.sent_at?.toISOString() ?? null,
  };
}

export interface DeliveryFilters {
  state?: DeliveryState;
  subscriptionId?: number;
  recipient?: string;
  report?: ReportName;
  /** ISO time: deliveries created at or after it. */
  since?: string;
  /** ISO time: deliveries created before it. */
  until?: string;
  limit?: number;
  /** Rows to skip (paging through the log, newest first). */
  offset?: number;
}

/** The delivery log, newest first: what `pulse reports log` prints and the dashboard lists. */
export async function listDeliveries(pool: pg.Pool, filters: DeliveryFilters = {}): Promise<DeliveryRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (filters.state) add('state = ?', filters.state);
  if (filters.subscriptionId !== undefined) add('subscription_id = ?', filters.subscriptionId);
  if (filters.recipient) add('lower(recipient) = lower(?)', filters.recipient);
  if (filters.report) add('report = ?', filters.report);
  if (filters.since) add('created_at >= ?::timestamptz', filters.since);
  if (filters.until) add('created_at < ?::timestamptz', filters.until);
  values.push(Math.min(Math.max(filters.limit ?? 100, 1), 10_000));
  values.push(Math.max(filters.offset ?? 0, 0));
  const { rows } = await pool.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM pulse.report_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_at DESC, id DESC LIMIT $${values.length - 1} OFFSET $${values.length}`,
    values,
  );
  return rows.map(fromDeliveryRow);
}

/** One delivery of the log, or undefined. */
export async function getDelivery(pool: pg.Pool, id: number): Promise<DeliveryRecord | undefined> {
  const { rows } = await pool.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM pulse.report_deliveries WHERE id = $1`, [id]);
  return rows[0] ? fromDeliveryRow(rows[0]) : undefined;
}

/**
 * An admin's retry of a 'failed' or 'unknown' delivery (for 'unknown': after checking the recipient
 * did not get it). Sends the slot's stored files again (or renders them if they never were).
 */
export async function retryDelivery(ctx: DeliveryContext, deliveryId: number): Promise<DeliveryRecord> {
  const { rows } = await ctx.pool.query<DeliveryRow & { period: string; segment_id: number | null }>(
    `UPDATE pulse.report_deliveries SET state = 'pending', updated_at = now() WHERE id = $1 AND state IN ('failed', 'unknown')
     RETURNING ${DELIVERY_COLUMNS}, period, segment_id`,
    [deliveryId],
  );
  const row = rows[0];
  if (!row) throw new ReportError('not_retryable', `Delivery ${deliveryId} does not exist or is not failed/unknown`);
  const period = row.period === 'month' || row.period === 'quarter' ? row.period : 'week';
  await deliverSlot(ctx, {
    subscriptionId: row.subscription_id === null ? null : Number(row.subscription_id),
    slot: row.slot,
    report: row.report,
    formats: row.formats,
    recipients: [row.recipient],
    language: row.language,
    role: row.role,
    period,
    segmentId: row.segment_id,
  });
  return (await getDelivery(ctx.pool, deliveryId))!;
}

export interface SendNowOptions {
  report: ReportName;
  to: string[];
  formats?: ReportFormat[];
  lang: Language;
  role?: Role;
  period?: PeriodInput;
  segmentId?: number;
}

/** `pulse reports send NAME --to ADDRESS`: one delivery now, logged like a scheduled one. */
export async function sendReportNow(ctx: DeliveryContext, options: SendNowOptions): Promise<SlotSummary> {
  if (options.to.length === 0) throw new ReportError('bad_recipients', 'Give at least one recipient (--to)');
  for (const address of options.to) {
    if (!/^[^\s@]+@[^\s@]+$/.test(address.trim())) throw new ReportError('bad_recipients', `--to: not an e-mail address: ${JSON.stringify(address)}`);
  }
  const role = options.role ?? 'manager';
  const refusal = checkReportAccess(options.report, role);
  if (refusal) throw refusal;
  return deliverSlot(ctx, {
    subscriptionId: null,
    slot: `now-${new Date().toISOString()}-${crypto.randomUUID().slice(0, 8)}`,
    report: options.report,
    formats: options.formats ?? ['pdf', 'xlsx'],
    recipients: options.to,
    language: options.lang,
    role,
    period: options.period,
    segmentId: options.segmentId,
  });
}

/**
 * "Send now" of a saved subscription (the dashboard's button): its report, formats, recipients,
 * language, role and period, in a one-off slot of its own ("now-…"), so it never takes the place of
 * a scheduled occurrence. Sent even while the subscription is paused: a person asked for it.
 */
export async function sendSubscriptionNow(ctx: DeliveryContext, subscription: Subscription): Promise<SlotSummary> {
  return deliverSlot(ctx, {
    subscriptionId: subscription.id,
    slot: `now-${new Date().toISOString()}-${crypto.randomUUID().slice(0, 8)}`,
    report: subscription.report,
    formats: subscription.formats,
    recipients: subscription.recipients,
    language: subscription.language,
    role: subscription.role,
    period: subscription.period,
    segmentId: subscription.segmentId,
  });
}
