// Security of the running dashboard, end to end: the real Next.js server (startDashboard) on a seeded
// test database, driven over HTTP and in headless Chromium. Security headers and a strict CSP that no
// page violates; cross-site requests refused (a real form on another origin); the audit log page,
// its filters, paging and CSV export; and no secret in any response or in the server's output.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '../../lib/audit.ts';
import { verifyAuditChain } from '../../lib/audit-chain.ts';
import { ensureDemoUsers, type DemoUser } from '../../lib/auth.ts';
import { setMfaRequired } from '../../lib/mfa.ts';
import type { Role } from '../../lib/auth-roles.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../../lib/migrate.ts';
import { projectRoot } from '../../lib/paths.ts';
import { generateKey } from '../../lib/secrets.ts';
import { seedDemoData } from '../../ingest/index.ts';
import { runPipelineNow } from '../../jobs/index.ts';
import { withPublishedSnapshot } from '../../warehouse/index.ts';
import { startDashboard, type RunningDashboard } from '../../dashboard/server.ts';
import { createPulseEnv, type PulseTestEnv } from '../helpers/pulse-env.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.ts';
import { freePort } from '../../lib/free-port.ts';

const screenshotDir = path.join(projectRoot, 'artifacts', 'screenshots');

let database: TestDatabase;
let env: PulseTestEnv;
let server: RunningDashboard;
let browser: Browser;
let users: Record<Role, DemoUser>;
let segmentId: number;
/** Secrets that must never be seen outside: the database password, the secret key, session cookies. */
const secretKey = generateKey();
let databasePassword: string;
const sessionTokens: string[] = [];
/** Every response body and the server's own output, searched for the secrets at the end. */
const seen: string[] = [];
const serverOutput: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('security_e2e');
  databasePassword = decodeURIComponent(new URL(database.url).password);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await migrate(client, pulseMigrations);
  await migrate(client, demoSourceMigrations);
  await client.end();
  await seedDemoData(database.url, { customers: 1500, seed: 11, asOf: new Date('2026-10-01T00:00:00Z') });
  env = createPulseEnv(database.url, { PULSE_SECRET_KEY: secretKey });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'e2e' });
  await withPublishedSnapshot(env.dataDir, async (db) => {
    segmentId = (await db.one<{ id: number }>('SELECT min(segment_id) AS id FROM models.segments')).id;
  });
  users = Object.fromEntries((await ensureDemoUsers(env.ctx.pool, env.dataDir)).map((u) => [u.role, u])) as Record<Role, DemoUser>;
  // Roles sign in with a password here; two-step sign-in (required for admins by default) is tested
  // in accounts.e2e.test.ts.
  await setMfaRequired(env.ctx.pool, 'admin', false, { userId: null, email: 'test', role: '' });
  await seedAuditEntries();
  server = await startDashboard({ port: await freePort(), host: '127.0.0.1', env: { ...env.env, LOG_LEVEL: 'debug' }, output: (chunk) => serverOutput.push(chunk) });
  browser = await launchChromium();
  fs.mkdirSync(screenshotDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await env?.close();
  await database?.drop();
});

/** Entries of every kind for the audit page: 60 exports (two pages), a rotation, a failure, a formula. */
async function seedAuditEntries(): Promise<void> {
  for (let n = 1; n <= 60; n += 1) {
    await writeAudit(env.ctx.pool, { userId: 3, userEmail: 'marketer@pulse.example', role: 'marketer', action: 'export', target: `segment:${n}`, rowCount: 100 + n, details: { format: 'csv' }, address: '198.51.100.7' });
  }
  await writeAudit(env.ctx.pool, { userId: null, userEmail: 'cli:root', role: '', action: 'key_rotate', target: 'secrets', rowCount: 4, details: { to: 'ab12cd34' } });
  await writeAudit(env.ctx.pool, { userId: null, userEmail: 'nobody@example.com', role: '', action: 'sign_in', target: 'user:nobody@example.com', outcome: 'failure', address: '203.0.113.9' });
  await writeAudit(env.ctx.pool, {
    userId: 1,
    userEmail: 'admin@pulse.example',
    role: 'admin',
    action: 'segment_change',
    target: '=HYPERLINK("http://evil.example","click")',
    details: { name: '<img src=x onerror=alert(1)>' },
  });
}

