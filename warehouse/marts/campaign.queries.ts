// Campaign results (issue #7), one pure function per statement like mart.queries.ts. Definitions:
// - a campaign counts when it started on or before the as-of day;
// - its attribution window is [started_at, started_at + attribution days), cut at the end of the
//   as-of day (`window_complete` says whether it was cut); the same window for both groups, so the
//   targeted and the holdout group are compared over the same days;
// - members: the audience rows, plus any customer with an event of the campaign who is missing from
//   the audience (a source without an audience table still has results). A member is in the holdout
//   if any of their audience rows says so (holdout wins over a contradictory event);
// - sent / opened / clicked: members with such an event up to the as-of day; converted: members with
//   a 'converted' event inside the attribution window (what the source records as a conversion;
//   holdout members convert on their own, which is what the holdout measures);
// - attributed revenue: paid orders of members placed inside the window, in the reporting currency
//   (an order with no FX rate adds nothing, as in every mart); buyers: members with such an order;
// - lift: targeted minus holdout, for the conversion rate and for revenue per member (NULL where there
//   is no holdout or no targeted member), each with a 95% confidence interval from the normal
//   approximation: Agresti–Caffo for the difference of two proportions (one success and one failure
//   added to each group, which keeps a 0-conversion holdout from looking certain) and Welch for the
//   difference of two means. The approximation needs groups of some size: intervals are given only
//   when each group has at least MIN_GROUP_FOR_INTERVAL members. "Significant" means the interval
//   does not contain 0; NULL without an interval.
// Breakdowns by segment and churn-risk band use each customer's segment and band in this snapshot
// (the models step), not at the time of the campaign: "how did today's at-risk customers respond".
import { quoteIdent, type BoundValue } from '../duckdb.ts';
import { exactMoneyRatioSql, type SqlStatement } from './mart.queries.ts';

export const DEFAULT_ATTRIBUTION_DAYS = 14;
/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;
/** Fewer members than this in either group: no interval (the normal approximation would mislead). */
export const MIN_GROUP_FOR_INTERVAL = 30;

export function createCampaignMembers(target: string, asOf: string, attributionDays: number): SqlStatement {
  const t = quoteIdent(target);
  const upTo = 'CAST($1::DATE + 1 AS TIMESTAMPTZ)';
  return {
    text: `CREATE OR REPLACE TABLE ${t}.marts.campaign_members AS
           WITH camp AS (
             SELECT id AS campaign_id, started_at, least(started_at + to_days(CAST($2 AS INTEGER)), ${upTo}) AS window_end
             FROM ${t}.core.campaigns WHERE started_at < ${upTo}
           ),
           listed AS (
             SELECT a.campaign_id, a.customer_id, coalesce(a.is_holdout, false) AS is_holdout FROM ${t}.core.campaign_audience a SEMI JOIN camp c ON c.campaign_id = a.campaign_id
             UNION ALL
             SELECT e.campaign_id, e.customer_id, false FROM ${t}.core.campaign_events e SEMI JOIN camp c ON c.campaign_id = e.campaign_id WHERE e.occurred_at < ${upTo}
           ),
           members AS (SELECT campaign_id, customer_id, bool_or(is_holdout) AS is_holdout FROM listed GROUP BY ALL),
           ev AS (
             SELECT e.campaign_id, e.customer_id,
                    bool_or(e.event_type = 'sent') AS sent, bool_or(e.event_type = 'opened') AS opened, bool_or(e.event_type = 'clicked') AS clicked,
                    bool_or(e.event_type = 'converted' AND e.occurred_at >= c.started_at AND e.occurred_at < c.window_end) AS converted
             FROM ${t}.core.campaign_events e JOIN camp c ON c.campaign_id = e.campaign_id
             WHERE e.occurred_at < ${upTo}
             GROUP BY ALL
           ),
           ord AS (
             SELECT m.campaign_id, m.customer_id, count(*) AS orders, sum(o.amount_reporting) AS revenue
             FROM members m JOIN camp c ON c.campaign_id = m.campaign_id
             JOIN ${t}.core.orders o ON o.customer_id = m.customer_id AND o.status = 'paid' AND o.ordered_at >= c.started_at AND o.ordered_at < c.window_end
             GROUP BY ALL
           )
           SELECT m.campaign_id, m.customer_id, m.is_holdout,
                  coalesce(ev.sent, false) AS sent, coalesce(ev.opened, false) AS opened, coalesce(ev.clicked, false) AS clicked, coalesce(ev.converted, false) AS converted,
                  coalesce(ord.orders, 0) AS window_orders, CAST(coalesce(ord.revenue, 0) AS DECIMAL(18,2)) AS window_revenue
           FROM members m
           LEFT JOIN ev ON ev.campaign_id = m.campaign_id AND ev.customer_id = m.customer_id
           LEFT JOIN ord ON ord.campaign_id = m.campaign_id AND ord.customer_id = m.customer_id
           ORDER BY m.campaign_id, m.customer_id`,
    values: [asOf, attributionDays] satisfies BoundValue[],
  };
}

