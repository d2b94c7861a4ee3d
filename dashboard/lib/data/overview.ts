// Everything the Overview page shows, read through the warehouse's metrics layer (queryMetrics), so
// each number is the one the PDF and Excel reports print. Server-only: runs inside server components
// and the /api/overview route.
import 'server-only';
import { queryMetrics, type DuckDb, type MetricRow } from '../../../warehouse/index.ts';
import { resolvePeriod, type Filters, type Period } from '../filters.ts';
import { cachedFromSnapshot } from '../server/warehouse.ts';

export interface Kpi {
  value: number | null;
  previous: number | null;
  /** (value - previous) / previous; null when there is nothing to compare with. */
  change: number | null;
}

export interface OverviewData {
  asOf: string;
  period: Period;
  reportingCurrency: string;
  /** The currency amounts are shown in (the reporting one unless the currency view asks otherwise). */
  currency: string;
  /** Reporting currency → shown currency, at the as-of day's rate (1 when they are the same). */
  fxFactor: number;
  kpis: {
    revenue: Kpi;
    orders: Kpi;
    activeCustomers: Kpi;
    newCustomers: Kpi;
    aov: Kpi;
    /** Churn risk × expected 12-month value, as of the snapshot; null until the churn model has run. */
    churnRiskRevenue: number | null;
  };
  trendGrain: 'day' | 'week' | 'month';
  trend: { bucket: string; current: number; previous: number | null }[];
  channels: { channel: string; orders: number }[];
  newVsLapsed: { bucket: string; new: number; lapsed: number }[];
  regions: { region: string | null; revenue: number; share: number }[];
}

export interface FilterOptions {
  asOf: string;
  reportingCurrency: string;
  regions: string[];
  currencies: string[];
  segments: { id: number; en: string | null; zh: string | null }[];
}

/** Region, currency and segment choices for the filter bar, from the snapshot. */
export function getFilterOptions(): Promise<FilterOptions> {
  return cachedFromSnapshot('filter-options', async (db) => {
    const info = await db.one<{ as_of: string; currency: string }>(
      "SELECT strftime(b.as_of, '%Y-%m-%d') AS as_of, s.reporting_currency AS currency FROM marts.build_info b, meta.snapshot_info s",
    );
    const regions = await db.all<{ region: string }>('SELECT DISTINCT region FROM marts.customer_360 WHERE region IS NOT NULL ORDER BY region LIMIT 500');
    const currencies = await db.all<{ currency: string }>('SELECT DISTINCT currency FROM core.fx_rates ORDER BY currency');
    const segments = await db.all<{ id: number; en: string | null; zh: string | null }>(
      'SELECT segment_id AS id, any_value(segment_name_en) AS en, any_value(segment_name_zh) AS zh FROM marts.customer_360 WHERE segment_id IS NOT NULL GROUP BY segment_id ORDER BY segment_id',
    );
    const all = new Set([info.currency, ...currencies.map((c) => c.currency), 'USD']);
    return {
      asOf: info.as_of,
      reportingCurrency: info.currency,
      regions: regions.map((r) => r.region),
      currencies: [...all].sort(),
      segments,
    };
  });
}

export function getOverview(filters: Filters): Promise<OverviewData> {
  return cachedFromSnapshot(`overview|${JSON.stringify(filters)}`, (db) => loadOverview(db, filters));
}

