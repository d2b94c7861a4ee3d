// The Retention page: monthly cohorts (first order month) with the share of each cohort that
// ordered again N months later, and their revenue, from marts.cohort_retention.
import 'server-only';
import type { DuckDb } from '../../../warehouse/index.ts';
import { cachedFromSnapshot } from '../server/warehouse.ts';

export interface Cohort {
  /** YYYY-MM */
  month: string;
  size: number;
  /** Index = months since the first order; the cell for month 0 is the cohort itself. */
  cells: { active: number; retention: number; revenue: number }[];
}

export interface RetentionData {
  reportingCurrency: string;
  cohorts: Cohort[];
  maxMonths: number;
}

/** Cohorts shown at most (the most recent ones): 24 months fit a grid on a screen. */
export const MAX_COHORTS = 24;

export function getRetention(): Promise<RetentionData> {
  return cachedFromSnapshot('retention', loadRetention);
}

async function loadRetention(db: DuckDb): Promise<RetentionData> {
  const info = await db.one<{ currency: string }>('SELECT reporting_currency AS currency FROM meta.snapshot_info');
  const rows = await db.all<{ month: string; months_since: number; active: number; size: number; retention: number; revenue: number }>(
    `SELECT strftime(cohort_month, '%Y-%m') AS month, months_since, customers_active AS active, cohort_size AS size, retention, CAST(revenue AS DOUBLE) AS revenue
     FROM marts.cohort_retention
     WHERE cohort_month >= (SELECT coalesce(max(cohort_month), DATE '1970-01-01') - INTERVAL ${MAX_COHORTS - 1} MONTH FROM marts.cohort_retention)
     ORDER BY cohort_month, months_since`,
  );
  const byMonth = new Map<string, Cohort>();
  for (const r of rows) {
    let cohort = byMonth.get(r.month);
    if (!cohort) byMonth.set(r.month, (cohort = { month: r.month, size: r.size, cells: [] }));
    cohort.cells[r.months_since] = { active: r.active, retention: r.retention, revenue: r.revenue };
  }
  const cohorts = [...byMonth.values()].map((c) => ({ ...c, cells: Array.from(c.cells, (cell) => cell ?? { active: 0, retention: 0, revenue: 0 }) }));
  return { reportingCurrency: info.currency, cohorts, maxMonths: Math.max(0, ...cohorts.map((c) => c.cells.length)) };
}
