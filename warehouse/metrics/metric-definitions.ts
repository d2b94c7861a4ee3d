// Every metric Pulse shows is defined here, once: its labels, unit, the mart it reads, its SQL
// aggregate and the dimensions it may be grouped and filtered by. The dashboard, the PDF and the Excel
// reports all ask `queryMetrics` for these names, so a number is the same wherever it appears.
// The SQL here is fixed text written by us; nothing a user sends is ever put into it.
import { LAPSE_DAYS, exactMoneyRatioSql } from '../marts/mart.queries.ts';

export interface LocalizedText {
  en: string;
  'zh-CN': string;
}

export const DIMENSION_NAMES = ['day', 'week', 'month', 'channel', 'country', 'region', 'currency', 'segment_id', 'churn_band', 'months_since'] as const;
export type Dimension = (typeof DIMENSION_NAMES)[number];

export const TIME_DIMENSIONS = ['day', 'week', 'month'] as const satisfies readonly Dimension[];
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

export function isTimeDimension(dimension: Dimension): dimension is TimeDimension {
  return (TIME_DIMENSIONS as readonly Dimension[]).includes(dimension);
}

export interface DimensionDefinition {
  name: Dimension;
  label: LocalizedText;
  /** How filter values are bound: text dimensions compare as VARCHAR, integer ones need whole numbers. Time dimensions are not filterable (use from/to). */
  valueType: 'text' | 'integer' | 'time';
  /** Rows grouped by an ordinal dimension come in its order; others come biggest first. */
  ordinal: boolean;
}

export const DIMENSIONS: Record<Dimension, DimensionDefinition> = {
  day: { name: 'day', label: { en: 'Day', 'zh-CN': '日' }, valueType: 'time', ordinal: true },
  week: { name: 'week', label: { en: 'Week (from Monday)', 'zh-CN': '周（周一起）' }, valueType: 'time', ordinal: true },
  month: { name: 'month', label: { en: 'Month', 'zh-CN': '月' }, valueType: 'time', ordinal: true },
  channel: { name: 'channel', label: { en: 'Sales channel', 'zh-CN': '销售渠道' }, valueType: 'text', ordinal: false },
  country: { name: 'country', label: { en: 'Country', 'zh-CN': '国家/地区' }, valueType: 'text', ordinal: false },
  region: { name: 'region', label: { en: 'Region', 'zh-CN': '区域' }, valueType: 'text', ordinal: false },
  currency: { name: 'currency', label: { en: 'Currency', 'zh-CN': '币种' }, valueType: 'text', ordinal: false },
  segment_id: { name: 'segment_id', label: { en: 'Segment', 'zh-CN': '客户分群' }, valueType: 'integer', ordinal: false },
  churn_band: { name: 'churn_band', label: { en: 'Churn risk band', 'zh-CN': '流失风险等级' }, valueType: 'text', ordinal: false },
  months_since: { name: 'months_since', label: { en: 'Months since first order', 'zh-CN': '首单后月数' }, valueType: 'integer', ordinal: true },
};

export const METRIC_SOURCE_NAMES = ['orders', 'daily', 'lapses', 'cohorts', 'customers'] as const;
export type MetricSourceName = (typeof METRIC_SOURCE_NAMES)[number];

/** A mart a metric reads, and how a query's date range and dimensions map onto its columns. */
export interface MetricSource {
  name: MetricSourceName;
  /** Table in the published snapshot (schema.table). */
  table: string;
  /**
   * How the query's [from, to] range selects rows: 'day' — the event day (dateColumn + shiftDays) lies in
   * the range; 'month' — the row's month (dateColumn, first of month) overlaps the range; null — the
   * source describes the as-of day and ignores the range (no time dimensions, no comparison).
   */
  dateGrain: 'day' | 'month' | null;
  dateColumn: string | null;
  /** The event happens this many days after dateColumn (a lapse: LAPSE_DAYS after the last order). */
  shiftDays: number;
  /** Fixed condition every query of this source adds. */
  where?: string;
  /** Column (or fixed expression) behind each non-time dimension this source offers. */
  columns: Partial<Record<Dimension, string>>;
  /** Filters applied when a query neither groups nor filters by that dimension. */
  defaultFilters?: Partial<Record<Dimension, number[]>>;
}

