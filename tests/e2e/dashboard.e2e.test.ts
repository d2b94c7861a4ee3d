// End-to-end: the real Next.js server (built once, started with `next start` by startDashboard) on a
// seeded test database and a published snapshot, driven over HTTP and in headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, permissionTable, roles, type Permission, type Role } from '../../lib/auth-roles.ts';
import { ensureDemoUsers, type DemoUser } from '../../lib/auth.ts';
import { setMfaRequired } from '../../lib/mfa.ts';
import { projectRoot } from '../../lib/paths.ts';
import { runPipelineNow } from '../../jobs/index.ts';
import { queryMetrics, withPublishedSnapshot } from '../../warehouse/index.ts';
import { startDashboard, type RunningDashboard } from '../../dashboard/server.ts';
import ExcelJS from 'exceljs';
import { seedDemoData } from '../../ingest/index.ts';
import { createPulseEnv, type PulseTestEnv } from '../helpers/pulse-env.ts';
import { createMigratedDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { freePort } from '../../lib/free-port.ts';

const screenshotDir = path.join(projectRoot, 'artifacts', 'screenshots');

let database: TestDatabase;
let env: PulseTestEnv;
let server: RunningDashboard;
let browser: Browser;
let users: Record<Role, DemoUser>;
const serverOutput: string[] = [];
/** A segment of the snapshot, and the one the formula-looking customer is in. */
let segmentId: number;
let formulaSegmentId: number;

beforeAll(async () => {
  database = await createMigratedDatabase('dashboard_e2e', { demoSource: true });
  // The demo generator's believable data (Chinese and English names, three years of orders with a
  // churn signal, interactions, tickets, campaigns), so segments and the churn model have something
  // to find; two pipeline runs, so the Segments page has movements since the previous run.
  await seedDemoData(database.url, { customers: 2000, seed: 5, asOf: new Date('2026-10-01T00:00:00Z') });
  await varySource(database.url);
  env = createPulseEnv(database.url, { PULSE_REPORTING_CURRENCY: 'CNY' });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'e2e' });
  await runPipelineNow(env.ctx, { mode: 'incremental', trigger: 'e2e' });
  await withPublishedSnapshot(env.dataDir, async (db) => {
    segmentId = (await db.one<{ id: number }>('SELECT min(segment_id) AS id FROM models.segments')).id;
    formulaSegmentId = (await db.one<{ id: number }>('SELECT segment_id AS id FROM marts.customer_360 WHERE customer_id = 12')).id;
  });
  users = Object.fromEntries((await ensureDemoUsers(env.ctx.pool, env.dataDir)).map((u) => [u.role, u])) as Record<Role, DemoUser>;
  // This file signs every role in with a password to test permissions and data; two-step sign-in
  // (required for admins by default) is tested in accounts.e2e.test.ts.
  await setMfaRequired(env.ctx.pool, 'admin', false, { userId: null, email: 'test', role: '' });
  server = await startDashboard({
    port: await freePort(),
    host: '127.0.0.1',
    env: { ...env.env, LOG_LEVEL: 'warn' },
    output: (chunk) => serverOutput.push(chunk),
  });
  browser = await launchChromium();
  fs.mkdirSync(screenshotDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await env?.close();
  await database?.drop();
  if (serverOutput.some((line) => /Error|failed/.test(line))) console.log(`dashboard server output:\n${serverOutput.join('').slice(-4000)}`);
});

