// The DuckDB SQL of the reports that the metrics layer does not cover (model outputs, watchlists,
// opportunities, tickets): pure functions returning text plus bound values (CONVENTIONS 2). Every
// value a caller chose is a bound `?`.
import type { BoundValue } from '../warehouse/index.ts';

export interface SqlStatement {
  text: string;
  values: BoundValue[];
}

export function selectSnapshotContext(): SqlStatement {
  return {
    text: `SELECT strftime(b.as_of, '%Y-%m-%d') AS as_of, s.reporting_currency AS currency
           FROM marts.build_info b, meta.snapshot_info s`,
    values: [],
  };
}

export function selectSegments(): SqlStatement {
  return {
    text: `SELECT segment_id, name_en, name_zh, customers, customer_share, revenue_share FROM models.segments ORDER BY segment_id`,
    values: [],
  };
}

/** Customers that moved into and out of each segment since the previous model run (staying put excluded). */
export function selectSegmentMovement(): SqlStatement {
  return {
    text: `SELECT from_segment_id, to_segment_id, customers FROM models.segment_transitions
           WHERE from_segment_id IS DISTINCT FROM to_segment_id ORDER BY customers DESC`,
    values: [],
  };
}

export function selectHasPreviousRun(): SqlStatement {
  return { text: `SELECT count(*) FILTER (WHERE from_segment_id IS NOT NULL) > 0 AS has_previous FROM models.segment_transitions`, values: [] };
}

/**
 * The customers with the most revenue at risk (churn risk × expected value of the next 12 months,
 * rounded per customer as the revenue_at_risk metric does), with the model's top drivers.
 */
export function selectChurnWatchlist(limit: number, segmentId: number | null): SqlStatement {
  return {
    text: `SELECT c.customer_id, c.segment_id, c.segment_name_en, c.segment_name_zh, c.churn_risk, c.churn_band,
                  round(c.expected_value_12m, 2) AS expected_value_12m,
                  CAST(round(CAST(c.churn_risk / 100 * c.expected_value_12m AS DECIMAL(18,6)), 2) AS DOUBLE) AS revenue_at_risk,
                  strftime(c.last_order_at, '%Y-%m-%d') AS last_order, s.driver_1, s.driver_2, s.driver_3
           FROM marts.customer_360 c LEFT JOIN models.customer_scores s USING (customer_id)
           WHERE c.churn_risk IS NOT NULL AND c.expected_value_12m IS NOT NULL AND (? IS NULL OR c.segment_id = ?)
           ORDER BY revenue_at_risk DESC, c.customer_id
           LIMIT ?`,
    values: [segmentId, segmentId, limit],
  };
}

export function selectHighRiskCount(): SqlStatement {
  return {
    text: `SELECT count(*) AS customers,
                  CAST(round(coalesce(sum(CAST(churn_risk / 100 * expected_value_12m AS DECIMAL(18,6))), 0), 2) AS DOUBLE) AS at_risk
           FROM marts.customer_360 WHERE churn_band = 'high'`,
    values: [],
  };
}

/** One segment's profile from customer_360: averages of the purchase history and risk. */
export function selectSegmentProfile(segmentId: number): SqlStatement {
  return {
    text: `SELECT count(*) AS customers, round(avg(frequency), 2) AS avg_orders, CAST(round(avg(monetary), 2) AS DOUBLE) AS avg_revenue,
                  round(avg(recency_days), 1) AS avg_recency_days, round(avg(churn_risk), 1) AS avg_churn_risk,
                  round(avg(expected_value_12m), 2) AS avg_expected_value
           FROM marts.customer_360 WHERE segment_id = ?`,
    values: [segmentId],
  };
}

/** A page of a segment's members in customer id order (keyset paging: each page is an index range). */
export function selectSegmentMembersPage(segmentId: number, afterCustomerId: number, limit: number): SqlStatement {
  return {
    text: `SELECT customer_id, country, city, frequency, CAST(monetary AS DOUBLE) AS monetary,
                  strftime(last_order_at, '%Y-%m-%d') AS last_order, churn_risk, round(expected_value_12m, 2) AS expected_value_12m
           FROM marts.customer_360 WHERE segment_id = ? AND customer_id > ? ORDER BY customer_id LIMIT ?`,
    values: [segmentId, afterCustomerId, limit],
  };
}

/**
 * Opportunities by stage and owner, value converted to the reporting currency at the latest known
 * rate (opportunities are not yet money received: today's rate is the fair one).
 */
export function selectOpportunities(currency: string): SqlStatement {
  return {
    text: `WITH latest AS (SELECT currency, arg_max(units_per_usd, rate_date) AS units_per_usd FROM core.fx_rates GROUP BY currency)
           SELECT o.stage, o.owner_id, count(*) AS opportunities,
                  CAST(round(sum(CASE WHEN o.currency = ? THEN o.value ELSE o.value / r.units_per_usd * rr.units_per_usd END), 2) AS DOUBLE) AS value
           FROM core.opportunities o
           LEFT JOIN latest r ON r.currency = o.currency
           LEFT JOIN latest rr ON rr.currency = ?
           GROUP BY ALL ORDER BY o.stage, o.owner_id NULLS LAST`,
    values: [currency, currency],
  };
}

/** Tickets opened, closed and time to close per priority over [from, to], and the open backlog now. */
export function selectTicketSummary(from: string, to: string): SqlStatement {
  return {
    text: `SELECT priority,
                  count(*) FILTER (WHERE CAST(opened_at AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)) AS opened,
                  count(*) FILTER (WHERE CAST(closed_at AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)) AS closed,
                  count(*) FILTER (WHERE status IN ('open', 'pending') AND CAST(opened_at AS DATE) <= CAST(? AS DATE)) AS backlog,
                  round(median(epoch(closed_at - opened_at) / 3600) FILTER (WHERE CAST(closed_at AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)), 1) AS median_hours
           FROM core.tickets GROUP BY priority ORDER BY priority`,
    values: [from, to, from, to, to, from, to],
  };
}

export function selectTicketsPerDay(from: string, to: string): SqlStatement {
  return {
    text: `SELECT strftime(d.day, '%Y-%m-%d') AS day, count(t.id) AS opened
           FROM (SELECT CAST(unnest(generate_series(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 1 DAY)) AS DATE) AS day) d
           LEFT JOIN core.tickets t ON CAST(t.opened_at AS DATE) = d.day
           GROUP BY d.day ORDER BY d.day`,
    values: [from, to],
  };
}