/** fetch that keeps the body for the secrets check at the end. */
async function get(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  seen.push(`${[...response.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`);
  return { status: response.status, headers: response.headers, text };
}

async function signInCookie(role: Role): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: users[role].email, password: users[role].password }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!;
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=lax/i);
  const pair = cookie.split(';')[0]!;
  sessionTokens.push(pair.split('=')[1]!);
  return pair;
}

async function newPage(options: { width: number; height: number; locale?: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale ?? 'en-US', deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  return page;
}

async function signInBrowser(page: Page, role: Role): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.fill('input[name=email]', users[role].email);
  await page.fill('input[name=password]', users[role].password);
  await Promise.all([page.waitForURL(/\/overview/), page.click('[data-testid=sign-in-submit]')]);
  const session = (await page.context().cookies()).find((c) => c.name === 'pulse_session');
  if (session) sessionTokens.push(session.value);
}

/**
 * Records CSP violations (listened for in the page itself, before any of its scripts run: init
 * scripts come from the browser, not the page, so the CSP does not apply to them) and console errors.
 */
async function watchPage(page: Page): Promise<{ violations: () => Promise<string[]>; errors: string[] }> {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      w.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`);
    });
  });
  return { violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), errors };
}

async function hasNoHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth);
}

describe('security headers', () => {
  it('sends a strict CSP with a fresh nonce on every page, and frame, sniffing, referrer and permission policies', async () => {
    const first = await get(`${server.url}/sign-in`);
    const second = await get(`${server.url}/sign-in`);
    expect(first.status).toBe(200);
    const csp = first.headers.get('content-security-policy')!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src '))!;
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(scriptSrc).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    // Next.js put the same nonce on its scripts: every <script> in the page carries it.
    const scripts = first.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('referrer-policy')).toBe('same-origin');
    expect(first.headers.get('permissions-policy')).toContain('camera=()');
    expect(first.headers.get('x-powered-by')).toBeNull();
    // Plain HTTP: no HSTS (and no upgrade-insecure-requests, which would break http://localhost).
    expect(first.headers.get('strict-transport-security')).toBeNull();
    expect(csp).not.toContain('upgrade-insecure-requests');

    // Why style-src-attr allows inline attributes: the server HTML of a chart page has style="" attributes
    // (Tremor/recharts sizes), which a nonce cannot cover.
    const overview = await get(`${server.url}/overview`, { headers: { cookie: await signInCookie('manager') } });
    expect(overview.text).toMatch(/<div[^>]* style="/);
    expect(overview.headers.get('content-security-policy')).toContain("style-src-attr 'unsafe-inline'");

    // API responses: nothing in them may run or be framed; static files still say nosniff.
    const api = await get(`${server.url}/api/me`);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(api.headers.get('strict-transport-security')).toBeNull();
    // An address that does not decode is refused by the proxy, with the same headers.
    const undecodable = await get(`${server.url}/api/customers/%C3%28`);
    expect(undecodable.status).toBe(400);
    expect(undecodable.headers.get('content-security-policy')).toContain("default-src 'none'");
    const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(first.text)![1]!;
    expect((await get(`${server.url}${asset}`)).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('adds HSTS when the request came over HTTPS (a TLS proxy in front says so)', async () => {
    const page = await get(`${server.url}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: users.analyst.email, password: users.analyst.password }),
    });
    expect(signIn.headers.get('strict-transport-security')).toContain('max-age=');
    const api = await get(`${server.url}/api/me`, { headers: { 'x-forwarded-proto': 'https, http' } });
    expect(api.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(signIn.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))).toMatch(/;\s*Secure/i);
    sessionTokens.push(signIn.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!.split(';')[0]!.split('=')[1]!);
  });
});

