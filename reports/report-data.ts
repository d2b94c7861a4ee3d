// Building a report's data: every figure comes from the metrics layer (`queryMetrics`), so a report
// and the dashboard agree to the cent; model outputs (segments, watchlist) and department records
// (opportunities, tickets) are read with the queries in report.queries.ts. Pure data out, no
// rendering here: the PDF and XLSX writers take what these functions return.
import type { Role } from '../lib/auth-roles.ts';
import { ReportError } from '../lib/errors.ts';
import {
  METRICS,
  comparisonRange,
  queryMetrics,
  type DuckDb,
  type MetricName,
  type MetricUnit,
} from '../warehouse/index.ts';
import { addDays, mondayOf, resolvePeriod, type PeriodInput } from './period.ts';
import { canSeePersonalData, personalDataFor, type PersonalDataSource } from './personal-data.ts';
import type { Language, ReportName } from './report-definitions.ts';
import { formatters, labelOf, strings } from './report.i18n.ts';
import * as q from './report.queries.ts';

export interface ReportRequest {
  report: ReportName;
  lang: Language;
  /** Whose permissions the data follows. */
  role: Role;
  period?: PeriodInput;
  /** The segment report's segment (default: the one with the most revenue at risk). */
  segmentId?: number;
}

export interface ReportMeta {
  report: ReportName;
  lang: Language;
  role: Role;
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  asOf: string;
  currency: string;
  generatedAt: Date;
  timeZone: string;
  /** Personal data is masked for this role. */
  masked: boolean;
}

export interface KpiRow {
  metric: MetricName;
  label: string;
  unit: MetricUnit;
  value: number | null;
  /** null for metrics that describe the snapshot as a whole (no earlier value). */
  previous: number | null;
  /** (value − previous) / previous; null when there is no previous value or it is 0. */
  change: number | null;
}

export interface TrendRow {
  week: string;
  revenue: number;
  orders: number;
}

export interface SegmentRow {
  /** null: customers or orders without a segment (kept so the rows add up to the totals). */
  segmentId: number | null;
  name: string;
  customers: number;
  revenue: number;
  revenueAtRisk: number;
  movedIn: number;
  movedOut: number;
}

export interface MovementRow {
  from: string;
  to: string;
  customers: number;
}

export interface WatchRow {
  rank: number;
  customerId: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  segment: string;
  churnRisk: number;
  expectedValue: number;
  revenueAtRisk: number;
  drivers: string[];
  lastOrder: string | null;
}

export interface MemberRow {
  customerId: number;
  name: string | null;
  email: string | null;
  country: string | null;
  city: string | null;
  orders: number;
  revenue: number;
  lastOrder: string | null;
  churnRisk: number | null;
  expectedValue: number | null;
}

export interface ExecutiveData {
  kind: 'executive';
  meta: ReportMeta;
  kpis: KpiRow[];
  trend: TrendRow[];
  segments: SegmentRow[];
  movement: MovementRow[];
  hasPreviousRun: boolean;
  watchlist: WatchRow[];
  sentences: string[];
}

export interface SegmentReportData {
  kind: 'segment';
  meta: ReportMeta;
  segment: SegmentRow;
  profile: { avgOrders: number; avgRevenue: number; avgRecencyDays: number; avgChurnRisk: number; avgExpectedValue: number };
  kpis: KpiRow[];
  trend: TrendRow[];
  movement: MovementRow[];
  hasPreviousRun: boolean;
  watchlist: WatchRow[];
  /** The segment's members in pages, read while the snapshot is open. */
  members: () => AsyncIterable<MemberRow[]>;
}

export interface SalesData {
  kind: 'sales';
  meta: ReportMeta;
  byStage: { stage: string; label: string; opportunities: number; value: number }[];
  byOwner: { ownerId: number | null; opportunities: number; value: number }[];
}

export interface ServiceData {
  kind: 'service';
  meta: ReportMeta;
  priorities: { priority: string; label: string; opened: number; closed: number; backlog: number; medianHours: number | null }[];
  perDay: { day: string; opened: number }[];
  totals: { opened: number; closed: number; backlog: number };
}

