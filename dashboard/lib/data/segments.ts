// The Segments page: every segment of the latest segmentation run with its size, revenue share and
// profile (feature z-scores against the population), how customers moved since the previous run,
// and a segment's members (paged, sortable) and their export. Server-only.
import 'server-only';
import { z } from 'zod';
import type { DuckDb, JsonValue } from '../../../warehouse/index.ts';
import { cachedFromSnapshot } from '../server/warehouse.ts';
import { ownerCondition, scopeKey, type OwnerScope } from './owner-scope.ts';
import { getPeople, type Person } from './people.ts';

/** The segmentation features, in the order of `feature_z` (models/features.ts SEGMENT_FEATURES). */
export const segmentFeatures = ['log_recency_days', 'log_frequency', 'log_monetary', 'log_tenure_days', 'log_engagement', 'log_support_load'] as const;

export interface Segment {
  id: number;
  nameKey: string | null;
  en: string | null;
  zh: string | null;
  customers: number;
  customerShare: number;
  revenue: number;
  revenueShare: number;
  /** z-score per feature of segmentFeatures. */
  profile: { feature: string; z: number }[];
  /** Members now that were in this segment at the previous run; null on the first run. */
  stayed: number | null;
  movedIn: number | null;
  movedOut: number | null;
  /** Members at the previous run (from segment_history); null on the first run. */
  previousCustomers: number | null;
  averageChurnRisk: number | null;
  expectedValue12m: number | null;
}

export interface SegmentsData {
  runId: number | null;
  reportingCurrency: string;
  hasPrevious: boolean;
  segments: Segment[];
  /** Customers per (from, to) since the previous run; from null = new customers. */
  transitions: { from: number | null; to: number | null; customers: number }[];
}

export function getSegments(): Promise<SegmentsData> {
  return cachedFromSnapshot('segments', loadSegments);
}

async function loadSegments(db: DuckDb): Promise<SegmentsData> {
  const info = await db.one<{ currency: string }>('SELECT reporting_currency AS currency FROM meta.snapshot_info');
  const rows = await db.all<{
    run_id: number;
    segment_id: number;
    name_key: string | null;
    name_en: string | null;
    name_zh: string | null;
    customers: number;
    customer_share: number;
    revenue: number;
    revenue_share: number;
    feature_z: number[] | null;
  }>('SELECT run_id, segment_id, name_key, name_en, name_zh, customers, customer_share, revenue, revenue_share, feature_z FROM models.segments ORDER BY segment_id');
  const transitions = await db.all<{ from_segment_id: number | null; to_segment_id: number | null; customers: number }>(
    'SELECT from_segment_id, to_segment_id, customers FROM models.segment_transitions ORDER BY from_segment_id NULLS FIRST, to_segment_id NULLS FIRST',
  );
  const hasPrevious = transitions.some((t) => t.from_segment_id !== null);
  const previous = await db.all<{ segment_id: number; customers: number }>(
    `SELECT segment_id, customers FROM models.segment_history
     WHERE run_id = (SELECT max(run_id) FROM models.segment_history WHERE run_id < (SELECT max(run_id) FROM models.segments))`,
  );
  const stats = await db.all<{ segment_id: number; risk: number | null; value: number | null }>(
    'SELECT segment_id, avg(churn_risk) AS risk, sum(expected_value_12m) AS value FROM marts.customer_360 WHERE segment_id IS NOT NULL GROUP BY segment_id',
  );
  const previousById = new Map(previous.map((p) => [p.segment_id, p.customers]));
  const statsById = new Map(stats.map((s) => [s.segment_id, s]));
  const segments = rows.map((r): Segment => {
    const stayed = transitions.filter((t) => t.from_segment_id === r.segment_id && t.to_segment_id === r.segment_id).reduce((a, t) => a + t.customers, 0);
    const into = transitions.filter((t) => t.to_segment_id === r.segment_id && t.from_segment_id !== r.segment_id).reduce((a, t) => a + t.customers, 0);
    const out = transitions.filter((t) => t.from_segment_id === r.segment_id && t.to_segment_id !== r.segment_id).reduce((a, t) => a + t.customers, 0);
    return {
      id: r.segment_id,
      nameKey: r.name_key,
      en: r.name_en,
      zh: r.name_zh,
      customers: r.customers,
      customerShare: r.customer_share,
      revenue: r.revenue,
      revenueShare: r.revenue_share,
      profile: segmentFeatures.map((feature, i) => ({ feature, z: Number(r.feature_z?.[i] ?? 0) })),
      stayed: hasPrevious ? stayed : null,
      movedIn: hasPrevious ? into : null,
      movedOut: hasPrevious ? out : null,
      previousCustomers: previousById.get(r.segment_id) ?? null,
      averageChurnRisk: statsById.get(r.segment_id)?.risk ?? null,
      expectedValue12m: statsById.get(r.segment_id)?.value ?? null,
    };
  });
  return {
    runId: rows[0]?.run_id ?? null,
    reportingCurrency: info.currency,
    hasPrevious,
    segments,
    transitions: transitions.map((t) => ({ from: t.from_segment_id, to: t.to_segment_id, customers: t.customers })),
  };
}

// ---------------------------------------------------------------------------------------------
// Members of a segment.

export const MEMBERS_PAGE_SIZE = 25;
export const memberSorts = ['value', 'risk', 'monetary', 'frequency', 'recency', 'id'] as const;
export type MemberSort = (typeof memberSorts)[number];

