// Segment builder benchmark (npm run bench:segments): on a 1M-customer warehouse, served by the real
// dashboard (startDashboard), measures
//   - the live count (POST /api/segment-builder/count) of five-rule segments — four different rule
//     sets, every request with fresh values so no answer comes from the cache — p50/p95/max;
//   - saving a static segment of ~500k members (compile, freeze the ids, store them with COPY);
//   - exports to CSV of a ~500k-member saved segment (default columns, personal data from
//     PostgreSQL) and of ~250k, download time and the server's resident memory (flat: the peak does
//     not grow with the rows).
//
// The warehouse: `--snapshot FILE` (a published snapshot of the dashboard benchmark, copied first, never
// opened in place), else the 1M-customer snapshot of /work/main's dashboard benchmark if present
// (copied), else a synthetic customer_360 of 1M customers generated in DuckDB with the real column
// types. Personal data (names, e-mails, phones) for the same ids is generated in the benchmark's own
// PostgreSQL (embedded, port PULSE_PG_PORT). Everything lives under .pulse-bench/segments/.
//   npx tsx bench/segments.bench.ts [--customers 1000000] [--snapshot FILE] [--counts 120]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDemoUsers } from '../lib/auth.ts';
import { ensureEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { freePort } from '../lib/free-port.ts';
import { migrate, pulseMigrations } from '../lib/migrate.ts';
import { projectRoot } from '../lib/paths.ts';
import { createPool } from '../lib/postgres.ts';
import { DuckDb, getPublishedSnapshot, publishSnapshot, snapshotPath, withPublishedSnapshot, type RuleGroup, type RuleNode } from '../warehouse/index.ts';
import { startDashboard } from '../dashboard/server.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const customers = Number(arg('customers') ?? 1_000_000);
const countRequests = Number(arg('counts') ?? 120);
const benchDir = path.join(projectRoot, '.pulse-bench', 'segments');
const dataDir = path.join(benchDir, `data-${customers}`);
const mainSnapshotDir = `/work/main/.pulse-bench/dashboard-data-${customers}`;

async function main(): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  const pgPort = Number(process.env.PULSE_PG_PORT ?? 54359);
  const server = await ensureEmbeddedPostgres(path.join(benchDir, 'pg'), pgPort);
  const dbName = `pulse_bench_segments_${customers}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount) await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = Object.assign(new URL(server.adminUrl), { pathname: `/${dbName}` }).toString();
  const pool = createPool(url);
  let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
  try {
    const client = await pool.connect();
    try {
      await migrate(client, pulseMigrations);
    } finally {
      client.release();
    }
    const source = await prepareWarehouse();
    await preparePeople(pool);
    const users = await ensureDemoUsers(pool, dataDir);
    const marketer = users.find((u) => u.role === 'marketer')!;
    const env = { DATABASE_URL: url, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PULSE_SYNC_CRON: '0 0 1 1 *', PULSE_FULL_SYNC_CRON: '0 0 1 1 *' };
    dashboard = await startDashboard({ port: await freePort(), host: '127.0.0.1', env, log: console.log, output: () => undefined });
    const base = dashboard.url;
    // State-changing requests name this site as their Origin, as a browser does (the CSRF check).
    const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email: marketer.email, password: marketer.password }) });
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!.split(';')[0]!;
    const post = (route: string, body: unknown) => fetch(`${base}${route}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) });

    const facts = await withPublishedSnapshot(dataDir, async (db) => {
      const q = await db.one<{ n: number; p50: number; p75: number }>('SELECT count(*) AS n, quantile_cont(CAST(monetary AS DOUBLE), 0.5) AS p50, quantile_cont(CAST(monetary AS DOUBLE), 0.75) AS p75 FROM marts.customer_360');
      const regions = (await db.all<{ region: string }>('SELECT region FROM marts.customer_360 WHERE region IS NOT NULL GROUP BY ALL ORDER BY count(*) DESC LIMIT 3')).map((r) => r.region);
      const segments = (await db.all<{ id: number }>('SELECT DISTINCT segment_id AS id FROM marts.customer_360 WHERE segment_id IS NOT NULL ORDER BY 1 LIMIT 3')).map((r) => r.id);
      return { n: Number(q.n), p50: Number(q.p50), p75: Number(q.p75), regions, segments };
    });

    // --- Live count: five rules, four shapes, fresh values every time. -------------------------------
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const ruleSets: ((r: () => number) => RuleGroup)[] = [
      (r) => and(rule('last_order_at', 'in_last', 30 + Math.floor(r() * 335)), rule('orders', 'gte', 1 + Math.floor(r() * 4)), rule('region', 'in', facts.regions.slice(0, 2)), rule('churn_band', 'in', ['low', 'medium']), rule('tags', 'has_any', ['vip', 'newsletter'])),
      (r) => and(rule('spend', 'between', [Math.round(r() * 500), 1000 + Math.round(r() * 20_000)]), rule('p_alive', 'gte', Math.round(r() * 80) / 100), rule('language', 'in', ['zh-CN']), rule('last_campaign_open_at', 'in_last', 7 + Math.floor(r() * 300)), { ...rule('city', 'contains', 'an'), not: true }),
      (r) => and({ type: 'group', combinator: 'or', rules: [rule('churn_risk', 'gte', Math.round(r() * 90)), rule('recency_days', 'gte', Math.floor(r() * 400))] }, rule('segment', 'in', facts.segments), rule('expected_value_12m', 'gte', Math.round(r() * 2000)), rule('currency', 'in', ['CNY', 'USD'])),
      (r) => and(rule('rfm_group', 'in', ['champions', 'loyal', 'potential_loyalist', 'at_risk']), { type: 'group', combinator: 'or', rules: [rule('last_wechat_at', 'in_last', 30 + Math.floor(r() * 300)), rule('last_email_at', 'in_last', 30 + Math.floor(r() * 300))] }, rule('first_order_at', 'before', `2026-0${1 + Math.floor(r() * 9)}-15`), rule('average_order_value', 'gt', Math.round(r() * 400))),
    ];
    // Warm the server (first compile of each route, snapshot handles open).
    for (let i = 0; i < 4; i++) await (await post('/api/segment-builder/count', { rules: ruleSets[i]!(rand) })).arrayBuffer();
    const times: number[] = [];
    const serverTimes: number[] = [];
    let errors = 0;
    for (let i = 0; i < countRequests; i++) {
      const started = performance.now();
      const response = await post('/api/segment-builder/count', { rules: ruleSets[i % ruleSets.length]!(rand) });
      const body = (await response.json()) as { customers?: number };
      times.push(performance.now() - started);
      serverTimes.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? Number.NaN));
      if (response.status !== 200 || typeof body.customers !== 'number') errors++;
    }
    times.sort((a, b) => a - b);
    serverTimes.sort((a, b) => a - b);
    const q = (p: number, xs = times) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

    // --- Saving a static segment of ~500k members. -----------------------------------------------------
    const half: RuleGroup = and(rule('spend', 'gte', facts.p50));
    const quarter: RuleGroup = and(rule('spend', 'gte', facts.p75));
    let started = performance.now();
    const frozen = await post('/api/saved-segments', { name: 'Half, frozen', kind: 'static', definition: half });
    const freezeSeconds = (performance.now() - started) / 1000;
    if (frozen.status !== 201) throw new Error(`static save failed: ${frozen.status} ${await frozen.text()}`);
    const dynamicHalf = (await (await post('/api/saved-segments', { name: 'Half', definition: half })).json()) as { id: number };
    const dynamicQuarter = (await (await post('/api/saved-segments', { name: 'Quarter', definition: quarter })).json()) as { id: number };
    const frozenId = ((await frozen.json()) as { id: number }).id;

    // --- Exports: download time and the server's memory while it streams. ----------------------------
    const exports = [
      { name: 'CSV, ~500k members, default columns (personal data from PostgreSQL)', id: dynamicHalf.id, query: 'format=csv' },
      { name: 'CSV, ~250k members, default columns', id: dynamicQuarter.id, query: 'format=csv' },
      { name: 'CSV, ~500k members, warehouse columns only', id: dynamicHalf.id, query: 'format=csv&columns=customer_id,region,city,orders,spend,churn_risk,last_order_at' },
      { name: 'CSV, ~500k members of the static segment', id: frozenId, query: 'format=csv' },
      { name: 'Arrow IPC, ~500k members, default columns', id: dynamicHalf.id, query: 'format=arrow' },
    ];
    const results: { name: string; rows: number; seconds: number; cpu: number; mb: number; baseRss: number; peakRss: number; encoding: string }[] = [];
    for (const e of exports) {
      const baseRss = rssMb(dashboard.pid);
      const baseCpu = cpuSeconds(dashboard.pid);
      let peakRss = baseRss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(dashboard!.pid))), 50);
      started = performance.now();
      const response = await fetch(`${base}/api/saved-segments/${e.id}/export?${e.query}`, { headers: { cookie } });
      let bytes = 0;
      let newlines = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) newlines++;
      }
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const rows = Number(response.headers.get('x-pulse-row-count'));
      if (response.status !== 200) throw new Error(`export failed: ${response.status}`);
      if (e.query.includes('csv') && newlines - 1 !== rows) throw new Error(`${e.name}: ${newlines - 1} lines for ${rows} counted rows`);
      results.push({ name: e.name, rows, seconds, cpu: cpuSeconds(dashboard.pid) - baseCpu, mb: bytes / 1e6, baseRss, peakRss, encoding: response.headers.get('content-encoding') ?? 'none' });
    }

    const load = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
    console.log(`\nWarehouse: ${facts.n.toLocaleString('en')} customers (${source}); ${os.cpus().length} CPUs, load average ${load} (1/5/15 min) at the end\n`);
    console.log('| live count (POST /api/segment-builder/count, five rules, 4 rule sets, fresh values) | requests | errors | p50 ms | p95 ms | max ms | target p95 | ok |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    console.log(`| sequential, as a user edits | ${times.length} | ${errors} | ${q(0.5).toFixed(1)} | ${q(0.95).toFixed(1)} | ${times[times.length - 1]!.toFixed(1)} | < 300 | ${q(0.95) < 300 && errors === 0 ? 'yes' : 'NO'} |`);
    console.log(`| of which compiling and counting on the server (Server-Timing) | | | ${q(0.5, serverTimes).toFixed(1)} | ${q(0.95, serverTimes).toFixed(1)} | ${serverTimes[serverTimes.length - 1]!.toFixed(1)} | | |`);
    console.log(`\nSaving a static segment of ${Math.round(facts.n / 2).toLocaleString('en')} members (compile, freeze ids, COPY into PostgreSQL): ${freezeSeconds.toFixed(2)} s\n`);
    console.log('| export | rows | seconds | server CPU s | MB | encoding | server RSS before MB | server RSS peak MB | target | ok |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |');
    for (const r of results) {
      const target = r.name.startsWith('CSV, ~500k members, default') ? '< 10 s' : '';
      console.log(
        `| ${r.name} | ${r.rows.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.mb.toFixed(1)} | ${r.encoding} | ${r.baseRss.toFixed(0)} | ${r.peakRss.toFixed(0)} | ${target} | ${target ? (r.seconds < 10 ? 'yes' : 'NO') : ''} |`,
      );
    }
  } finally {
    await dashboard?.stop();
    await pool.end();
    await server.stop();
  }
}

