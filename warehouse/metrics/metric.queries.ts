// The SQL of the metrics layer: pure functions that turn a validated query for one source into text
// plus bound values (CONVENTIONS 2). Identifiers and SQL fragments come only from the definitions
// (allow-list) and pass through `quoteIdent`; every value a user chose (dates, filter values) is a
// bound `?`.
import { quoteIdent, type BoundValue } from '../duckdb.ts';
import { bitmapSize, type SqlStatement } from '../marts/mart.queries.ts';
import { CUSTOMER_KEYS, DIMENSIONS, isTimeDimension, type Dimension, type MetricSource, type TimeDimension } from './metric-definitions.ts';
import { addDays, type FilterValue } from './metric-query.schema.ts';

export interface MetricSelection {
  source: MetricSource;
  /** Output column name → SQL aggregate (from the definitions). */
  metrics: { name: string; expression: string }[];
  filters: Partial<Record<Dimension, FilterValue[]>>;
  /** The source's default filters are skipped for these dimensions (they are grouped by). */
  groupBy: Dimension[];
  from: string;
  to: string;
  /** build_info.customer_keys, for expressions that use the distinct-customer bitmap. */
  customerKeys: number;
}

/** One row per group of `groupBy`, ordered by the groups, at most `maxGroups + 1` rows (the extra one says there were more). */
export function selectGroupedMetrics(selection: MetricSelection, maxGroups: number): SqlStatement {
  const { source, groupBy } = selection;
  const values: BoundValue[] = [];
  const groups = groupBy.map((d) => groupExpression(source, d));
  const select = [
    ...groupBy.map((d, i) => `${labelExpression(d, groups[i]!)} AS ${quoteIdent(d)}`),
    ...renderMetrics(selection),
  ];
  const where = renderWhere(selection, values);
  values.push(maxGroups + 1);
  return {
    text: `SELECT ${select.join(', ')} FROM ${qualifiedTable(source.table)} ${where}
           GROUP BY ${groups.join(', ')}
           ORDER BY ${groupBy.map((d) => `${quoteIdent(d)} NULLS LAST`).join(', ')}
           LIMIT ?`,
    values,
  };
}

/** One row: each metric over the whole range and filters. */
export function selectTotalMetrics(selection: MetricSelection): SqlStatement {
  const values: BoundValue[] = [];
  const select = renderMetrics(selection);
  const where = renderWhere(selection, values);
  return { text: `SELECT ${select.join(', ')} FROM ${qualifiedTable(selection.source.table)} ${where}`, values };
}

/**
 * Distinct customers with a paid order in [from, to], unfiltered: the OR of the monthly bitmaps of the
 * months wholly inside the range and the bitmaps of the orders on the days left at either end. Every
 * bound is a constant, so the order scans read only the row groups of those days.
 */
export function selectActiveCustomersTotal(from: string, to: string, customerKeys: number, name: string): SqlStatement {
  const { wholeMonths, days } = splitIntoMonths(from, to);
  const values: BoundValue[] = [];
  const parts: string[] = [];
  if (wholeMonths) {
    parts.push('SELECT customers FROM marts.active_customer_months WHERE month >= CAST(? AS DATE) AND month < CAST(? AS DATE)');
    values.push(wholeMonths[0], wholeMonths[1]);
  }
  for (const [lo, hi] of days) {
    parts.push(
      `SELECT bitstring_agg(customer_key, 1, ${bitmapSize(customerKeys)}) AS customers FROM marts.order_facts WHERE status = 'paid' AND order_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`,
    );
    values.push(lo, hi);
  }
  return { text: `SELECT coalesce(bit_count(bit_or(customers)), 0) AS ${quoteIdent(name)} FROM (${parts.join(' UNION ALL ')})`, values };
}

/**
 * [from, to] as the whole calendar months inside it ([first month, month after the last)) and the
 * day ranges left over at either end.
 */