async function loadOverview(db: DuckDb, filters: Filters): Promise<OverviewData> {
  const info = await db.one<{ as_of: string; currency: string }>(
    "SELECT strftime(b.as_of, '%Y-%m-%d') AS as_of, s.reporting_currency AS currency FROM marts.build_info b, meta.snapshot_info s",
  );
  const period = resolvePeriod(filters, info.as_of);
  const currency = filters.currency ?? info.currency;
  const fxFactor = currency === info.currency ? 1 : await conversionFactor(db, info.currency, currency, info.as_of);
  const money = (v: number | null) => (v === null ? null : v * fxFactor);

  const where: { region?: string[]; segment_id?: number[] } = {};
  if (filters.region) where.region = [filters.region];
  if (filters.segment !== undefined) where.segment_id = [filters.segment];
  const base = { from: period.from, to: period.to, filters: where };

  const kpi = await queryMetrics(db, {
    ...base,
    metrics: ['revenue', 'orders', 'active_customers', 'new_customers', 'average_order_value', 'revenue_at_risk'],
    compareTo: 'previous_period',
  });
  const previous = kpi.previousTotals;
  const makeKpi = (value: number | null, before: number | null | undefined): Kpi => ({
    value,
    previous: before ?? null,
    change: value !== null && before ? (value - before) / before : null,
  });

  const trendGrain = period.days <= 92 ? 'day' : period.days <= 400 ? 'week' : 'month';
  const trend = await queryMetrics(db, { ...base, metrics: ['revenue'], groupBy: [trendGrain], compareTo: 'previous_period' });
  const previousRows = trend.comparison?.rows ?? [];

  const bucketGrain = period.days <= 92 ? 'week' : 'month';
  const lifecycle = await queryMetrics(db, { ...base, metrics: ['new_customers', 'lapsed_customers'], groupBy: [bucketGrain] });
  const channels = await queryMetrics(db, { ...base, metrics: ['orders'], groupBy: ['channel'] });
  const regions = await queryMetrics(db, { ...base, metrics: ['revenue'], groupBy: ['region'], limit: 8 });
  const totalRevenue = regions.totals.revenue ?? 0;

  // revenue_at_risk is 0 (not null) when churn scores are missing: tell the two apart.
  const scored = await db.one<{ n: number }>('SELECT count(*) AS n FROM marts.customer_360 WHERE churn_risk IS NOT NULL');

  return {
    asOf: info.as_of,
    period,
    reportingCurrency: info.currency,
    currency,
    fxFactor,
    kpis: {
      revenue: makeKpi(money(kpi.totals.revenue), money(previous?.revenue ?? null)),
      orders: makeKpi(kpi.totals.orders, previous?.orders),
      activeCustomers: makeKpi(kpi.totals.active_customers, previous?.active_customers),
      newCustomers: makeKpi(kpi.totals.new_customers, previous?.new_customers),
      aov: makeKpi(money(kpi.totals.average_order_value), money(previous?.average_order_value ?? null)),
      churnRiskRevenue: scored.n > 0 ? money(kpi.totals.revenue_at_risk) : null,
    },
    trendGrain,
    trend: trend.rows.map((row, i) => ({
      bucket: String(row[trendGrain]),
      current: money(num(row.revenue)) ?? 0,
      previous: previousRows[i] ? money(num(previousRows[i]!.revenue)) : null,
    })),
    channels: channels.rows.map((row) => ({ channel: String(row.channel ?? 'unknown'), orders: num(row.orders) ?? 0 })),
    newVsLapsed: lifecycle.rows.map((row: MetricRow) => ({
      bucket: String(row[bucketGrain]),
      new: num(row.new_customers) ?? 0,
      lapsed: num(row.lapsed_customers) ?? 0,
    })),
    regions: regions.rows.map((row) => ({
      region: row.region === null ? null : String(row.region),
      revenue: money(num(row.revenue)) ?? 0,
      share: totalRevenue ? (num(row.revenue) ?? 0) / totalRevenue : 0,
    })),
  };
}

/** Units of `to` per unit of `from` on the latest rate at or before `asOf` (rates are units per USD). */
async function conversionFactor(db: DuckDb, from: string, to: string, asOf: string): Promise<number> {
  const rate = async (currency: string): Promise<number | null> => {
    if (currency === 'USD') return 1;
    const rows = await db.all<{ r: number }>(
      'SELECT CAST(units_per_usd AS DOUBLE) AS r FROM core.fx_rates WHERE currency = ? AND rate_date <= ?::DATE ORDER BY rate_date DESC LIMIT 1',
      [currency, asOf],
    );
    return rows[0]?.r ?? null;
  };
  const [rFrom, rTo] = [await rate(from), await rate(to)];
  if (!rFrom || !rTo) throw new UnknownCurrencyError(to);
  return rTo / rFrom;
}

export class UnknownCurrencyError extends Error {
  readonly field = 'currency';
  constructor(readonly currency: string) {
    super(`no exchange rate for ${currency}`);
  }
}

function num(value: unknown): number | null {
  return typeof value === 'number' ? value : value === null || value === undefined ? null : Number(value);
}