function rule(field: string, operator: string, value?: unknown): RuleNode {
  return { type: 'rule', field, operator, ...(value === undefined ? {} : { value }) };
}

function and(...rules: RuleNode[]): RuleGroup {
  return { type: 'group', combinator: 'and', rules };
}

/** User + system CPU seconds a process has used (Linux; clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MB (Linux). */
function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Publishes the warehouse the benchmark reads, once: a copy of a real snapshot, or a synthetic one. */
async function prepareWarehouse(): Promise<string> {
  const published = getPublishedSnapshot(dataDir);
  const given = arg('snapshot');
  const mainPointer = path.join(mainSnapshotDir, 'warehouse', 'current.json');
  const describe = given ? `copy of ${given}` : fs.existsSync(mainPointer) ? `copy of ${mainSnapshotDir}'s published snapshot` : 'synthetic customer_360';
  if (published) return `${describe}, prepared earlier`;
  const target = snapshotPath(dataDir, `snapshot-00000001-${Date.now()}.duckdb`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const started = performance.now();
  if (given || fs.existsSync(mainPointer)) {
    // Read-only source: copied, never opened in place.
    const from = given ?? path.join(mainSnapshotDir, 'warehouse', 'snapshots', (JSON.parse(fs.readFileSync(mainPointer, 'utf8')) as { file: string }).file);
    fs.copyFileSync(from, `${target}.partial`);
    fs.renameSync(`${target}.partial`, target);
    await addCampaignColumnsIfMissing(target);
  } else {
    await buildSyntheticSnapshot(target);
  }
  publishSnapshot(dataDir, target, 1);
  console.log(`Prepared the warehouse (${describe}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return describe;
}

/** A snapshot built before customer_360 had the last campaign open/click columns gets them here (from core.campaign_events). */
async function addCampaignColumnsIfMissing(file: string): Promise<void> {
  const db = await DuckDb.open(file);
  try {
    const has = await db.all("SELECT 1 FROM duckdb_columns() WHERE table_name = 'customer_360' AND column_name = 'last_campaign_open_at'");
    if (has.length > 0) return;
    await db.run(`CREATE OR REPLACE TABLE marts.customer_360 AS
      SELECT c.*, e.last_campaign_open_at, e.last_campaign_click_at FROM marts.customer_360 c
      LEFT JOIN (SELECT customer_id, max(occurred_at) FILTER (WHERE event_type = 'opened') AS last_campaign_open_at,
                        max(occurred_at) FILTER (WHERE event_type = 'clicked') AS last_campaign_click_at
                 FROM core.campaign_events GROUP BY customer_id) e USING (customer_id)
      ORDER BY c.customer_id`);
  } finally {
    db.close();
  }
}

/**
 * 1M customers with the real customer_360 column types and believable spreads (a third never bought,
 * spend long-tailed, dates over three years, a fifth tagged, risk bands from the score), in id order
 * like the real table. Deterministic: hash() of the id and a salt.
 */
async function buildSyntheticSnapshot(file: string): Promise<void> {
  const db = await DuckDb.open(`${file}.partial`);
  try {
    const u = (salt: number) => `((hash(i, ${salt}) % 1000003) / 1000003.0)`;
    const at = (salt: number, days: number) => `(TIMESTAMPTZ '2026-11-01 00:00:00+00' - to_days(CAST(floor(${u(salt)} * ${days}) AS INTEGER)) - to_seconds(CAST(floor(${u(salt + 100)} * 86400) AS BIGINT)))`;
    await db.run('CREATE SCHEMA marts; CREATE SCHEMA meta; CREATE SCHEMA models');
    await db.run(`CREATE TABLE meta.snapshot_info AS SELECT 'CNY' AS reporting_currency, 1 AS run_id`);
    await db.run(`CREATE TABLE models.segments AS SELECT * FROM (VALUES
        (1, 'champions_like', 'Big spenders', '高消费客户', 0), (2, 'new', 'New customers', '新客户', 0), (3, 'hibernating', 'Hibernating', '休眠客户', 0),
        (4, 'loyal', 'Loyal regulars', '忠实常客', 0), (5, 'at_risk', 'At risk', '流失风险客户', 0), (6, 'occasional', 'Occasional buyers', '偶尔购买', 0))
      t(segment_id, name_key, name_en, name_zh, customers)`);
    await db.run(`CREATE TABLE marts.customer_360 AS
      WITH base AS (
        SELECT i, CAST(CASE WHEN ${u(1)} < 0.33 THEN 0 ELSE 1 + floor(-ln(1 - ${u(2)}) * 4) END AS BIGINT) AS frequency FROM range(1, ${customers + 1}) r(i)
      )
      SELECT i AS customer_id,
             CASE WHEN ${u(3)} < 0.7 THEN 'CN' WHEN ${u(3)} < 0.85 THEN 'US' ELSE 'DE' END AS country,
             (['华东', '华南', '华北', '西南', '东北', 'East', 'West', 'Midwest'])[1 + CAST(floor(${u(4)} * 8) AS INTEGER)] AS region,
             (['上海', '杭州', '南京', '广州', '深圳', '北京', '天津', '成都', '重庆', '沈阳', 'New York', 'San Francisco', 'Chicago', 'Berlin', 'Munich'])[1 + CAST(floor(${u(5)} * 15) AS INTEGER)] AS city,
             CASE WHEN ${u(3)} < 0.7 THEN 'zh-CN' ELSE 'en' END AS preferred_language,
             CASE WHEN ${u(3)} < 0.7 THEN 'CNY' WHEN ${u(3)} < 0.85 THEN 'USD' ELSE 'EUR' END AS currency,
             list_filter(['vip', 'newsletter', '会员', 'wholesale', 'b2b'], x -> hash(i, x) % 5 = 0) AS tags,
             CAST(NULL AS BIGINT) AS owner_id,
             CASE WHEN frequency > 0 THEN ${at(6, 1000)} END AS first_order_at,
             CASE WHEN frequency > 0 THEN ${at(7, 400)} END AS last_order_at,
             CASE WHEN frequency > 0 THEN CAST(floor(${u(7)} * 400) AS INTEGER) END AS recency_days,
             frequency,
             CAST(frequency * (20 + exp(${u(8)} * 7)) AS DECIMAL(18,2)) AS monetary,
             CAST(CASE WHEN frequency > 0 THEN 20 + exp(${u(8)} * 7) END AS DECIMAL(18,2)) AS average_order_value,
             CAST(floor(${u(9)} * 1200) AS INTEGER) AS tenure_days,
             CAST(CASE WHEN ${u(10)} < 0.3 THEN floor(${u(11)} * 4) ELSE 0 END AS BIGINT) AS orders_last_90d,
             CAST(CASE WHEN ${u(10)} < 0.3 THEN ${u(12)} * 800 ELSE 0 END AS DECIMAL(18,2)) AS revenue_last_90d,
             CAST(NULL AS DATE) AS lapsed_on,
             CASE WHEN ${u(13)} < 0.3 THEN ${at(14, 700)} END AS last_phone_at,
             CASE WHEN ${u(15)} < 0.5 THEN ${at(16, 700)} END AS last_email_at,
             CASE WHEN ${u(17)} < 0.4 THEN ${at(18, 700)} END AS last_wechat_at,
             CASE WHEN ${u(19)} < 0.2 THEN ${at(20, 700)} END AS last_web_chat_at,
             CASE WHEN ${u(21)} < 0.2 THEN ${at(22, 700)} END AS last_social_at,
             CASE WHEN ${u(23)} < 0.1 THEN ${at(24, 700)} END AS last_visit_at,
             CAST(floor(${u(25)} * 6) AS BIGINT) AS interactions_90d,
             CAST(floor(${u(26)} * 1.3) AS BIGINT) AS open_tickets,
             CAST(0 AS BIGINT) AS tickets_total,
             CAST(floor(${u(27)} * 5) AS BIGINT) AS campaign_opens_90d,
             CAST(floor(${u(28)} * 3) AS BIGINT) AS campaign_clicks_90d,
             CASE WHEN ${u(29)} < 0.6 THEN ${at(30, 500)} END AS last_campaign_open_at,
             CASE WHEN ${u(31)} < 0.3 THEN ${at(32, 500)} END AS last_campaign_click_at,
             CAST(floor(${u(33)} * 10) AS BIGINT) AS campaigns_received,
             CAST(1 + floor(${u(34)} * 6) AS INTEGER) AS segment_id,
             CAST(NULL AS VARCHAR) AS segment_name_en,
             CAST(NULL AS VARCHAR) AS segment_name_zh,
             (['champions', 'loyal', 'potential_loyalist', 'new', 'promising', 'need_attention', 'about_to_sleep', 'at_risk', 'cant_lose_them', 'hibernating', 'lost'])[1 + CAST(floor(${u(35)} * 11) AS INTEGER)] AS rfm_segment,
             CASE WHEN frequency > 0 THEN round(${u(36)} * 100, 1) END AS churn_risk,
             CASE WHEN frequency > 0 THEN (CASE WHEN ${u(36)} >= 0.6 THEN 'high' WHEN ${u(36)} >= 0.3 THEN 'medium' ELSE 'low' END) END AS churn_band,
             CASE WHEN frequency > 0 THEN 1 - ${u(36)} * 0.9 END AS p_alive,
             CASE WHEN frequency > 0 THEN round(frequency * ${u(37)} * 600, 2) END AS expected_value_12m
      FROM base ORDER BY i`);
    await db.run(`UPDATE marts.customer_360 c SET segment_name_en = s.name_en, segment_name_zh = s.name_zh FROM models.segments s WHERE s.segment_id = c.segment_id`);
    await db.run(`UPDATE models.segments s SET customers = (SELECT count(*) FROM marts.customer_360 c WHERE c.segment_id = s.segment_id)`);
    await db.run('CHECKPOINT');
  } finally {
    db.close();
  }
  fs.renameSync(`${file}.partial`, file);
}

/** Names, e-mails and phones for the same customer ids, in the benchmark's own PostgreSQL (once). */
async function preparePeople(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS pulse_app;
    CREATE TABLE IF NOT EXISTS pulse_app.customers (id bigint PRIMARY KEY, name text NOT NULL, email text, phone text, company text, address text,
      created_at timestamptz NOT NULL DEFAULT now(), deleted_at timestamptz)`);
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pulse_app.customers');
  if (rows[0]!.n >= customers) return;
  const started = performance.now();
  const maxId = await withPublishedSnapshot(dataDir, async (db) => Number((await db.one<{ m: number }>('SELECT max(customer_id) AS m FROM marts.customer_360')).m));
  await pool.query('TRUNCATE pulse_app.customers');
  await pool.query(
    `INSERT INTO pulse_app.customers (id, name, email, phone, company, address)
     SELECT g, (ARRAY['王','李','张','刘','陈','杨','Smith','Garcia','Müller'])[1 + g % 9] || (ARRAY['伟','芳','娜','敏','静','Ann','Bo','Chen'])[1 + (g / 9) % 8] || g,
            'customer' || g || '@example.com', '+86 138 ' || lpad((g % 10000)::text, 4, '0') || ' ' || lpad(((g / 10000) % 10000)::text, 4, '0'),
            CASE WHEN g % 4 = 0 THEN 'Company ' || (g % 5000) END, 'Street ' || (g % 977)
     FROM generate_series(1, $1::bigint) g`,
    [maxId],
  );
  console.log(`Generated personal data for ${maxId.toLocaleString('en')} customers in PostgreSQL in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