/**
 * The measures of a group of members (`m`: campaign_members rows), as a SELECT list: counts, rates,
 * revenue in exact cents, and both lifts with their intervals. Used per campaign and per campaign
 * and segment / band, so every table computes them the same way.
 */
function measures(): string {
  const targeted = 'NOT m.is_holdout';
  const holdout = 'm.is_holdout';
  const n = `count(*) FILTER (WHERE ${targeted})`;
  const nh = `count(*) FILTER (WHERE ${holdout})`;
  const conv = `count(*) FILTER (WHERE ${targeted} AND m.converted)`;
  const convh = `count(*) FILTER (WHERE ${holdout} AND m.converted)`;
  const rev = `sum(m.window_revenue) FILTER (WHERE ${targeted})`;
  const revh = `sum(m.window_revenue) FILTER (WHERE ${holdout})`;
  const rate = (x: string, d: string) => `CASE WHEN ${d} > 0 THEN ${x} / ${d} END`;
  const p1 = rate(conv, n);
  const p0 = rate(convh, nh);
  const bothGroups = `${n} > 0 AND ${nh} > 0`;
  const bigEnough = `${n} >= ${MIN_GROUP_FOR_INTERVAL} AND ${nh} >= ${MIN_GROUP_FOR_INTERVAL}`;
  const diffP = `CASE WHEN ${bothGroups} THEN ${p1} - ${p0} END`;
  // Agresti–Caffo: the interval is centred on the adjusted rates (x + 1) / (n + 2).
  const a1 = `(${conv} + 1) / (${n} + 2)`;
  const a0 = `(${convh} + 1) / (${nh} + 2)`;
  const seP = `sqrt(${a1} * (1 - ${a1}) / (${n} + 2) + ${a0} * (1 - ${a0}) / (${nh} + 2))`;
  // Per-member revenue: its sample variance in each group.
  const varT = `var_samp(CAST(m.window_revenue AS DOUBLE)) FILTER (WHERE ${targeted})`;
  const varH = `var_samp(CAST(m.window_revenue AS DOUBLE)) FILTER (WHERE ${holdout})`;
  const rpc = exactMoneyRatioSql(`coalesce(${rev}, 0)`, n);
  const rpch = exactMoneyRatioSql(`coalesce(${revh}, 0)`, nh);
  const diffR = `CASE WHEN ${bothGroups} THEN ${rpc} - ${rpch} END`;
  const seR = `sqrt(${varT} / ${n} + ${varH} / ${nh})`;
  const interval = (centre: string, se: string, sign: '-' | '+') => `CASE WHEN ${bigEnough} THEN ${centre} ${sign} ${Z_95} * ${se} END`;
  return `${n} AS audience,
          ${nh} AS holdout,
          count(*) FILTER (WHERE ${targeted} AND m.sent) AS sent,
          count(*) FILTER (WHERE ${targeted} AND m.opened) AS opened,
          count(*) FILTER (WHERE ${targeted} AND m.clicked) AS clicked,
          ${conv} AS converted,
          count(*) FILTER (WHERE ${targeted} AND m.window_orders > 0) AS buyers,
          coalesce(sum(m.window_orders) FILTER (WHERE ${targeted}), 0) AS orders,
          CAST(coalesce(${rev}, 0) AS DECIMAL(18,2)) AS revenue,
          ${rate(`count(*) FILTER (WHERE ${targeted} AND m.opened)`, `count(*) FILTER (WHERE ${targeted} AND m.sent)`)} AS open_rate,
          ${rate(`count(*) FILTER (WHERE ${targeted} AND m.clicked)`, `count(*) FILTER (WHERE ${targeted} AND m.sent)`)} AS click_rate,
          ${p1} AS conversion_rate,
          CAST(${rpc} AS DECIMAL(18,2)) AS revenue_per_customer,
          ${convh} AS holdout_converted,
          count(*) FILTER (WHERE ${holdout} AND m.window_orders > 0) AS holdout_buyers,
          CAST(coalesce(${revh}, 0) AS DECIMAL(18,2)) AS holdout_revenue,
          ${p0} AS holdout_conversion_rate,
          CAST(${rpch} AS DECIMAL(18,2)) AS holdout_revenue_per_customer,
          ${diffP} AS conversion_lift,
          ${interval(`${a1} - ${a0}`, seP, '-')} AS conversion_lift_low,
          ${interval(`${a1} - ${a0}`, seP, '+')} AS conversion_lift_high,
          CASE WHEN ${bothGroups} AND ${p0} > 0 THEN ${p1} / ${p0} - 1 END AS conversion_lift_relative,
          CAST(${diffR} AS DECIMAL(18,2)) AS revenue_lift_per_customer,
          ${interval(`CAST(${diffR} AS DOUBLE)`, seR, '-')} AS revenue_lift_low,
          ${interval(`CAST(${diffR} AS DOUBLE)`, seR, '+')} AS revenue_lift_high`;
}