export type ReportData = ExecutiveData | SegmentReportData | SalesData | ServiceData;

export interface BuildContext {
  personal: PersonalDataSource;
  now: Date;
  timeZone: string;
}

const KPI_METRICS = [
  'revenue',
  'orders',
  'average_order_value',
  'active_customers',
  'new_customers',
  'refund_amount',
  'lapsed_customers',
  'customers',
  'revenue_at_risk',
] as const satisfies readonly MetricName[];

export async function buildReportData(db: DuckDb, request: ReportRequest, ctx: BuildContext): Promise<ReportData> {
  const meta = await buildMeta(db, request, ctx);
  switch (request.report) {
    case 'executive':
      return buildExecutive(db, meta, ctx);
    case 'segment':
      return buildSegmentReport(db, meta, ctx, request.segmentId);
    case 'sales':
      return buildSales(db, meta);
    case 'service':
      return buildService(db, meta);
  }
}

async function buildMeta(db: DuckDb, request: ReportRequest, ctx: BuildContext): Promise<ReportMeta> {
  const snapshot = await db.one<{ as_of: string; currency: string }>(q.selectSnapshotContext().text);
  const { from, to } = resolvePeriod(request.period, snapshot.as_of);
  const [previousFrom, previousTo] = comparisonRange(from, to, 'previous_period');
  return {
    report: request.report,
    lang: request.lang,
    role: request.role,
    from,
    to,
    previousFrom,
    previousTo,
    asOf: snapshot.as_of,
    currency: snapshot.currency,
    generatedAt: ctx.now,
    timeZone: ctx.timeZone,
    masked: !canSeePersonalData(request.role),
  };
}

async function queryKpis(db: DuckDb, meta: ReportMeta, segmentId?: number): Promise<KpiRow[]> {
  const result = await queryMetrics(db, {
    metrics: [...KPI_METRICS],
    from: meta.from,
    to: meta.to,
    compareTo: 'previous_period',
    ...(segmentId === undefined ? {} : { filters: { segment_id: [segmentId] } }),
  });
  return KPI_METRICS.map((metric) => {
    const value = result.totals[metric];
    const previous = result.previousTotals?.[metric] ?? null;
    return {
      metric,
      label: METRICS[metric].label[meta.lang],
      unit: METRICS[metric].unit,
      value,
      previous,
      change: value !== null && previous !== null && previous !== 0 ? (value - previous) / Math.abs(previous) : null,
    };
  });
}

async function queryTrend(db: DuckDb, meta: ReportMeta, segmentId?: number): Promise<TrendRow[]> {
  const result = await queryMetrics(db, {
    metrics: ['revenue', 'orders'],
    from: mondayOf(addDays(meta.to, -77)),
    to: meta.to,
    groupBy: ['week'],
    ...(segmentId === undefined ? {} : { filters: { segment_id: [segmentId] } }),
  });
  return result.rows.map((row) => ({ week: String(row.week), revenue: Number(row.revenue ?? 0), orders: Number(row.orders ?? 0) }));
}

interface SegmentNames {
  names: Map<number, string>;
}

async function segmentNames(db: DuckDb, lang: Language): Promise<SegmentNames> {
  const rows = await db.all<{ segment_id: number; name_en: string; name_zh: string }>(q.selectSegments().text);
  return { names: new Map(rows.map((r) => [Number(r.segment_id), lang === 'zh-CN' ? r.name_zh : r.name_en])) };
}

