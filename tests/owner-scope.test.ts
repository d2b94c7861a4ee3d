// Owner scope over the API (issue #6): a manager limited to one owner's customers sees only those in
// every customer list, search, customer page, segment member list, watchlist and export; another
// team's customer is a 404 exactly like an id that does not exist (never a 403 that confirms it);
// lifting the scope gives the role's full view back. Set from the CLI as an admin would.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { launchChromium } from './helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../lib/auth.ts';
import { projectRoot } from '../lib/paths.ts';
import { ownerIdsSchema, setUserScope } from '../lib/user-scopes.ts';
import { withPublishedSnapshot } from '../warehouse/index.ts';
import { startSeededDashboard, type DashboardFixture } from './helpers/dashboard-fixture.ts';

const run = promisify(execFile);
const SCOPED = { email: 'team.lead@example.com', password: 'team lead password 1' };

let fx: DashboardFixture;
let ownerA: number;
let ownerB: number;
let customerOfA: number;
let customerOfB: number;
let segmentId: number;
let cookie: string;

beforeAll(async () => {
  fx = await startSeededDashboard('owner_scope', { customers: 500, seed: 31 });
  const owners = await withPublishedSnapshot(fx.env.dataDir, (db) =>
    db.all<{ owner_id: number; n: number }>('SELECT owner_id, count(*) AS n FROM marts.customer_360 WHERE owner_id IS NOT NULL GROUP BY owner_id ORDER BY n DESC, owner_id LIMIT 2'),
  );
  ownerA = Number(owners[0]!.owner_id);
  ownerB = Number(owners[1]!.owner_id);
  const pick = async (owner: number) =>
    withPublishedSnapshot(fx.env.dataDir, async (db) => Number((await db.one<{ id: number }>('SELECT min(customer_id) AS id FROM marts.customer_360 WHERE owner_id = ?', [owner])).id));
  customerOfA = await pick(ownerA);
  customerOfB = await pick(ownerB);
  segmentId = await withPublishedSnapshot(fx.env.dataDir, async (db) =>
    Number((await db.one<{ id: number }>('SELECT segment_id AS id FROM marts.customer_360 WHERE owner_id = ? AND segment_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1', [ownerA])).id),
  );
  await createUser(fx.env.ctx.pool, { email: SCOPED.email, password: SCOPED.password, role: 'manager', name: 'Team Lead' });
}, 300_000);

afterAll(async () => {
  await fx?.close();
});

async function signIn(): Promise<string> {
  const response = await fetch(`${fx.server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: fx.server.url }, body: JSON.stringify(SCOPED) });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!.split(';')[0]!;
}

async function get<T>(pathAndQuery: string, withCookie = cookie): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(`${fx.server.url}${pathAndQuery}`, { headers: { cookie: withCookie }, redirect: 'manual' });
  const text = await response.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    body = undefined as T;
  }
  return { status: response.status, body, text };
}

/** Owner of each customer id, from the warehouse (what the scope filters on). */
async function ownersOf(ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  return withPublishedSnapshot(fx.env.dataDir, async (db) =>
    (await db.all<{ owner_id: number }>(`SELECT DISTINCT owner_id FROM marts.customer_360 WHERE customer_id IN (${ids.map(Number).join(',')})`)).map((r) => Number(r.owner_id)),
  );
}

async function customersOf(owner: number, where = ''): Promise<number> {
  return withPublishedSnapshot(fx.env.dataDir, async (db) => Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM marts.customer_360 WHERE owner_id = ? ${where}`, [owner])).n));
}

