// End-to-end: the real Next.js server (built once, started with `next start` by startDashboard) on a
// seeded test database and a published snapshot, driven over HTTP and in headless Chromium.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, permissionTable, roles, type Permission, type Role } from '../../lib/auth-roles.ts';
import { ensureDemoUsers, type DemoUser } from '../../lib/auth.ts';
import { projectRoot } from '../../lib/paths.ts';
import { runPipelineNow } from '../../jobs/index.ts';
import { queryMetrics, withPublishedSnapshot } from '../../warehouse/index.ts';
import { startDashboard, type RunningDashboard } from '../../dashboard/server.ts';
import { createSmallSource } from '../fixtures/small-source.ts';
import { createPulseEnv, type PulseTestEnv } from '../helpers/pulse-env.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

const screenshotDir = path.join(projectRoot, 'artifacts', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let database: TestDatabase;
let env: PulseTestEnv;
let server: RunningDashboard;
let browser: Browser;
let users: Record<Role, DemoUser>;
const serverOutput: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('dashboard_e2e');
  // 2,000 customers × 20 orders, one every 7 minutes from 2024-01-01: about 190 days of orders.
  await createSmallSource(database.url, 2000, 20);
  await varySource(database.url);
  env = createPulseEnv(database.url, { PULSE_REPORTING_CURRENCY: 'CNY' });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'e2e' });
  users = Object.fromEntries((await ensureDemoUsers(env.ctx.pool, env.dataDir)).map((u) => [u.role, u])) as Record<Role, DemoUser>;
  server = await startDashboard({
    port: await freePort(),
    host: '127.0.0.1',
    env: { ...env.env, LOG_LEVEL: 'warn' },
    output: (chunk) => serverOutput.push(chunk),
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  fs.mkdirSync(screenshotDir, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await env?.close();
  await database?.drop();
  if (serverOutput.some((line) => /Error|failed/.test(line))) console.log(`dashboard server output:\n${serverOutput.join('').slice(-4000)}`);
});

/** More than one channel, region and currency, a USD rate, and a customer whose name is markup. */
async function varySource(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      UPDATE pulse_app.orders SET channel = (ARRAY['web','app','store','phone','wechat','marketplace'])[1 + (id % 6)::int],
        status = CASE WHEN id % 40 = 0 THEN 'refunded' ELSE 'paid' END,
        currency = CASE WHEN customer_id % 2 = 0 THEN 'CNY' ELSE 'USD' END;
      UPDATE pulse_app.customers SET region = (ARRAY['华东','华南','华北','West','East'])[1 + (id % 5)::int];
      UPDATE pulse_app.customers SET name = '<script>alert(1)</script>' WHERE id = 7;
      INSERT INTO pulse_app.fx_rates (id, currency, rate_date, units_per_usd)
        SELECT 10000 + g, 'USD', date '2023-12-01' + g, 1 FROM generate_series(0, 400) g;`);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

/** Signs in over HTTP (JSON) and returns the session cookie. */
async function signInCookie(role: Role): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: users[role].email, password: users[role].password }),
  });
  expect(response.status, `sign-in as ${role}`).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pulse_session='));
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=lax/i);
  return cookie!.split(';')[0]!;
}

async function signInBrowser(page: Page, role: Role): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.fill('input[name=email]', users[role].email);
  await page.fill('input[name=password]', users[role].password);
  await Promise.all([page.waitForURL(/\/overview/), page.click('[data-testid=sign-in-submit]')]);
}

async function newPage(options: { width: number; height: number; locale?: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale ?? 'en-US', deviceScaleFactor: 1 });
  return context.newPage();
}

async function waitForOverviewCharts(page: Page): Promise<void> {
  await page.waitForSelector('.recharts-area-curve', { timeout: 20_000 });
  await page.waitForSelector('.recharts-bar-rectangle', { timeout: 20_000 });
}

async function hasNoHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth);
}

// Every API route, the permission it needs (null: any signed-in user), and a request that is valid.
const apiRoutes: { method: 'GET' | 'POST'; path: string; permission: Permission | null; body?: unknown }[] = [
  { method: 'GET', path: '/api/me', permission: null },
  { method: 'GET', path: '/api/overview', permission: 'page:overview' },
  { method: 'GET', path: '/api/pipeline/runs', permission: 'page:pipeline' },
  { method: 'POST', path: '/api/pipeline/retry', permission: 'jobs:run', body: { mode: 'incremental' } },
  { method: 'GET', path: '/api/admin/users', permission: 'users:manage' },
];
const pageRoutes: { path: string; permission: Permission }[] = [
  { path: '/overview', permission: 'page:overview' },
  { path: '/pipeline', permission: 'page:pipeline' },
  { path: '/admin/users', permission: 'page:admin' },
];

describe('dashboard permissions', () => {
  it('answers every API route for every role as the permission table says', async () => {
    for (const role of roles) {
      const cookie = await signInCookie(role);
      for (const route of apiRoutes) {
        const response = await fetch(`${server.url}${route.path}`, {
          method: route.method,
          headers: { cookie, ...(route.body ? { 'content-type': 'application/json' } : {}) },
          body: route.body ? JSON.stringify(route.body) : undefined,
        });
        const allowed = route.permission === null || can(role, route.permission);
        const label = `${role} ${route.method} ${route.path} → ${response.status}`;
        if (allowed) {
          // The retry may find no worker queue in this test (503): allowed, and said clearly.
          expect([200, 202, 503], label).toContain(response.status);
        } else {
          expect(response.status, label).toBe(403);
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
        }
      }
    }
  });

  it('refuses API routes without a session (401) and pages redirect to sign-in', async () => {
    for (const route of apiRoutes) {
      const response = await fetch(`${server.url}${route.path}`, { method: route.method, headers: { 'content-type': 'application/json' }, body: route.body ? JSON.stringify(route.body) : undefined });
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
    }
    const page = await fetch(`${server.url}/overview`, { redirect: 'manual' });
    expect([303, 307, 308]).toContain(page.status);
    expect(page.headers.get('location')).toMatch(/\/sign-in/);
  });

  it('renders each page for the roles allowed and a 403 page for the others', async () => {
    for (const role of roles) {
      const cookie = await signInCookie(role);
      for (const route of pageRoutes) {
        const response = await fetch(`${server.url}${route.path}`, { headers: { cookie }, redirect: 'manual' });
        expect(response.status, `${role} ${route.path}`).toBe(can(role, route.permission) ? 200 : 403);
      }
    }
    // The table itself: a marketer may not see the pipeline nor manage users; an executive may not export.
    expect(permissionTable['page:pipeline']).not.toContain('marketer');
    expect(can('executive', 'data:export')).toBe(false);
    expect(can('marketer', 'pii:unmasked')).toBe(false);
    expect(can('manager', 'pii:unmasked')).toBe(true);
  });

  it('signs out: the old cookie no longer works', async () => {
    const cookie = await signInCookie('analyst');
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${server.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, accept: 'application/json' } });
    expect(out.status).toBe(200);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('rejects a wrong password and a cross-site POST', async () => {
    const wrong = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: users.admin.email, password: 'not-the-password' }),
    });
    expect(wrong.status).toBe(401);
    const cookie = await signInCookie('admin');
    const crossSite = await fetch(`${server.url}/api/pipeline/retry`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
  });
});

describe('dashboard data', () => {
  it('gives the numbers of the metrics layer (the same as the reports)', async () => {
    const cookie = await signInCookie('manager');
    const response = await fetch(`${server.url}/api/overview?range=30d`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const data = (await response.json()) as { period: { from: string; to: string }; kpis: { revenue: { value: number }; orders: { value: number } }; channels: unknown[]; regions: unknown[] };
    const direct = await withPublishedSnapshot(env.dataDir, (db) => queryMetrics(db, { metrics: ['revenue', 'orders'], from: data.period.from, to: data.period.to }));
    expect(data.kpis.revenue.value).toBeCloseTo(direct.totals.revenue!, 2);
    expect(data.kpis.orders.value).toBe(direct.totals.orders);
    expect(data.kpis.orders.value).toBeGreaterThan(0);
    expect(data.channels.length).toBe(6);
    expect(data.regions.length).toBe(5);
  });

  it('answers malformed, SQL-looking and script-looking filters with a 400 naming the field', async () => {
    const cookie = await signInCookie('manager');
    const cases: [string, string][] = [
      ['range=forever', 'range'],
      ['range=custom&from=2024-02-30&to=2024-03-01', 'from'],
      ['range=custom&from=2024-03-01', 'to'],
      ["region=East'%3B%20DROP%20TABLE%20pulse.users%3B--", 'region'],
      ['region=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'region'],
      ['currency=usd', 'currency'],
      ['segment=1%20OR%201%3D1', 'segment'],
      ['region=East&region=West', 'region'],
    ];
    for (const [query, field] of cases) {
      const response = await fetch(`${server.url}/api/overview?${query}`, { headers: { cookie } });
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { field?: string } }).error.field, query).toBe(field);
    }
    // A valid region that has no data is not an error: it is an empty answer.
    const none = await fetch(`${server.url}/api/overview?region=Atlantis`, { headers: { cookie } });
    expect(none.status).toBe(200);
    expect(((await none.json()) as { kpis: { orders: { value: number } } }).kpis.orders.value).toBe(0);
  });
});

describe('dashboard in the browser', () => {
  it('signs in, draws the Overview charts, switches to Chinese, and fits a phone without sideways scrolling', async () => {
    const desktop = await newPage({ width: 1366, height: 900 });
    await signInBrowser(desktop, 'manager');
    await waitForOverviewCharts(desktop);
    expect(await desktop.locator('[data-testid=kpi]').count()).toBe(5);
    expect(await desktop.locator('.recharts-area-curve').count()).toBeGreaterThanOrEqual(2);
    expect(await desktop.locator('[data-testid=top-regions] li').count()).toBe(5);
    await expect(desktop.locator('h1').first().textContent()).resolves.toBe('Overview');
    await desktop.screenshot({ path: path.join(screenshotDir, 'overview-desktop-en.png'), fullPage: true });

    // Switch language: labels become Chinese and the choice is remembered on the user.
    await Promise.all([desktop.waitForURL(/\/overview/), desktop.locator('aside [data-testid="locale-zh-CN"]').click()]);
    await waitForOverviewCharts(desktop);
    await expect(desktop.locator('h1').first().textContent()).resolves.toBe('概览');
    expect(await desktop.locator('aside nav').textContent()).toContain('数据管道');
    expect(await desktop.locator('html').getAttribute('lang')).toBe('zh-CN');
    await desktop.screenshot({ path: path.join(screenshotDir, 'overview-desktop-zh-CN.png'), fullPage: true });
    const { rows } = await env.ctx.pool.query<{ language: string }>('SELECT language FROM pulse.users WHERE email = $1', [users.manager.email]);
    expect(rows[0]!.language).toBe('zh-CN');
    await desktop.context().close();

    for (const locale of ['en', 'zh-CN'] as const) {
      const phone = await newPage({ width: 375, height: 812, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
      // The analyst has no saved language: the browser's Accept-Language decides.
      await signInBrowser(phone, 'analyst');
      await waitForOverviewCharts(phone);
      await expect(phone.locator('h1').first().textContent()).resolves.toBe(locale === 'en' ? 'Overview' : '概览');
      expect(await hasNoHorizontalScroll(phone), `no sideways scroll on a phone (${locale})`).toBe(true);
      await phone.screenshot({ path: path.join(screenshotDir, `overview-phone-${locale}.png`), fullPage: true });
      await phone.goto(`${server.url}/pipeline`);
      await phone.waitForSelector('[data-testid=run]');
      expect(await hasNoHorizontalScroll(phone), `pipeline: no sideways scroll on a phone (${locale})`).toBe(true);
      await phone.screenshot({ path: path.join(screenshotDir, `pipeline-phone-${locale}.png`), fullPage: true });
      await phone.context().close();
    }
  }, 90_000);

  it('shows the pipeline with per-table checksums and a retry button to an admin, and a 403 page to a marketer', async () => {
    const admin = await newPage({ width: 1366, height: 900 });
    await signInBrowser(admin, 'admin');
    await admin.goto(`${server.url}/pipeline`);
    await admin.waitForSelector('[data-testid=run][data-state=succeeded]');
    expect(await admin.locator('[data-testid=retry-run]').count()).toBe(1);
    expect(await admin.locator('[data-testid=run]').first().textContent()).toContain('Match');
    await admin.screenshot({ path: path.join(screenshotDir, 'pipeline-desktop-en.png'), fullPage: true });
    await admin.context().close();

    const marketer = await newPage({ width: 1366, height: 900 });
    await signInBrowser(marketer, 'marketer');
    expect(await marketer.locator('aside nav').textContent()).not.toContain('Pipeline');
    const response = await marketer.goto(`${server.url}/pipeline`);
    expect(response?.status()).toBe(403);
    await marketer.waitForSelector('[data-testid=forbidden]');
    await marketer.context().close();
  }, 60_000);
});
