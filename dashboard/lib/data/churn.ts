// The Churn page: how risk is distributed, revenue at risk (from the metrics layer, the number the
// reports print), a watchlist ranked by risk × expected value with each customer's top drivers, and
// the churn model card (holdout quality against the recency-only baseline, calibration, data window).
import 'server-only';
import { queryMetrics, type DuckDb } from '../../../warehouse/index.ts';
import { cachedFromSnapshot } from '../server/warehouse.ts';
import { ownerCondition, scopeKey, type OwnerScope } from './owner-scope.ts';
import { getPeople, type Person } from './people.ts';

export const WATCHLIST_SIZE = 50;

export interface ChurnModelCard {
  model: string | null;
  features: string[];
  horizonDays: number | null;
  trainCutoff: string | null;
  testCutoff: string | null;
  rocAuc: number | null;
  prAuc: number | null;
  brier: number | null;
  baselineRocAuc: number | null;
  candidates: { kind: string; rocAuc: number | null; prAuc: number | null }[];
  calibration: { from: number; to: number; count: number; meanPredicted: number; observedRate: number }[];
  dataFrom: string | null;
  dataTo: string | null;
  notes: string | null;
}

export interface WatchItem {
  id: number;
  person: Person | null;
  segmentEn: string | null;
  segmentZh: string | null;
  region: string | null;
  churnRisk: number;
  churnBand: string | null;
  expectedValue12m: number;
  /** churn_risk / 100 × expected value: the revenue this customer puts at risk. */
  atRisk: number;
  lastOrderAt: string | null;
  drivers: string[];
}

export interface ChurnData {
  asOf: string;
  reportingCurrency: string;
  scored: number;
  /** Customers per 10-point risk bucket (0–9, 10–19, …, 90–100). */
  distribution: { from: number; to: number; customers: number }[];
  bands: { band: string; customers: number; atRisk: number }[];
  revenueAtRisk: number | null;
  atRiskBySegment: { segmentId: number | null; en: string | null; zh: string | null; atRisk: number }[];
  watchlist: Omit<WatchItem, 'person'>[];
  card: ChurnModelCard | null;
}

export function getChurn(): Promise<ChurnData> {
  return cachedFromSnapshot('churn', loadChurn);
}

/**
 * The Churn page's data with the watchlist's names (masked unless the role may see them). For a user
 * with an owner scope the watchlist holds only their owners' customers; the figures stay company-wide.
 */
export async function getChurnWithPeople(options: { unmasked: boolean; scope: OwnerScope }): Promise<Omit<ChurnData, 'watchlist'> & { watchlist: WatchItem[] }> {
  const data = await getChurn();
  const watchlist = options.scope ? await cachedFromSnapshot(`churn-watch|${scopeKey(options.scope)}`, (db) => loadWatchlist(db, options.scope)) : data.watchlist;
  const people = await getPeople(
    watchlist.map((w) => w.id),
    { unmasked: options.unmasked },
  );
  return { ...data, watchlist: watchlist.map((w) => ({ ...w, person: people.get(w.id) ?? null })) };
}

async function loadChurn(db: DuckDb): Promise<ChurnData> {
  const info = await db.one<{ as_of: string; first_day: string; currency: string }>(
    `SELECT strftime(b.as_of, '%Y-%m-%d') AS as_of, strftime(coalesce((SELECT min(order_date) FROM marts.order_facts), b.as_of), '%Y-%m-%d') AS first_day,
            s.reporting_currency AS currency
     FROM marts.build_info b, meta.snapshot_info s`,
  );
  const buckets = await db.all<{ bucket: number; customers: number }>(
    'SELECT least(CAST(floor(churn_risk / 10) AS INTEGER), 9) AS bucket, count(*) AS customers FROM marts.customer_360 WHERE churn_risk IS NOT NULL GROUP BY ALL ORDER BY bucket',
  );
  const byBucket = new Map(buckets.map((b) => [b.bucket, b.customers]));
  const distribution = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 9, customers: byBucket.get(i) ?? 0 }));
  const scored = buckets.reduce((a, b) => a + b.customers, 0);

  // Revenue at risk through the metrics layer, in total and per band and segment.
  const range = { from: info.first_day, to: info.as_of };
  const total = scored > 0 ? await queryMetrics(db, { ...range, metrics: ['revenue_at_risk', 'customers'], groupBy: ['churn_band'] }) : null;
  const bySegment = scored > 0 ? await queryMetrics(db, { ...range, metrics: ['revenue_at_risk'], groupBy: ['segment_id'] }) : null;
  const names = await db.all<{ segment_id: number; name_en: string | null; name_zh: string | null }>('SELECT segment_id, name_en, name_zh FROM models.segments');
  const nameById = new Map(names.map((n) => [n.segment_id, n]));
  const bandOrder = ['high', 'medium', 'low'];
  const bands = (total?.rows ?? [])
    .filter((r) => r.churn_band !== null)
    .map((r) => ({ band: String(r.churn_band), customers: Number(r.customers ?? 0), atRisk: Number(r.revenue_at_risk ?? 0) }))
    .sort((a, b) => bandOrder.indexOf(a.band) - bandOrder.indexOf(b.band));

  return {
    asOf: info.as_of,
    reportingCurrency: info.currency,
    scored,
    distribution,
    bands,
    revenueAtRisk: total ? (total.totals.revenue_at_risk ?? 0) : null,
    atRiskBySegment: (bySegment?.rows ?? [])
      .map((r) => {
        const id = r.segment_id === null ? null : Number(r.segment_id);
        const n = id === null ? undefined : nameById.get(id);
        return { segmentId: id, en: n?.name_en ?? null, zh: n?.name_zh ?? null, atRisk: Number(r.revenue_at_risk ?? 0) };
      })
      .sort((a, b) => b.atRisk - a.atRisk),
    watchlist: await loadWatchlist(db, null),
    card: await loadModelCard(db),
  };
}