export const memberQuerySchema = z.object({
  sort: z.enum(memberSorts, { error: `must be one of ${memberSorts.join(', ')}` }).default('value'),
  dir: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
  page: z.string().regex(/^\d{1,5}$/, 'must be a page number').transform(Number).refine((n) => n >= 1, 'must be 1 or more').default(1),
});
export type MemberQuery = z.output<typeof memberQuerySchema>;

const memberSortColumn: Record<MemberSort, string> = {
  value: 'expected_value_12m',
  risk: 'churn_risk',
  monetary: 'monetary',
  frequency: 'frequency',
  recency: 'recency_days',
  id: 'customer_id',
};

/** Parses a segment id from a path; null when it is not a whole number. */
export function parseSegmentId(value: string): number | null {
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export interface MemberRow {
  id: number;
  person: Person | null;
  region: string | null;
  city: string | null;
  rfmGroup: string | null;
  churnRisk: number | null;
  churnBand: string | null;
  monetary: number | null;
  frequency: number | null;
  recencyDays: number | null;
  expectedValue12m: number | null;
}

export interface MembersPage {
  segment: Segment;
  reportingCurrency: string;
  rows: MemberRow[];
  total: number;
  page: number;
  pages: number;
}

interface MemberWarehouseRow {
  [key: string]: JsonValue;
  customer_id: number;
  region: string | null;
  city: string | null;
  rfm_segment: string | null;
  churn_risk: number | null;
  churn_band: string | null;
  monetary: number | null;
  frequency: number | null;
  recency_days: number | null;
  expected_value_12m: number | null;
}

const memberColumns = 'customer_id, region, city, rfm_segment, churn_risk, churn_band, CAST(monetary AS DOUBLE) AS monetary, frequency, recency_days, expected_value_12m';

/** `segment_id = ?` plus the owner scope, for member lists and exports. */
function memberWhere(segmentId: number, scope: OwnerScope): { sql: string; values: (string | number)[] } {
  const owners = ownerCondition(scope);
  return owners ? { sql: `segment_id = ? AND ${owners.sql}`, values: [segmentId, ...owners.values] } : { sql: 'segment_id = ?', values: [segmentId] };
}

/** How many of a segment's members the user may see: all of them, or those of their owners. */
export async function countSegmentMembers(segment: Segment, scope: OwnerScope): Promise<number> {
  if (!scope) return segment.customers;
  const where = memberWhere(segment.id, scope);
  return cachedFromSnapshot(`member-count|${segment.id}|${scopeKey(scope)}`, async (db) => (await db.one<{ n: number }>(`SELECT count(*) AS n FROM marts.customer_360 WHERE ${where.sql}`, where.values)).n);
}

/** A page of a segment's members (only those in the user's owner scope); null when there is no such segment. */
export async function getSegmentMembers(segmentId: number, query: MemberQuery, options: { unmasked: boolean; scope: OwnerScope }): Promise<MembersPage | null> {
  const { segments, reportingCurrency } = await getSegments();
  const segment = segments.find((s) => s.id === segmentId);
  if (!segment) return null;
  const where = memberWhere(segmentId, options.scope);
  const rows = await cachedFromSnapshot(`members|${segmentId}|${scopeKey(options.scope)}|${query.sort}|${query.dir}|${query.page}`, (db) =>
    db.all<MemberWarehouseRow>(
      `SELECT ${memberColumns} FROM marts.customer_360 WHERE ${where.sql}
       ORDER BY ${memberSortColumn[query.sort]} ${query.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, customer_id LIMIT ? OFFSET ?`,
      [...where.values, MEMBERS_PAGE_SIZE, (query.page - 1) * MEMBERS_PAGE_SIZE],
    ),
  );
  const people = await getPeople(
    rows.map((r) => r.customer_id),
    { unmasked: options.unmasked },
  );
  const total = await countSegmentMembers(segment, options.scope);
  return {
    segment,
    reportingCurrency,
    rows: rows.map((r) => toMemberRow(r, people.get(r.customer_id) ?? null)),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)),
  };
}

function toMemberRow(r: MemberWarehouseRow, person: Person | null): MemberRow {
  return {
    id: r.customer_id,
    person,
    region: r.region,
    city: r.city,
    rfmGroup: r.rfm_segment,
    churnRisk: r.churn_risk,
    churnBand: r.churn_band,
    monetary: r.monetary,
    frequency: r.frequency,
    recencyDays: r.recency_days,
    expectedValue12m: r.expected_value_12m,
  };
}

/** The export's batch: members in customer-id order after `afterId` (keyset paging over one open snapshot). */
export async function readMemberBatch(db: DuckDb, segmentId: number, afterId: number, size: number, options: { unmasked: boolean; scope: OwnerScope }): Promise<MemberRow[]> {
  const where = memberWhere(segmentId, options.scope);
  const rows = await db.all<MemberWarehouseRow>(`SELECT ${memberColumns} FROM marts.customer_360 WHERE ${where.sql} AND customer_id > ? ORDER BY customer_id LIMIT ?`, [
    ...where.values,
    afterId,
    size,
  ]);
  const people = await getPeople(
    rows.map((r) => r.customer_id),
    { unmasked: options.unmasked },
  );
  return rows.map((r) => toMemberRow(r, people.get(r.customer_id) ?? null));
}