export const METRIC_SOURCES: Record<MetricSourceName, MetricSource> = {
  // One row per order up to the as-of day, dimensions copied in.
  orders: {
    name: 'orders',
    table: 'marts.order_facts',
    dateGrain: 'day',
    dateColumn: 'order_date',
    shiftDays: 0,
    columns: { channel: 'channel', country: 'country', region: 'region', currency: 'currency', segment_id: 'segment_id', churn_band: 'churn_band' },
  },
  // One row per day, the same numbers pre-added: answers unfiltered, time-grouped queries in a millisecond.
  daily: {
    name: 'daily',
    table: 'marts.daily_kpis',
    dateGrain: 'day',
    dateColumn: 'day',
    shiftDays: 0,
    columns: {},
  },
  // A customer's last paid order; the event is the day LAPSE_DAYS later, and only if that day has come.
  lapses: {
    name: 'lapses',
    table: 'marts.order_facts',
    dateGrain: 'day',
    dateColumn: 'order_date',
    shiftDays: LAPSE_DAYS,
    where: `is_last_order AND order_date + ${LAPSE_DAYS} <= (SELECT as_of FROM marts.build_info)`,
    columns: { channel: 'channel', country: 'country', region: 'region', currency: 'currency', segment_id: 'segment_id', churn_band: 'churn_band' },
  },
  // Monthly cohorts; without a months_since filter or grouping, retention means month-1 retention.
  cohorts: {
    name: 'cohorts',
    table: 'marts.cohort_retention',
    dateGrain: 'month',
    dateColumn: 'cohort_month',
    shiftDays: 0,
    columns: { months_since: 'months_since' },
    defaultFilters: { months_since: [1] },
  },
  // Customers as of the snapshot's as-of day.
  customers: {
    name: 'customers',
    table: 'marts.customer_360',
    dateGrain: null,
    dateColumn: null,
    shiftDays: 0,
    columns: { country: 'country', region: 'region', currency: 'currency', segment_id: 'segment_id', churn_band: 'churn_band' },
  },
};

