// The SQL the models step runs on a snapshot (CONVENTIONS 2): reads from the marts, writes to the
// `models` schema. `prev` is the previously published snapshot, attached read-only when there is one.

/** Per-customer inputs of segmentation, RFM, BG/NBD and Gamma-Gamma, one row per customer. */
export function selectCustomerInputs(): string {
  return `SELECT customer_id,
      coalesce(recency_days, tenure_days, 0) AS recency_days,
      frequency,
      monetary,
      coalesce(tenure_days, 0) AS tenure_days,
      campaign_opens_90d,
      campaign_clicks_90d,
      tickets_total,
      -- BG/NBD in weeks: x repeat purchases, t_x last minus first purchase, T as-of minus first purchase.
      greatest(frequency - 1, 0) AS x,
      CASE WHEN frequency > 0 THEN date_diff('day', first_order_at::DATE, last_order_at::DATE) / 7.0 END AS t_x,
      CASE WHEN frequency > 0 THEN date_diff('day', first_order_at::DATE, (SELECT as_of FROM marts.build_info)) / 7.0 END AS t_cal
    FROM marts.customer_360 ORDER BY customer_id`;
}

/** The churn classifier's features, in the order selectChurnDataset returns them. */
export const PIPELINE_CHURN_FEATURES = [
  'log_recency_days',
  'log_frequency',
  'log_monetary',
  'log_tenure_days',
  'log_orders_90d',
  'log_interactions_90d',
  'log_tickets_90d',
  'log_campaign_opens_90d',
] as const;

/**
 * Churn features as of a cut-off day for customers with a paid order on or before it: the purchase
 * history (recency, frequency, value, tenure, recent orders) and the activity around it in the 90
 * days before the cut-off (interactions, support tickets, campaign opens: customers drifting away
 * talk less, complain more and stop opening). y = 1 when they bought nothing in the following
 * `horizon` days. Computed in SQL: the classifier never needs the order rows in memory.
 */
export function selectChurnDataset(): string {
  return `WITH cut AS (SELECT ?::DATE AS day, ?::INTEGER AS horizon),
    per AS (
      SELECT f.customer_id,
        max(f.order_date) FILTER (WHERE f.order_date <= cut.day) AS last_day,
        min(f.order_date) FILTER (WHERE f.order_date <= cut.day) AS first_day,
        count(*) FILTER (WHERE f.order_date <= cut.day) AS orders,
        count(*) FILTER (WHERE f.order_date <= cut.day AND f.order_date > cut.day - 90) AS orders_90d,
        coalesce(sum(f.amount_reporting) FILTER (WHERE f.order_date <= cut.day), 0) AS value,
        count(*) FILTER (WHERE f.order_date > cut.day AND f.order_date <= cut.day + cut.horizon) AS later
      FROM marts.order_facts f, cut
      WHERE f.status = 'paid' AND f.order_date <= cut.day + cut.horizon
      GROUP BY f.customer_id
    ),
    act AS (
      SELECT customer_id, count(*) AS n FROM core.interactions, cut
      WHERE occurred_at::DATE <= cut.day AND occurred_at::DATE > cut.day - 90 GROUP BY customer_id
    ),
    tix AS (
      SELECT customer_id, count(*) AS n FROM core.tickets, cut
      WHERE opened_at::DATE <= cut.day AND opened_at::DATE > cut.day - 90 GROUP BY customer_id
    ),
    opens AS (
      SELECT customer_id, count(*) AS n FROM core.campaign_events, cut
      WHERE event_type = 'opened' AND occurred_at::DATE <= cut.day AND occurred_at::DATE > cut.day - 90 GROUP BY customer_id
    )
    SELECT per.customer_id,
      ln(1 + date_diff('day', last_day, cut.day)) AS log_recency_days,
      ln(1 + orders) AS log_frequency,
      ln(1 + greatest(value, 0)) AS log_monetary,
      ln(1 + date_diff('day', first_day, cut.day)) AS log_tenure_days,
      ln(1 + orders_90d) AS log_orders_90d,
      ln(1 + coalesce(act.n, 0)) AS log_interactions_90d,
      ln(1 + coalesce(tix.n, 0)) AS log_tickets_90d,
      ln(1 + coalesce(opens.n, 0)) AS log_campaign_opens_90d,
      date_diff('day', last_day, cut.day) AS recency_days,
      CASE WHEN later = 0 THEN 1 ELSE 0 END AS y
    FROM per CROSS JOIN cut
    LEFT JOIN act ON act.customer_id = per.customer_id
    LEFT JOIN tix ON tix.customer_id = per.customer_id
    LEFT JOIN opens ON opens.customer_id = per.customer_id
    WHERE orders > 0 ORDER BY per.customer_id`;
}

