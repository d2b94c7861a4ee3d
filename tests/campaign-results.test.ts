// Campaign results (warehouse/marts/campaign.queries.ts) against the source: the demo data (which has
// holdout groups and conversions) plus one hand-made campaign whose every figure is written down here,
// run through the real pipeline with a 10-day attribution window from PULSE_ATTRIBUTION_DAYS. The
// expected figures are computed independently in PostgreSQL, in its exact numeric arithmetic.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../lib/migrate.ts';
import { withPublishedSnapshot, type DuckDb } from '../warehouse/index.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

const WINDOW_DAYS = 10;
const Z = 1.959963984540054;
const MIN_GROUP = 30;

let database: TestDatabase;
let source: pg.Client;
let env: PulseTestEnv;
let asOf: string;

// The hand-made campaign and its four members.
const X = 990_000_001;
const A = 910_000_001; // targeted: a conversion, one order inside the window, one at its end, a refund
const B = 910_000_002; // holdout: one order inside the window
const C = 910_000_003; // in the audience twice, once as holdout: holdout wins
const D = 910_000_004; // not in the audience, but sent the campaign: targeted; converts after the window
const E = 990_000_002; // a campaign that starts after the as-of day: not in the results
// A hand-made campaign with groups large enough for intervals: 60 targeted (12 convert, 20 buy
// for 100.00 each), 40 held out (2 convert, 5 buy for 50.00 each).
const Y = 990_000_003;
const Y_MEMBERS = Array.from({ length: 100 }, (_, i) => 920_000_001 + i);

beforeAll(async () => {
  database = await createTestDatabase('campaigns');
  source = new pg.Client({ connectionString: database.url });
  await source.connect();
  await migrate(source, pulseMigrations);
  await migrate(source, demoSourceMigrations);
  await seedDemoData(database.url, { customers: 1500, seed: 5, asOf: new Date('2026-10-01T00:00:00Z') });
  asOf = (await source.query<{ d: string }>("SELECT max((ordered_at AT TIME ZONE 'UTC')::date)::text AS d FROM pulse_app.orders WHERE deleted_at IS NULL")).rows[0]!.d;
  await source.query("CREATE FUNCTION pg_temp.utc(d date, t text) RETURNS timestamptz LANGUAGE sql AS $$ SELECT (d + t::time) AT TIME ZONE 'UTC' $$");
  await source.query(
    `INSERT INTO pulse_app.customers (id, name, country, region, city, preferred_language, currency, created_at)
     SELECT id, 'Member ' || id, 'CN', 'East', 'Shanghai', 'zh-CN', 'CNY', '2025-01-01T00:00:00Z' FROM unnest($1::bigint[]) AS id`,
    [[A, B, C, D, ...Y_MEMBERS]],
  );
  // X starts 20 days before the as-of day at 09:00 UTC: its 10-day window ends 10 days before it, 09:00.
  await source.query(
    `INSERT INTO pulse_app.campaigns (id, name, channel, started_at, ended_at, budget, currency) VALUES
       (${X}, 'Hand-made 手工', 'email', pg_temp.utc($1::date - 20, '09:00'), pg_temp.utc($1::date - 15, '09:00'), 1000, 'CNY'),
       (${E}, 'Not yet', 'sms', pg_temp.utc($1::date + 2, '09:00'), NULL, 1000, 'CNY'),
       (${Y}, 'Large hand-made', 'wechat', pg_temp.utc($1::date - 30, '09:00'), NULL, NULL, 'CNY')`,
    [asOf],
  );
  await source.query(
    `INSERT INTO pulse_app.campaign_audience (id, campaign_id, customer_id, is_holdout)
     SELECT 991000000 + i, ${Y}, m, i > 60 FROM unnest($1::bigint[]) WITH ORDINALITY AS t(m, i)`,
    [Y_MEMBERS],
  );
  await source.query(
    `INSERT INTO pulse_app.campaign_events (id, campaign_id, customer_id, event_type, occurred_at)
     SELECT 992000000 + i, ${Y}, m, 'converted', pg_temp.utc($2::date - 29, '09:00') FROM unnest($1::bigint[]) WITH ORDINALITY AS t(m, i)
     WHERE i <= 12 OR i BETWEEN 61 AND 62`,
    [Y_MEMBERS, asOf],
  );
  await source.query(
    `INSERT INTO pulse_app.orders (id, customer_id, ordered_at, status, channel, currency, total_amount)
     SELECT 993000000 + i, m, pg_temp.utc($2::date - 25, '09:00'), 'paid', 'web', 'CNY', CASE WHEN i <= 60 THEN 100.00 ELSE 50.00 END
     FROM unnest($1::bigint[]) WITH ORDINALITY AS t(m, i) WHERE i <= 20 OR i BETWEEN 61 AND 65`,
    [Y_MEMBERS, asOf],
  );
  await source.query(
    `INSERT INTO pulse_app.campaign_audience (id, campaign_id, customer_id, is_holdout) VALUES
       (990000101, ${X}, ${A}, false), (990000102, ${X}, ${B}, true), (990000103, ${X}, ${C}, false), (990000104, ${X}, ${C}, true),
       (990000105, ${E}, ${A}, false)`,
  );
  await source.query(
    `INSERT INTO pulse_app.campaign_events (id, campaign_id, customer_id, event_type, occurred_at) VALUES
       (990000201, ${X}, ${A}, 'sent', pg_temp.utc($1::date - 20, '09:05')),
       (990000202, ${X}, ${A}, 'opened', pg_temp.utc($1::date - 20, '10:00')),
       (990000203, ${X}, ${A}, 'clicked', pg_temp.utc($1::date - 20, '10:01')),
       (990000204, ${X}, ${A}, 'converted', pg_temp.utc($1::date - 19, '12:00')),
       (990000205, ${X}, ${D}, 'sent', pg_temp.utc($1::date - 20, '09:05')),
       (990000206, ${X}, ${D}, 'converted', pg_temp.utc($1::date - 10, '09:00'))`,
    [asOf],
  );
  await source.query(
    `INSERT INTO pulse_app.orders (id, customer_id, ordered_at, status, channel, currency, total_amount) VALUES
       (990000301, ${A}, pg_temp.utc($1::date - 10, '08:59:59.999'), 'paid', 'web', 'CNY', 100.00),
       (990000302, ${A}, pg_temp.utc($1::date - 10, '09:00'), 'paid', 'web', 'CNY', 1000.00),
       (990000303, ${A}, pg_temp.utc($1::date - 15, '09:00'), 'refunded', 'web', 'CNY', 70.00),
       (990000304, ${A}, pg_temp.utc($1::date - 21, '09:00'), 'paid', 'web', 'CNY', 5000.00),
       (990000305, ${B}, pg_temp.utc($1::date - 18, '09:00'), 'paid', 'app', 'CNY', 33.33)`,
    [asOf],
  );
  env = createPulseEnv(database.url, { PULSE_ATTRIBUTION_DAYS: String(WINDOW_DAYS) });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
  await adoptHalfCentRoundings();
  await createSourceTables();
}, 240_000);

