// Campaign results from the published snapshot (marts.campaign_results and its breakdowns by segment
// and churn-risk band, warehouse/marts/campaign.queries.ts): per campaign the audience, the funnel,
// revenue attributed within the window, and the lift against the holdout with its interval.
import 'server-only';
import type { DuckDb, JsonValue } from '../../../warehouse/index.ts';
import { cachedFromSnapshot } from '../server/warehouse.ts';

export interface CampaignMeasures {
  audience: number;
  holdout: number;
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
  buyers: number;
  orders: number;
  revenue: number;
  openRate: number | null;
  clickRate: number | null;
  conversionRate: number | null;
  revenuePerCustomer: number | null;
  holdoutConverted: number;
  holdoutBuyers: number;
  holdoutRevenue: number;
  holdoutConversionRate: number | null;
  holdoutRevenuePerCustomer: number | null;
  conversionLift: number | null;
  conversionLiftLow: number | null;
  conversionLiftHigh: number | null;
  conversionLiftRelative: number | null;
  conversionLiftSignificant: boolean | null;
  revenueLift: number | null;
  revenueLiftLow: number | null;
  revenueLiftHigh: number | null;
  revenueLiftSignificant: boolean | null;
}

export interface Campaign extends CampaignMeasures {
  id: number;
  name: string;
  channel: string | null;
  startedAt: string;
  endedAt: string | null;
  windowEnd: string;
  windowComplete: boolean;
  attributionDays: number;
}

export interface CampaignsData {
  /** False on a snapshot published before campaign results existed. */
  available: boolean;
  reportingCurrency: string;
  asOf: string | null;
  campaigns: Campaign[];
}

export interface CampaignDetail {
  reportingCurrency: string;
  campaign: Campaign;
  bySegment: (CampaignMeasures & { segmentId: number | null; en: string | null; zh: string | null })[];
  byBand: (CampaignMeasures & { band: string | null })[];
}

type Row = Record<string, JsonValue>;

const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const boolOrNull = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(v));

function measuresOf(r: Row): CampaignMeasures {
  return {
    audience: num(r.audience),
    holdout: num(r.holdout),
    sent: num(r.sent),
    opened: num(r.opened),
    clicked: num(r.clicked),
    converted: num(r.converted),
    buyers: num(r.buyers),
    orders: num(r.orders),
    revenue: num(r.revenue),
    openRate: numOrNull(r.open_rate),
    clickRate: numOrNull(r.click_rate),
    conversionRate: numOrNull(r.conversion_rate),
    revenuePerCustomer: numOrNull(r.revenue_per_customer),
    holdoutConverted: num(r.holdout_converted),
    holdoutBuyers: num(r.holdout_buyers),
    holdoutRevenue: num(r.holdout_revenue),
    holdoutConversionRate: numOrNull(r.holdout_conversion_rate),
    holdoutRevenuePerCustomer: numOrNull(r.holdout_revenue_per_customer),
    conversionLift: numOrNull(r.conversion_lift),
    conversionLiftLow: numOrNull(r.conversion_lift_low),
    conversionLiftHigh: numOrNull(r.conversion_lift_high),
    conversionLiftRelative: numOrNull(r.conversion_lift_relative),
    conversionLiftSignificant: boolOrNull(r.conversion_lift_significant),
    revenueLift: numOrNull(r.revenue_lift_per_customer),
    revenueLiftLow: numOrNull(r.revenue_lift_low),
    revenueLiftHigh: numOrNull(r.revenue_lift_high),
    revenueLiftSignificant: boolOrNull(r.revenue_lift_significant),
  };
}

function campaignOf(r: Row): Campaign {
  return {
    id: num(r.campaign_id),
    name: String(r.name),
    channel: r.channel === null || r.channel === undefined ? null : String(r.channel),
    startedAt: String(r.started_at_iso),
    endedAt: r.ended_at_iso === null ? null : String(r.ended_at_iso),
    windowEnd: String(r.window_end_iso),
    windowComplete: Boolean(r.window_complete),
    attributionDays: num(r.attribution_days),
    ...measuresOf(r),
  };
}

const TIMES = `strftime(started_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS started_at_iso,
  CASE WHEN ended_at IS NULL THEN NULL ELSE strftime(ended_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') END AS ended_at_iso,
  strftime(window_end AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS window_end_iso`;

async function hasCampaignResults(db: DuckDb): Promise<boolean> {
  const found = await db.all("SELECT 1 FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = 'campaign_results'");
  return found.length > 0;
}

export function getCampaigns(): Promise<CampaignsData> {
  return cachedFromSnapshot('campaigns', async (db) => {
    const { currency } = await db.one<{ currency: string }>('SELECT reporting_currency AS currency FROM meta.snapshot_info');
    if (!(await hasCampaignResults(db))) return { available: false, reportingCurrency: currency, asOf: null, campaigns: [] };
    const { as_of: asOf } = await db.one<{ as_of: string }>("SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM marts.build_info");
    const rows = await db.all<Row>(`SELECT *, ${TIMES} FROM marts.campaign_results ORDER BY started_at DESC, campaign_id`);
    return { available: true, reportingCurrency: currency, asOf, campaigns: rows.map(campaignOf) };
  });
}

export function parseCampaignId(value: string): number | null {
  return /^\d{1,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;
}

/** One campaign with its breakdowns; undefined when the snapshot has no such campaign. */
export function getCampaign(id: number): Promise<CampaignDetail | undefined> {
  return cachedFromSnapshot(`campaign:${id}`, async (db) => {
    const { currency } = await db.one<{ currency: string }>('SELECT reporting_currency AS currency FROM meta.snapshot_info');
    if (!(await hasCampaignResults(db))) return undefined;
    const [row] = await db.all<Row>(`SELECT *, ${TIMES} FROM marts.campaign_results WHERE campaign_id = ?`, [id]);
    if (!row) return undefined;
    const segments = await db.all<Row>('SELECT * FROM marts.campaign_results_by_segment WHERE campaign_id = ? ORDER BY audience + holdout DESC, segment_id NULLS LAST', [id]);
    const bands = await db.all<Row>(
      "SELECT * FROM marts.campaign_results_by_band WHERE campaign_id = ? ORDER BY CASE churn_band WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END",
      [id],
    );
    return {
      reportingCurrency: currency,
      campaign: campaignOf(row),
      bySegment: segments.map((s) => ({
        segmentId: s.segment_id === null ? null : num(s.segment_id),
        en: (s.segment_name_en as string | null) ?? null,
        zh: (s.segment_name_zh as string | null) ?? null,
        ...measuresOf(s),
      })),
      byBand: bands.map((b) => ({ band: (b.churn_band as string | null) ?? null, ...measuresOf(b) })),
    };
  });
}