export function selectAsOf(): string {
  return `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, strftime(min_day, '%Y-%m-%d') AS first_day
    FROM marts.build_info, (SELECT min(order_date) AS min_day FROM marts.order_facts)`;
}

export function createModelTables(): string {
  return `CREATE SCHEMA IF NOT EXISTS models;
    CREATE TABLE models.customer_scores (
      customer_id BIGINT, segment_id INTEGER, rfm_r INTEGER, rfm_f INTEGER, rfm_m INTEGER, rfm_group VARCHAR,
      p_alive DOUBLE, expected_orders_30d DOUBLE, expected_orders_90d DOUBLE, expected_order_value DOUBLE,
      expected_value_12m DOUBLE, churn_probability DOUBLE, churn_risk DOUBLE, churn_band VARCHAR,
      driver_1 VARCHAR, driver_2 VARCHAR, driver_3 VARCHAR);
    CREATE TABLE models.segments (
      run_id BIGINT, segment_id INTEGER, name_key VARCHAR, name_en VARCHAR, name_zh VARCHAR, customers BIGINT,
      customer_share DOUBLE, revenue DOUBLE, revenue_share DOUBLE, -- centroid: per-feature means in log-feature units; feature_z: the same against the population, in standard deviations.
      centroid DOUBLE[], feature_z DOUBLE[],
      previous_segment_id INTEGER, centroid_shift DOUBLE);
    CREATE TABLE models.model_cards (model VARCHAR, run_id BIGINT, created_at TIMESTAMPTZ, data_from DATE, data_to DATE,
      parameters JSON, quality JSON, notes VARCHAR);`;
}

/** Segment sizes of every run so far: the previous snapshot's history plus this run. */
export function createSegmentHistory(hasPrevious: boolean, runId: number, runAt: string): { text: string; values: (string | number)[] } {
  const current = `SELECT ?::BIGINT AS run_id, ?::TIMESTAMPTZ AS run_at, segment_id, name_en, name_zh, customers, revenue_share FROM models.segments`;
  return {
    text: `CREATE TABLE models.segment_history AS ${hasPrevious ? `SELECT * FROM prev.models.segment_history WHERE run_id <> ?::BIGINT UNION ALL ` : ''}${current}`,
    values: hasPrevious ? [runId, runId, runAt] : [runId, runAt],
  };
}

/** Per customer, the runs at which their segment changed (compact: one row per change, not per run). */
export function createCustomerSegmentChanges(hasPrevious: boolean, runId: number, runAt: string): { text: string; values: (string | number)[] } {
  if (!hasPrevious) {
    return {
      text: `CREATE TABLE models.customer_segment_changes AS SELECT customer_id, ?::BIGINT AS run_id, ?::TIMESTAMPTZ AS run_at, segment_id FROM models.customer_scores`,
      values: [runId, runAt],
    };
  }
  return {
    text: `CREATE TABLE models.customer_segment_changes AS
      SELECT * FROM prev.models.customer_segment_changes WHERE run_id <> ?::BIGINT
      UNION ALL
      SELECT s.customer_id, ?::BIGINT, ?::TIMESTAMPTZ, s.segment_id FROM models.customer_scores s
      LEFT JOIN prev.models.customer_scores p USING (customer_id)
      WHERE p.segment_id IS DISTINCT FROM s.segment_id`,
    values: [runId, runId, runAt],
  };
}

/** How many customers moved from each segment to each other since the previous run. */
export function createSegmentTransitions(hasPrevious: boolean): string {
  return hasPrevious
    ? `CREATE TABLE models.segment_transitions AS
        SELECT p.segment_id AS from_segment_id, s.segment_id AS to_segment_id, count(*) AS customers
        FROM models.customer_scores s FULL JOIN prev.models.customer_scores p USING (customer_id)
        GROUP BY ALL`
    : `CREATE TABLE models.segment_transitions AS
        SELECT NULL::INTEGER AS from_segment_id, segment_id AS to_segment_id, count(*) AS customers FROM models.customer_scores GROUP BY ALL`;
}

/** Copies the scores into customer_360 (rebuilt rather than updated in place: faster in DuckDB). */
export function updateCustomer360(): string {
  return `CREATE OR REPLACE TABLE marts.customer_360 AS
    SELECT c.* REPLACE (
        s.segment_id AS segment_id, g.name_en AS segment_name_en, g.name_zh AS segment_name_zh, s.rfm_group AS rfm_segment,
        s.churn_risk AS churn_risk, s.churn_band AS churn_band, s.p_alive AS p_alive, s.expected_value_12m AS expected_value_12m)
    FROM marts.customer_360 c
    LEFT JOIN models.customer_scores s USING (customer_id)
    LEFT JOIN models.segments g ON g.segment_id = s.segment_id
    ORDER BY c.customer_id`;
}

export function selectPreviousSegments(): string {
  return `SELECT segment_id, centroid FROM prev.models.segments ORDER BY segment_id`;
}
