// The delivery log in the dashboard: every e-mailed report with its state, time, recipient and error,
// filtered by state, report, subscription, recipient and day (days as PULSE_TIMEZONE reads them),
// newest first, a page at a time; and an admin's retry of a failed or unknown delivery.
import 'server-only';
import { z } from 'zod';
import type { Session } from '../../../lib/auth.ts';
import { DELIVERY_STATES, REPORT_NAMES, getDelivery, listDeliveries, retryDelivery, type DeliveryRecord } from '../../../reports/index.ts';
import { addDays } from '../filters.ts';
import { zonedDayStart } from '../zoned-time.ts';
import { getServerContext } from '../server/context.ts';
import { auditReports, withDeliveryContext } from '../server/reports-env.ts';
import { ApiError } from '../server/session.ts';
import { parseZod, singleValues, type ParseResult } from './report-files.ts';

export const DELIVERIES_PAGE_SIZE = 50;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real date');

export const deliveryQuery = z
  .strictObject({
    state: z.enum(DELIVERY_STATES, { error: `must be one of ${DELIVERY_STATES.join(', ')}` }).optional(),
    report: z.enum(REPORT_NAMES, { error: `must be one of ${REPORT_NAMES.join(', ')}` }).optional(),
    subscription: z.string().regex(/^\d{1,12}$/, 'must be a subscription number').transform(Number).optional(),
    recipient: z.string().trim().max(320, 'is too long').regex(/^[^\s<>"]+$/, 'must be an e-mail address').optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    page: z.string().regex(/^\d{1,6}$/, 'must be a page number').transform(Number).refine((n) => n >= 1, 'must be 1 or more').default(1),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before the start date', path: ['to'] });
export type DeliveryQuery = z.output<typeof deliveryQuery>;

export function parseDeliveryQuery(params: URLSearchParams | Record<string, string | string[] | undefined>): ParseResult<DeliveryQuery> {
  const search = params instanceof URLSearchParams ? params : new URLSearchParams(Object.entries(params).flatMap(([k, v]) => ([] as string[]).concat(v ?? []).map((x) => [k, x])));
  const raw = singleValues(search);
  return raw.ok ? parseZod(deliveryQuery, raw.value) : raw;
}

export interface DeliveryPage {
  rows: DeliveryRecord[];
  page: number;
  hasNext: boolean;
}

export async function getDeliveryPage(query: DeliveryQuery): Promise<DeliveryPage> {
  const { pool, config } = await getServerContext();
  const rows = await listDeliveries(pool, {
    ...(query.state ? { state: query.state } : {}),
    ...(query.report ? { report: query.report } : {}),
    ...(query.subscription !== undefined ? { subscriptionId: query.subscription } : {}),
    ...(query.recipient ? { recipient: query.recipient } : {}),
    ...(query.from ? { since: zonedDayStart(query.from, config.timeZone) } : {}),
    ...(query.to ? { until: zonedDayStart(addDays(query.to, 1), config.timeZone) } : {}),
    // One more than a page: whether there is a next page, without counting the whole log.
    limit: DELIVERIES_PAGE_SIZE + 1,
    offset: (query.page - 1) * DELIVERIES_PAGE_SIZE,
  });
  return { rows: rows.slice(0, DELIVERIES_PAGE_SIZE), page: query.page, hasNext: rows.length > DELIVERIES_PAGE_SIZE };
}

export function parseDeliveryId(value: string): number {
  if (!/^\d{1,12}$/.test(value)) throw new ApiError(400, 'bad_id', 'id: must be a delivery number', 'id');
  return Number(value);
}

/** An admin's retry: sends the slot's stored files again to this one recipient, in the request. */
export async function retryDeliveryFor(session: Session, id: number): Promise<DeliveryRecord> {
  const { pool } = await getServerContext();
  const before = await getDelivery(pool, id);
  if (!before) throw new ApiError(404, 'unknown_delivery', `There is no delivery ${id}.`, 'id');
  if (before.state !== 'failed' && before.state !== 'unknown') {
    throw new ApiError(409, 'not_retryable', `Delivery ${id} is ${before.state}: only a failed or unknown delivery can be retried.`, 'id');
  }
  let after: DeliveryRecord;
  try {
    after = await withDeliveryContext((ctx) => retryDelivery(ctx, id));
  } catch (error) {
    await auditReports(session, { action: 'delivery_retry', target: `delivery:${id}`, outcome: 'failure', details: { recipient: before.recipient, report: before.report, error: (error as Error).message } });
    throw error;
  }
  await auditReports(session, {
    action: 'delivery_retry',
    target: `delivery:${id}`,
    outcome: after.state === 'sent' ? 'success' : 'failure',
    details: { recipient: before.recipient, report: before.report, before: before.state, after: after.state },
  });
  return after;
}
