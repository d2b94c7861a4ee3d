// The Customers page: search (personal fields in PostgreSQL, see people.ts) combined with warehouse
// filters (segment, risk band, region, tag) by customer id, and the 360 view of one customer from the
// published snapshot. Server-only; personal data is joined in for the rows shown and masked per role.
import 'server-only';
import { z } from 'zod';
import { createLogger } from '../../../lib/log.ts';
import type { DuckDb, JsonValue, SnapshotInfo } from '../../../warehouse/index.ts';
import { cachedFromSnapshot, onSnapshotServed, openSnapshot, publishedSnapshot, withSnapshot } from '../server/warehouse.ts';
import { getServerContext } from '../server/context.ts';
import { listColumns, loadCustomerListTable, type CustomerListRow, type CustomerListTable } from './customer-list-table.ts';
import { inScope, ownerCondition, scopeKey, type OwnerScope } from './owner-scope.ts';
import { getPeople, PLAIN_SEARCH_CAP, SEARCH_CAP, searchPeople, searchPeoplePage, type Person } from './people.ts';

export const PAGE_SIZE = 25;
export const customerSorts = ['value', 'risk', 'monetary', 'recency', 'id'] as const;
export type CustomerSort = (typeof customerSorts)[number];
export const riskBands = ['high', 'medium', 'low'] as const;

