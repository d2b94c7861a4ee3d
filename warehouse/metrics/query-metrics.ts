// The one way to read a metric: the dashboard, the PDF and the Excel reports all call `queryMetrics`,
// so the same question gives the same number everywhere. A query names metrics, a date range, optional
// dimensions to group and filter by and an optional comparison range; metrics that read the same mart
// are computed in one scan, and their rows are merged by group.
import type { DuckDb, JsonValue } from '../duckdb.ts';
import {
  DIMENSIONS,
  METRICS,
  METRIC_SOURCES,
  isTimeDimension,
  type Dimension,
  type MetricName,
  type MetricSourceName,
  type MetricUnit,
  type TimeDimension,
} from './metric-definitions.ts';
import { addDays, daysBetween, parseMetricQuery, subtractYear, MAX_LIMIT, type CompareTo, type MetricQuery, type ValidatedMetricQuery } from './metric-query.schema.ts';
import { selectActiveCustomersTotal, selectBuildInfo, selectGroupedMetrics, selectTotalMetrics, type MetricSelection } from './metric.queries.ts';

export type MetricValue = string | number | null;
/** One result row: the dimension values (by dimension name) and the metric values (by metric name). */
export type MetricRow = Record<string, MetricValue>;

export interface MetricRangeResult<M extends MetricName> {
  from: string;
  to: string;
  rows: MetricRow[];
  /** Each metric over the whole range and filters (not the sum of rows for non-additive metrics). */
  totals: Record<M, number | null>;
  /** More groups existed than `limit`; rows holds the first ones. */
  truncated: boolean;
}

export interface MetricQueryResult<M extends MetricName> extends MetricRangeResult<M> {
  /** The day the snapshot's marts describe. */
  asOf: string;
  metrics: M[];
  groupBy: Dimension[];
  /**
   * The same query over the comparison range. Metrics that describe the snapshot as a whole
   * (customers, revenue_at_risk) have no earlier value: they are null here.
   */
  comparison?: MetricRangeResult<M> & { compareTo: CompareTo };
  previousTotals?: Record<M, number | null>;
}

/**
 * Answers a metrics query from an open snapshot. Throws a `BadQueryError` (WarehouseError, code
 * 'bad_query', naming the field) for an invalid query; use `parseMetricQuery` to check without throwing.
 */
export async function queryMetrics<M extends MetricName>(db: DuckDb, input: MetricQuery<M>): Promise<MetricQueryResult<M>> {
  const parsed = parseMetricQuery<M>(input);
  if (!parsed.ok) throw parsed.error;
  const query = parsed.query;
  const info = await db.one<{ as_of: string; customer_keys: number }>(selectBuildInfo().text);
  const current = await queryRange(db, query, query.from, query.to, false, info.customer_keys);
  const result: MetricQueryResult<M> = { asOf: info.as_of, metrics: query.metrics, groupBy: query.groupBy, ...current };
  if (query.compareTo) {
    const [from, to] = comparisonRange(query.from, query.to, query.compareTo);
    const previous = await queryRange(db, query, from, to, true, info.customer_keys);
    result.comparison = { compareTo: query.compareTo, ...previous };
    result.previousTotals = previous.totals;
  }
  return result;
}

/** The range a comparison covers: the equally long range just before, or the same days a year earlier. */
export function comparisonRange(from: string, to: string, compareTo: CompareTo): [string, string] {
  if (compareTo === 'previous_year') return [subtractYear(from), subtractYear(to)];
  const days = daysBetween(from, to) + 1;
  return [addDays(from, -days), addDays(from, -1)];
}

/** Where one metric's rows and total come from for a given query. */
interface MetricPlan<M extends MetricName> {
  metric: M;
  rowSource: MetricSourceName;
  rowExpression: string;
  /** 'monthly_bitmaps': distinct customers from marts.active_customer_months (unfiltered queries only). */
  totalSource: MetricSourceName | 'monthly_bitmaps';
  totalExpression: string;
  /** The total is the exact sum of the rows. */
  summable: boolean;
}

/**
 * Unfiltered queries grouped by time at most read daily_kpis (one row a day) instead of every order:
 * the same definitions, pre-added, so the numbers are identical. Everything else reads the metric's
 * own source.
 */