describe('content security policy in the browser', () => {
  const pages = () => [
    { name: 'overview', path: '/overview', ready: '.recharts-area-curve' },
    { name: 'customers', path: '/customers', ready: 'table' },
    { name: 'customer', path: '/customers/10', ready: 'h1' },
    { name: 'segments', path: '/segments', ready: 'h1' },
    { name: 'segment', path: `/segments/${segmentId}`, ready: 'h1' },
    { name: 'churn', path: '/churn', ready: 'h1' },
    { name: 'retention', path: '/retention', ready: 'h1' },
    { name: 'pipeline', path: '/pipeline', ready: '[data-testid=run]' },
    { name: 'users', path: '/admin/users', ready: '[data-testid=user-row]' },
    { name: 'sessions', path: '/admin/sessions', ready: 'h1' },
    { name: 'backups', path: '/admin/backups', ready: 'h1' },
    { name: 'account', path: '/account', ready: 'h1' },
    { name: 'reports', path: '/reports', ready: 'iframe' },
    { name: 'campaigns', path: '/campaigns', ready: 'h1' },
    { name: 'saved-segments', path: '/saved-segments', ready: 'h1' },
    { name: 'api-tokens', path: '/api-tokens', ready: 'h1' },
    { name: 'audit', path: '/admin/audit', ready: '[data-testid=audit-row]' },
    { name: 'not-found', path: '/no-such-page', ready: 'body' },
  ];

  it('loads every page, in English and Chinese, with no CSP violation and no console error', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      const page = await newPage({ width: 1280, height: 900, locale });
      const watch = await watchPage(page);
      await page.goto(`${server.url}/sign-in`, { waitUntil: 'networkidle' });
      expect(await watch.violations(), `sign-in ${locale}`).toEqual([]);
      await signInBrowser(page, 'admin');
      for (const p of pages()) {
        await page.goto(`${server.url}${p.path}`, { waitUntil: 'networkidle' });
        await page.waitForSelector(p.ready, { timeout: 20_000 });
        // The nonced inline scripts ran (Next.js's flight data) and the page's chunks loaded.
        expect(await page.evaluate(() => Array.isArray((self as unknown as { __next_f?: unknown[] }).__next_f)), `${p.name} ran its scripts`).toBe(true);
        expect(await watch.violations(), `${p.name} ${locale}`).toEqual([]);
      }
      // A client-side navigation (no full load) loads more chunks under the same policy.
      await page.goto(`${server.url}/overview`, { waitUntil: 'networkidle' });
      await Promise.all([page.waitForURL(/\/segments/), page.locator('aside a[href="/segments"]').click()]);
      await page.waitForLoadState('networkidle');
      expect(await watch.violations(), `client navigation ${locale}`).toEqual([]);
      // The 404 page's own status is logged as a failed load; anything else is a real error.
      expect(watch.errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e)), `console errors ${locale}`).toEqual([]);
      await page.context().close();
    }
    // A role that may not open a page gets the 403 page, also without violations.
    const marketer = await newPage({ width: 1280, height: 900 });
    const watch = await watchPage(marketer);
    await signInBrowser(marketer, 'marketer');
    const forbidden = await marketer.goto(`${server.url}/admin/audit`, { waitUntil: 'networkidle' });
    expect(forbidden?.status()).toBe(403);
    expect(await watch.violations()).toEqual([]);
    await marketer.context().close();
  }, 240_000);

  it('blocks a script and an event handler that got into the server\'s HTML', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    const watch = await watchPage(page);
    await signInBrowser(page, 'admin');
    // As if markup had slipped through into the response: the server's page, its own CSP header, plus
    // an inline script and an inline event handler that carry no nonce.
    await page.route(`${server.url}/customers`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('</body>', '<script>window.__injected = true</script><img src="data:," onerror="window.__injectedHandler = true"></body>');
      await route.fulfill({ response, body });
    });
    await page.goto(`${server.url}/customers`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { __injectedHandler?: boolean }).__injectedHandler)).toBeUndefined();
    const violations = (await watch.violations()).join('\n');
    expect(violations).toMatch(/script-src-elem blocked inline/);
    expect(violations).toMatch(/script-src-attr blocked inline/);
    // The page's own (nonced) scripts still ran.
    expect(await page.evaluate(() => Array.isArray((self as unknown as { __next_f?: unknown[] }).__next_f))).toBe(true);
    await page.context().close();
  });
});