/** The customers putting the most revenue at risk (of the scope's owners, when there is one). */
async function loadWatchlist(db: DuckDb, scope: OwnerScope): Promise<Omit<WatchItem, 'person'>[]> {
  const owners = ownerCondition(scope, 'c.owner_id');
  const watch = await db.all<{
    customer_id: number;
    segment_name_en: string | null;
    segment_name_zh: string | null;
    region: string | null;
    churn_risk: number;
    churn_band: string | null;
    expected_value_12m: number;
    at_risk: number;
    last_order_at: string | null;
    driver_1: string | null;
    driver_2: string | null;
    driver_3: string | null;
  }>(
    `SELECT c.customer_id, c.segment_name_en, c.segment_name_zh, c.region, c.churn_risk, c.churn_band, c.expected_value_12m,
            c.churn_risk / 100 * c.expected_value_12m AS at_risk, strftime(c.last_order_at, '%Y-%m-%d') AS last_order_at,
            s.driver_1, s.driver_2, s.driver_3
     FROM marts.customer_360 c LEFT JOIN models.customer_scores s USING (customer_id)
     WHERE c.churn_risk IS NOT NULL AND c.expected_value_12m > 0${owners ? ` AND ${owners.sql}` : ''}
     ORDER BY at_risk DESC, c.customer_id LIMIT ?`,
    [...(owners?.values ?? []), WATCHLIST_SIZE],
  );
  return watch.map((w) => ({
    id: w.customer_id,
    segmentEn: w.segment_name_en,
    segmentZh: w.segment_name_zh,
    region: w.region,
    churnRisk: w.churn_risk,
    churnBand: w.churn_band,
    expectedValue12m: w.expected_value_12m,
    atRisk: w.at_risk,
    lastOrderAt: w.last_order_at,
    drivers: [w.driver_1, w.driver_2, w.driver_3].filter((d): d is string => !!d),
  }));
}

async function loadModelCard(db: DuckDb): Promise<ChurnModelCard | null> {
  const rows = await db.all<{ parameters: string | null; quality: string | null; data_from: string | null; data_to: string | null; notes: string | null }>(
    `SELECT parameters::VARCHAR AS parameters, quality::VARCHAR AS quality, strftime(data_from, '%Y-%m-%d') AS data_from, strftime(data_to, '%Y-%m-%d') AS data_to, notes
     FROM models.model_cards WHERE model = 'churn' ORDER BY run_id DESC LIMIT 1`,
  );
  const row = rows[0];
  if (!row) return null;
  const p = safeJson(row.parameters);
  const q = safeJson(row.quality);
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    model: str(p.model),
    features: Array.isArray(p.features) ? p.features.map(String) : [],
    horizonDays: num(p.horizonDays),
    trainCutoff: str(p.trainCutoff),
    testCutoff: str(p.testCutoff),
    rocAuc: num(q.rocAuc),
    prAuc: num(q.prAuc),
    brier: num(q.brier),
    baselineRocAuc: num(q.recencyBaselineRocAuc),
    candidates: Array.isArray(q.candidates)
      ? (q.candidates as Record<string, unknown>[]).map((c) => ({ kind: String(c.kind ?? ''), rocAuc: num(c.rocAuc), prAuc: num(c.prAuc) }))
      : [],
    calibration: Array.isArray(q.calibration)
      ? (q.calibration as Record<string, unknown>[]).map((c) => ({
          from: Number(c.from),
          to: Number(c.to),
          count: Number(c.count),
          meanPredicted: Number(c.meanPredicted),
          observedRate: Number(c.observedRate),
        }))
      : [],
    dataFrom: row.data_from,
    dataTo: row.data_to,
    notes: row.notes,
  };
}

function safeJson(text: string | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