describe('pulse user scope', () => {
  it('refuses bad owner lists and sets a scope from the command line', async () => {
    expect(ownerIdsSchema.safeParse('3, 7,3').data).toEqual([3, 7]);
    for (const bad of ['', 'abc', '3;7', '0', '3,,7', '-1']) expect(ownerIdsSchema.safeParse(bad).success, bad).toBe(false);
    const cli = (args: string[]) => run(process.execPath, [path.join(projectRoot, 'bin', 'pulse.js'), ...args], { env: { ...process.env, ...fx.env.env }, cwd: projectRoot });
    const bad = await cli(['user', 'scope', '--email', SCOPED.email, '--owners', '3,abc']).catch((e: { stderr: string; code: number }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/--owners: must be owner \(staff\) ids/);
    const good = await cli(['user', 'scope', '--email', SCOPED.email, '--owners', String(ownerA)]);
    expect(good.stdout).toContain(`now sees only the customers of owners ${ownerA}`);
    cookie = await signIn();
    const admin = await get<{ users: { email: string; ownerScope: number[] | null }[] }>('/api/admin/users', await fx.signInCookie('admin'));
    expect(admin.body.users.find((u) => u.email === SCOPED.email)!.ownerScope).toEqual([ownerA]);
    expect(admin.body.users.find((u) => u.email === 'manager@pulse.example')!.ownerScope).toBeNull();
  }, 60_000);
});

describe('a manager limited to one owner', () => {
  it('lists and searches only that owner’s customers', async () => {
    const list = await get<{ rows: { id: number }[]; total: number }>('/api/customers?sort=id');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(await customersOf(ownerA));
    expect(await ownersOf(list.body.rows.map((r) => r.id))).toEqual([ownerA]);
    const page2 = await get<{ rows: { id: number }[] }>('/api/customers?sort=id&page=2');
    expect(await ownersOf(page2.body.rows.map((r) => r.id))).toEqual(page2.body.rows.length ? [ownerA] : []);
    // Searching by another team's customer's e-mail finds nothing; one of their own is found.
    const emailOf = async (id: number) => (await fx.env.ctx.pool.query<{ email: string }>('SELECT email FROM pulse_app.customers WHERE id = $1', [id])).rows[0]!.email;
    const theirs = await get<{ rows: { id: number }[] }>(`/api/customers?q=${encodeURIComponent(await emailOf(customerOfB))}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body.rows).toEqual([]);
    const ours = await get<{ rows: { id: number }[] }>(`/api/customers?q=${encodeURIComponent(await emailOf(customerOfA))}`);
    expect(ours.body.rows.map((r) => r.id)).toContain(customerOfA);
    const high = await get<{ rows: { id: number }[]; total: number }>('/api/customers?band=high');
    expect(high.body.total).toBe(await customersOf(ownerA, "AND churn_band = 'high'"));
  });

  it('gets a 404 for another team’s customer, the same as for an id that does not exist', async () => {
    const other = await get<{ error: { code: string; field: string } }>(`/api/customers/${customerOfB}`);
    const missing = await get<{ error: { code: string; field: string } }>('/api/customers/99999999');
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe(missing.body.error.code);
    expect(other.body.error.field).toBe(missing.body.error.field);
    expect(other.text.replace(String(customerOfB), 'ID')).toBe(missing.text.replace('99999999', 'ID'));
    const own = await get<{ id: number; ownerId: number }>(`/api/customers/${customerOfA}`);
    expect(own.status).toBe(200);
    expect(own.body.ownerId).toBe(ownerA);
    // The page too: the not-found page, exactly as for an id that does not exist (the page streams,
    // so Next.js may already have sent its status line; what matters is that both answers are alike).
    const otherPage = await get(`/customers/${customerOfB}`);
    const missingPage = await get('/customers/99999999');
    expect(otherPage.status).toBe(missingPage.status);
    expect(otherPage.status).not.toBe(403);
    // notFound() fired on the server (the streamed page carries its 404 marker for the browser to render).
    expect(otherPage.text).toContain('NEXT_HTTP_ERROR_FALLBACK;404');
    expect(missingPage.text).toContain('NEXT_HTTP_ERROR_FALLBACK;404');
    expect(otherPage.text).not.toContain('data-testid="profile"');
    const ownPage = await get(`/customers/${customerOfA}`);
    expect(ownPage.status).toBe(200);
    expect(ownPage.text).toContain('data-testid="profile"');
    expect(ownPage.text).not.toContain('NEXT_HTTP_ERROR_FALLBACK;404');
    // No personal data of the other customer was shown, so nothing was audited for it.
    const audited = await fx.env.ctx.pool.query('SELECT 1 FROM pulse.audit_log WHERE target = $1 AND user_email = $2', [`customer:${customerOfB}`, SCOPED.email]);
    expect(audited.rowCount).toBe(0);
  });

  it('sees only that owner’s members of a segment, in the list, the watchlist and the export', async () => {
    const members = await get<{ rows: { id: number }[]; total: number }>(`/api/segments/${segmentId}/members?sort=id`);
    expect(members.status).toBe(200);
    expect(members.body.total).toBe(await customersOf(ownerA, `AND segment_id = ${segmentId}`));
    expect(await ownersOf(members.body.rows.map((r) => r.id))).toEqual([ownerA]);

    const churn = await get<{ watchlist: { id: number }[] }>('/api/churn');
    expect(churn.body.watchlist.length).toBeGreaterThan(0);
    expect(await ownersOf(churn.body.watchlist.map((w) => w.id))).toEqual([ownerA]);

    const csv = await get<undefined>(`/api/segments/${segmentId}/export?format=csv`);
    expect(csv.status).toBe(200);
    const ids = csv.text.trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[0]));
    expect(ids.length).toBe(members.body.total);
    expect(await ownersOf(ids)).toEqual([ownerA]);
    const audit = await fx.env.ctx.pool.query<{ row_count: number }>("SELECT row_count FROM pulse.audit_log WHERE action = 'export' AND user_email = $1 ORDER BY id DESC LIMIT 1", [SCOPED.email]);
    expect(audit.rows[0]!.row_count).toBe(ids.length);
  });

  it('shows the scope in the admin users list, in English and Chinese, on a desktop and a phone', async () => {
    const browser = await launchChromium();
    const screenshots = path.join(projectRoot, 'artifacts', 'screenshots');
    fs.mkdirSync(screenshots, { recursive: true });
    try {
      const [name, value] = (await fx.signInCookie('analyst')).split('=') as [string, string];
      expect(name).toBe('pulse_session');
      const admin = (await fx.signInCookie('admin')).split('=')[1]!;
      for (const locale of ['en', 'zh-CN'] as const) {
        for (const width of [1280, 375]) {
          const context = await browser.newContext({ viewport: { width, height: 800 }, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
          await context.addCookies([{ name: 'pulse_session', value: admin, url: fx.server.url }]);
          const page = await context.newPage();
          await page.goto(`${fx.server.url}/admin/users`);
          await page.waitForSelector('[data-testid=user-scope]', { timeout: 15_000 }).catch(async (error: unknown) => {
            await page.screenshot({ path: path.join(screenshots, `failed-admin-users-${locale}-${width}.png`), fullPage: true });
            throw new Error(`/admin/users (${locale}, ${width}px) shows no scope column: ${page.url()} ${(await page.locator('main').textContent().catch(() => ''))?.slice(0, 300)}`, { cause: error });
          });
          const scopes = await page.locator('[data-testid=user-scope]').allTextContents();
          expect(scopes).toContain(locale === 'en' ? `Owners ${ownerA} only` : `仅负责人 ${ownerA} 的客户`);
          expect(scopes).toContain(locale === 'en' ? 'All their role allows' : '角色允许的全部客户');
          const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
          expect(sideways, `${locale} ${width}px scrolls sideways`).toBe(false);
          await page.screenshot({ path: path.join(screenshots, `admin-users-scope-${width === 375 ? 'phone' : 'desktop'}-${locale}.png`), fullPage: true });
          await context.close();
        }
      }
      // An analyst may not see the list at all.
      expect((await get('/admin/users', `pulse_session=${value}`)).status).toBe(403);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('leaves other users alone, and lifting the scope gives the full view back', async () => {
    const unscoped = await fx.signInCookie('manager');
    expect((await get(`/api/customers/${customerOfB}`, unscoped)).status).toBe(200);
    await setUserScope(fx.env.ctx.pool, SCOPED.email, null, { email: 'test', userId: null, role: '' });
    expect((await get(`/api/customers/${customerOfB}`)).status).toBe(200);
    const all = await get<{ total: number }>('/api/customers?sort=id');
    expect(all.body.total).toBe((await get<{ total: number }>('/api/customers?sort=id', unscoped)).body.total);
    // Limiting a signed-in user takes effect on their next request too, without a new sign-in (the
    // scope is read with the session on every request, never kept with it).
    await setUserScope(fx.env.ctx.pool, SCOPED.email, [ownerA], { email: 'test', userId: null, role: '' });
    expect((await get(`/api/customers/${customerOfB}`)).status).toBe(404);
    expect((await get(`/api/customers/${customerOfA}`)).status).toBe(200);
  });
});
