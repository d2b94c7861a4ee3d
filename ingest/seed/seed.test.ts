// The demo seeder against a real PostgreSQL: each database here is created for this file and
// dropped at the end. Small seeds (2,000 customers) keep the file well under 30 seconds.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../lib/errors.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../../lib/migrate.ts';
import { DEMO_TABLES } from './seed-queries.ts';
import { isSourceEmpty, seedDemoData, type SeedProgress, type SeedResult } from './seed.ts';
import { withClient } from '../../lib/postgres.ts';

const adminUrl = process.env.PULSE_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const asOf = new Date('2026-06-01T00:00:00Z');
const customers = 2000;

interface Database {
  name: string;
  url: string;
}

const created: Database[] = [];

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createDatabase(migrated = true): Promise<Database> {
  const name = `seed_test_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = { name, url: url.toString() };
  created.push(database);
  if (migrated) {
    await withClient(database.url, async (client) => {
      await migrate(client, pulseMigrations);
      await migrate(client, demoSourceMigrations);
    });
  }
  return database;
}


async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  return withClient(url, async (client) => (await client.query<T>(sql)).rows);
}

/** Per table: row count and an md5 over every row in id order (timestamps rendered in UTC). */
async function tableDigests(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    await client.query("SET TimeZone = 'UTC'");
    const out: Record<string, string> = {};
    for (const table of DEMO_TABLES) {
      const { rows } = await client.query<{ n: number; digest: string }>(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS digest FROM pulse_app.${table} t`,
      );
      out[table] = `${rows[0]?.n}:${rows[0]?.digest}`;
    }
    return out;
  });
}

let first: Database;
let firstResult: SeedResult;
let emptyBefore: boolean;
const progress: SeedProgress[] = [];

beforeAll(async () => {
  first = await createDatabase();
  emptyBefore = await isSourceEmpty(first.url);
  firstResult = await seedDemoData(first.url, { customers, seed: 42, asOf, onProgress: (p) => progress.push(p) });
});

