// Dashboard load benchmark (npm run bench:dashboard): a 1M-customer source (the sync benchmark's
// database under .pulse-bench/, seeded here if missing) and a published snapshot with models, the
// dashboard started with startDashboard, then autocannon with 20 connections and a signed-in cookie
// against every data endpoint and the customer search; and the Overview page's largest contentful
// paint in headless Chromium. Prints p50/p95/p99, requests and errors per endpoint, and the targets.
// Each endpoint gets a warm-up of the same load first (--warmup seconds, 0 for none): the figures are
// for a server that has been serving it, not for its first seconds (the JIT, PostgreSQL's buffers and
// per-connection plans warm up; a cold search load answered half as many requests in its first 8 s).
// The warm-up's own p95 is printed beside them.
//   npx tsx bench/dashboard.bench.ts [--customers 1000000] [--seconds 10] [--warmup 10]
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { seedDemoData, isSourceEmpty } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { ensureDemoUsers } from '../lib/auth.ts';
import { loadConfig } from '../lib/config.ts';
import { ensureEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { freePort } from '../lib/free-port.ts';
import { createLogger } from '../lib/log.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../lib/migrate.ts';
import { projectRoot } from '../lib/paths.ts';
import { createPool } from '../lib/postgres.ts';
import { getPublishedSnapshot, withPublishedSnapshot } from '../warehouse/index.ts';
import { startDashboard } from '../dashboard/server.ts';

const arg = (name: string, fallback: number) => Number(process.argv.find((_, i) => process.argv[i - 1] === `--${name}`) ?? fallback);
const customers = arg('customers', 1_000_000);
const seconds = arg('seconds', 10);
const warmupSeconds = arg('warmup', 10);
const connections = 20;
const benchDir = path.join(projectRoot, '.pulse-bench');
const dataDir = path.join(benchDir, `dashboard-data-${customers}`);

interface Row {
  name: string;
  target: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** p95 of the unmeasured warm-up load before it. */
  warmupP95: number;
}

async function main(): Promise<void> {
  let url = process.env.DATABASE_URL;
  let stopServer = async (): Promise<void> => undefined;
  if (!url) {
    const server = await ensureEmbeddedPostgres(benchDir, 54349);
    stopServer = server.stop;
    url = server.url;
  }
  const dbName = `pulse_bench_${customers}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount) await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const sourceUrl = Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();
  const client = new pg.Client({ connectionString: sourceUrl });
  await client.connect();
  let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
  try {
    await migrate(client, pulseMigrations);
    if (await isSourceEmpty(sourceUrl).catch(() => true)) {
      await migrate(client, demoSourceMigrations);
      console.log(`Seeding ${customers.toLocaleString('en')} customers…`);
      await seedDemoData(sourceUrl, { customers, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
    }
    const started = performance.now();
    const applied = await migrate(client, demoSourceMigrations); // the search indexes (003) on an older seed
    if (applied.length) console.log(`Applied ${applied.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const env = { DATABASE_URL: sourceUrl, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PULSE_SYNC_CRON: '0 0 1 1 *', PULSE_FULL_SYNC_CRON: '0 0 1 1 *' };
    fs.mkdirSync(dataDir, { recursive: true });
    const pool = createPool(sourceUrl);
    let users: { role: string; email: string; password: string }[];
    try {
      if (!getPublishedSnapshot(dataDir)) {
        console.log('Building a published snapshot with models (sync → transform → models → publish)…');
        const t = performance.now();
        await runPipelineNow({ config: loadConfig(env), pool, sourceUrl, log: createLogger('warn') }, { mode: 'full', trigger: 'bench' });
        console.log(`  built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
      }
      users = await ensureDemoUsers(pool, dataDir);
    } finally {
      await pool.end();
    }
    const manager = users.find((u) => u.role === 'manager');
    if (!manager) throw new Error('no demo manager user');

    const segmentId = await withPublishedSnapshot(dataDir, async (db) => (await db.one<{ id: number }>('SELECT min(segment_id) AS id FROM models.segments')).id);
    // Customers without an e-mail or phone exist in the demo data; the search terms need all three.
    const names = await client.query<{ name: string; email: string; phone: string }>(
      "SELECT name, email, phone FROM pulse_app.customers WHERE id % 997 = 1 AND name ~ '^[一-龥]{3}$' AND email IS NOT NULL AND phone IS NOT NULL LIMIT 200",
    );
    const queries = names.rows.flatMap((r) => [r.name.slice(1), r.name, r.email.split('@')[0]!.slice(0, 6), r.phone.replace(/\D/g, '').slice(-7)]);

    // The server loads the snapshot's customer list table in the background when it starts (and on
    // every publish). The figures below are for a server that has finished that: its log says when
    // (LOG_LEVEL info adds that one line, nothing per request), and how long it took is printed.
    let listTableLoaded: (line: string) => void = () => undefined;
    const loadedLine = new Promise<string>((resolve) => (listTableLoaded = resolve));
    dashboard = await startDashboard({
      port: await freePort(),
      host: '127.0.0.1',
      env: { ...env, LOG_LEVEL: 'info' },
      log: console.log,
      output: (chunk) => chunk.split('\n').filter((line) => line.includes('customer list table')).forEach(listTableLoaded),
    });
    const startUpLoad = await Promise.race([loadedLine, new Promise<string>((resolve) => setTimeout(() => resolve('not loaded after 120 s'), 120_000))]);
    const loadMs = /"ms":(\d+)/.exec(startUpLoad)?.[1];
    console.log(loadMs ? `Customer list table loaded in ${(Number(loadMs) / 1000).toFixed(1)} s after the server started; measuring from now` : `Customer list table: ${startUpLoad.trim()}`);
    const signIn = await fetch(`${dashboard.url}/api/auth/sign-in`, {
      method: 'POST',
      // A sign-in is a state-changing request: it must name this site as its Origin (CSRF check).
      headers: { 'content-type': 'application/json', origin: dashboard.url },
      body: JSON.stringify({ email: manager.email, password: manager.password }),
    });
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!.split(';')[0]!;

    const endpoints: { name: string; paths: string[]; target: number }[] = [
      { name: 'GET /api/overview', paths: ['/api/overview', '/api/overview?range=30d', '/api/overview?range=12m'], target: 100 },
      { name: 'GET /api/segments', paths: ['/api/segments'], target: 100 },
      { name: 'GET /api/segments/:id/members', paths: [1, 2, 3, 4, 5].map((p) => `/api/segments/${segmentId}/members?page=${p}`), target: 100 },
      { name: 'GET /api/churn', paths: ['/api/churn'], target: 100 },
      { name: 'GET /api/retention', paths: ['/api/retention'], target: 100 },
      { name: 'GET /api/customers (filters)', paths: ['/api/customers', '/api/customers?band=high', '/api/customers?band=medium&sort=risk', `/api/customers?segment=${segmentId}&page=3`], target: 100 },
      { name: 'GET /api/customers/:id', paths: Array.from({ length: 50 }, (_, i) => `/api/customers/${1 + i * 19_997}`), target: 100 },
      { name: 'GET /api/customers?q= (search)', paths: queries.map((q) => `/api/customers?q=${encodeURIComponent(q)}`), target: 150 },
    ];
    const rows: Row[] = [];
    for (const e of endpoints) {
      // Warm once (the first answer per snapshot is computed, later ones are cached where the page allows).
      for (const p of e.paths.slice(0, 5)) await fetch(`${dashboard.url}${p}`, { headers: { cookie } }).then((r) => r.arrayBuffer());
      rows.push(await load(dashboard.url, e.name, e.paths, cookie, e.target));
    }
    const lcp = await measureLcp(dashboard.url, cookie);

    console.log(`\n${customers.toLocaleString('en')} customers, ${connections} connections, ${seconds} s per endpoint after a ${warmupSeconds} s warm-up of the same load\n`);
    console.log('| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | target p95 | ok | warm-up p95 ms |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
    for (const r of rows) console.log(`| ${r.name} | ${r.requests} | ${r.errors} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | < ${r.target} | ${r.p95 < r.target && r.errors === 0 ? 'yes' : 'NO'} | ${Number.isNaN(r.warmupP95) ? '' : r.warmupP95.toFixed(1)} |`);
    console.log(`| Overview LCP (headless Chromium) | | | | ${lcp.toFixed(0)} | | < 1500 | ${lcp < 1500 ? 'yes' : 'NO'} | |`);
  } finally {
    await dashboard?.stop();
    await client.end();
    await stopServer();
  }
}

/** The endpoint's warm-up load (unless --warmup 0), then the measured one. */
async function load(base: string, name: string, paths: string[], cookie: string, target: number): Promise<Row> {
  const warmup = warmupSeconds > 0 ? await loadFor(base, paths, cookie, warmupSeconds) : undefined;
  const measured = await loadFor(base, paths, cookie, seconds);
  // An error in the warm-up is an error a user would have seen: it counts.
  return { name, target, ...measured, errors: measured.errors + (warmup?.errors ?? 0), warmupP95: warmup?.p95 ?? Number.NaN };
}

/** autocannon against several paths in turn; p95 from each response's own time (autocannon reports p90/p97.5, not p95). */
async function loadFor(base: string, paths: string[], cookie: string, duration: number): Promise<Omit<Row, 'name' | 'target' | 'warmupP95'>> {
  const times: number[] = [];
  let errors = 0;
  let i = 0;
  let done: (result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve) => (done = resolve));
  const instance = autocannon({
    url: base,
    connections,
    duration,
    headers: { cookie },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) }],
  }, (error, result) => (error ? done({ errors: 1, timeouts: 0 } as autocannon.Result) : done(result)));
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
    if (statusCode >= 400) errors++;
  });
  const result = await finished;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? Number.NaN;
  return { requests: times.length, errors: errors + result.errors + result.timeouts, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

async function measureLcp(base: string, cookie: string): Promise<number> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const [cookieName, cookieValue] = cookie.split('=') as [string, string];
    await context.addCookies([{ name: cookieName, value: cookieValue, url: base }]);
    const page = await context.newPage();
    const samples: number[] = [];
    for (let run = 0; run < 3; run++) {
      await page.goto(`${base}/overview`, { waitUntil: 'load' });
      await page.waitForSelector('.recharts-area-curve', { timeout: 30_000 });
      const lcp = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const entries = list.getEntries();
              resolve(entries[entries.length - 1]!.startTime);
            }).observe({ type: 'largest-contentful-paint', buffered: true });
          }),
      );
      samples.push(lcp);
    }
    // The first load also compiles the page's scripts into the browser cache; report the median.
    return samples.sort((a, b) => a - b)[1]!;
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