export const METRIC_NAMES = [
  'revenue',
  'orders',
  'active_customers',
  'new_customers',
  'average_order_value',
  'refunds',
  'refund_amount',
  'retention',
  'revenue_at_risk',
  'customers',
  'lapsed_customers',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export type MetricUnit = 'currency' | 'count' | 'ratio';

/** The placeholder in an expression for the size of the distinct-customer bitmap (build_info.customer_keys). */
export const CUSTOMER_KEYS = '{customer_keys}';

export interface MetricDefinition {
  name: MetricName;
  label: LocalizedText;
  description: LocalizedText;
  unit: MetricUnit;
  source: MetricSourceName;
  /** SQL aggregate over the source's rows, per group. Money sums stay DECIMAL (exact) and are rounded to cents last. */
  expression: string;
  /** SQL aggregate for the whole range, where a faster exact form exists (a bitmap for distinct customers). */
  totalExpression?: string;
  /**
   * The total is exactly the sum of the group rows (whole counts, or money sums to the cent), so a
   * grouped query needs no second scan for it.
   */
  summable: boolean;
  /**
   * The same metric from daily_kpis, used when a query has no filters and groups by time at most.
   * `byDayOnly`: the daily value cannot be added up into weeks, months or a total (distinct customers);
   * the total then comes from the monthly customer bitmaps (marts.active_customer_months).
   */
  daily?: { expression: string; summable: boolean; byDayOnly?: boolean };
  /**
   * A money ratio of two summable metrics (average order value = revenue / orders): in a grouped
   * query its total is derived exactly from theirs, with no second scan.
   */
  ratioOf?: { numerator: MetricName; denominator: MetricName };
  dimensions: readonly Dimension[];
  /** Whether grouped rows add up to the total, for the reader (false for distinct counts and ratios). */
  additive: boolean;
  /** A period with no rows shows this: 0 for sums and counts, null where the value is undefined. */
  emptyValue: 0 | null;
}

const ORDER_DIMENSIONS = ['day', 'week', 'month', 'channel', 'country', 'region', 'currency', 'segment_id', 'churn_band'] as const satisfies readonly Dimension[];
const CUSTOMER_DIMENSIONS = ['country', 'region', 'currency', 'segment_id', 'churn_band'] as const satisfies readonly Dimension[];

const PAID_REVENUE = "sum(amount_reporting) FILTER (WHERE status = 'paid')";
const PAID_ORDERS = "count(*) FILTER (WHERE status = 'paid')";

export const METRICS: Record<MetricName, MetricDefinition> = {
  revenue: {
    name: 'revenue',
    label: { en: 'Revenue', 'zh-CN': '收入' },
    description: { en: 'Paid orders, in the reporting currency at the order-day FX rate.', 'zh-CN': '已支付订单金额，按下单日汇率折算为报表币种。' },
    unit: 'currency',
    source: 'orders',
    expression: `round(coalesce(${PAID_REVENUE}, 0), 2)`,
    summable: true,
    daily: { expression: 'round(coalesce(sum(revenue), 0), 2)', summable: true },
    dimensions: ORDER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
  orders: {
    name: 'orders',
    label: { en: 'Orders', 'zh-CN': '订单数' },
    description: { en: 'Number of paid orders.', 'zh-CN': '已支付订单数量。' },
    unit: 'count',
    source: 'orders',
    expression: PAID_ORDERS,
    summable: true,
    daily: { expression: 'coalesce(sum(orders), 0)', summable: true },
    dimensions: ORDER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
  active_customers: {
    name: 'active_customers',
    label: { en: 'Active customers', 'zh-CN': '活跃客户' },
    description: { en: 'Distinct customers with a paid order in the period (a customer counts once per row and once in the total).', 'zh-CN': '期间内有已支付订单的客户数（去重）。' },
    unit: 'count',
    source: 'orders',
    expression: "count(DISTINCT customer_key) FILTER (WHERE status = 'paid')",
    // One bit per customer: exact, and several times faster than a hash of the ids over a long range.
    totalExpression: `coalesce(bit_count(bitstring_agg(customer_key, 1, ${CUSTOMER_KEYS}) FILTER (WHERE status = 'paid')), 0)`,
    summable: false,
    daily: { expression: 'coalesce(sum(active_customers), 0)', summable: false, byDayOnly: true },
    dimensions: ORDER_DIMENSIONS,
    additive: false,
    emptyValue: 0,
  },
  new_customers: {
    name: 'new_customers',
    label: { en: 'New customers', 'zh-CN': '新客户' },
    description: { en: 'Customers whose first paid order falls in the period (by channel: the channel of that first order).', 'zh-CN': '首个已支付订单落在期间内的客户数（按渠道时为首单渠道）。' },
    unit: 'count',
    source: 'orders',
    expression: 'count(*) FILTER (WHERE is_first_order)',
    summable: true,
    daily: { expression: 'coalesce(sum(new_customers), 0)', summable: true },
    dimensions: ORDER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
  average_order_value: {
    name: 'average_order_value',
    label: { en: 'Average order value', 'zh-CN': '平均订单金额' },
    description: { en: 'Revenue divided by orders, rounded to the cent.', 'zh-CN': '收入除以订单数，四舍五入到分。' },
    unit: 'currency',
    source: 'orders',
    expression: exactMoneyRatioSql(PAID_REVENUE, PAID_ORDERS),
    summable: false,
    daily: { expression: exactMoneyRatioSql('sum(revenue)', 'sum(orders)'), summable: false },
    ratioOf: { numerator: 'revenue', denominator: 'orders' },
    dimensions: ORDER_DIMENSIONS,
    additive: false,
    emptyValue: null,
  },
  refunds: {
    name: 'refunds',
    label: { en: 'Refunds', 'zh-CN': '退款订单数' },
    description: { en: 'Number of refunded orders, counted on the order day.', 'zh-CN': '已退款订单数量，按下单日统计。' },
    unit: 'count',
    source: 'orders',
    expression: "count(*) FILTER (WHERE status = 'refunded')",
    summable: true,
    daily: { expression: 'coalesce(sum(refunds), 0)', summable: true },
    dimensions: ORDER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
  refund_amount: {
    name: 'refund_amount',
    label: { en: 'Refunded amount', 'zh-CN': '退款金额' },
    description: { en: 'Amount of refunded orders in the reporting currency, counted on the order day.', 'zh-CN': '已退款订单金额（报表币种），按下单日统计。' },
    unit: 'currency',
    source: 'orders',
    expression: "round(coalesce(sum(amount_reporting) FILTER (WHERE status = 'refunded'), 0), 2)",
    summable: true,
    daily: { expression: 'round(coalesce(sum(refund_amount), 0), 2)', summable: true },
    dimensions: ORDER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
  retention: {
    name: 'retention',
    label: { en: 'Retention', 'zh-CN': '留存率' },
    description: {
      en: 'Of the customers whose first order month overlaps the period, the share who bought again N months later (N = 1 unless months_since is chosen).',
      'zh-CN': '首单月份落在期间内的客户中，N 个月后再次购买的比例（未选择首单后月数时 N = 1）。',
    },
    unit: 'ratio',
    source: 'cohorts',
    expression: 'sum(customers_active) / nullif(sum(cohort_size), 0)',
    summable: false,
    dimensions: ['month', 'months_since'],
    additive: false,
    emptyValue: null,
  },
  revenue_at_risk: {
    name: 'revenue_at_risk',
    label: { en: 'Revenue at risk', 'zh-CN': '风险收入' },
    description: {
      en: 'Sum over customers of churn risk × expected value of the next 12 months, as of the snapshot.',
      'zh-CN': '按客户汇总的流失风险 × 未来 12 个月预期价值（截至快照日）。',
    },
    unit: 'currency',
    source: 'customers',
    // Each customer's share is fixed to 6 decimals, so the sum is exact and independent of row order.
    expression: 'round(coalesce(sum(CAST(churn_risk / 100 * expected_value_12m AS DECIMAL(18,6))), 0), 2)',
    // Rounded per row: the rows of a grouping need not add up to the rounded total to the cent.
    summable: false,
    dimensions: CUSTOMER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
  customers: {
    name: 'customers',
    label: { en: 'Customers', 'zh-CN': '客户数' },
    description: { en: 'Customers (not deleted) as of the snapshot.', 'zh-CN': '截至快照日的客户数（不含已删除）。' },
    unit: 'count',
    source: 'customers',
    expression: 'count(*)',
    summable: true,
    dimensions: CUSTOMER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
  lapsed_customers: {
    name: 'lapsed_customers',
    label: { en: 'Lapsed customers', 'zh-CN': '流失客户' },
    description: {
      en: `Customers who became lapsed in the period: ${LAPSE_DAYS} days passed since their last paid order without another (by channel: the channel of that last order).`,
      'zh-CN': `期间内转为流失的客户：最后一个已支付订单后 ${LAPSE_DAYS} 天内无新订单（按渠道时为最后订单渠道）。`,
    },
    unit: 'count',
    source: 'lapses',
    expression: 'count(*)',
    summable: true,
    daily: { expression: 'coalesce(sum(lapsed_customers), 0)', summable: true },
    dimensions: ORDER_DIMENSIONS,
    additive: true,
    emptyValue: 0,
  },
};

export function listMetrics(): MetricDefinition[] {
  return METRIC_NAMES.map((name) => METRICS[name]);
}