afterAll(async () => {
  await source?.end();
  await env?.close();
  await database?.drop();
});

function snapshot<T>(fn: (db: DuckDb) => Promise<T>): Promise<T> {
  return withPublishedSnapshot(env.dataDir, (db) => fn(db));
}

/**
 * Every live paid order with its amount in CNY (the reporting currency), converted in PostgreSQL's
 * exact arithmetic at the latest rate on or before the order's UTC day, kept in a temporary table
 * (indexed, for the per-member sums below). A handful of amounts that fall exactly on a half cent take
 * the warehouse's rounding (see tests/marts.test.ts, which reports why).
 */
async function createSourceTables(): Promise<void> {
  await source.query(`CREATE TEMP TABLE src_orders AS
    SELECT o.id, o.customer_id, o.ordered_at,
           coalesce(t.amount, CASE WHEN o.currency = 'CNY' THEN o.total_amount ELSE round(o.total_amount / r.units_per_usd * rr.units_per_usd, 2) END) AS amount
    FROM pulse_app.orders o
    LEFT JOIN pg_temp.half_cent_orders t ON t.id = o.id
    LEFT JOIN LATERAL (SELECT units_per_usd FROM pulse_app.fx_rates f WHERE f.deleted_at IS NULL AND f.currency = o.currency
                       AND f.rate_date <= (o.ordered_at AT TIME ZONE 'UTC')::date ORDER BY f.rate_date DESC LIMIT 1) r ON true
    LEFT JOIN LATERAL (SELECT units_per_usd FROM pulse_app.fx_rates f WHERE f.deleted_at IS NULL AND f.currency = 'CNY'
                       AND f.rate_date <= (o.ordered_at AT TIME ZONE 'UTC')::date ORDER BY f.rate_date DESC LIMIT 1) rr ON true
    WHERE o.deleted_at IS NULL AND o.status = 'paid'`);
  await source.query('CREATE INDEX ON src_orders (customer_id, ordered_at)');
  await source.query(
    "CREATE TEMP TABLE src_events AS SELECT * FROM pulse_app.campaign_events WHERE deleted_at IS NULL AND occurred_at < (($1::date + 1)::timestamp AT TIME ZONE 'UTC')".replace('$1', `'${asOf}'`),
  );
  await source.query('CREATE INDEX ON src_events (campaign_id, customer_id, event_type)');
  await source.query('ANALYZE src_orders; ANALYZE src_events');
}

