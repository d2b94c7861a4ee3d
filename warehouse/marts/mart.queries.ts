// The SQL that builds the marts of a snapshot, one pure function per statement (CONVENTIONS 2).
// Each returns text plus bound values; `target` is the attached snapshot's catalog name and is quoted
// by `quoteIdent`. `$1` is always the "as of" date (YYYY-MM-DD): every mart describes the business as
// of that day, and events after it are left out, so a mart built as of an earlier day (a backtest)
// looks exactly as the one built on that day would have.
//
// Definitions shared by all marts (and by the metrics layer that reads them):
// - a purchase is an order with status 'paid'; refunded and cancelled orders are not purchases;
// - money is `amount_reporting` (the order converted to the reporting currency at the order date);
//   an order with no known FX rate has a NULL amount and adds nothing to revenue;
// - a day is the day of `ordered_at` in the DuckDB session time zone (see `dayExpression`): the
//   same day core.orders picked the FX rate by;
// - a customer's first / last order is their earliest / latest paid order (ties: lower / higher id);
// - "last 90 days" is the 90 days ending on the as-of day, both included;
// - a customer becomes lapsed on the day LAPSE_DAYS (180) after their last paid order, if that day is
//   on or before the as-of day;
// - order-based marts (order_facts, daily_kpis, cohort_retention) keep the orders of customers that
//   were deleted since (revenue happened); customer_360 lists only customers not deleted.
import { quoteIdent, type BoundValue } from '../duckdb.ts';

export interface SqlStatement {
  text: string;
  values: BoundValue[];
}

/** Days after the last purchase at which a customer counts as lapsed. */
export const LAPSE_DAYS = 180;
/**
 * An ART index on customer_360's key. The dashboard looks customers up by id lists (a search's page,
 * one customer's 360 view): without it DuckDB hash-joins the whole 1M-row table with every column
 * (~55 ms of CPU per lookup); with it, ~4 ms. Built last (and again after the models step rewrites
 * the table), since an index also slows every later write.
 */
export function indexCustomer360(target: string): SqlStatement {
  return { text: `CREATE UNIQUE INDEX IF NOT EXISTS customer_360_customer_id ON ${quoteIdent(target)}.marts.customer_360 (customer_id)`, values: [] };
}

/** Length of the "recent" window of customer_360 (orders_last_90d, interactions_90d, …). */
export const RECENT_DAYS = 90;

/**
 * `sum / count` rounded half away from zero to the cent, in integer arithmetic so it is exact (DuckDB
 * divides DECIMALs as doubles). NULL when the count is 0. Both arguments are SQL expressions.
 */
export function exactMoneyRatioSql(sum: string, count: string): string {
  const cents = `CAST((${sum}) * 100 AS HUGEINT)`;
  const n = `CAST((${count}) AS HUGEINT)`;
  return `CASE WHEN ${n} > 0 THEN CAST(sign(${cents}) * ((2 * abs(${cents}) + ${n}) // (2 * ${n})) AS DECIMAL(38,0)) * 0.01 END`;
}

/** Interaction channels that get a `last_<channel>_at` column in customer_360. */
export const INTERACTION_CHANNELS = ['phone', 'email', 'wechat', 'web_chat', 'social', 'visit'] as const;

/** Turns a TIMESTAMPTZ column into its day (see `dayExpression`). */
export type DayExpression = (column: string) => string;

/**
 * The day of a TIMESTAMPTZ in the session time zone, as `CAST(x AS DATE)` gives it. In UTC the day is
 * plain arithmetic on the epoch, about ten times cheaper than the ICU calendar cast (2.3 s per 10M
 * rows, single-threaded); in any other zone the cast is used, so the day always matches the one
 * core.orders picked the FX rate by.
 */
export function dayExpression(sessionTimeZone: string): DayExpression {
  if (UTC_ZONES.has(sessionTimeZone)) {
    return (column) => `(DATE '1970-01-01' + CAST(floor(epoch_us(${column}) / 86400000000) AS INTEGER))`;
  }
  return (column) => `CAST(${column} AS DATE)`;
}

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'UCT', 'Etc/UCT', 'Universal', 'Etc/Universal', 'Zulu', 'Etc/Zulu', 'GMT0', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'Greenwich', 'Etc/Greenwich']);