/** All six channels and five regions, and customers whose names are markup, a formula, and a three-character Chinese name. */
async function varySource(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      UPDATE pulse_app.orders SET channel = (ARRAY['web','app','store','phone','wechat','marketplace'])[1 + (id % 6)::int];
      UPDATE pulse_app.customers SET region = (ARRAY['华东','华南','华北','West','East'])[1 + (id % 5)::int];
      UPDATE pulse_app.customers SET name = '<script>alert(1)</script>' WHERE id = 7;
      UPDATE pulse_app.customers SET name = '诸葛亮', email = 'kongming.zhuge@example.cn', phone = '+86 138 0013 8000' WHERE id = 10;
      UPDATE pulse_app.customers SET name = '=HYPERLINK("http://evil.example","click")' WHERE id = 12;`);
  } finally {
    await client.end();
  }
}

/** Signs in over HTTP (JSON) and returns the session cookie. */
async function signInCookie(role: Role): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
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
// Functions, because segment ids come from the snapshot built in beforeAll.
const apiRoutes = (): { method: 'GET' | 'POST'; path: string; permission: Permission | null; body?: unknown }[] => [
  { method: 'GET', path: '/api/me', permission: null },
  { method: 'GET', path: '/api/overview', permission: 'page:overview' },
  { method: 'GET', path: `/api/customers?q=${encodeURIComponent('葛亮')}`, permission: 'page:customers' },
  { method: 'GET', path: '/api/customers?band=high', permission: 'page:customers' },
  { method: 'GET', path: '/api/customers/10', permission: 'page:customers' },
  { method: 'GET', path: '/api/segments', permission: 'page:segments' },
  { method: 'GET', path: `/api/segments/${segmentId}/members?sort=risk`, permission: 'page:segments' },
  { method: 'GET', path: `/api/segments/${segmentId}/export?format=csv`, permission: 'data:export' },
  { method: 'GET', path: `/api/segments/${segmentId}/export?format=xlsx`, permission: 'data:export' },
  { method: 'GET', path: '/api/churn', permission: 'page:churn' },
  { method: 'GET', path: '/api/retention', permission: 'page:retention' },
  { method: 'GET', path: '/api/pipeline/runs', permission: 'page:pipeline' },
  { method: 'POST', path: '/api/pipeline/retry', permission: 'jobs:run', body: { mode: 'incremental' } },
  { method: 'GET', path: '/api/admin/users', permission: 'users:manage' },
  { method: 'GET', path: '/api/admin/audit?action=export', permission: 'audit:view' },
  { method: 'GET', path: '/api/admin/audit/export?action=export', permission: 'audit:view' },
];
const pageRoutes = (): { path: string; permission: Permission }[] => [
  { path: '/overview', permission: 'page:overview' },
  { path: '/customers', permission: 'page:customers' },
  { path: '/customers/10', permission: 'page:customers' },
  { path: '/segments', permission: 'page:segments' },
  { path: `/segments/${segmentId}`, permission: 'page:segments' },
  { path: '/churn', permission: 'page:churn' },
  { path: '/retention', permission: 'page:retention' },
  { path: '/pipeline', permission: 'page:pipeline' },
  { path: '/admin/users', permission: 'page:admin' },
  { path: '/admin/audit', permission: 'audit:view' },
];

describe('dashboard permissions', () => {
  it('answers every API route for every role as the permission table says', async () => {
    for (const role of roles) {
      const cookie = await signInCookie(role);
      for (const route of apiRoutes()) {
        const response = await fetch(`${server.url}${route.path}`, {
          method: route.method,
          // A state-changing request names this site as its Origin, as a browser does (lib/csrf.ts).
          headers: { cookie, ...(route.body ? { 'content-type': 'application/json', origin: server.url } : {}) },
          body: route.body ? JSON.stringify(route.body) : undefined,
        });
        const allowed = route.permission === null || can(role, route.permission);
        const label = `${role} ${route.method} ${route.path} → ${response.status}`;
        if (allowed) {
          await response.arrayBuffer();
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
    for (const route of apiRoutes()) {
      const response = await fetch(`${server.url}${route.path}`, { method: route.method, headers: { 'content-type': 'application/json', origin: server.url }, body: route.body ? JSON.stringify(route.body) : undefined });
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
    }
    const page = await fetch(`${server.url}/overview`, { redirect: 'manual' });
    expect([303, 307, 308]).toContain(page.status);
    expect(page.headers.get('location')).toMatch(/\/sign-in/);
  });

  it('renders each page for the roles allowed and a 403 page for the others', async () => {
    for (const role of roles) {
      const cookie = await signInCookie(role);
      for (const route of pageRoutes()) {
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
    const out = await fetch(`${server.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, accept: 'application/json', origin: server.url } });
    expect(out.status).toBe(200);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('rejects a wrong password and a cross-site POST', async () => {
    const wrong = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
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
    const data = (await response.json()) as { period: { from: string; to: string }; kpis: { revenue: { value: number }; orders: { value: number } }; channels: unknown[]; regions: { region: string | null }[] };
    const direct = await withPublishedSnapshot(env.dataDir, (db) => queryMetrics(db, { metrics: ['revenue', 'orders'], from: data.period.from, to: data.period.to }));
    expect(data.kpis.revenue.value).toBeCloseTo(direct.totals.revenue!, 2);
    expect(data.kpis.orders.value).toBe(direct.totals.orders);
    expect(data.kpis.orders.value).toBeGreaterThan(0);
    expect(data.channels.length).toBe(6);
    // The five regions set in varySource; orders of customers deleted in the source have no region
    // in the warehouse and may show as an "unknown" group beside them.
    expect(data.regions.filter((r) => r.region !== null).length).toBe(5);
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
    expect(await desktop.locator('[data-testid=top-regions] li').count()).toBeGreaterThanOrEqual(5);
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

type Json = Record<string, unknown>;

async function getJson<T = Json>(path: string, cookie: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as T };
}

describe('customers, segments, churn and retention data', () => {
  it('finds a customer by two characters of a three-character Chinese name, by phone digits, and by e-mail', async () => {
    const cookie = await signInCookie('manager');
    type Found = { rows: { id: number; person: { name: string } | null }[]; total: number };
    const byName = await getJson<Found>(`/api/customers?q=${encodeURIComponent('葛亮')}`, cookie);
    expect(byName.status).toBe(200);
    expect(byName.body.rows.map((r) => r.person?.name)).toContain('诸葛亮');
    const byPhone = await getJson<Found>('/api/customers?q=13800138000', cookie);
    expect(byPhone.body.rows.map((r) => r.id)).toContain(10);
    const byEmail = await getJson<Found>('/api/customers?q=KONGMING.zhuge', cookie);
    expect(byEmail.body.rows.map((r) => r.id)).toEqual([10]);
    // Spaces and punctuation count on neither side: a phone as people type it, an e-mail across its dot.
    expect((await getJson<Found>(`/api/customers?q=${encodeURIComponent('+86 138-0013 8000')}`, cookie)).body.rows.map((r) => r.id)).toContain(10);
    expect((await getJson<Found>(`/api/customers?q=${encodeURIComponent('ming.zhu')}`, cookie)).body.rows.map((r) => r.id)).toContain(10);
    // Fewer than three letters or digits once punctuation is dropped: no matches, not every name containing 'ab'.
    const tooShort = await getJson<Found>(`/api/customers?q=${encodeURIComponent('a.b')}`, cookie);
    expect(tooShort.status).toBe(200);
    expect(tooShort.body.total).toBe(0);
    // Warehouse filters narrow the text matches by customer id.
    const band = (await getJson<{ churn: { band: string } }>('/api/customers/10', cookie)).body.churn.band;
    const other = ['high', 'medium', 'low'].find((b) => b !== band)!;
    expect((await getJson<Found>(`/api/customers?q=${encodeURIComponent('葛亮')}&band=${band}`, cookie)).body.rows.map((r) => r.id)).toContain(10);
    expect((await getJson<Found>(`/api/customers?q=${encodeURIComponent('葛亮')}&band=${other}`, cookie)).body.rows.map((r) => r.id)).not.toContain(10);
  });

  it('finds a customer created since the last pipeline run (no figures yet) and pages a broad search without repeats', async () => {
    const cookie = await signInCookie('manager');
    await env.ctx.pool.query(
      "INSERT INTO pulse_app.customers (id, name, email, country, currency, preferred_language) VALUES (990001, '欧阳新客', 'new.ouyang@example.cn', 'CN', 'CNY', 'zh-CN')",
    );
    try {
      type Found = { rows: { id: number; person: { name: string } | null; segmentId: number | null; monetary: number | null }[]; total: number; pages: number };
      const found = await getJson<Found>(`/api/customers?q=${encodeURIComponent('阳新客')}`, cookie);
      expect(found.body.rows).toEqual([expect.objectContaining({ id: 990001, person: expect.objectContaining({ name: '欧阳新客' }), segmentId: null, monetary: null })]);
      // A broad search, page by page: the pages together hold `total` different customers.
      const first = await getJson<Found>('/api/customers?q=.com', cookie);
      expect(first.body.pages).toBeGreaterThan(1);
      const ids: number[] = [];
      for (let page = 1; page <= first.body.pages; page++) ids.push(...(await getJson<Found>(`/api/customers?q=.com&page=${page}`, cookie)).body.rows.map((r) => r.id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(first.body.total);
      // Past the last page: no rows, the same total.
      const beyond = await getJson<Found>(`/api/customers?q=.com&page=${first.body.pages + 1}`, cookie);
      expect(beyond.body.rows).toEqual([]);
      expect(beyond.body.total).toBe(first.body.total);
    } finally {
      await env.ctx.pool.query('DELETE FROM pulse_app.customers WHERE id = 990001');
    }
  });

  it('masks e-mail and phone for a marketer and shows them to a manager, and audits the unmasked view', async () => {
    type Person = { email: string | null; phone: string | null };
    const marketer = await getJson<{ person: Person }>('/api/customers/10', await signInCookie('marketer'));
    expect(marketer.body.person.email).toBe('k•••@example.cn');
    expect(marketer.body.person.phone).toBe('+86 •••• 8000');
    const manager = await getJson<{ person: Person }>('/api/customers/10', await signInCookie('manager'));
    expect(manager.body.person.email).toBe('kongming.zhuge@example.cn');
    expect(manager.body.person.phone).toBe('+86 138 0013 8000');
    const { rows } = await env.ctx.pool.query("SELECT role, action FROM pulse.audit_log WHERE target = 'customer:10'");
    expect(rows).toContainEqual({ role: 'manager', action: 'pii_view' });
    expect(rows.some((r: { role: string }) => r.role === 'marketer')).toBe(false);
  });

  it('answers bad search input and unknown ids with a 4xx naming the field', async () => {
    const cookie = await signInCookie('analyst');
    const cases: [string, number, string][] = [
      ['/api/customers?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 400, 'q'],
      ["/api/customers?q=x'%3B%20DROP%20TABLE%20pulse.users%3B--", 400, 'q'],
      ['/api/customers?q=a', 400, 'q'],
      ['/api/customers?band=extreme', 400, 'band'],
      ['/api/customers?segment=1%20OR%201%3D1', 400, 'segment'],
      ['/api/customers?segment=999999', 400, 'segment'],
      ['/api/customers?region=%3Cb%3E', 400, 'region'],
      ['/api/customers?page=0', 400, 'page'],
      ['/api/customers/abc', 400, 'id'],
      ['/api/customers/99999999', 404, 'id'],
      ['/api/segments/999999/members', 404, 'id'],
      [`/api/segments/${segmentId}/members?sort=name%3B`, 400, 'sort'],
      [`/api/segments/${segmentId}/export?format=pdf`, 400, 'format'],
    ];
    for (const [path, status, field] of cases) {
      const { status: got, body } = await getJson<{ error: { field?: string } }>(path, cookie);
      expect(got, path).toBe(status);
      expect(body.error.field, path).toBe(field);
    }
    // A quote is a valid character in a name (O'Brien): it is searched for, as a bound value.
    expect((await getJson(`/api/customers?q=${encodeURIComponent("1' OR '1'='1")}`, cookie)).status).toBe(200);
  });

  it('exports a segment as CSV and XLSX for a marketer (masked, formulas as text, audited) and refuses an executive', async () => {
    const cookie = await signInCookie('marketer');
    const csv = await fetch(`${server.url}/api/segments/${formulaSegmentId}/export?format=csv`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="segment-\d+-/);
    const text = await csv.text();
    const lines = text.trim().split('\r\n');
    const segments = (await getJson<{ segments: { id: number; customers: number }[] }>('/api/segments', cookie)).body.segments;
    expect(lines.length - 1).toBe(segments.find((x) => x.id === formulaSegmentId)!.customers);
    expect(text).toContain(`12,"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).not.toMatch(/,[a-z0-9._-]{2,}@/i); // e-mails masked for a marketer

    const xlsx = await fetch(`${server.url}/api/segments/${formulaSegmentId}/export?format=xlsx`, { headers: { cookie } });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount - 1).toBe(lines.length - 1);
    let formulaCell: ExcelJS.Cell | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 12) formulaCell = row.getCell(2);
    });
    expect(formulaCell?.type).toBe(ExcelJS.ValueType.String);
    expect(formulaCell?.value).toBe('=HYPERLINK("http://evil.example","click")');

    const { rows } = await env.ctx.pool.query(
      "SELECT details->>'format' AS format, row_count FROM pulse.audit_log WHERE action = 'export' AND role = 'marketer' AND target = $1 ORDER BY id DESC LIMIT 2",
      [`segment:${formulaSegmentId}`],
    );
    expect(rows).toEqual([
      { format: 'xlsx', row_count: lines.length - 1 },
      { format: 'csv', row_count: lines.length - 1 },
    ]);

    const executive = await fetch(`${server.url}/api/segments/${formulaSegmentId}/export?format=csv`, { headers: { cookie: await signInCookie('executive') } });
    expect(executive.status).toBe(403);
  });

  it('gives revenue at risk from the metrics layer and a model card that beats the recency baseline', async () => {
    const churn = await getJson<{ asOf: string; revenueAtRisk: number; watchlist: { atRisk: number; drivers: string[] }[]; card: { rocAuc: number; baselineRocAuc: number; calibration: unknown[] } }>(
      '/api/churn',
      await signInCookie('executive'),
    );
    expect(churn.status).toBe(200);
    const direct = await withPublishedSnapshot(env.dataDir, (db) => queryMetrics(db, { metrics: ['revenue_at_risk'], from: '2020-01-01', to: churn.body.asOf }));
    expect(churn.body.revenueAtRisk).toBeCloseTo(direct.totals.revenue_at_risk!, 2);
    expect(churn.body.watchlist.length).toBe(50);
    expect(churn.body.watchlist[0]!.atRisk).toBeGreaterThanOrEqual(churn.body.watchlist[49]!.atRisk);
    expect(churn.body.watchlist[0]!.drivers.length).toBeGreaterThan(0);
    expect(churn.body.card.rocAuc).toBeGreaterThan(churn.body.card.baselineRocAuc);
    expect(churn.body.card.calibration.length).toBeGreaterThan(0);
  });
});

const pagesToWalk = () => [
  { name: 'customers', path: '/customers', ready: '[data-testid=customer-row]', en: 'Customers', zh: '客户' },
  { name: 'customer', path: '/customers/10', ready: '[data-testid=timeline-event]', en: '诸葛亮', zh: '诸葛亮' },
  { name: 'segments', path: '/segments', ready: '.recharts-bar-rectangle', en: 'Segments', zh: '客户分群' },
  { name: 'segment', path: `/segments/${segmentId}`, ready: '.recharts-bar-rectangle', en: null, zh: null },
  { name: 'churn', path: '/churn', ready: '.recharts-line-curve', en: 'Churn', zh: '流失预警' },
  { name: 'retention', path: '/retention', ready: '.recharts-line-curve', en: 'Retention', zh: '留存' },
];

describe('customers, segments, churn and retention in the browser', () => {
  it('renders every page with real data for every role that may see it', async () => {
    for (const role of roles) {
      const page = await newPage({ width: 1366, height: 900 });
      await signInBrowser(page, role);
      for (const p of pagesToWalk()) {
        await page.goto(`${server.url}${p.path}`);
        await page.waitForSelector(p.ready, { timeout: 20_000 }).catch(async (error: unknown) => {
          await page.screenshot({ path: path.join(screenshotDir, `failed-${role}-${p.name}.png`), fullPage: true });
          throw new Error(`${role} ${p.path}: ${p.ready} did not appear`, { cause: error });
        });
        if (p.ready.startsWith('.recharts')) expect(await page.locator(p.ready).count(), `${role} ${p.name} chart`).toBeGreaterThan(0);
      }
      await page.goto(`${server.url}/churn`);
      expect(await page.locator('[data-testid=watch-row]').count()).toBe(50);
      expect(await page.locator('[data-testid=calibration] tr').count()).toBeGreaterThan(0);
      await page.goto(`${server.url}/segments`);
      expect(await page.locator('[data-testid=segment-row]').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator('[data-testid=transitions] tr').count()).toBeGreaterThanOrEqual(3);
      await page.goto(`${server.url}/segments/${segmentId}`);
      expect(await page.locator('[data-testid=member-row]').count()).toBeGreaterThan(0);
      // Executives get no export buttons (and the route refuses them: see the data tests).
      expect(await page.locator('[data-testid=export-csv]').count(), `${role} export button`).toBe(can(role, 'data:export') ? 1 : 0);
      await page.goto(`${server.url}/retention`);
      expect(await page.locator('[data-testid=cohort-row]').count()).toBeGreaterThan(3);
      await page.context().close();
    }
  }, 180_000);

  it('searches by two characters of a Chinese name in the browser, masks for a marketer, and shows markup as text', async () => {
    const marketer = await newPage({ width: 1366, height: 900 });
    await signInBrowser(marketer, 'marketer');
    await marketer.goto(`${server.url}/customers`);
    await marketer.fill('input[name=q]', '葛亮');
    await Promise.all([marketer.waitForURL(/q=/), marketer.click('[data-testid=customer-search-submit]')]);
    await marketer.waitForSelector('[data-testid=customer-row]');
    expect(await marketer.locator('[data-testid=customer-name]').allTextContents()).toContain('诸葛亮');
    const emails = await marketer.locator('[data-testid=customer-email]').allTextContents();
    expect(emails.length).toBeGreaterThan(0);
    for (const e of emails) expect(e).toMatch(/^(.•••@.+|–)$/);
    expect((await marketer.locator('[data-testid=customer-phone]').allTextContents()).every((p) => p.includes('••••') || p === '–')).toBe(true);
    await marketer.screenshot({ path: path.join(screenshotDir, 'customers-search-desktop-en.png'), fullPage: true });

    // A customer named <script>: the name is text on the page, and nothing runs.
    let dialog = false;
    marketer.on('dialog', async (d) => {
      dialog = true;
      await d.dismiss();
    });
    await marketer.goto(`${server.url}/customers/7`);
    await marketer.waitForSelector('[data-testid=timeline]');
    await expect(marketer.locator('h1').first().textContent()).resolves.toBe('<script>alert(1)</script>');
    expect(dialog).toBe(false);
    await marketer.context().close();

    const manager = await newPage({ width: 1366, height: 900 });
    await signInBrowser(manager, 'manager');
    await manager.goto(`${server.url}/customers?q=${encodeURIComponent('葛亮')}`);
    await manager.waitForSelector('[data-testid=customer-row]');
    expect(await manager.locator('[data-testid=customer-email]').allTextContents()).toContain('kongming.zhuge@example.cn');
    await manager.goto(`${server.url}/customers/10`);
    await expect(manager.locator('[data-testid=profile-phone]').textContent()).resolves.toBe('+86 138 0013 8000');
    await manager.context().close();
  }, 60_000);

  it('shows Chinese labels and segment names, fits a phone, and saves screenshots of each page', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [
        { kind: 'desktop', width: 1366, height: 900 },
        { kind: 'phone', width: 375, height: 812 },
      ]) {
        const page = await newPage({ width: viewport.width, height: viewport.height, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        // The analyst has no saved language: the browser's language decides.
        await signInBrowser(page, 'analyst');
        for (const p of pagesToWalk()) {
          await page.goto(`${server.url}${p.path}`);
          await page.waitForSelector(p.ready, { timeout: 20_000 });
          const expected = locale === 'en' ? p.en : p.zh;
          if (expected) await expect(page.locator('h1').first().textContent(), `${p.name} ${locale}`).resolves.toBe(expected);
          if (viewport.kind === 'phone') expect(await hasNoHorizontalScroll(page), `${p.name}: no sideways scroll on a phone (${locale})`).toBe(true);
          await page.screenshot({ path: path.join(screenshotDir, `${p.name}-${viewport.kind}-${locale}.png`), fullPage: true });
        }
        if (locale === 'zh-CN') {
          await page.goto(`${server.url}/segments`);
          const names = await page.locator('[data-testid=segment-name]').allTextContents();
          expect(names.length).toBeGreaterThan(0);
          for (const n of names) expect(n).toMatch(/[\u4e00-\u9fff]/);
          if (viewport.kind === 'desktop') expect(await page.locator('aside nav').textContent()).toContain('流失预警');
        }
        await page.context().close();
      }
    }
  }, 240_000);
});