describe('cross-site request forgery', () => {
  it('refuses a form on another origin that posts to the dashboard with the signed-in cookie', async () => {
    // Another site on the same host, another port: "same-site" for SameSite cookies, so the session
    // cookie goes along. Only the Origin check stops it.
    const evilPort = await freePort();
    const evil = http.createServer((request, response) => {
      const target = request.url === '/locale' ? `${server.url}/api/locale` : `${server.url}/api/pipeline/retry`;
      const field = request.url === '/locale' ? '<input name="locale" value="zh-CN">' : '<input name="mode" value="full">';
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><form id="f" method="post" action="${target}">${field}</form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    try {
      const page = await newPage({ width: 1280, height: 900 });
      await signInBrowser(page, 'admin');
      const before = await env.ctx.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pulse.audit_log WHERE action = 'job_action'");
      for (const [pathName, api] of [['/', '/api/pipeline/retry'], ['/locale', '/api/locale']] as const) {
        const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(api)), page.goto(`http://127.0.0.1:${evilPort}${pathName}`)]);
        expect(response.status(), api).toBe(403);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('cross_site');
        expect(response.request().headers().origin).toBe(`http://127.0.0.1:${evilPort}`);
      }
      // Nothing happened: no job queued or audited, the admin's language unchanged.
      const after = await env.ctx.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pulse.audit_log WHERE action = 'job_action'");
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
      const { rows } = await env.ctx.pool.query<{ language: string | null }>('SELECT language FROM pulse.users WHERE email = $1', [users.admin.email]);
      expect(rows[0]!.language).not.toBe('zh-CN');
      await page.context().close();
    } finally {
      await new Promise((resolve) => evil.close(resolve));
    }
  });

  it('lets a state-changing request through only with this Origin, or no Origin and Sec-Fetch-Site same-origin', async () => {
    const cookie = await signInCookie('admin');
    const post = (headers: Record<string, string>) =>
      get(`${server.url}/api/pipeline/retry`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ mode: 'incremental' }) });
    const refused: Record<string, string>[] = [{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }, { origin: 'http://evil.example' }, { origin: `${server.url}.evil.example` }];
    for (const headers of refused) {
      const response = await post(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(response.text).error.code).toBe('cross_site');
    }
    // Past the check, the route answers: 202 queued, or 503 when no worker has made the queue (this test runs none).
    for (const headers of [{ origin: server.url }, { 'sec-fetch-site': 'same-origin' }] as Record<string, string>[]) {
      expect([202, 503], JSON.stringify(headers)).toContain((await post(headers)).status);
    }
    // Each of those two was audited as a manual job action, with its outcome.
    const { rows } = await env.ctx.pool.query<{ outcome: string; details: { command: string; mode: string } }>(
      "SELECT outcome, details FROM pulse.audit_log WHERE action = 'job_action' AND user_email = $1 ORDER BY id DESC LIMIT 2",
      [users.admin.email],
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.details).toMatchObject({ command: 'retry', mode: 'incremental' });
  });
});