/** The first instant of a day (a DATE expression) in the session time zone, for comparing stored timestamps. */
function dayStart(date: string): string {
  return `CAST(${date} AS TIMESTAMPTZ)`;
}

export function selectSessionTimeZone(): SqlStatement {
  return { text: "SELECT current_setting('TimeZone') AS time_zone", values: [] };
}

/** The default as-of day: the latest order day, or today when there are no orders yet. */
export function selectDefaultAsOf(target: string): SqlStatement {
  const t = quoteIdent(target);
  return {
    text: `SELECT strftime(coalesce(CAST(max(ordered_at) AS DATE), current_date), '%Y-%m-%d') AS as_of FROM ${t}.core.orders`,
    values: [],
  };
}

export function createMartsSchema(target: string): SqlStatement {
  return { text: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target)}.marts`, values: [] };
}

/**
 * One row that says how the marts were built, so readers use the same as-of day and windows.
 * `customer_keys` is the highest order_facts.customer_key (the size of a distinct-customer bitmap).
 */
export function createBuildInfo(target: string, asOf: string): SqlStatement {
  const t = quoteIdent(target);
  return {
    text: `CREATE TABLE ${t}.marts.build_info AS
           SELECT $1::DATE AS as_of, ${LAPSE_DAYS}::INTEGER AS lapse_days, ${RECENT_DAYS}::INTEGER AS recent_days,
                  (SELECT coalesce(max(customer_key), 0) FROM ${t}.marts.order_facts) AS customer_keys, now() AS built_at`,
    values: [asOf],
  };
}

/**
 * order_facts is built in steps so that no statement holds all orders in memory at once (the
 * pipeline's DuckDB memory limit is 600MB by default; one CREATE … ORDER BY over 10M joined rows
 * ran out of it): first a per-customer key table (place, first and last paid order), then the orders
 * in chunks of whole months, each inserted sorted by day. The table ends up sorted by day, so a
 * date-range query reads only the row groups of its days.
 */
export const ORDER_KEYS_TABLE = 'temp.main.marts_build_order_keys';

/**
 * Per customer (existing, or with paid orders): place (as the order_facts ENUMs, so they are cast once
 * per customer rather than once per order), a dense key, and their paid orders up to the
 * as-of day summed up — count, money, the last 90 days, and the first and last one (the earliest /
 * latest `ordered_at`, ties to the lower / higher id). order_facts, customer_360 and the cohorts
 * all read this one pass over the orders. Two plain passes (times, then ids at those times) cost half
 * of one pass with (time, id) keys.
 */
export function createOrderKeys(target: string, asOf: string): SqlStatement {
  const t = quoteIdent(target);
  const paid = `status = 'paid' AND ordered_at < ${dayStart('$1::DATE + 1')}`;
  const recent = `ordered_at >= ${dayStart(`$1::DATE - ${RECENT_DAYS - 1}`)}`;
  return {
    text: `CREATE OR REPLACE TEMP TABLE marts_build_order_keys AS
           WITH paid AS (
             SELECT customer_id, min(ordered_at) AS first_at, max(ordered_at) AS last_at, count(*) AS frequency, sum(amount_reporting) AS monetary,
                    count(*) FILTER (WHERE ${recent}) AS orders_last_90d, sum(amount_reporting) FILTER (WHERE ${recent}) AS revenue_last_90d
             FROM ${t}.core.orders WHERE ${paid} GROUP BY customer_id
           ),
           ends AS (
             SELECT o.customer_id, min(o.id) FILTER (WHERE o.ordered_at = p.first_at) AS first_id, max(o.id) FILTER (WHERE o.ordered_at = p.last_at) AS last_id
             FROM ${t}.core.orders o JOIN paid p ON p.customer_id = o.customer_id AND (o.ordered_at = p.first_at OR o.ordered_at = p.last_at)
             WHERE ${paid}
             GROUP BY o.customer_id
           )
           -- customer_key numbers customers densely from 1, so metrics count distinct customers with a bitmap.
           SELECT CAST(row_number() OVER (ORDER BY coalesce(c.id, p.customer_id)) AS INTEGER) AS customer_key,
                  coalesce(c.id, p.customer_id) AS customer_id,
                  CAST(c.country AS ${enumTypeName(target, 'country')}) AS country,
                  CAST(c.region AS ${enumTypeName(target, 'region')}) AS region,
                  CAST(c.city AS ${enumTypeName(target, 'city')}) AS city,
                  e.first_id, e.last_id, p.first_at, p.last_at, p.frequency, p.monetary, p.orders_last_90d, p.revenue_last_90d
           FROM ${t}.core.customers c
           FULL JOIN paid p ON p.customer_id = c.id
           LEFT JOIN ends e ON e.customer_id = p.customer_id`,
    values: [asOf],
  };
}

export function dropOrderKeys(): SqlStatement {
  return { text: 'DROP TABLE IF EXISTS temp.main.marts_build_order_keys', values: [] };
}

/**
 * Orders per month up to the as-of day, estimated from a fixed 5% sample of the table's vectors (a
 * full count costs a scan of every order). Only chunk sizes depend on it, never which rows are built.
 */
export function selectOrderMonths(target: string, asOf: string, days: DayExpression): SqlStatement {
  const t = quoteIdent(target);
  return {
    text: `SELECT strftime(date_trunc('month', ${days('ordered_at')}), '%Y-%m-%d') AS month, count(*) * 20 AS orders
           FROM ${t}.core.orders TABLESAMPLE 5 PERCENT (system, 7)
           WHERE ordered_at < ${dayStart('$1::DATE + 1')}
           GROUP BY ALL ORDER BY month`,
    values: [asOf],
  };
}

/**
 * The low-cardinality text columns of order_facts are ENUMs made of the values present: writing 10M
 * strings costs about 1 s of CPU per column, an ENUM code almost nothing. They read and compare as
 * text (a value not in the ENUM simply matches nothing).
 */
export const ORDER_FACT_ENUMS = {
  channel: { table: 'orders', column: 'channel' },
  status: { table: 'orders', column: 'status' },
  currency: { table: 'orders', column: 'currency' },
  country: { table: 'customers', column: 'country' },
  region: { table: 'customers', column: 'region' },
  city: { table: 'customers', column: 'city' },
} as const;
export type OrderFactEnum = keyof typeof ORDER_FACT_ENUMS;

function enumTypeName(target: string, name: OrderFactEnum): string {
  return `${quoteIdent(target)}.marts.${quoteIdent(`order_${name}`)}`;
}

export function createOrderFactEnum(target: string, name: OrderFactEnum): SqlStatement {
  const { table, column } = ORDER_FACT_ENUMS[name];
  const c = quoteIdent(column);
  return {
    text: `CREATE TYPE ${enumTypeName(target, name)} AS ENUM (
             SELECT DISTINCT ${c} FROM ${quoteIdent(target)}.core.${quoteIdent(table)} WHERE ${c} IS NOT NULL ORDER BY ${c}
           )`,
    values: [],
  };
}

/**
 * One row per order up to the as-of day, with the customer's place copied in so metrics group and
 * filter without joins. `segment_id` and `churn_band` start NULL; the models step fills them from
 * customer_360 (`copyCustomerScoresToOrderFacts`).
 */
export function createOrderFactsTable(target: string): SqlStatement {
  const e = (name: OrderFactEnum): string => enumTypeName(target, name);
  return {
    text: `CREATE TABLE ${quoteIdent(target)}.marts.order_facts (
             order_id BIGINT, customer_id BIGINT, customer_key INTEGER, order_date DATE, ordered_at TIMESTAMPTZ,
             channel ${e('channel')}, status ${e('status')}, currency ${e('currency')},
             amount DECIMAL(14,2), amount_reporting DECIMAL(14,2), country ${e('country')}, region ${e('region')}, city ${e('city')},
             segment_id INTEGER, churn_band VARCHAR, is_first_order BOOLEAN, is_last_order BOOLEAN
           )`,
    values: [],
  };
}

/** Appends the orders of the days [fromDay, toDay], sorted by day. */
export function insertOrderFacts(target: string, fromDay: string, toDay: string, days: DayExpression): SqlStatement {
  const t = quoteIdent(target);
  return {
    // Bounds on ordered_at itself (not on its day) let DuckDB filter while scanning.
    text: `INSERT INTO ${t}.marts.order_facts
           SELECT o.id, o.customer_id, k.customer_key, ${days('o.ordered_at')} AS order_date, o.ordered_at, o.channel, o.status, o.currency, o.total_amount, o.amount_reporting,
                  k.country, k.region, k.city, NULL, NULL,
                  coalesce(o.id = k.first_id, false), coalesce(o.id = k.last_id, false)
           FROM ${t}.core.orders o LEFT JOIN ${ORDER_KEYS_TABLE} k ON k.customer_id = o.customer_id
           WHERE o.ordered_at >= CAST($1::DATE AS TIMESTAMPTZ) AND o.ordered_at < CAST($2::DATE + 1 AS TIMESTAMPTZ)
           ORDER BY order_date`,
    values: [fromDay, toDay],
  };
}

/**
 * One row per customer (not deleted): profile, RFM, recent activity per channel, tickets and campaign
 * response, plus NULL columns of the right types for the models step to UPDATE. Each source is
 * aggregated once by customer and joined by key: no per-customer subqueries.
 */
export function createCustomer360(target: string, asOf: string, days: DayExpression): SqlStatement {
  const t = quoteIdent(target);
  const lastPerChannel = INTERACTION_CHANNELS.map((ch) => `max(occurred_at) FILTER (WHERE channel = '${ch}') AS ${quoteIdent(`last_${ch}_at`)}`).join(',\n                  ');
  const lastColumns = INTERACTION_CHANNELS.map((ch) => `i.${quoteIdent(`last_${ch}_at`)}`).join(', ');
  // Day bounds as timestamps, so each row is compared as stored (no per-row conversion to a day).
  const upTo = dayStart('$1::DATE + 1');
  const recentFrom = dayStart(`$1::DATE - ${RECENT_DAYS - 1}`);
  return {
    text: `CREATE TABLE ${t}.marts.customer_360 AS
           WITH act AS (
             SELECT customer_id,
                  ${lastPerChannel},
                  count(*) FILTER (WHERE occurred_at >= ${recentFrom}) AS interactions_90d
             FROM ${t}.core.interactions WHERE occurred_at < ${upTo} GROUP BY customer_id
           ),
           tix AS (
             SELECT customer_id, count(*) FILTER (WHERE status IN ('open', 'pending')) AS open_tickets, count(*) AS tickets_total
             FROM ${t}.core.tickets WHERE opened_at < ${upTo} GROUP BY customer_id
           ),
           -- The last open and click of any campaign, so a segment rule "opened a campaign in the last N
           -- days" reads one column instead of scanning the events on every count.
           ev AS (
             SELECT customer_id,
                    count(*) FILTER (WHERE event_type = 'opened' AND occurred_at >= ${recentFrom}) AS campaign_opens_90d,
                    count(*) FILTER (WHERE event_type = 'clicked' AND occurred_at >= ${recentFrom}) AS campaign_clicks_90d,
                    max(occurred_at) FILTER (WHERE event_type = 'opened') AS last_campaign_open_at,
                    max(occurred_at) FILTER (WHERE event_type = 'clicked') AS last_campaign_click_at
             FROM ${t}.core.campaign_events
             WHERE occurred_at < ${upTo}
             GROUP BY customer_id
           ),
           aud AS (
             SELECT a.customer_id, count(DISTINCT a.campaign_id) AS campaigns_received
             FROM ${t}.core.campaign_audience a JOIN ${t}.core.campaigns c ON c.id = a.campaign_id
             WHERE NOT coalesce(a.is_holdout, false) AND c.started_at < ${upTo}
             GROUP BY a.customer_id
           ),
           ord AS (
             SELECT customer_id, first_at, last_at, ${days('first_at')} AS first_date, ${days('last_at')} AS last_date,
                    frequency, monetary, orders_last_90d, revenue_last_90d
             FROM ${ORDER_KEYS_TABLE} WHERE frequency > 0
           )
           SELECT c.id AS customer_id, c.country, c.region, c.city, c.preferred_language, c.currency,
                  -- Tags arrive as JSON text; anything that is not a JSON list reads as no tags rather than failing the build.
                  CASE WHEN json_valid(c.tags) AND json_type(c.tags) = 'ARRAY' THEN from_json(c.tags, '["VARCHAR"]') ELSE CAST([] AS VARCHAR[]) END AS tags,
                  c.owner_id,
                  o.first_at AS first_order_at, o.last_at AS last_order_at,
                  $1::DATE - o.last_date AS recency_days,
                  coalesce(o.frequency, 0) AS frequency,
                  CAST(coalesce(o.monetary, 0) AS DECIMAL(18,2)) AS monetary,
                  CAST(${exactMoneyRatioSql('o.monetary', 'o.frequency')} AS DECIMAL(18,2)) AS average_order_value,
                  $1::DATE - least(${days('c.created_at')}, o.first_date) AS tenure_days,
                  coalesce(o.orders_last_90d, 0) AS orders_last_90d,
                  CAST(coalesce(o.revenue_last_90d, 0) AS DECIMAL(18,2)) AS revenue_last_90d,
                  CASE WHEN o.last_date + ${LAPSE_DAYS} <= $1::DATE THEN o.last_date + ${LAPSE_DAYS} END AS lapsed_on,
                  ${lastColumns},
                  coalesce(i.interactions_90d, 0) AS interactions_90d,
                  coalesce(k.open_tickets, 0) AS open_tickets,
                  coalesce(k.tickets_total, 0) AS tickets_total,
                  coalesce(e.campaign_opens_90d, 0) AS campaign_opens_90d,
                  coalesce(e.campaign_clicks_90d, 0) AS campaign_clicks_90d,
                  e.last_campaign_open_at, e.last_campaign_click_at,
                  coalesce(a.campaigns_received, 0) AS campaigns_received,
                  CAST(NULL AS INTEGER) AS segment_id,
                  CAST(NULL AS VARCHAR) AS segment_name_en,
                  CAST(NULL AS VARCHAR) AS segment_name_zh,
                  CAST(NULL AS VARCHAR) AS rfm_segment,
                  CAST(NULL AS DOUBLE) AS churn_risk,
                  CAST(NULL AS VARCHAR) AS churn_band,
                  CAST(NULL AS DOUBLE) AS p_alive,
                  CAST(NULL AS DOUBLE) AS expected_value_12m
           FROM ${t}.core.customers c
           LEFT JOIN ord o ON o.customer_id = c.id
           LEFT JOIN act i ON i.customer_id = c.id
           LEFT JOIN tix k ON k.customer_id = c.id
           LEFT JOIN ev e ON e.customer_id = c.id
           LEFT JOIN aud a ON a.customer_id = c.id
           WHERE c.created_at < ${upTo} OR o.customer_id IS NOT NULL`,
    values: [asOf],
  };
}

/**
 * One row per calendar day from the first order day to the as-of day (days without orders included,
 * with zeros). `lapsed_customers` counts customers who became lapsed that day: their last paid order
 * was exactly LAPSE_DAYS days before it. Refunds are counted on the order's day (the source keeps no
 * refund date).
 */
export function createDailyKpis(target: string, asOf: string): SqlStatement {
  const t = quoteIdent(target);
  return {
    text: `CREATE TABLE ${t}.marts.daily_kpis AS
           WITH per_day AS (
             SELECT order_date AS day,
                    sum(amount_reporting) FILTER (WHERE status = 'paid') AS revenue,
                    count(*) FILTER (WHERE status = 'paid') AS orders,
                    count(DISTINCT customer_key) FILTER (WHERE status = 'paid') AS active_customers,
                    count(*) FILTER (WHERE is_first_order) AS new_customers,
                    count(*) FILTER (WHERE status = 'refunded') AS refunds,
                    sum(amount_reporting) FILTER (WHERE status = 'refunded') AS refund_amount
             FROM ${t}.marts.order_facts GROUP BY order_date
           ),
           lapsed AS (
             SELECT order_date + ${LAPSE_DAYS} AS day, count(*) AS lapsed_customers FROM ${t}.marts.order_facts WHERE is_last_order GROUP BY order_date
           ),
           days AS (SELECT CAST(unnest(generate_series(min(day), $1::DATE, INTERVAL 1 DAY)) AS DATE) AS day FROM per_day)
           SELECT d.day,
                  CAST(coalesce(p.revenue, 0) AS DECIMAL(18,2)) AS revenue,
                  coalesce(p.orders, 0) AS orders,
                  coalesce(p.active_customers, 0) AS active_customers,
                  coalesce(p.new_customers, 0) AS new_customers,
                  coalesce(l.lapsed_customers, 0) AS lapsed_customers,
                  coalesce(p.refunds, 0) AS refunds,
                  CAST(coalesce(p.refund_amount, 0) AS DECIMAL(18,2)) AS refund_amount
           FROM days d
           LEFT JOIN per_day p ON p.day = d.day
           LEFT JOIN lapsed l ON l.day = d.day
           ORDER BY d.day`,
    values: [asOf],
  };
}

/**
 * Monthly cohorts by the month of the first paid order: for each cohort and each month since (0 = the
 * cohort month, up to the as-of month, rows with zero activity included), how many of the cohort
 * bought that month and what they spent. The as-of month is partial.
 */
export function createCohortRetention(target: string, asOf: string, days: DayExpression): SqlStatement {
  const t = quoteIdent(target);
  return {
    text: `CREATE TABLE ${t}.marts.cohort_retention AS
           WITH firsts AS (
             SELECT customer_key, CAST(date_trunc('month', ${days('first_at')}) AS DATE) AS cohort_month FROM ${ORDER_KEYS_TABLE} WHERE frequency > 0
           ),
           activity AS (
             SELECT customer_key, CAST(date_trunc('month', order_date) AS DATE) AS month, sum(amount_reporting) AS revenue
             FROM ${t}.marts.order_facts WHERE status = 'paid' GROUP BY ALL
           ),
           active AS (
             SELECT f.cohort_month, date_diff('month', f.cohort_month, a.month) AS months_since,
                    count(*) AS customers_active, sum(a.revenue) AS revenue
             FROM activity a JOIN firsts f ON f.customer_key = a.customer_key GROUP BY ALL
           ),
           sizes AS (SELECT cohort_month, count(*) AS cohort_size FROM firsts GROUP BY cohort_month),
           grid AS (
             SELECT cohort_month, cohort_size,
                    CAST(unnest(generate_series(0, date_diff('month', cohort_month, CAST(date_trunc('month', $1::DATE) AS DATE)))) AS INTEGER) AS months_since
             FROM sizes
           )
           SELECT g.cohort_month, g.months_since,
                  coalesce(a.customers_active, 0) AS customers_active,
                  g.cohort_size,
                  coalesce(a.customers_active, 0) / g.cohort_size AS retention,
                  CAST(coalesce(a.revenue, 0) AS DECIMAL(18,2)) AS revenue
           FROM grid g LEFT JOIN active a ON a.cohort_month = g.cohort_month AND a.months_since = g.months_since
           ORDER BY g.cohort_month, g.months_since`,
    values: [asOf],
  };
}

/**
 * Per calendar month, the set of customers with a paid order that month as a bitmap over
 * customer_key (one bit per customer: 125 KB a month for 1M customers). The distinct customers of a
 * range are the OR of its whole months plus the customers of its partial months, so a 90-day total
 * reads a third of the orders it otherwise would.
 */
export function createActiveCustomerMonths(target: string, customerKeys: number): SqlStatement {
  const t = quoteIdent(target);
  return {
    text: `CREATE TABLE ${t}.marts.active_customer_months AS
           SELECT CAST(date_trunc('month', order_date) AS DATE) AS month, bitstring_agg(customer_key, 1, ${bitmapSize(customerKeys)}) AS customers
           FROM ${t}.marts.order_facts WHERE status = 'paid' GROUP BY ALL ORDER BY month`,
    values: [],
  };
}

/**
 * The bitmap size as SQL text: DuckDB wants bitstring_agg's bounds as constants, and a bound value in
 * a CREATE TABLE AS is not one. It is a count read from the snapshot itself, checked to be a whole number.
 */
export function bitmapSize(customerKeys: number): string {
  if (!Number.isSafeInteger(customerKeys) || customerKeys < 0) throw new Error(`Not a customer key count: ${customerKeys}`);
  return String(Math.max(1, customerKeys));
}

export function selectCustomerKeys(target: string): SqlStatement {
  return { text: `SELECT customer_keys FROM ${quoteIdent(target)}.marts.build_info`, values: [] };
}

/**
 * Copies the model outputs the metrics group by (segment, churn band) from customer_360 into
 * order_facts. The models step calls this after it has updated customer_360.
 */
export function updateOrderFactScores(target: string): SqlStatement {
  const t = quoteIdent(target);
  return {
    text: `UPDATE ${t}.marts.order_facts AS f SET segment_id = c.segment_id, churn_band = c.churn_band
           FROM ${t}.marts.customer_360 c
           WHERE c.customer_id = f.customer_id
             AND (f.segment_id IS DISTINCT FROM c.segment_id OR f.churn_band IS DISTINCT FROM c.churn_band)`,
    values: [],
  };
}