async function querySegments(db: DuckDb, meta: ReportMeta, names: SegmentNames): Promise<{ segments: SegmentRow[]; movement: MovementRow[]; hasPreviousRun: boolean }> {
  const result = await queryMetrics(db, { metrics: ['revenue', 'customers', 'revenue_at_risk'], from: meta.from, to: meta.to, groupBy: ['segment_id'] });
  const hasPreviousRun = Boolean((await db.one<{ has_previous: boolean }>(q.selectHasPreviousRun().text)).has_previous);
  const moves = hasPreviousRun ? await db.all<{ from_segment_id: number | null; to_segment_id: number | null; customers: number }>(q.selectSegmentMovement().text) : [];
  const nameOf = (id: number | null): string => (id === null ? strings(meta.lang).none : (names.names.get(id) ?? `#${id}`));
  const segments: SegmentRow[] = [];
  for (const row of result.rows) {
    const id = row.segment_id === null ? null : Number(row.segment_id);
    if (id === null && !Number(row.customers) && !Number(row.revenue)) continue;
    segments.push({
      segmentId: id,
      name: id === null ? strings(meta.lang).noSegment : nameOf(id),
      customers: Number(row.customers ?? 0),
      revenue: Number(row.revenue ?? 0),
      revenueAtRisk: Number(row.revenue_at_risk ?? 0),
      movedIn: moves.filter((m) => m.to_segment_id === id).reduce((n, m) => n + Number(m.customers), 0),
      movedOut: moves.filter((m) => m.from_segment_id === id).reduce((n, m) => n + Number(m.customers), 0),
    });
  }
  segments.sort((a, b) => (a.segmentId === null ? 1 : 0) - (b.segmentId === null ? 1 : 0) || b.customers - a.customers || (a.segmentId ?? 0) - (b.segmentId ?? 0));
  const movement = moves
    .filter((m) => m.from_segment_id !== null && m.to_segment_id !== null)
    .slice(0, 8)
    .map((m) => ({ from: nameOf(m.from_segment_id), to: nameOf(m.to_segment_id), customers: Number(m.customers) }));
  return { segments, movement, hasPreviousRun };
}

async function queryWatchlist(db: DuckDb, meta: ReportMeta, ctx: BuildContext, segmentId: number | null): Promise<WatchRow[]> {
  const statement = q.selectChurnWatchlist(20, segmentId);
  const rows = await db.all<{
    customer_id: number;
    segment_name_en: string | null;
    segment_name_zh: string | null;
    churn_risk: number;
    expected_value_12m: number;
    revenue_at_risk: number;
    last_order: string | null;
    driver_1: string | null;
    driver_2: string | null;
    driver_3: string | null;
  }>(statement.text, statement.values);
  const personal = await ctx.personal.lookup(rows.map((r) => Number(r.customer_id)));
  return rows.map((r, i) => {
    const p = personalDataFor(meta.role, personal.get(Number(r.customer_id)));
    return {
      rank: i + 1,
      customerId: Number(r.customer_id),
      ...p,
      segment: (meta.lang === 'zh-CN' ? r.segment_name_zh : r.segment_name_en) ?? '',
      churnRisk: Number(r.churn_risk),
      expectedValue: Number(r.expected_value_12m),
      revenueAtRisk: Number(r.revenue_at_risk),
      drivers: [r.driver_1, r.driver_2, r.driver_3].filter((d): d is string => d !== null).map((d) => labelOf('driver', d, meta.lang)),
      lastOrder: r.last_order,
    };
  });
}

async function buildExecutive(db: DuckDb, meta: ReportMeta, ctx: BuildContext): Promise<ExecutiveData> {
  const names = await segmentNames(db, meta.lang);
  const [kpis, trend, segs, watchlist] = [await queryKpis(db, meta), await queryTrend(db, meta), await querySegments(db, meta, names), await queryWatchlist(db, meta, ctx, null)];
  const sentences = await whatChanged(db, meta, kpis, segs.movement);
  return { kind: 'executive', meta, kpis, trend, ...segs, watchlist, sentences };
}

