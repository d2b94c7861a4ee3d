// Builds the marts of a snapshot from its core tables, inside the snapshot build (transform.ts), so a
// published snapshot always has marts that match its core tables. The order matters: order_facts
// first (it fixes each customer's first and last order), then the marts that read it.
import { WarehouseError } from '../../lib/errors.ts';
import type { DuckDb } from '../duckdb.ts';
import {
  createActiveCustomerMonths,
  createBuildInfo,
  createCohortRetention,
  createCustomer360,
  indexCustomer360,
  createDailyKpis,
  createMartsSchema,
  ORDER_FACT_ENUMS,
  createOrderFactEnum,
  createOrderFactsTable,
  createOrderKeys,
  dayExpression,
  dropOrderKeys,
  insertOrderFacts,
  selectDefaultAsOf,
  selectCustomerKeys,
  selectOrderMonths,
  selectSessionTimeZone,
  updateOrderFactScores,
  type DayExpression,
  type OrderFactEnum,
  type SqlStatement,
} from './mart.queries.ts';
import { DEFAULT_ATTRIBUTION_DAYS, createCampaignMembers, createCampaignResults, createCampaignResultsBy } from './campaign.queries.ts';

export interface MartsContext {
  /** The day the marts describe (YYYY-MM-DD). Default: the latest order day, so a rebuild of the same data gives the same marts. */
  asOf?: string;
  /** Days after a campaign's start whose conversions and orders count as its results (PULSE_ATTRIBUTION_DAYS). */
  attributionDays?: number;
}

export type MartName = 'order_facts' | 'customer_360' | 'daily_kpis' | 'cohort_retention' | 'active_customer_months' | 'campaign_results';

export interface MartsBuildResult {
  asOf: string;
  /** Wall-clock seconds per step ('customer_keys' is the shared pass over the orders). */
  seconds: Record<MartName | 'customer_keys', number>;
  /** CPU seconds of this process (all DuckDB threads) per step. */
  cpuSeconds: Record<MartName | 'customer_keys', number>;
}

/** Most orders one order_facts insert sorts at once (about 200 MB of sort data). */
export const ORDER_FACTS_CHUNK_ROWS = 2_000_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Creates `<target>.marts.*`: order_facts, build_info, customer_360, daily_kpis, cohort_retention,
 * active_customer_months, and the campaign results (campaign_members, campaign_results and the
 * breakdowns by segment and band, which the models step rebuilds once customers are scored).
 * Each is one set-based statement (order_facts: a few, in chunks); none loops over customers.
 */
