// What the dashboard needs to render and send reports (DESIGN: the dashboard imports reports/ for
// previews and "send now"): the published snapshot's folder, personal data from the operational
// database (masked by role inside reports/), the mail transport, and one translation of report
// errors into HTTP answers that name the problem.
import 'server-only';
import type pg from 'pg';
import { writeAudit, type AuditAction, type AuditOutcome } from '../../../lib/audit.ts';
import type { Session } from '../../../lib/auth.ts';
import { createLogger } from '../../../lib/log.ts';
import { PulseError } from '../../../lib/errors.ts';
import { createMailTransport, createPersonalDataSource, createSmtpTransport, type DeliveryContext, type ReportEnvironment } from '../../../reports/index.ts';
import { getServerContext } from './context.ts';
import { ApiError } from './session.ts';

export async function getReportEnvironment(): Promise<ReportEnvironment> {
  const { config, sourcePool } = await getServerContext();
  return { dataDir: config.dataDir, personal: createPersonalDataSource(sourcePool), timeZone: config.timeZone };
}

/**
 * A delivery context for one request ("send now", an admin's retry), its transport closed after.
 * Without SMTP_URL it is the same local capture the worker uses: a capture server on 127.0.0.1 for
 * the length of the request, writing into the same outbox folder, as `pulse reports send` does.
 * SMTP errors are retried a little (not the worker's five attempts over minutes): a person is
 * waiting, and a failure lands in the log with its error, where an admin can retry it.
 */
export async function withDeliveryContext<T>(fn: (ctx: DeliveryContext) => Promise<T>): Promise<T> {
  const { config, pool } = await getServerContext();
  const env = await getReportEnvironment();
  const transport = config.smtpUrl
    ? createSmtpTransport(config.smtpUrl, { timeoutMs: 15_000 })
    : await createMailTransport({ smtpUrl: undefined, dataDir: config.dataDir });
  const ctx: DeliveryContext = {
    pool,
    env,
    transport,
    log: createLogger(config.logLevel, 'dashboard'),
    retry: { attempts: 2, baseDelayMs: 1000, maxDelayMs: 2000 },
  };
  try {
    return await fn(ctx);
  } finally {
    await transport.close();
  }
}

const STATUS: Record<string, number> = {
  report_forbidden: 403,
  role_not_grantable: 403,
  bad_subscription: 400,
  bad_cron: 400,
  bad_recipients: 400,
  unknown_subscription: 404,
  unknown_segment: 404,
  unknown_delivery: 404,
  not_retryable: 409,
  slot_busy: 409,
  no_snapshot: 503,
  font_missing: 503,
};

/**
 * A PulseError from reports/ or the warehouse as the 4xx/503 a client sees; anything else is left
 * alone (the route answers 500 without internals). `fields` names the request field an error code is
 * about, for a form to point at.
 */
export function toApiError(error: unknown, fields: Record<string, string> = {}): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof PulseError && STATUS[error.code] !== undefined) return new ApiError(STATUS[error.code]!, error.code, error.message, fields[error.code]);
  return error;
}

/**
 * An audit entry for a reports action by the signed-in person. `db` lets the entry commit in the
 * same transaction as the change it records (a subscription saved and its entry, or neither).
 */
export async function auditReports(
  session: Session,
  entry: { action: AuditAction; target: string; details?: Record<string, unknown>; outcome?: AuditOutcome; rowCount?: number },
  db?: pg.ClientBase,
): Promise<void> {
  const target = db ?? (await getServerContext()).pool;
  await writeAudit(target, { userId: session.user.id, userEmail: session.user.email, role: session.user.role, ...entry });
}

/** The request's JSON body; 400 naming the problem when it is not JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > 100_000) throw new ApiError(413, 'too_large', 'The body is larger than 100 kB.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad_request', 'The body must be JSON.');
  }
}