/** A few plain sentences on what changed most, each built from figures shown elsewhere in the report. */
async function whatChanged(db: DuckDb, meta: ReportMeta, kpis: KpiRow[], movement: MovementRow[]): Promise<string[]> {
  const t = strings(meta.lang);
  const f = formatters(meta.lang, meta.currency);
  const out: string[] = [];
  const direction = (change: number): string => (change > 0.0005 ? t.sentence.up : change < -0.0005 ? t.sentence.down : t.sentence.flat);
  const show = (k: KpiRow, v: number | null): string => (k.unit === 'currency' ? f.money(v) : f.count(v));
  const revenue = kpis.find((k) => k.metric === 'revenue')!;
  if (revenue.change !== null) {
    let sentence = t.sentence.metricChange(revenue.label, direction(revenue.change), f.percent(Math.abs(revenue.change)), show(revenue, revenue.previous));
    const byChannel = await queryMetrics(db, { metrics: ['revenue'], from: meta.from, to: meta.to, groupBy: ['channel'], compareTo: 'previous_period' });
    const previous = new Map((byChannel.comparison?.rows ?? []).map((r) => [String(r.channel), Number(r.revenue ?? 0)]));
    const deltas = byChannel.rows.map((r) => ({ channel: String(r.channel), delta: Number(r.revenue ?? 0) - (previous.get(String(r.channel)) ?? 0) }));
    const sign = Math.sign(revenue.value! - revenue.previous!);
    const driver = deltas.filter((d) => Math.sign(d.delta) === sign && sign !== 0).sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))[0];
    if (driver) sentence += t.sentence.drivenBy(labelOf('channel', driver.channel, meta.lang), `${driver.delta >= 0 ? '+' : '−'}${f.money(Math.abs(driver.delta))}`);
    out.push(sentence);
  }
  const biggest = kpis
    .filter((k) => k.metric !== 'revenue' && k.change !== null && k.unit === 'count')
    .sort((a, b) => Math.abs(b.change!) - Math.abs(a.change!))[0];
  if (biggest) out.push(t.sentence.metricChange(biggest.label, direction(biggest.change!), f.percent(Math.abs(biggest.change!)), show(biggest, biggest.previous)));
  if (movement[0]) out.push(t.sentence.moved(f.count(movement[0].customers), movement[0].from, movement[0].to));
  const risk = await db.one<{ customers: number; at_risk: number }>(q.selectHighRiskCount().text);
  out.push(t.sentence.atRisk(f.count(Number(risk.customers)), f.money(Number(risk.at_risk))));
  return out;
}

async function buildSegmentReport(db: DuckDb, meta: ReportMeta, ctx: BuildContext, requested: number | undefined): Promise<SegmentReportData> {
  const names = await segmentNames(db, meta.lang);
  const segs = await querySegments(db, meta, names);
  const segmentId = requested ?? [...segs.segments].filter((s) => s.segmentId !== null).sort((a, b) => b.revenueAtRisk - a.revenueAtRisk)[0]?.segmentId ?? undefined;
  const segment = segs.segments.find((s) => s.segmentId === segmentId);
  if (segmentId === undefined || !segment) {
    throw new ReportError('unknown_segment', `Segment ${requested ?? '(none)'} does not exist in the published snapshot (segments: ${[...names.names.keys()].join(', ') || 'none'})`);
  }
  const profileStatement = q.selectSegmentProfile(segmentId);
  const p = await db.one(profileStatement.text, profileStatement.values);
  const kpis = (await queryKpis(db, meta, segmentId)).filter((k) => k.metric !== 'lapsed_customers');
  const trend = await queryTrend(db, meta, segmentId);
  const watchlist = await queryWatchlist(db, meta, ctx, segmentId);
  const movement = segs.movement.filter((m) => m.from === segment.name || m.to === segment.name);
  return {
    kind: 'segment',
    meta,
    segment,
    profile: {
      avgOrders: Number(p.avg_orders ?? 0),
      avgRevenue: Number(p.avg_revenue ?? 0),
      avgRecencyDays: Number(p.avg_recency_days ?? 0),
      avgChurnRisk: Number(p.avg_churn_risk ?? 0),
      avgExpectedValue: Number(p.avg_expected_value ?? 0),
    },
    kpis,
    trend,
    movement,
    hasPreviousRun: segs.hasPreviousRun,
    watchlist,
    members: () => readMembers(db, meta.role, ctx.personal, segmentId),
  };
}