export async function buildMarts(db: DuckDb, target: string, context: MartsContext = {}): Promise<MartsBuildResult> {
  const asOf = context.asOf ?? (await db.one<{ as_of: string }>(selectDefaultAsOf(target).text)).as_of;
  if (!DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)) || new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf) {
    throw new WarehouseError('bad_as_of', `asOf must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  }
  const attributionDays = context.attributionDays ?? DEFAULT_ATTRIBUTION_DAYS;
  if (!Number.isSafeInteger(attributionDays) || attributionDays < 1 || attributionDays > 365) {
    throw new WarehouseError('bad_attribution_days', `attributionDays must be a whole number of days from 1 to 365, got ${attributionDays}`);
  }
  const days = dayExpression((await db.one<{ time_zone: string }>(selectSessionTimeZone().text)).time_zone);
  await run(db, createMartsSchema(target));

  const seconds = {} as MartsBuildResult['seconds'];
  const cpuSeconds = {} as MartsBuildResult['cpuSeconds'];
  const timed = async (name: MartName | 'customer_keys', fn: () => Promise<void>): Promise<void> => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(cpu);
    seconds[name] = (performance.now() - start) / 1000;
    cpuSeconds[name] = (used.user + used.system) / 1e6;
  };
  // Which settings a statement may change, it restores: whatever runs next on this connection
  // (the rest of the pipeline) sees them as before.
  const preserve = await db.one<{ value: boolean }>("SELECT current_setting('preserve_insertion_order') AS value");
  try {
    await timed('customer_keys', async () => {
      for (const name of Object.keys(ORDER_FACT_ENUMS) as OrderFactEnum[]) await run(db, createOrderFactEnum(target, name));
      await run(db, createOrderKeys(target, asOf));
    });
    await timed('order_facts', () => buildOrderFacts(db, target, asOf, days));
    await run(db, createBuildInfo(target, asOf));
    // These marts need no particular row order; keeping scan order would only cost memory.
    await db.run('SET preserve_insertion_order = false');
    await timed('customer_360', async () => {
      await run(db, createCustomer360(target, asOf, days));
      await run(db, indexCustomer360(target));
    });
    await timed('daily_kpis', () => run(db, createDailyKpis(target, asOf)));
    await timed('cohort_retention', () => run(db, createCohortRetention(target, asOf, days)));
    const keys = await db.one<{ customer_keys: number }>(selectCustomerKeys(target).text);
    await timed('active_customer_months', () => run(db, createActiveCustomerMonths(target, keys.customer_keys)));
    await timed('campaign_results', async () => {
      await run(db, createCampaignMembers(target, asOf, attributionDays));
      await run(db, createCampaignResults(target, asOf, attributionDays));
      await refreshCampaignBreakdowns(db, target);
    });
  } finally {
    await db.run(`SET preserve_insertion_order = ${preserve.value === false ? 'false' : 'true'}`).catch(() => undefined);
    await run(db, dropOrderKeys()).catch(() => undefined);
  }
  return { asOf, seconds, cpuSeconds };
}

async function buildOrderFacts(db: DuckDb, target: string, asOf: string, days: DayExpression): Promise<void> {
  const statement = selectOrderMonths(target, asOf, days);
  const months = await db.all<{ month: string; orders: number }>(statement.text, statement.values);
  await run(db, createOrderFactsTable(target));
  for (const [from, to] of chunkMonths(months, asOf, ORDER_FACTS_CHUNK_ROWS)) await run(db, insertOrderFacts(target, from, to, days));
}

/** Before any order a source can hold: the first chunk starts here, so no early order is missed. */
const EARLIEST_DAY = '0001-01-01';

/**
 * Cuts consecutive months into day ranges of at most about `maxRows` orders (a bigger month is a
 * range of its own). The ranges touch, the first starts before any order and the last ends on the
 * as-of day, so every order up to the as-of day is in exactly one — whatever the (estimated) counts.
 */
export function chunkMonths(months: { month: string; orders: number }[], asOf: string, maxRows: number): [string, string][] {
  const starts: string[] = [EARLIEST_DAY];
  let rows = 0;
  for (const { month, orders } of months) {
    if (rows > 0 && rows + orders > maxRows && month > starts[starts.length - 1]! && month <= asOf) {
      starts.push(month);
      rows = 0;
    }
    rows += orders;
  }
  return starts.map((start, i) => [start, i + 1 < starts.length ? dayBefore(starts[i + 1]!) : asOf]);
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function run(db: DuckDb, statement: SqlStatement): Promise<void> {
  return db.run(statement.text, statement.values);
}

/**
 * (Re)builds campaign_results_by_segment and _by_band from campaign_members and the segment and band
 * each customer has in customer_360: at mart time (not scored yet: one NULL group) and again after
 * the models step.
 */
export async function refreshCampaignBreakdowns(db: DuckDb, target: string): Promise<void> {
  // A snapshot built before campaign results existed (`pulse models run` on an old one) has no members to break down.
  const found = await db.all("SELECT 1 FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'marts' AND table_name = 'campaign_members'", [target]);
  if (found.length === 0) return;
  await run(db, createCampaignResultsBy(target, 'segment'));
  await run(db, createCampaignResultsBy(target, 'band'));
}

/**
 * After the models step has written segment_id / churn_band into customer_360, copies them into
 * order_facts so revenue and orders can be grouped by segment and churn band. Returns rows changed.
 */
export async function copyCustomerScoresToOrderFacts(db: DuckDb, target: string): Promise<number> {
  const statement = updateOrderFactScores(target);
  return db.runCount(statement.text, statement.values);
}