describe('audit log page', () => {
  it('is for admins only: page, API and export', async () => {
    for (const role of ['manager', 'marketer', 'analyst', 'executive'] as const) {
      const cookie = await signInCookie(role);
      expect((await get(`${server.url}/admin/audit`, { headers: { cookie } })).status, role).toBe(403);
      expect((await get(`${server.url}/api/admin/audit`, { headers: { cookie } })).status, role).toBe(403);
      expect((await get(`${server.url}/api/admin/audit/export`, { headers: { cookie } })).status, role).toBe(403);
    }
    const cookie = await signInCookie('admin');
    const api = await get(`${server.url}/api/admin/audit?action=key_rotate`, { headers: { cookie } });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.text).rows).toEqual([expect.objectContaining({ action: 'key_rotate', userEmail: 'cli:root', rowCount: 4 })]);
    const bad = await get(`${server.url}/api/admin/audit?from=2026-13-01`, { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.field).toBe('from');
    expect((await get(`${server.url}/api/admin/audit?sort=id;DROP`, { headers: { cookie } })).status).toBe(400);
  });

  it('filters, pages newest first, and exports CSV that is itself audited', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    const watch = await watchPage(page);
    await signInBrowser(page, 'admin');
    // The page streams in after its loading skeleton: wait for the data part each time.
    const loaded = () => page.locator('[data-testid=audit-count]').waitFor();
    await page.goto(`${server.url}/admin/audit`);
    await loaded();
    const rows = page.locator('[data-testid=audit-table] [data-testid=audit-row]');
    expect(await rows.count()).toBe(50);
    const firstIds = (await rows.locator('td:first-child').allTextContents()).map(Number);
    expect(firstIds).toEqual([...firstIds].sort((a, b) => b - a));
    // Markup in an entry is shown as text, never run.
    await expect(page.locator('[data-testid=audit-table]').textContent()).resolves.toContain('<img src=x onerror=alert(1)>');
    await page.screenshot({ path: path.join(screenshotDir, 'audit-desktop-en.png') });

    // Older page: continues below the first page's last id, and links back.
    await Promise.all([page.waitForURL(/before=/), page.click('[data-testid=audit-older]')]);
    await loaded();
    const olderIds = (await rows.locator('td:first-child').allTextContents()).map(Number);
    expect(Math.max(...olderIds)).toBeLessThan(Math.min(...firstIds));
    expect(await page.locator('[data-testid=audit-pager] a[rel=prev]').count()).toBe(1);

    // Filters through the form: failed sign-ins.
    await page.goto(`${server.url}/admin/audit`);
    await loaded();
    await page.selectOption('select[name=action]', 'sign_in');
    await page.selectOption('select[name=outcome]', 'failure');
    await Promise.all([page.waitForURL(/action=sign_in/), page.click('[data-testid=audit-apply]')]);
    await loaded();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('nobody@example.com');
    expect(await rows.first().textContent()).toContain('203.0.113.9');
    // By user and target, then nothing at all.
    await page.goto(`${server.url}/admin/audit?user=marketer%40pulse&target=segment%3A6`);
    await loaded();
    expect((await rows.locator('td:nth-child(5)').allTextContents()).map((t) => t.split('Rows')[0])).toEqual(['segment:60', 'segment:6']);
    await page.goto(`${server.url}/admin/audit?user=nobody-at-all`);
    await page.getByText('No entries match these filters.').waitFor();
    expect(await rows.count()).toBe(0);

    // Export with the page's filters: a CSV download, formulas kept as text, and audited.
    await page.goto(`${server.url}/admin/audit?action=segment_change`);
    await loaded();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-export]')]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    seen.push(csv);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('#,When (UTC),Who,Role,Action,Target,Rows,Outcome,From,Details,Entry hash');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const { rows: exports } = await env.ctx.pool.query<{ row_count: number; details: { filters: { action: string } }; user_email: string }>(
      "SELECT row_count, details, user_email FROM pulse.audit_log WHERE action = 'audit_export' ORDER BY id DESC LIMIT 1",
    );
    expect(exports[0]).toMatchObject({ row_count: 1, user_email: users.admin.email, details: { filters: { action: 'segment_change' } } });
    expect(await watch.violations()).toEqual([]);
    await page.context().close();
    expect((await verifyAuditChain(env.ctx.pool)).ok).toBe(true);
  });

  it('reads in Chinese and fits a phone without sideways scrolling', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [{ kind: 'desktop', width: 1280, height: 900 }, { kind: 'phone', width: 375, height: 812 }]) {
        if (locale === 'en' && viewport.kind === 'desktop') continue; // taken in the test above
        const page = await newPage({ width: viewport.width, height: viewport.height, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        await signInBrowser(page, 'admin');
        await page.goto(`${server.url}/admin/audit`);
        await page.waitForSelector(viewport.kind === 'phone' ? '[data-testid=audit-card]' : '[data-testid=audit-row]');
        await expect(page.locator('h1').first().textContent()).resolves.toBe(locale === 'en' ? 'Audit log' : '审计日志');
        if (locale === 'zh-CN') {
          await expect(page.locator('[data-testid=audit-filters]').textContent()).resolves.toContain('全部操作');
          await expect(page.locator('main').textContent()).resolves.toContain('导出客户数据');
        }
        expect(await hasNoHorizontalScroll(page), `${viewport.kind} ${locale}`).toBe(true);
        await page.screenshot({ path: path.join(screenshotDir, `audit-${viewport.kind}-${locale}.png`) });
        if (viewport.kind === 'phone') {
          await page.locator('[data-testid=audit-card]').first().scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(screenshotDir, `audit-${viewport.kind}-${locale}-entries.png`) });
        }
        await page.context().close();
      }
    }
  }, 90_000);
});