/** A segment's members, 5,000 at a time, personal data fetched (and masked) per page. */
async function* readMembers(db: DuckDb, role: Role, personal: PersonalDataSource, segmentId: number): AsyncIterable<MemberRow[]> {
  let after = -1;
  for (;;) {
    const statement = q.selectSegmentMembersPage(segmentId, after, 5000);
    const rows = await db.all<{
      customer_id: number;
      country: string | null;
      city: string | null;
      frequency: number;
      monetary: number;
      last_order: string | null;
      churn_risk: number | null;
      expected_value_12m: number | null;
    }>(statement.text, statement.values);
    if (rows.length === 0) return;
    const people = await personal.lookup(rows.map((r) => Number(r.customer_id)));
    yield rows.map((r) => {
      const pd = personalDataFor(role, people.get(Number(r.customer_id)));
      return {
        customerId: Number(r.customer_id),
        name: pd.name,
        email: pd.email,
        country: r.country,
        city: r.city,
        orders: Number(r.frequency),
        revenue: Number(r.monetary),
        lastOrder: r.last_order,
        churnRisk: r.churn_risk === null ? null : Number(r.churn_risk),
        expectedValue: r.expected_value_12m === null ? null : Number(r.expected_value_12m),
      };
    });
    after = Number(rows[rows.length - 1]!.customer_id);
  }
}

const STAGE_ORDER = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];

async function buildSales(db: DuckDb, meta: ReportMeta): Promise<SalesData> {
  const statement = q.selectOpportunities(meta.currency);
  const rows = await db.all<{ stage: string; owner_id: number | null; opportunities: number; value: number | null }>(statement.text, statement.values);
  const byStage = new Map<string, { opportunities: number; value: number }>();
  const byOwner = new Map<number | null, { opportunities: number; value: number }>();
  for (const r of rows) {
    const s = byStage.get(r.stage) ?? { opportunities: 0, value: 0 };
    s.opportunities += Number(r.opportunities);
    s.value = Math.round((s.value + Number(r.value ?? 0)) * 100) / 100;
    byStage.set(r.stage, s);
    if (r.stage === 'won' || r.stage === 'lost') continue;
    const o = byOwner.get(r.owner_id) ?? { opportunities: 0, value: 0 };
    o.opportunities += Number(r.opportunities);
    o.value = Math.round((o.value + Number(r.value ?? 0)) * 100) / 100;
    byOwner.set(r.owner_id, o);
  }
  const order = (stage: string): number => (STAGE_ORDER.indexOf(stage) + 100) % 100;
  return {
    kind: 'sales',
    meta,
    byStage: [...byStage.entries()].sort((a, b) => order(a[0]) - order(b[0])).map(([stage, v]) => ({ stage, label: labelOf('stage', stage, meta.lang), ...v })),
    byOwner: [...byOwner.entries()].map(([ownerId, v]) => ({ ownerId, ...v })).sort((a, b) => b.value - a.value),
  };
}

async function buildService(db: DuckDb, meta: ReportMeta): Promise<ServiceData> {
  const summary = q.selectTicketSummary(meta.from, meta.to);
  const rows = await db.all<{ priority: string; opened: number; closed: number; backlog: number; median_hours: number | null }>(summary.text, summary.values);
  const perDayStatement = q.selectTicketsPerDay(meta.from, meta.to);
  const perDay = await db.all<{ day: string; opened: number }>(perDayStatement.text, perDayStatement.values);
  const priorities = rows.map((r) => ({
    priority: r.priority,
    label: labelOf('priority', r.priority, meta.lang),
    opened: Number(r.opened),
    closed: Number(r.closed),
    backlog: Number(r.backlog),
    medianHours: r.median_hours === null ? null : Number(r.median_hours),
  }));
  const sum = (key: 'opened' | 'closed' | 'backlog'): number => priorities.reduce((n, p) => n + p[key], 0);
  return {
    kind: 'service',
    meta,
    priorities,
    perDay: perDay.map((d) => ({ day: d.day, opened: Number(d.opened) })),
    totals: { opened: sum('opened'), closed: sum('closed'), backlog: sum('backlog') },
  };
}