/** Whether an interval [low, high] excludes 0 (NULL without one). */
function significant(low: string, high: string): string {
  return `CASE WHEN ${low} IS NOT NULL THEN ${low} > 0 OR ${high} < 0 END`;
}

/** One row per campaign started by the as-of day; campaigns with no members have zeros. */
export function createCampaignResults(target: string, asOf: string, attributionDays: number): SqlStatement {
  const t = quoteIdent(target);
  const upTo = 'CAST($1::DATE + 1 AS TIMESTAMPTZ)';
  return {
    text: `CREATE OR REPLACE TABLE ${t}.marts.campaign_results AS
           WITH agg AS (SELECT m.campaign_id, ${measures()} FROM ${t}.marts.campaign_members m GROUP BY m.campaign_id)
           SELECT c.id AS campaign_id, c.name, c.channel, c.started_at, c.ended_at, c.budget, c.currency AS budget_currency,
                  CAST($2 AS INTEGER) AS attribution_days,
                  least(c.started_at + to_days(CAST($2 AS INTEGER)), ${upTo}) AS window_end,
                  c.started_at + to_days(CAST($2 AS INTEGER)) <= ${upTo} AS window_complete,
                  coalesce(a.audience, 0) AS audience, coalesce(a.holdout, 0) AS holdout,
                  coalesce(a.sent, 0) AS sent, coalesce(a.opened, 0) AS opened, coalesce(a.clicked, 0) AS clicked,
                  coalesce(a.converted, 0) AS converted, coalesce(a.buyers, 0) AS buyers, coalesce(a.orders, 0) AS orders,
                  coalesce(a.revenue, 0) AS revenue, a.open_rate, a.click_rate, a.conversion_rate, a.revenue_per_customer,
                  coalesce(a.holdout_converted, 0) AS holdout_converted, coalesce(a.holdout_buyers, 0) AS holdout_buyers,
                  coalesce(a.holdout_revenue, 0) AS holdout_revenue, a.holdout_conversion_rate, a.holdout_revenue_per_customer,
                  a.conversion_lift, a.conversion_lift_low, a.conversion_lift_high, a.conversion_lift_relative,
                  ${significant('a.conversion_lift_low', 'a.conversion_lift_high')} AS conversion_lift_significant,
                  a.revenue_lift_per_customer, a.revenue_lift_low, a.revenue_lift_high,
                  ${significant('a.revenue_lift_low', 'a.revenue_lift_high')} AS revenue_lift_significant
           FROM ${t}.core.campaigns c LEFT JOIN agg a ON a.campaign_id = c.id
           WHERE c.started_at < ${upTo}
           ORDER BY c.started_at DESC, c.id`,
    values: [asOf, attributionDays],
  };
}

export type CampaignBreakdown = 'segment' | 'band';

/**
 * Per campaign and segment (or churn-risk band) of the members today (customer_360; NULL: not
 * scored, or a customer deleted since). Rebuilt after the models step has scored customer_360.
 */
export function createCampaignResultsBy(target: string, by: CampaignBreakdown): SqlStatement {
  const t = quoteIdent(target);
  const keys = by === 'segment' ? 'k.segment_id, any_value(k.segment_name_en) AS segment_name_en, any_value(k.segment_name_zh) AS segment_name_zh' : 'k.churn_band';
  const group = by === 'segment' ? 'k.segment_id' : 'k.churn_band';
  return {
    text: `CREATE OR REPLACE TABLE ${t}.marts.${by === 'segment' ? 'campaign_results_by_segment' : 'campaign_results_by_band'} AS
           WITH agg AS (
             SELECT m.campaign_id, ${keys}, ${measures()}
             FROM ${t}.marts.campaign_members m LEFT JOIN ${t}.marts.customer_360 k ON k.customer_id = m.customer_id
             GROUP BY m.campaign_id, ${group}
           )
           SELECT *, ${significant('conversion_lift_low', 'conversion_lift_high')} AS conversion_lift_significant,
                  ${significant('revenue_lift_low', 'revenue_lift_high')} AS revenue_lift_significant
           FROM agg ORDER BY campaign_id, ${by === 'segment' ? 'segment_id' : 'churn_band'} NULLS LAST`,
    values: [],
  };
}