describe('secrets stay out of responses and logs', () => {
  it('never shows the database password, the secret key or a session cookie', async () => {
    // An error path too: a request that fails inside a route (a malformed body) and a 404.
    const cookie = await signInCookie('admin');
    await get(`${server.url}/api/pipeline/retry`, { method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: '{not json' });
    await get(`${server.url}/api/no-such-route`, { headers: { cookie } });
    const haystack = [...seen, serverOutput.join('')].join('\n');
    expect(haystack.length).toBeGreaterThan(10_000);
    expect(databasePassword.length).toBeGreaterThan(8);
    expect(haystack).not.toContain(databasePassword);
    expect(haystack).not.toContain(secretKey);
    expect(sessionTokens.length).toBeGreaterThan(5);
    for (const token of sessionTokens) expect(haystack).not.toContain(token);
  });

  it('shows no secret when the database refuses the dashboard (error pages and logs)', async () => {
    const wrongPassword = 'Wr0ng-Db-Pa55word-For-Test';
    const url = new URL(database.url);
    url.password = wrongPassword;
    const output: string[] = [];
    const broken = await startDashboard({ port: await freePort(), host: '127.0.0.1', build: 'never', env: { ...env.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'debug' }, output: (chunk) => output.push(chunk) });
    try {
      const token = sessionTokens[0]!;
      const responses = [
        await fetch(`${broken.url}/overview`, { headers: { cookie: `pulse_session=${token}` }, redirect: 'manual' }),
        await fetch(`${broken.url}/api/me`, { headers: { cookie: `pulse_session=${token}` } }),
        await fetch(`${broken.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: broken.url }, body: JSON.stringify({ email: users.admin.email, password: users.admin.password }) }),
      ];
      const bodies = await Promise.all(responses.map((r) => r.text()));
      expect(responses.map((r) => r.status).every((s) => s >= 500)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const haystack = [...bodies, output.join('')].join('\n');
      // The failure is visible in the server's log, without the password, the key or the cookie.
      expect(output.join('')).toMatch(/password authentication failed/);
      for (const secret of [wrongPassword, secretKey, token, users.admin.password]) expect(haystack).not.toContain(secret);
    } finally {
      await broken.stop();
    }
  });
});