afterAll(async () => {
  for (const database of created) await adminQuery(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
});

describe('seedDemoData', () => {
  it('loads every demo table and reports what it loaded', async () => {
    expect(emptyBefore).toBe(true);
    expect(await isSourceEmpty(first.url)).toBe(false);
    const counts = firstResult.counts;
    expect(Object.keys(counts)).toEqual([...DEMO_TABLES]);
    expect(counts.customers).toBe(customers);
    expect(counts.staff_users).toBe(50);
    // About ten orders a customer, 1.5 items an order; the rest scaled to the customer base.
    expect(counts.orders! / customers).toBeGreaterThan(7);
    expect(counts.orders! / customers).toBeLessThan(13);
    expect(counts.order_items! / counts.orders!).toBeGreaterThan(1.4);
    expect(counts.order_items! / counts.orders!).toBeLessThan(1.6);
    expect(counts.interactions! / customers).toBeGreaterThan(2.5);
    expect(counts.tickets! / customers).toBeGreaterThan(0.1);
    expect(counts.campaigns).toBeGreaterThanOrEqual(35);
    expect(counts.campaign_audience).toBeGreaterThan(0);
    for (const table of DEMO_TABLES) {
      const [row] = await query<{ n: number }>(first.url, `SELECT count(*)::int AS n FROM pulse_app.${table}`);
      expect(row?.n, table).toBe(counts[table]);
    }
  });

  it('reports progress per table, ending at the rows loaded', () => {
    for (const table of DEMO_TABLES) {
      const updates = progress.filter((p) => p.table === table);
      expect(updates.length, table).toBeGreaterThan(1);
      expect(updates.at(-1)).toEqual({ table, rowsDone: firstResult.counts[table], rowsExpected: firstResult.counts[table] });
      // Expected counts are exact before each table starts, so the bar never jumps.
      expect(updates[0]?.rowsExpected, table).toBe(firstResult.counts[table]);
    }
  });

  it('gives byte-identical tables for the same seed, and different ones for another seed', async () => {
    const [again, other] = await Promise.all([createDatabase(), createDatabase()]);
    await Promise.all([seedDemoData(again.url, { customers, seed: 42, asOf }), seedDemoData(other.url, { customers, seed: 43, asOf })]);
    const [a, b, c] = await Promise.all([tableDigests(first.url), tableDigests(again.url), tableDigests(other.url)]);
    expect(b).toEqual(a);
    for (const table of ['customers', 'orders', 'order_items', 'interactions', 'tickets', 'campaign_events', 'fx_rates']) {
      expect(c[table], table).not.toBe(a[table]);
    }
  });

  it('keeps the schema intact: every foreign key and index is back and validated', async () => {
    const [row] = await query<{ fks: number; invalid: number; indexes: number }>(
      first.url,
      `SELECT (SELECT count(*)::int FROM pg_constraint WHERE contype = 'f' AND connamespace = 'pulse_app'::regnamespace) AS fks,
              (SELECT count(*)::int FROM pg_constraint WHERE NOT convalidated AND connamespace = 'pulse_app'::regnamespace) AS invalid,
              (SELECT count(*)::int FROM pg_indexes WHERE schemaname = 'pulse_app') AS indexes`,
    );
    const fresh = await createDatabase();
    const [expected] = await query<{ fks: number; indexes: number }>(
      fresh.url,
      `SELECT (SELECT count(*)::int FROM pg_constraint WHERE contype = 'f' AND connamespace = 'pulse_app'::regnamespace) AS fks,
              (SELECT count(*)::int FROM pg_indexes WHERE schemaname = 'pulse_app') AS indexes`,
    );
    expect(row).toEqual({ fks: expected?.fks, invalid: 0, indexes: expected?.indexes });
    expect(expected?.fks).toBeGreaterThanOrEqual(13);
  });

  it('makes order totals equal the sum of their items, to the cent', async () => {
    const [row] = await query<{ orders: number; mismatched: number; bad_lines: number; without_items: number }>(
      first.url,
      `SELECT count(*)::int AS orders,
              count(*) FILTER (WHERE o.total_amount <> coalesce(s.total, -1))::int AS mismatched,
              count(*) FILTER (WHERE NOT s.ok)::int AS bad_lines,
              count(*) FILTER (WHERE s.total IS NULL)::int AS without_items
         FROM pulse_app.orders o
         LEFT JOIN (SELECT order_id, sum(amount) AS total, bool_and(amount = unit_price * quantity) AS ok FROM pulse_app.order_items GROUP BY order_id) s
           ON s.order_id = o.id`,
    );
    expect(row?.orders).toBe(firstResult.counts.orders);
    expect(row).toMatchObject({ mismatched: 0, bad_lines: 0, without_items: 0 });
  });

  it('has an exchange rate for every order currency and date, in any time zone', async () => {
    const [row] = await query<{ missing: number; usd_not_one: number; cny_out_of_range: number }>(
      first.url,
      `SELECT (SELECT count(*)::int FROM pulse_app.orders o
                WHERE NOT EXISTS (SELECT 1 FROM pulse_app.fx_rates f WHERE f.currency = o.currency AND f.rate_date = (o.ordered_at AT TIME ZONE 'Pacific/Kiritimati')::date)
                   OR NOT EXISTS (SELECT 1 FROM pulse_app.fx_rates f WHERE f.currency = o.currency AND f.rate_date = (o.ordered_at AT TIME ZONE 'Pacific/Pago_Pago')::date)) AS missing,
              (SELECT count(*)::int FROM pulse_app.fx_rates WHERE currency = 'USD' AND units_per_usd <> 1) AS usd_not_one,
              (SELECT count(*)::int FROM pulse_app.fx_rates WHERE currency = 'CNY' AND units_per_usd NOT BETWEEN 6.9 AND 7.3) AS cny_out_of_range`,
    );
    expect(row).toEqual({ missing: 0, usd_not_one: 0, cny_out_of_range: 0 });
  });

  it('keeps every time inside the three years before asOf, and updated_at after created_at', async () => {
    const [row] = await query<{ bad_orders: number; bad_customers: number; bad_tickets: number; bad_events: number; earliest: Date; latest: Date }>(
      first.url,
      `SELECT (SELECT count(*)::int FROM pulse_app.orders o JOIN pulse_app.customers c ON c.id = o.customer_id
                WHERE o.ordered_at < c.created_at OR o.updated_at < o.created_at OR o.updated_at >= '2026-06-01') AS bad_orders,
              (SELECT count(*)::int FROM pulse_app.customers WHERE updated_at < created_at OR updated_at >= '2026-06-01'
                OR (deleted_at IS NOT NULL AND deleted_at > updated_at)) AS bad_customers,
              (SELECT count(*)::int FROM pulse_app.tickets WHERE (status IN ('resolved', 'closed')) <> (closed_at IS NOT NULL)
                OR closed_at <= opened_at OR updated_at < opened_at) AS bad_tickets,
              (SELECT count(*)::int FROM pulse_app.campaign_events e JOIN pulse_app.campaigns c ON c.id = e.campaign_id
                WHERE e.occurred_at < c.started_at OR e.occurred_at >= coalesce(c.ended_at, '2026-06-01')) AS bad_events,
              (SELECT min(ordered_at) FROM pulse_app.orders) AS earliest,
              (SELECT max(ordered_at) FROM pulse_app.orders) AS latest`,
    );
    expect(row).toMatchObject({ bad_orders: 0, bad_customers: 0, bad_tickets: 0, bad_events: 0 });
    expect(row!.earliest.getTime()).toBeGreaterThanOrEqual(Date.parse('2023-06-01T00:00:00Z'));
    expect(row!.latest.getTime()).toBeLessThan(asOf.getTime());
  });

  it('leaves a churn signal: lapsed customers had more tickets and fewer recent interactions', async () => {
    const rows = await query<{ status: string; customers: number; tickets: number; recent_interactions: number }>(
      first.url,
      `WITH last AS (SELECT customer_id, max(ordered_at) AS last_order FROM pulse_app.orders GROUP BY customer_id)
       SELECT CASE WHEN l.last_order < timestamptz '2026-06-01' - interval '180 days' THEN 'lapsed' ELSE 'active' END AS status,
              count(*)::int AS customers,
              avg((SELECT count(*) FROM pulse_app.tickets t WHERE t.customer_id = l.customer_id))::float AS tickets,
              avg((SELECT count(*) FROM pulse_app.interactions i WHERE i.customer_id = l.customer_id
                     AND i.occurred_at >= timestamptz '2026-06-01' - interval '180 days'))::float AS recent_interactions
         FROM last l GROUP BY 1`,
    );
    const lapsed = rows.find((r) => r.status === 'lapsed')!;
    const active = rows.find((r) => r.status === 'active')!;
    const share = lapsed.customers / customers;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.5);
    expect(lapsed.tickets).toBeGreaterThan(1.5 * active.tickets);
    expect(lapsed.recent_interactions).toBeLessThan(active.recent_interactions);
  });

  it('sends nothing to holdout customers and fewer opens to lapsed ones', async () => {
    const [row] = await query<{ holdout_contacted: number; holdout_share: number; open_rate: number }>(
      first.url,
      `SELECT (SELECT count(*)::int FROM pulse_app.campaign_events e JOIN pulse_app.campaign_audience a USING (campaign_id, customer_id)
                WHERE a.is_holdout AND e.event_type <> 'converted') AS holdout_contacted,
              (SELECT avg(is_holdout::int)::float FROM pulse_app.campaign_audience) AS holdout_share,
              (SELECT (count(*) FILTER (WHERE event_type = 'opened'))::float / count(*) FILTER (WHERE event_type = 'sent') FROM pulse_app.campaign_events) AS open_rate`,
    );
    expect(row?.holdout_contacted).toBe(0);
    expect(row?.holdout_share).toBeGreaterThan(0.05);
    expect(row?.holdout_share).toBeLessThan(0.15);
    expect(row?.open_rate).toBeGreaterThan(0.1);
    expect(row?.open_rate).toBeLessThan(0.4);
    const byRecency = await query<{ recent_buyer: boolean; open_rate: number }>(
      first.url,
      `SELECT EXISTS (SELECT 1 FROM pulse_app.orders o WHERE o.customer_id = e.customer_id
                        AND o.ordered_at < c.started_at AND o.ordered_at >= c.started_at - interval '180 days') AS recent_buyer,
              avg((EXISTS (SELECT 1 FROM pulse_app.campaign_events x WHERE x.campaign_id = e.campaign_id
                             AND x.customer_id = e.customer_id AND x.event_type = 'opened'))::int)::float AS open_rate
         FROM pulse_app.campaign_events e JOIN pulse_app.campaigns c ON c.id = e.campaign_id
        WHERE e.event_type = 'sent'
        GROUP BY 1`,
    );
    const recent = byRecency.find((r) => r.recent_buyer)!;
    const lapsed = byRecency.find((r) => !r.recent_buyer)!;
    expect(lapsed.open_rate).toBeLessThan(0.7 * recent.open_rate);
  });

  it('writes believable Chinese and Western customers, tricky characters intact', async () => {
    const [row] = await query<{ cn_share: number; chinese_names: number; compound: number; apostrophes: number; commas: number; quotes: number; cn_wrong: number; west_wrong: number }>(
      first.url,
      `SELECT avg((country = 'CN')::int)::float AS cn_share,
              count(*) FILTER (WHERE name ~ '^[\\u4e00-\\u9fff]{2,4}$')::int AS chinese_names,
              count(*) FILTER (WHERE name ~ '^(欧阳|司马|上官|诸葛|司徒|东方|皇甫|慕容|令狐|夏侯)')::int AS compound,
              count(*) FILTER (WHERE name LIKE '%''%')::int AS apostrophes,
              count(*) FILTER (WHERE name LIKE '%,%' OR company LIKE '%,%')::int AS commas,
              count(*) FILTER (WHERE name LIKE '%"%')::int AS quotes,
              count(*) FILTER (WHERE country = 'CN' AND (currency <> 'CNY' OR preferred_language <> 'zh-CN' OR phone NOT LIKE '+86 1%'))::int AS cn_wrong,
              count(*) FILTER (WHERE country <> 'CN' AND (currency NOT IN ('USD', 'EUR') OR preferred_language <> 'en'))::int AS west_wrong
         FROM pulse_app.customers`,
    );
    expect(row!.cn_share).toBeGreaterThan(0.5);
    expect(row!.cn_share).toBeLessThan(0.6);
    expect(row!.chinese_names).toBeGreaterThan(0.45 * customers);
    expect(row!.apostrophes).toBeGreaterThan(0);
    expect(row!.commas).toBeGreaterThan(0);
    expect(row).toMatchObject({ cn_wrong: 0, west_wrong: 0 });
    const [emails] = await query<{ duplicates: number }>(first.url, `SELECT count(*) - count(DISTINCT email) AS duplicates FROM pulse_app.customers WHERE email IS NOT NULL`);
    expect(Number(emails?.duplicates)).toBe(0);
  });

  it('refuses a database that already has data, and leaves that data alone', async () => {
    const before = await tableDigests(first.url);
    const error = await seedDemoData(first.url, { customers: 10, seed: 1, asOf }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).code).toBe('source_not_empty');
    expect((error as IngestError).message).toMatch(/already has data.*pulse_app\.customers/);
    expect(await tableDigests(first.url)).toEqual(before);
  });

  it('names the missing schema and rejects bad options before touching the database', async () => {
    const bare = await createDatabase(false);
    const missing = await seedDemoData(bare.url, { customers: 10, seed: 1, asOf }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(IngestError);
    expect((missing as IngestError).code).toBe('source_schema_missing');
    expect(await isSourceEmpty(bare.url)).toBe(true);
    const invalid = await seedDemoData(bare.url, { customers: 0, seed: 1, asOf }).catch((e: unknown) => e);
    expect((invalid as IngestError).code).toBe('seed_options_invalid');
    expect((invalid as IngestError).message).toMatch(/customers/);
  });
});