function planMetric<M extends MetricName>(metric: M, groupBy: Dimension[], filters: Partial<Record<Dimension, unknown>>): MetricPlan<M> {
  const def = METRICS[metric];
  const own = def.totalExpression ?? def.expression;
  if (def.daily && Object.keys(filters).length === 0 && groupBy.every(isTimeDimension)) {
    if (!def.daily.byDayOnly) {
      return { metric, rowSource: 'daily', rowExpression: def.daily.expression, totalSource: 'daily', totalExpression: def.daily.expression, summable: def.daily.summable };
    }
    if (groupBy.length === 0 || (groupBy.length === 1 && groupBy[0] === 'day')) {
      return { metric, rowSource: 'daily', rowExpression: def.daily.expression, totalSource: 'monthly_bitmaps', totalExpression: own, summable: false };
    }
  }
  return { metric, rowSource: def.source, rowExpression: def.expression, totalSource: def.source, totalExpression: own, summable: def.summable };
}

async function queryRange<M extends MetricName>(
  db: DuckDb,
  query: ValidatedMetricQuery<M>,
  from: string,
  to: string,
  datedOnly: boolean,
  customerKeys: number,
): Promise<MetricRangeResult<M>> {
  // Metrics that describe the snapshot as a whole have no value for an earlier range.
  const plans = query.metrics
    .filter((m) => !datedOnly || METRIC_SOURCES[METRICS[m].source].dateGrain !== null)
    .map((m) => planMetric(m, query.groupBy, query.filters));
  const selection = (source: MetricSourceName, metrics: { name: string; expression: string }[]): MetricSelection => ({
    source: METRIC_SOURCES[source],
    metrics,
    filters: query.filters,
    groupBy: query.groupBy,
    from,
    to,
    customerKeys,
  });

  const groups = new Map<string, MetricRow>();
  const truncatedSources = new Set<MetricSourceName>();
  // Numerator and denominator sums of ratio metrics, per group, kept out of the rows.
  const ratioParts = new Map<string, Map<MetricName, [number, number]>>();
  if (query.groupBy.length > 0) {
    for (const [source, sourcePlans] of bySource(plans, (p) => p.rowSource)) {
      const columns = sourcePlans.flatMap((p) => [{ name: p.metric, expression: p.rowExpression }, ...ratioColumns(p)]);
      const statement = selectGroupedMetrics(selection(source, columns), MAX_LIMIT);
      const rows = await db.all(statement.text, statement.values);
      if (rows.length > MAX_LIMIT) truncatedSources.add(source);
      for (const row of rows.slice(0, MAX_LIMIT)) {
        const dims = query.groupBy.map((d) => toDimensionValue(row[d]));
        const key = JSON.stringify(dims);
        let group = groups.get(key);
        if (!group) {
          group = Object.fromEntries(query.groupBy.map((d, i) => [d, dims[i]!]));
          groups.set(key, group);
        }
        for (const p of sourcePlans) {
          group[p.metric] = toMetricValue(row[p.metric]);
          if (ratioColumns(p).length > 0) {
            const parts = ratioParts.get(key) ?? new Map<MetricName, [number, number]>();
            parts.set(p.metric, [toMetricValue(row[`${RATIO_PREFIX}num_${p.metric}`]) ?? 0, toMetricValue(row[`${RATIO_PREFIX}den_${p.metric}`]) ?? 0]);
            ratioParts.set(key, parts);
          }
        }
      }
    }
  }

  const totals = Object.fromEntries(query.metrics.map((m) => [m, null])) as Record<M, number | null>;
  const needTotalQuery: MetricPlan<M>[] = [];
  for (const plan of plans) {
    const complete = query.groupBy.length > 0 && !truncatedSources.has(plan.rowSource);
    if (complete && plan.summable) {
      totals[plan.metric] = sumExactly([...groups.values()].map((row) => row[plan.metric]), METRICS[plan.metric].unit);
    } else if (complete && ratioColumns(plan).length > 0) {
      const parts = [...ratioParts.values()].map((p) => p.get(plan.metric) ?? [0, 0]);
      totals[plan.metric] = exactMoneyRatio(sumExactly(parts.map((p) => p[0]), 'currency'), sumExactly(parts.map((p) => p[1]), 'count'));
    } else {
      needTotalQuery.push(plan);
    }
  }
  for (const plan of needTotalQuery.filter((p) => p.totalSource === 'monthly_bitmaps')) {
    const statement = selectActiveCustomersTotal(from, to, customerKeys, plan.metric);
    totals[plan.metric] = toMetricValue((await db.one(statement.text, statement.values))[plan.metric]);
  }
  const scans = needTotalQuery.filter((p): p is MetricPlan<M> & { totalSource: MetricSourceName } => p.totalSource !== 'monthly_bitmaps');
  for (const [source, sourcePlans] of bySource(scans, (p) => p.totalSource)) {
    const statement = selectTotalMetrics(selection(source, sourcePlans.map((p) => ({ name: p.metric, expression: p.totalExpression }))));
    const row = await db.one(statement.text, statement.values);
    for (const p of sourcePlans) totals[p.metric] = toMetricValue(row[p.metric]);
  }

  if (query.groupBy.length === 1 && isTimeDimension(query.groupBy[0]!)) {
    // A chart needs every period, also those without a single order.
    const dimension = query.groupBy[0] as TimeDimension;
    for (const bucket of timeBuckets(dimension, from, to)) {
      const key = JSON.stringify([bucket]);
      if (!groups.has(key)) groups.set(key, { [dimension]: bucket });
    }
  }
  const planned = new Set<MetricName>(plans.map((p) => p.metric));
  const rows = [...groups.values()];
  for (const row of rows) {
    for (const m of query.metrics) if (row[m] === undefined) row[m] = planned.has(m) ? METRICS[m].emptyValue : null;
  }
  rows.sort(rowOrder(query.groupBy, query.metrics[0]!));
  return { from, to, rows: rows.slice(0, query.limit), totals, truncated: truncatedSources.size > 0 || rows.length > query.limit };
}