export function splitIntoMonths(from: string, to: string): { wholeMonths: [string, string] | null; days: [string, string][] } {
  const firstWhole = from.endsWith('-01') ? from : nextMonth(from);
  const endWhole = nextMonth(to) === addDays(to, 1) ? nextMonth(to) : `${to.slice(0, 7)}-01`;
  if (firstWhole >= endWhole) return { wholeMonths: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < firstWhole) days.push([from, addDays(firstWhole, -1)]);
  if (endWhole <= to) days.push([endWhole, to]);
  return { wholeMonths: [firstWhole, endWhole], days };
}

/** The first day of the month after the one `day` is in. */
function nextMonth(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
}

/** How the marts were built: the as-of day and the size of the distinct-customer bitmap. */
export function selectBuildInfo(): SqlStatement {
  return { text: "SELECT strftime(as_of, '%Y-%m-%d') AS as_of, customer_keys FROM marts.build_info", values: [] };
}

function renderMetrics(selection: MetricSelection): string[] {
  // The bitmap size must be a constant for DuckDB; it is a checked whole number from build_info.
  return selection.metrics.map(({ name, expression }) => `${expression.split(CUSTOMER_KEYS).join(bitmapSize(selection.customerKeys))} AS ${quoteIdent(name)}`);
}

function renderWhere(selection: MetricSelection, values: BoundValue[]): string {
  const { source, filters, groupBy } = selection;
  const where: string[] = [];
  if (source.dateGrain !== null && source.dateColumn !== null) {
    const column = quoteIdent(source.dateColumn);
    if (source.dateGrain === 'day') {
      const shift = source.shiftDays > 0 ? ` - ${Math.trunc(source.shiftDays)}` : '';
      where.push(`${column} BETWEEN CAST(? AS DATE)${shift} AND CAST(? AS DATE)${shift}`);
    } else {
      // Rows are months (their first day): take every month that overlaps the range.
      where.push(`${column} BETWEEN CAST(date_trunc('month', CAST(? AS DATE)) AS DATE) AND CAST(? AS DATE)`);
    }
    values.push(selection.from, selection.to);
  }
  if (source.where) where.push(`(${source.where})`);
  for (const [d, list] of Object.entries(filters) as [Dimension, FilterValue[] | undefined][]) {
    if (!list) continue;
    const cast = DIMENSIONS[d].valueType === 'integer' ? 'BIGINT' : 'VARCHAR';
    where.push(`${columnOf(source, d)} IN (${list.map(() => `CAST(? AS ${cast})`).join(', ')})`);
    values.push(...list);
  }
  for (const [d, list] of Object.entries(source.defaultFilters ?? {}) as [Dimension, number[] | undefined][]) {
    if (!list || groupBy.includes(d) || filters[d]) continue;
    where.push(`${columnOf(source, d)} IN (${list.map(() => 'CAST(? AS BIGINT)').join(', ')})`);
    values.push(...list);
  }
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
}

/** What rows are grouped by: a column, or the day / week start / month start of the event. */
function groupExpression(source: MetricSource, dimension: Dimension): string {
  if (!isTimeDimension(dimension)) return columnOf(source, dimension);
  if (source.dateColumn === null) throw new Error(`source ${source.name} has no dates for ${dimension}`);
  const day = source.shiftDays > 0 ? `(${quoteIdent(source.dateColumn)} + ${Math.trunc(source.shiftDays)})` : quoteIdent(source.dateColumn);
  switch (dimension) {
    case 'day':
      return day;
    case 'week':
      return `date_trunc('week', ${day})`;
    case 'month':
      return `date_trunc('month', ${day})`;
  }
}

/** The label of a group: day and week (its Monday) as YYYY-MM-DD, month as YYYY-MM; others as stored. */
function labelExpression(dimension: Dimension, group: string): string {
  if (!isTimeDimension(dimension)) return group;
  return `strftime(${group}, '${TIME_LABEL_FORMAT[dimension]}')`;
}

const TIME_LABEL_FORMAT: Record<TimeDimension, string> = { day: '%Y-%m-%d', week: '%Y-%m-%d', month: '%Y-%m' };

function columnOf(source: MetricSource, dimension: Dimension): string {
  const column = source.columns[dimension];
  // The definitions are checked by tests; reaching this is a programming error, not a user's.
  if (!column) throw new Error(`source ${source.name} has no column for dimension ${dimension}`);
  return quoteIdent(column);
}

function qualifiedTable(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}