/** Names, tags and regions come from the data (any language): letters, digits and a few separators. */
const label = (max: number) =>
  z
    .string()
    .max(max, 'is too long')
    .regex(/^[\p{L}\p{N} _.,'()&/-]+$/u, 'has characters this field does not have');

export const customerQuerySchema = z.object({
  // Anything a name, e-mail, phone or company can hold. It is only ever a bound value; markup and
  // statement separators are refused outright so they are never even looked up.
  q: z
    .string()
    .trim()
    .max(100, 'is too long (at most 100 characters)')
    .refine((v) => !/[<>;\\]|--/.test(v) && ![...v].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'may not contain < > ; \\ -- or control characters')
    .refine((v) => v === '' || [...v].length >= 2, 'needs at least 2 characters')
    .optional(),
  segment: z.string().regex(/^\d{1,9}$/, 'must be a segment number').transform(Number).optional(),
  band: z.enum(riskBands, { error: `must be one of ${riskBands.join(', ')}` }).optional(),
  region: label(100).optional(),
  tag: label(50).optional(),
  sort: z.enum(customerSorts, { error: `must be one of ${customerSorts.join(', ')}` }).optional(),
  page: z.string().regex(/^\d{1,5}$/, 'must be a page number').transform(Number).refine((n) => n >= 1, 'must be 1 or more').default(1),
});
export type CustomerQuery = z.output<typeof customerQuerySchema>;

const queryKeys = ['q', 'segment', 'band', 'region', 'tag', 'sort', 'page'] as const;
export type ParseResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Parses search params for the Customers page and /api/customers; a key given twice is an error. */
export function parseCustomerQuery(params: Record<string, string | string[] | undefined> | URLSearchParams): ParseResult<CustomerQuery> {
  const raw: Record<string, string> = {};
  for (const key of queryKeys) {
    const values = params instanceof URLSearchParams ? params.getAll(key) : ([] as string[]).concat(params[key] ?? []);
    if (values.length > 1) return { ok: false, field: key, message: 'must be given once' };
    if (values[0]) raw[key] = values[0];
  }
  const parsed = customerQuerySchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, field: String(issue.path[0] ?? 'q'), message: issue.message };
}

export function customerQueryToString(query: Partial<CustomerQuery>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.segment !== undefined) params.set('segment', String(query.segment));
  if (query.band) params.set('band', query.band);
  if (query.region) params.set('region', query.region);
  if (query.tag) params.set('tag', query.tag);
  if (query.sort) params.set('sort', query.sort);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface CustomerRow {
  id: number;
  person: Person | null;
  region: string | null;
  city: string | null;
  country: string | null;
  currency: string | null;
  tags: string[];
  segmentId: number | null;
  segmentEn: string | null;
  segmentZh: string | null;
  churnRisk: number | null;
  churnBand: string | null;
  monetary: number | null;
  frequency: number | null;
  lastOrderAt: string | null;
  expectedValue12m: number | null;
}

export interface CustomerSearchResult {
  rows: CustomerRow[];
  total: number;
  page: number;
  pages: number;
  /** The text search matched more customers than it hands on (`cap`); the page asks to narrow it down. */
  capped: boolean;
  cap: number;
}

const sortSql: Record<CustomerSort, string> = {
  value: 'expected_value_12m DESC NULLS LAST, customer_id',
  risk: 'churn_risk DESC NULLS LAST, expected_value_12m DESC NULLS LAST, customer_id',
  monetary: 'monetary DESC NULLS LAST, customer_id',
  recency: 'recency_days ASC NULLS LAST, customer_id',
  id: 'customer_id',
};

/** WHERE conditions and values for the warehouse filters; every value is bound. */
function warehouseFilters(query: Pick<CustomerQuery, 'segment' | 'band' | 'region' | 'tag'>, scope: OwnerScope): { where: string[]; values: (string | number)[] } {
  const where: string[] = [];
  const values: (string | number)[] = [];
  const add = (condition: string, value: string | number) => {
    where.push(condition);
    values.push(value);
  };
  if (query.segment !== undefined) add('segment_id = ?', query.segment);
  if (query.band) add('churn_band = ?', query.band);
  if (query.region) add('region = ?', query.region);
  if (query.tag) add('list_contains(tags, ?)', query.tag);
  const owners = ownerCondition(scope);
  if (owners) add(owners.sql, owners.values[0]!);
  return { where, values };
}

/** A page of customers for the filters (no text search): the same for everyone, cached per snapshot. */
function listFromWarehouse(query: CustomerQuery, scope: OwnerScope): Promise<{ rows: CustomerListRow[]; total: number }> {
  const sort = query.sort ?? 'value';
  return cachedFromSnapshot(`customers|${scopeKey(scope)}|${JSON.stringify({ ...query, q: undefined, sort })}`, async (db) => {
    const { where, values } = warehouseFilters(query, scope);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const count = await db.one<{ n: number }>(`SELECT count(*) AS n FROM marts.customer_360 ${whereSql}`, values);
    const rows = await db.all<CustomerListRow>(`SELECT ${listColumns} FROM marts.customer_360 ${whereSql} ORDER BY ${sortSql[sort]} LIMIT ? OFFSET ?`, [
      ...values,
      PAGE_SIZE,
      (query.page - 1) * PAGE_SIZE,
    ]);
    return { rows, total: count.n };
  });
}

/** The rows of these customers (a page's worth); ids missing from the snapshot are left out. */
async function rowsByIds(ids: number[]): Promise<Map<number, CustomerListRow>> {
  // From memory when the table is loaded: no DuckDB handle is taken (they are few, and busy under load).
  const table = listTableOf(await publishedSnapshot());
  return table ? table.rows(ids) : withSnapshot((db) => queryRowsByIds(db, ids));
}

async function queryRowsByIds(db: DuckDb, ids: number[]): Promise<Map<number, CustomerListRow>> {
  if (ids.length === 0) return new Map();
  // A constant IN list lets DuckDB look the ids up in the customer_id index (an Index Scan): 25 ids
  // cost 3.8 ms of CPU on 1M customers, against 6.3 ms for a bound string split in SQL (a scan of the
  // column and a join). The list is written into the statement, so it must be whole numbers only.
  if (!ids.every((id) => Number.isSafeInteger(id))) throw new Error('rowsByIds: customer ids must be whole numbers');
  const rows = await db.all<CustomerListRow>(`SELECT ${listColumns} FROM marts.customer_360 WHERE customer_id IN (${ids.join(',')})`);
  return new Map(rows.map((r) => [r.customer_id, r]));
}

interface ListTableEntry {
  file: string;
  table: CustomerListTable | null;
  loading: boolean;
  failedAt: number;
}

const listTableHolder = globalThis as typeof globalThis & { __pulseCustomerListTable?: ListTableEntry };
/** After a failed load, the next try waits this long (the DuckDB path serves meanwhile). */
const LIST_TABLE_RETRY_MS = 60_000;

/**
 * The in-memory list table of this snapshot (customer-list-table.ts), or null while it loads. Loading
 * starts when the server begins serving a snapshot (and at server start, instrumentation.ts), in the
 * background; until it is ready, and for a minute after a failed load, rows come from DuckDB. The
 * previous snapshot's table is dropped with its entry.
 */
function listTableOf(info: SnapshotInfo): CustomerListTable | null {
  let entry = listTableHolder.__pulseCustomerListTable;
  if (!entry || entry.file !== info.file) entry = listTableHolder.__pulseCustomerListTable = { file: info.file, table: null, loading: false, failedAt: 0 };
  if (entry.table || entry.loading || Date.now() - entry.failedAt < LIST_TABLE_RETRY_MS) return entry.table;
  const loading = entry;
  loading.loading = true;
  const started = performance.now();
  void (async () => {
    // A handle of its own, closed afterwards: the load's joins grow DuckDB's buffers by ~250 MB on a
    // million customers, which a pooled handle would keep for the snapshot's lifetime.
    const { db, info: opened } = await openSnapshot();
    try {
      // Published again before the load started: the newer snapshot's turn comes when it is served.
      if (opened.file !== loading.file) return;
      loading.table = await loadCustomerListTable(db);
    } finally {
      db.close();
    }
    const { config } = await getServerContext();
    createLogger(config.logLevel, 'dashboard').info({ customers: loading.table.size, ms: Math.round(performance.now() - started) }, 'customer list table loaded');
  })()
    .catch(async (error: unknown) => {
      loading.failedAt = Date.now();
      const { config } = await getServerContext();
      createLogger(config.logLevel, 'dashboard').error({ err: error instanceof Error ? error.message : String(error) }, 'loading the customer list table failed; searches read DuckDB');
    })
    .finally(() => (loading.loading = false));
  return null;
}

onSnapshotServed(listTableOf);

/** Starts loading the list table of the newest snapshot, if there is one (called at server start). */
export function warmCustomerListTable(): void {
  publishedSnapshot().then(listTableOf, () => undefined);
}

/**
 * The text-search matches (ids from PostgreSQL, best first) narrowed by the warehouse filters and
 * sorted: first only the ids with the filter and sort columns, then the page's rows.
 */
async function filterMatches(db: DuckDb, ids: number[], query: CustomerQuery, scope: OwnerScope): Promise<{ pageIds: number[]; total: number }> {
  if (ids.length === 0) return { pageIds: [], total: 0 };
  const { where, values } = warehouseFilters(query, scope);
  const sort = query.sort ? sortSql[query.sort] : 'm.rank';
  const hits = await db.all<{ customer_id: number; total: number }>(
    `WITH m AS (SELECT CAST(unnest(string_split(?, ',')) AS BIGINT) AS customer_id, unnest(range(?)) AS rank)
     SELECT customer_id, count(*) OVER () AS total
     FROM marts.customer_360 JOIN m USING (customer_id)
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${sort} LIMIT ? OFFSET ?`,
    [ids.join(','), ids.length, ...values, PAGE_SIZE, (query.page - 1) * PAGE_SIZE],
  );
  const total = hits[0]?.total ?? (query.page > 1 ? await countMatches(db, ids, query, scope) : 0);
  return { pageIds: hits.map((h) => h.customer_id), total };
}

async function countMatches(db: DuckDb, ids: number[], query: CustomerQuery, scope: OwnerScope): Promise<number> {
  const { where, values } = warehouseFilters(query, scope);
  const row = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM marts.customer_360 WHERE customer_id IN (SELECT CAST(unnest(string_split(?, ',')) AS BIGINT)) ${where.length ? `AND ${where.join(' AND ')}` : ''}`,
    [ids.join(','), ...values],
  );
  return row.n;
}

/** `options.scope`: the user's owner scope (null = every customer); only customers of those owners are found. */
export async function searchCustomers(query: CustomerQuery, options: { unmasked: boolean; scope: OwnerScope }): Promise<CustomerSearchResult> {
  const personal = { unmasked: options.unmasked };
  if (!query.q) {
    const found = await listFromWarehouse(query, options.scope);
    const people = await getPeople(
      found.rows.map((r) => r.customer_id),
      personal,
    );
    return { ...paging(query, found.total), rows: found.rows.map((r) => toCustomerRow(r, people.get(r.customer_id) ?? null)), capped: false, cap: SEARCH_CAP };
  }
  const q = query.q;
  // A plain search keeps PostgreSQL's relevance order, so the page is a slice of its ids; a warehouse
  // filter, a sort or an owner scope needs every candidate id to filter and order them in the warehouse.
  const plain = query.segment === undefined && !query.band && !query.region && !query.tag && !query.sort && options.scope === null;
  if (plain) {
    // Ids and personal data of the page in one PostgreSQL statement, then the page's warehouse rows.
    const found = await searchPeoplePage(q, PLAIN_SEARCH_CAP, (query.page - 1) * PAGE_SIZE, PAGE_SIZE, personal);
    const rows = await rowsByIds(found.ids);
    return { ...paging(query, found.total), rows: pageRows(found.ids, rows, found.people), capped: found.capped, cap: PLAIN_SEARCH_CAP };
  }
  const matches = await searchPeople(q, SEARCH_CAP);
  const { pageIds, total } = await withSnapshot((db) => filterMatches(db, matches.ids, query, options.scope));
  const [rows, people] = await Promise.all([rowsByIds(pageIds), getPeople(pageIds, personal)]);
  return { ...paging(query, total), rows: pageRows(pageIds, rows, people), capped: matches.capped, cap: SEARCH_CAP };
}

/**
 * A page's rows in the order of its ids. A customer created since the last pipeline run is found
 * (PostgreSQL has it) but has no warehouse row yet: it is listed with its personal data and no figures.
 */
function pageRows(ids: number[], rows: Map<number, CustomerListRow>, people: Map<number, Person>): CustomerRow[] {
  return ids.filter((id) => rows.has(id) || people.has(id)).map((id) => toCustomerRow(rows.get(id) ?? emptyWarehouseRow(id), people.get(id) ?? null));
}

function paging(query: CustomerQuery, total: number): { total: number; page: number; pages: number } {
  return { total, page: query.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

function emptyWarehouseRow(id: number): CustomerListRow {
  return {
    customer_id: id,
    region: null,
    city: null,
    country: null,
    currency: null,
    tags: null,
    segment_id: null,
    segment_name_en: null,
    segment_name_zh: null,
    churn_risk: null,
    churn_band: null,
    monetary: null,
    frequency: null,
    last_order_at: null,
    expected_value_12m: null,
  };
}

function toCustomerRow(r: CustomerListRow, person: Person | null): CustomerRow {
  return {
    id: r.customer_id,
    person,
    region: r.region,
    city: r.city,
    country: r.country,
    currency: r.currency,
    tags: r.tags ?? [],
    segmentId: r.segment_id,
    segmentEn: r.segment_name_en,
    segmentZh: r.segment_name_zh,
    churnRisk: r.churn_risk,
    churnBand: r.churn_band,
    monetary: r.monetary,
    frequency: r.frequency,
    lastOrderAt: r.last_order_at,
    expectedValue12m: r.expected_value_12m,
  };
}

export interface CustomerFilterOptions {
  tags: string[];
}

/** The tags customers carry (the region and segment choices come from getFilterOptions). */
export function getCustomerFilterOptions(): Promise<CustomerFilterOptions> {
  return cachedFromSnapshot('customer-filter-options', async (db) => {
    const tags = await db.all<{ tag: string }>('SELECT DISTINCT unnest(tags) AS tag FROM marts.customer_360 ORDER BY tag LIMIT 200');
    return { tags: tags.map((t) => t.tag) };
  });
}

// ---------------------------------------------------------------------------------------------
// The 360 view of one customer.

export type TimelineKind = 'order' | 'interaction' | 'ticket' | 'campaign';

export interface TimelineEvent {
  kind: TimelineKind;
  at: string;
  /** order: status; interaction: direction; ticket: status; campaign: event type. */
  detail: string;
  channel: string | null;
  /** Interaction or ticket subject, campaign name. */
  title: string | null;
  amount: number | null;
  currency: string | null;
  priority: string | null;
}

export interface Customer360 {
  id: number;
  /** The staff user who owns the customer in the source (what owner scope filters on). */
  ownerId: number | null;
  person: Person | null;
  profile: {
    country: string | null;
    region: string | null;
    city: string | null;
    preferredLanguage: string | null;
    currency: string | null;
    tags: string[];
    firstOrderAt: string | null;
    lastOrderAt: string | null;
    tenureDays: number | null;
  };
  rfm: { r: number | null; f: number | null; m: number | null; group: string | null; recencyDays: number | null; frequency: number | null; monetary: number | null; aov: number | null };
  activity: { orders90d: number | null; revenue90d: number | null; interactions90d: number | null; openTickets: number | null; ticketsTotal: number | null; opens90d: number | null; clicks90d: number | null };
  segment: { id: number | null; en: string | null; zh: string | null };
  segmentHistory: { runId: number; runAt: string; segmentId: number | null; en: string | null; zh: string | null }[];
  churn: { risk: number | null; band: string | null; probability: number | null; pAlive: number | null; drivers: string[] };
  value: { expected12m: number | null; expectedOrders30d: number | null; expectedOrders90d: number | null; expectedOrderValue: number | null };
  timeline: TimelineEvent[];
  reportingCurrency: string;
}

export const TIMELINE_LIMIT = 60;

/**
 * Everything the customer page shows; null when the snapshot has no such customer, or when it is
 * outside the user's owner scope (the caller answers 404 either way, so its existence is not confirmed).
 */
export async function getCustomer360(id: number, options: { unmasked: boolean; scope: OwnerScope }): Promise<Customer360 | null> {
  const data = await cachedFromSnapshot(`customer|${id}`, (db) => loadCustomer360(db, id));
  if (!data || !inScope(options.scope, data.ownerId)) return null;
  const people = await getPeople([id], { unmasked: options.unmasked });
  return { ...data, person: people.get(id) ?? null };
}

async function loadCustomer360(db: DuckDb, id: number): Promise<Omit<Customer360, 'person'> | null> {
  const rows = await db.all(
    `SELECT c.*, CAST(c.monetary AS DOUBLE) AS monetary_d, CAST(c.average_order_value AS DOUBLE) AS aov_d, CAST(c.revenue_last_90d AS DOUBLE) AS revenue_90d_d,
            strftime(c.first_order_at, '%Y-%m-%d') AS first_day, strftime(c.last_order_at, '%Y-%m-%d') AS last_day,
            s.rfm_r, s.rfm_f, s.rfm_m, s.churn_probability, s.expected_orders_30d, s.expected_orders_90d, s.expected_order_value, s.driver_1, s.driver_2, s.driver_3,
            (SELECT reporting_currency FROM meta.snapshot_info) AS reporting_currency
     FROM marts.customer_360 c LEFT JOIN models.customer_scores s USING (customer_id) WHERE c.customer_id = ?`,
    [id],
  );
  const c = rows[0];
  if (!c) return null;
  const history = await db.all<{ run_id: number; run_at: string; segment_id: number | null; name_en: string | null; name_zh: string | null }>(
    `SELECT ch.run_id, strftime(ch.run_at, '%Y-%m-%dT%H:%M:%SZ') AS run_at, ch.segment_id, h.name_en, h.name_zh
     FROM models.customer_segment_changes ch
     LEFT JOIN models.segment_history h ON h.run_id = ch.run_id AND h.segment_id = ch.segment_id
     WHERE ch.customer_id = ? ORDER BY ch.run_id DESC LIMIT 20`,
    [id],
  );
  const timeline = await db.all<{ kind: TimelineKind; at: string; detail: string; channel: string | null; title: string | null; amount: number | null; currency: string | null; priority: string | null }>(
    `SELECT kind, strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS at, detail, channel, title, amount, currency, priority FROM (
       SELECT 'order' AS kind, ordered_at AS ts, status AS detail, channel, NULL AS title, CAST(total_amount AS DOUBLE) AS amount, currency, NULL AS priority
         FROM core.orders WHERE customer_id = ?
       UNION ALL
       SELECT 'interaction', occurred_at, direction, channel, subject, NULL, NULL, NULL FROM core.interactions WHERE customer_id = ?
       UNION ALL
       SELECT 'ticket', opened_at, status, NULL, subject, NULL, NULL, priority FROM core.tickets WHERE customer_id = ?
       UNION ALL
       SELECT 'campaign', e.occurred_at, e.event_type, k.channel, k.name, NULL, NULL, NULL
         FROM core.campaign_events e LEFT JOIN core.campaigns k ON k.id = e.campaign_id WHERE e.customer_id = ?
     ) ORDER BY ts DESC LIMIT ?`,
    [id, id, id, id, TIMELINE_LIMIT],
  );
  const n = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v));
  const s = (v: JsonValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
  return {
    id,
    ownerId: n(c.owner_id),
    reportingCurrency: s(c.reporting_currency) ?? 'USD',
    profile: {
      country: s(c.country),
      region: s(c.region),
      city: s(c.city),
      preferredLanguage: s(c.preferred_language),
      currency: s(c.currency),
      tags: Array.isArray(c.tags) ? c.tags.map(String) : [],
      firstOrderAt: s(c.first_day),
      lastOrderAt: s(c.last_day),
      tenureDays: n(c.tenure_days),
    },
    rfm: { r: n(c.rfm_r), f: n(c.rfm_f), m: n(c.rfm_m), group: s(c.rfm_segment), recencyDays: n(c.recency_days), frequency: n(c.frequency), monetary: n(c.monetary_d), aov: n(c.aov_d) },
    activity: {
      orders90d: n(c.orders_last_90d),
      revenue90d: n(c.revenue_90d_d),
      interactions90d: n(c.interactions_90d),
      openTickets: n(c.open_tickets),
      ticketsTotal: n(c.tickets_total),
      opens90d: n(c.campaign_opens_90d),
      clicks90d: n(c.campaign_clicks_90d),
    },
    segment: { id: n(c.segment_id), en: s(c.segment_name_en), zh: s(c.segment_name_zh) },
    segmentHistory: history.map((h) => ({ runId: h.run_id, runAt: h.run_at, segmentId: h.segment_id, en: h.name_en, zh: h.name_zh })),
    churn: {
      risk: n(c.churn_risk),
      band: s(c.churn_band),
      probability: n(c.churn_probability),
      pAlive: n(c.p_alive),
      drivers: [c.driver_1, c.driver_2, c.driver_3].filter((d): d is string => typeof d === 'string' && d.length > 0),
    },
    value: { expected12m: n(c.expected_value_12m), expectedOrders30d: n(c.expected_orders_30d), expectedOrders90d: n(c.expected_orders_90d), expectedOrderValue: n(c.expected_order_value) },
    timeline,
  };
}