const RATIO_PREFIX = '__ratio_';

/** For a ratio metric read from its own source, the grouped query also sums its two parts. */
function ratioColumns(plan: MetricPlan<MetricName>): { name: string; expression: string }[] {
  const ratio = METRICS[plan.metric].ratioOf;
  if (!ratio || plan.rowSource !== METRICS[plan.metric].source) return [];
  return [
    { name: `${RATIO_PREFIX}num_${plan.metric}`, expression: METRICS[ratio.numerator].expression },
    { name: `${RATIO_PREFIX}den_${plan.metric}`, expression: METRICS[ratio.denominator].expression },
  ];
}

/** `money / count` rounded half away from zero to the cent, in whole cents: the same as exactMoneyRatioSql. */
function exactMoneyRatio(money: number, count: number): number | null {
  if (count <= 0) return null;
  const cents = BigInt(Math.round(money * 100));
  const n = BigInt(count);
  const magnitude = (2n * (cents < 0n ? -cents : cents) + n) / (2n * n);
  return Number(cents < 0n ? -magnitude : magnitude) / 100;
}

function bySource<P>(plans: P[], sourceOf: (plan: P) => MetricSourceName): Map<MetricSourceName, P[]> {
  const out = new Map<MetricSourceName, P[]>();
  for (const plan of plans) out.set(sourceOf(plan), [...(out.get(sourceOf(plan)) ?? []), plan]);
  return out;
}

/**
 * Adds up group values without a rounding error: money in whole cents, counts as integers (both
 * exact in a double up to 2^53), so the total equals the one SQL would give.
 */
function sumExactly(values: MetricValue[], unit: MetricUnit): number {
  const scale = unit === 'currency' ? 100 : 1;
  let sum = 0;
  for (const value of values) if (typeof value === 'number') sum += Math.round(value * scale);
  return sum / scale;
}

/** Rows grouped by time (or months since) in that order; others biggest first by the first metric, then by their labels. */
function rowOrder(groupBy: Dimension[], firstMetric: MetricName): (a: MetricRow, b: MetricRow) => number {
  const time = groupBy.filter((d) => DIMENSIONS[d].ordinal);
  const others = groupBy.filter((d) => !DIMENSIONS[d].ordinal);
  return (a, b) => {
    for (const d of time) {
      const c = compareValues(a[d] ?? null, b[d] ?? null);
      if (c !== 0) return c;
    }
    if (time.length === 0) {
      const c = compareValues(a[firstMetric] ?? null, b[firstMetric] ?? null, true);
      if (c !== 0) return c;
    }
    for (const d of others) {
      const c = compareValues(a[d] ?? null, b[d] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Ascending (or descending) order, nulls last either way. */
function compareValues(a: MetricValue, b: MetricValue, descending = false): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
  return descending ? -c : c;
}

/** The labels of every day, week (Monday) or month touching [from, to], as the SQL writes them. */
function timeBuckets(dimension: TimeDimension, from: string, to: string): string[] {
  const out: string[] = [];
  if (dimension === 'month') {
    let [y, m] = from.split('-').map(Number) as [number, number];
    const end = to.slice(0, 7);
    for (;;) {
      const label = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
      if (label > end) break;
      out.push(label);
      if (++m > 12) [y, m] = [y + 1, 1];
    }
    return out;
  }
  const step = dimension === 'week' ? 7 : 1;
  let day = dimension === 'week' ? mondayOf(from) : from;
  while (day <= to) {
    out.push(day);
    day = addDays(day, step);
  }
  return out;
}

function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

function toMetricValue(value: JsonValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return null;
}

function toDimensionValue(value: JsonValue | undefined): MetricValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  return String(value);
}