async function adoptHalfCentRoundings(): Promise<void> {
  await source.query('CREATE TEMP TABLE IF NOT EXISTS half_cent_orders (id bigint PRIMARY KEY, amount numeric)');
  const { rows } = await source.query<{ id: string }>(
    `SELECT o.id FROM pulse_app.orders o
     JOIN LATERAL (SELECT units_per_usd FROM pulse_app.fx_rates f WHERE f.deleted_at IS NULL AND f.currency = o.currency
                   AND f.rate_date <= (o.ordered_at AT TIME ZONE 'UTC')::date ORDER BY f.rate_date DESC LIMIT 1) r ON true
     JOIN LATERAL (SELECT units_per_usd FROM pulse_app.fx_rates f WHERE f.deleted_at IS NULL AND f.currency = 'CNY'
                   AND f.rate_date <= (o.ordered_at AT TIME ZONE 'UTC')::date ORDER BY f.rate_date DESC LIMIT 1) rr ON true
     WHERE o.deleted_at IS NULL AND o.currency <> 'CNY' AND mod(o.total_amount / r.units_per_usd * rr.units_per_usd * 100, 1) = 0.5`,
  );
  if (rows.length === 0) return;
  const ids = rows.map((r) => Number(r.id));
  const amounts = await snapshot((db) =>
    db.all<{ id: number; amount: string }>(`SELECT id, amount_reporting::VARCHAR AS amount FROM core.orders WHERE id IN (${ids.map(() => '?').join(', ')})`, ids),
  );
  for (const a of amounts) await source.query('INSERT INTO half_cent_orders VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [a.id, a.amount]);
}

/**
 * Per member of each campaign started by the as-of day, written independently of the mart: members
 * are audience rows plus evented customers (holdout if any audience row says so); events by
 * EXISTS, orders by correlated sums over the attribution window.
 */
const SOURCE_MEMBERS = `
  WITH camp AS (
    SELECT id, started_at, least(started_at + make_interval(days => $2::int), (($1::date + 1)::timestamp AT TIME ZONE 'UTC')) AS window_end
    FROM pulse_app.campaigns WHERE deleted_at IS NULL AND started_at < (($1::date + 1)::timestamp AT TIME ZONE 'UTC')
  ),
  members AS (
    SELECT c.id AS campaign_id, c.started_at, c.window_end, x.customer_id, bool_or(x.is_holdout) AS is_holdout
    FROM camp c
    JOIN (SELECT campaign_id, customer_id, is_holdout FROM pulse_app.campaign_audience WHERE deleted_at IS NULL
          UNION ALL SELECT campaign_id, customer_id, false FROM src_events) x ON x.campaign_id = c.id
    GROUP BY 1, 2, 3, 4
  ),
  m AS (
    SELECT members.*,
           EXISTS (SELECT 1 FROM src_events ev WHERE ev.campaign_id = members.campaign_id AND ev.customer_id = members.customer_id AND ev.event_type = 'sent') AS sent,
           EXISTS (SELECT 1 FROM src_events ev WHERE ev.campaign_id = members.campaign_id AND ev.customer_id = members.customer_id AND ev.event_type = 'opened') AS opened,
           EXISTS (SELECT 1 FROM src_events ev WHERE ev.campaign_id = members.campaign_id AND ev.customer_id = members.customer_id AND ev.event_type = 'clicked') AS clicked,
           EXISTS (SELECT 1 FROM src_events ev WHERE ev.campaign_id = members.campaign_id AND ev.customer_id = members.customer_id AND ev.event_type = 'converted'
                   AND ev.occurred_at >= members.started_at AND ev.occurred_at < members.window_end) AS converted,
           (SELECT count(*) FROM src_orders o WHERE o.customer_id = members.customer_id AND o.ordered_at >= members.started_at AND o.ordered_at < members.window_end) AS orders,
           (SELECT coalesce(sum(amount), 0) FROM src_orders o WHERE o.customer_id = members.customer_id AND o.ordered_at >= members.started_at AND o.ordered_at < members.window_end) AS revenue
    FROM members
  )`;

/** Measures of a group of members, with the lifts and their 95% intervals. */
const SOURCE_MEASURES = `
  count(*) FILTER (WHERE NOT is_holdout)::int AS audience,
  count(*) FILTER (WHERE is_holdout)::int AS holdout,
  count(*) FILTER (WHERE NOT is_holdout AND sent)::int AS sent,
  count(*) FILTER (WHERE NOT is_holdout AND opened)::int AS opened,
  count(*) FILTER (WHERE NOT is_holdout AND clicked)::int AS clicked,
  count(*) FILTER (WHERE NOT is_holdout AND converted)::int AS converted,
  count(*) FILTER (WHERE NOT is_holdout AND orders > 0)::int AS buyers,
  coalesce(sum(orders) FILTER (WHERE NOT is_holdout), 0)::int AS orders,
  coalesce(sum(revenue) FILTER (WHERE NOT is_holdout), 0)::numeric(18,2)::text AS revenue,
  count(*) FILTER (WHERE is_holdout AND converted)::int AS holdout_converted,
  coalesce(sum(revenue) FILTER (WHERE is_holdout), 0)::numeric(18,2)::text AS holdout_revenue,
  round(sum(revenue) FILTER (WHERE NOT is_holdout) / nullif(count(*) FILTER (WHERE NOT is_holdout), 0), 2)::text AS revenue_per_customer,
  round(coalesce(sum(revenue) FILTER (WHERE is_holdout), 0) / nullif(count(*) FILTER (WHERE is_holdout), 0), 2)::text AS holdout_revenue_per_customer,
  (count(*) FILTER (WHERE NOT is_holdout AND converted))::float8 / nullif(count(*) FILTER (WHERE NOT is_holdout), 0) AS p1,
  (count(*) FILTER (WHERE is_holdout AND converted))::float8 / nullif(count(*) FILTER (WHERE is_holdout), 0) AS p0,
  coalesce(var_samp(revenue::float8) FILTER (WHERE NOT is_holdout), 0) AS var1,
  coalesce(var_samp(revenue::float8) FILTER (WHERE is_holdout), 0) AS var0`;

interface SourceRow {
  audience: number;
  holdout: number;
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
  buyers: number;
  orders: number;
  revenue: string;
  holdout_converted: number;
  holdout_revenue: string;
  revenue_per_customer: string | null;
  holdout_revenue_per_customer: string | null;
  p1: number | null;
  p0: number | null;
  var1: number;
  var0: number;
}

/** The lifts and intervals from a source row, as the definitions say (Agresti–Caffo; Welch). */
function lifts(r: SourceRow): { conversion: number | null; revenue: number | null; intervals: { conversion: [number, number]; revenue: [number, number] } | null } {
  if (r.audience === 0 || r.holdout === 0) return { conversion: null, revenue: null, intervals: null };
  const conversion = r.p1! - r.p0!;
  const revenue = Number(r.revenue_per_customer) - Number(r.holdout_revenue_per_customer);
  if (r.audience < MIN_GROUP || r.holdout < MIN_GROUP) return { conversion, revenue, intervals: null };
  const a1 = (r.converted + 1) / (r.audience + 2);
  const a0 = (r.holdout_converted + 1) / (r.holdout + 2);
  const se = Math.sqrt((a1 * (1 - a1)) / (r.audience + 2) + (a0 * (1 - a0)) / (r.holdout + 2));
  const seR = Math.sqrt(r.var1 / r.audience + r.var0 / r.holdout);
  return { conversion, revenue, intervals: { conversion: [a1 - a0 - Z * se, a1 - a0 + Z * se], revenue: [revenue - Z * seR, revenue + Z * seR] } };
}

type MartRow = {
  campaign_id: number;
  name: string;
  attribution_days: number;
  window_complete: boolean;
  audience: number;
  holdout: number;
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
  buyers: number;
  orders: number;
  revenue: string;
  holdout_converted: number;
  holdout_revenue: string;
  revenue_per_customer: string | null;
  holdout_revenue_per_customer: string | null;
  open_rate: number | null;
  click_rate: number | null;
  conversion_rate: number | null;
  holdout_conversion_rate: number | null;
  conversion_lift: number | null;
  conversion_lift_low: number | null;
  conversion_lift_high: number | null;
  conversion_lift_significant: boolean | null;
  revenue_lift_per_customer: string | null;
  revenue_lift_low: number | null;
  revenue_lift_high: number | null;
  revenue_lift_significant: boolean | null;
};

const MART_COLUMNS = `* EXCLUDE (revenue, holdout_revenue, revenue_per_customer, holdout_revenue_per_customer, revenue_lift_per_customer),
  revenue::VARCHAR AS revenue, holdout_revenue::VARCHAR AS holdout_revenue, revenue_per_customer::VARCHAR AS revenue_per_customer,
  holdout_revenue_per_customer::VARCHAR AS holdout_revenue_per_customer, revenue_lift_per_customer::VARCHAR AS revenue_lift_per_customer`;

function expectSameMeasures(mart: MartRow, expected: SourceRow, label: string): void {
  expect(
    {
      audience: mart.audience,
      holdout: mart.holdout,
      sent: mart.sent,
      opened: mart.opened,
      clicked: mart.clicked,
      converted: mart.converted,
      buyers: mart.buyers,
      orders: mart.orders,
      revenue: mart.revenue,
      holdout_converted: mart.holdout_converted,
      holdout_revenue: mart.holdout_revenue,
      revenue_per_customer: mart.revenue_per_customer,
      holdout_revenue_per_customer: mart.holdout_revenue_per_customer,
    },
    label,
  ).toEqual({
    audience: expected.audience,
    holdout: expected.holdout,
    sent: expected.sent,
    opened: expected.opened,
    clicked: expected.clicked,
    converted: expected.converted,
    buyers: expected.buyers,
    orders: expected.orders,
    revenue: expected.revenue,
    holdout_converted: expected.holdout_converted,
    holdout_revenue: expected.holdout_revenue,
    revenue_per_customer: expected.audience > 0 ? expected.revenue_per_customer : null,
    holdout_revenue_per_customer: expected.holdout > 0 ? expected.holdout_revenue_per_customer : null,
  });
  const l = lifts(expected);
  if (l.conversion === null) expect(mart.conversion_lift, label).toBeNull();
  else expect(mart.conversion_lift!, label).toBeCloseTo(l.conversion, 12);
  if (l.revenue === null) expect(mart.revenue_lift_per_customer, label).toBeNull();
  else expect(Number(mart.revenue_lift_per_customer), label).toBeCloseTo(l.revenue, 6);
  if (!l.intervals) {
    expect([mart.conversion_lift_low, mart.conversion_lift_significant, mart.revenue_lift_low, mart.revenue_lift_significant], label).toEqual([null, null, null, null]);
    return;
  }
  expect(mart.conversion_lift_low!, label).toBeCloseTo(l.intervals.conversion[0], 12);
  expect(mart.conversion_lift_high!, label).toBeCloseTo(l.intervals.conversion[1], 12);
  expect(mart.conversion_lift_significant, label).toBe(l.intervals.conversion[0] > 0 || l.intervals.conversion[1] < 0);
  expect(mart.revenue_lift_low!, label).toBeCloseTo(l.intervals.revenue[0], 6);
  expect(mart.revenue_lift_high!, label).toBeCloseTo(l.intervals.revenue[1], 6);
  expect(mart.revenue_lift_significant, label).toBe(l.intervals.revenue[0] > 0 || l.intervals.revenue[1] < 0);
}

describe('campaign_results', () => {
  it('has one row per campaign started by the as-of day, each matching an independent count in PostgreSQL', async () => {
    const expected = await source.query<SourceRow & { campaign_id: string }>(`${SOURCE_MEMBERS} SELECT campaign_id, ${SOURCE_MEASURES} FROM m GROUP BY campaign_id`, [asOf, WINDOW_DAYS]);
    const started = await source.query<{ id: string }>("SELECT id FROM pulse_app.campaigns WHERE deleted_at IS NULL AND started_at < (($1::date + 1)::timestamp AT TIME ZONE 'UTC') ORDER BY id", [asOf]);
    const mart = await snapshot((db) => db.all<MartRow>(`SELECT ${MART_COLUMNS} FROM marts.campaign_results ORDER BY campaign_id`));
    expect(mart.map((r) => r.campaign_id)).toEqual(started.rows.map((r) => Number(r.id)));
    expect(mart.some((r) => r.campaign_id === E)).toBe(false);
    const byId = new Map(expected.rows.map((r) => [Number(r.campaign_id), r]));
    for (const row of mart) {
      expect(row.attribution_days).toBe(WINDOW_DAYS);
      const source = byId.get(row.campaign_id);
      if (!source) {
        // A campaign nobody was targeted by: zeros and no rates.
        expect(row).toMatchObject({ audience: 0, holdout: 0, revenue: '0.00', conversion_rate: null, conversion_lift: null });
        continue;
      }
      expectSameMeasures(row, source, `campaign ${row.campaign_id}`);
      expect(row.conversion_rate).toBeCloseTo(source.audience ? source.converted / source.audience : NaN, 12);
      if (row.sent > 0) expect(row.open_rate).toBeCloseTo(row.opened / row.sent, 12);
    }
  });

  it('the demo data has holdout groups, conversions and buyers', async () => {
    const mart = await snapshot((db) => db.all<MartRow>(`SELECT ${MART_COLUMNS} FROM marts.campaign_results WHERE campaign_id < ${X}`));
    const sum = (f: (r: MartRow) => number) => mart.reduce((a, r) => a + f(r), 0);
    console.log(
      `demo data, 1,500 customers, ${mart.length} campaigns: ${sum((r) => r.audience)} targeted, ${sum((r) => r.holdout)} held out, ` +
        `${sum((r) => r.converted)} + ${sum((r) => r.holdout_converted)} conversions, ${mart.filter((r) => r.conversion_lift_low !== null).length} with intervals`,
    );
    expect(mart.filter((r) => r.holdout > 0).length).toBeGreaterThan(20);
    expect(sum((r) => r.converted)).toBeGreaterThan(0);
    expect(sum((r) => r.buyers)).toBeGreaterThan(100);
  });

  it('gives the hand-made campaign exactly the figures its rows imply', async () => {
    const row = await snapshot((db) => db.one<MartRow>(`SELECT ${MART_COLUMNS} FROM marts.campaign_results WHERE campaign_id = ?`, [X]));
    expect(row).toMatchObject({
      name: 'Hand-made 手工',
      window_complete: true,
      audience: 2, // A, and D who was sent it without an audience row
      holdout: 2, // B, and C whose holdout row wins over their targeted one
      sent: 2,
      opened: 1,
      clicked: 1,
      converted: 1, // A; D converted at the very instant the window closes: outside
      buyers: 1,
      orders: 1, // A's order 1 ms before the window closes; not the one at its end, the refund or the one before the start
      revenue: '100.00',
      revenue_per_customer: '50.00',
      holdout_converted: 0,
      holdout_revenue: '33.33',
      holdout_revenue_per_customer: '16.67', // 33.33 / 2 = 16.665, half away from zero
      revenue_lift_per_customer: '33.33',
      open_rate: 0.5,
      click_rate: 0.5,
      conversion_rate: 0.5,
      holdout_conversion_rate: 0,
      conversion_lift: 0.5,
    });
    // Two members a side: too few for an interval, so no verdict either way.
    expect([row.conversion_lift_low, row.conversion_lift_high, row.conversion_lift_significant, row.revenue_lift_low, row.revenue_lift_significant]).toEqual([null, null, null, null, null]);
  });

  it('gives the large hand-made campaign its lifts with 95% intervals, worked out by hand', async () => {
    const row = await snapshot((db) => db.one<MartRow>(`SELECT ${MART_COLUMNS} FROM marts.campaign_results WHERE campaign_id = ?`, [Y]));
    expect(row).toMatchObject({ audience: 60, holdout: 40, converted: 12, holdout_converted: 2, buyers: 20, revenue: '2000.00', holdout_revenue: '250.00' });
    expect(row.revenue_per_customer).toBe('33.33'); // 2000 / 60 = 33.333…
    expect(row.holdout_revenue_per_customer).toBe('6.25');
    expect(row.revenue_lift_per_customer).toBe('27.08');
    expect(row.conversion_lift!).toBeCloseTo(12 / 60 - 2 / 40, 12); // 0.15
    // Agresti–Caffo: 13/62 against 3/42.
    const a1 = 13 / 62;
    const a0 = 3 / 42;
    const se = Math.sqrt((a1 * (1 - a1)) / 62 + (a0 * (1 - a0)) / 42);
    expect(row.conversion_lift_low!).toBeCloseTo(a1 - a0 - Z * se, 12);
    expect(row.conversion_lift_high!).toBeCloseTo(a1 - a0 + Z * se, 12);
    expect(row.conversion_lift_low!).toBeGreaterThan(0);
    expect(row.conversion_lift_significant).toBe(true);
    // Welch: 20 of 60 spent 100 (sample variance 20·40/(60·59)·100²), 5 of 40 spent 50 (5·35/(40·39)·50²).
    const seR = Math.sqrt(((20 * 40) / (60 * 59)) * 10_000 / 60 + ((5 * 35) / (40 * 39)) * 2_500 / 40);
    expect(row.revenue_lift_low!).toBeCloseTo(27.08 - Z * seR, 9);
    expect(row.revenue_lift_high!).toBeCloseTo(27.08 + Z * seR, 9);
    expect(row.revenue_lift_significant).toBe(true);
  });
});

describe('campaign_results_by_segment and _by_band', () => {
  it('break each campaign down by the segment and churn band its members have now, matching PostgreSQL', async () => {
    const scores = await snapshot((db) => db.all<{ customer_id: number; segment_id: number | null; churn_band: string | null }>('SELECT customer_id, segment_id, churn_band FROM marts.customer_360'));
    expect(scores.filter((s) => s.segment_id !== null).length).toBeGreaterThan(1000);
    await source.query('CREATE TEMP TABLE scores (customer_id bigint PRIMARY KEY, segment_id int, churn_band text)');
    await source.query('INSERT INTO scores SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[])', [scores.map((s) => s.customer_id), scores.map((s) => s.segment_id), scores.map((s) => s.churn_band)]);
    for (const by of ['segment', 'band'] as const) {
      const key = by === 'segment' ? 'segment_id' : 'churn_band';
      const expected = await source.query<SourceRow & { campaign_id: string; key: string | null }>(
        `${SOURCE_MEMBERS} SELECT m.campaign_id, s.${key}::text AS key, ${SOURCE_MEASURES} FROM m LEFT JOIN scores s ON s.customer_id = m.customer_id GROUP BY 1, 2`,
        [asOf, WINDOW_DAYS],
      );
      const mart = await snapshot((db) =>
        db.all<MartRow & { key: string | null }>(`SELECT CAST(${key} AS VARCHAR) AS key, ${MART_COLUMNS} FROM marts.campaign_results_by_${by} ORDER BY campaign_id, ${key}`),
      );
      expect(mart.length, by).toBe(expected.rows.length);
      const byKey = new Map(expected.rows.map((r) => [`${r.campaign_id}|${r.key}`, r]));
      for (const row of mart) expectSameMeasures(row, byKey.get(`${row.campaign_id}|${row.key}`)!, `${by} ${row.campaign_id}|${row.key}`);
    }
    // The parts add up to the campaign.
    const sums = await snapshot((db) =>
      db.all<{ campaign_id: number; audience: number; parts: number; revenue: string; part_revenue: string }>(
        `SELECT r.campaign_id, r.audience, sum(b.audience) AS parts, r.revenue::VARCHAR AS revenue, sum(b.revenue)::VARCHAR AS part_revenue
         FROM marts.campaign_results r JOIN marts.campaign_results_by_band b USING (campaign_id) GROUP BY ALL`,
      ),
    );
    for (const s of sums) expect([s.parts, s.part_revenue], `campaign ${s.campaign_id}`).toEqual([s.audience, s.revenue]);
    // Bands are the churn model's (high / medium / low), plus NULL for members no longer in customer_360.
    const bands = await snapshot((db) => db.all<{ churn_band: string | null }>('SELECT DISTINCT churn_band FROM marts.campaign_results_by_band ORDER BY 1'));
    expect(bands.map((b) => b.churn_band).filter((b) => b !== null).sort()).toEqual(['high', 'low', 'medium']);
  });
});
