// Hostile input against the real dashboard (issue #6). Every API route is found on the file system
// (dashboard/app/api/**/route.ts and the methods it exports), so routes added later are covered too,
// and each gets a corpus of bad input: SQL injection, markup, path traversal, overlong values, wrong
// types, malformed JSON, a 20 MB body and invalid UTF-8. Each must get a 4xx with a JSON error that
// says what is wrong (or a 2xx where the input is just a search that finds nothing), never a 5xx;
// nothing may be stored; and the server must keep answering. A failure names route, method and input.
//
// Then cross-site scripting: a customer whose name, interaction subjects and ticket subjects are
// markup is shown as text on the pages (checked in Chromium: no dialog, the literal text visible).
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../lib/auth-roles.ts';
import { projectRoot } from '../lib/paths.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { withPublishedSnapshot } from '../warehouse/index.ts';
import { startSeededDashboard, type DashboardFixture } from './helpers/dashboard-fixture.ts';

const MARK = 'pulse-hostile-7f3a';
const MARKUP_NAME = `<img src=x onerror="alert('${MARK}')">`;
const SCRIPT_SUBJECT = `<script>alert('${MARK}')</script> refund?`;
const TICKET_SUBJECT = `</td><b onmouseover=alert(1)>${MARK}</b>`;
const FORMULA_NAMES = ['=1+2', '+SUM(A1:A9)', '-2+3', '@cmd', '\t=tab', '\r=cr'];
const screenshotDir = path.join(projectRoot, 'artifacts', 'screenshots');

let fx: DashboardFixture;
let browser: Browser;
let adminCookie: string;
let markupCustomerId: number;
let segmentId: number;
let formulaSegmentId: number;

beforeAll(async () => {
  fx = await startSeededDashboard('hostile', { customers: 600, seed: 21 });
  // The customer at the top of the watchlist (so it is on the Churn page) gets markup for a name,
  // for its interaction subjects and its ticket subjects; six others get formula-looking names.
  const ids = await withPublishedSnapshot(fx.env.dataDir, async (db) => {
    const top = await db.one<{ id: number }>('SELECT customer_id AS id FROM marts.customer_360 WHERE churn_risk IS NOT NULL AND expected_value_12m > 0 ORDER BY churn_risk / 100 * expected_value_12m DESC, customer_id LIMIT 1');
    const seg = await db.one<{ id: number }>('SELECT segment_id AS id FROM marts.customer_360 WHERE customer_id = ?', [top.id]);
    return { top: Number(top.id), segment: Number(seg.id) };
  });
  markupCustomerId = ids.top;
  segmentId = ids.segment;
  const pool = fx.env.ctx.pool;
  await pool.query('UPDATE pulse_app.customers SET name = $2 WHERE id = $1', [markupCustomerId, MARKUP_NAME]);
  // A recent interaction, so it is among the timeline's latest events, and every older one too.
  await pool.query('UPDATE pulse_app.interactions SET subject = $2 WHERE customer_id = $1', [markupCustomerId, SCRIPT_SUBJECT]);
  await pool.query(
    "INSERT INTO pulse_app.interactions (id, customer_id, channel, direction, subject, occurred_at) VALUES ((SELECT max(id) + 1 FROM pulse_app.interactions), $1, 'email', 'inbound', $2, '2026-09-30T10:00:00Z')",
    [markupCustomerId, SCRIPT_SUBJECT],
  );
  const tickets = await pool.query('UPDATE pulse_app.tickets SET subject = $2 WHERE customer_id = $1', [markupCustomerId, TICKET_SUBJECT]);
  if (!tickets.rowCount) {
    await pool.query(
      "INSERT INTO pulse_app.tickets (id, customer_id, subject, status, priority, opened_at) VALUES ((SELECT max(id) + 1 FROM pulse_app.tickets), $1, $2, 'open', 'high', now() - interval '400 days')",
      [markupCustomerId, TICKET_SUBJECT],
    );
  }
  const members = await pool.query<{ id: string }>('SELECT id FROM pulse_app.customers WHERE id <> $1 ORDER BY id LIMIT 6', [markupCustomerId]);
  for (const [i, row] of members.rows.entries()) await pool.query('UPDATE pulse_app.customers SET name = $2 WHERE id = $1', [row.id, FORMULA_NAMES[i]]);
  formulaSegmentId = await withPublishedSnapshot(fx.env.dataDir, async (db) => Number((await db.one<{ id: number }>('SELECT segment_id AS id FROM marts.customer_360 WHERE customer_id = ?', [Number(members.rows[0]!.id)])).id));
  await runPipelineNow(fx.env.ctx, { mode: 'incremental', trigger: 'hostile' });
  // The new interaction moves risk scores: whoever heads the watchlist now gets the markup name too
  // (names are read live from PostgreSQL, not from the snapshot).
  const top = await withPublishedSnapshot(fx.env.dataDir, (db) => db.one<{ id: number }>('SELECT customer_id AS id FROM marts.customer_360 WHERE churn_risk IS NOT NULL AND expected_value_12m > 0 ORDER BY churn_risk / 100 * expected_value_12m DESC, customer_id LIMIT 1'));
  await pool.query('UPDATE pulse_app.customers SET name = $2 WHERE id = $1', [Number(top.id), MARKUP_NAME]);
  adminCookie = await fx.signInCookie('admin');
  browser = await launchChromium();
  fs.mkdirSync(screenshotDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
});

// ---------------------------------------------------------------------------------------------
// Route discovery.

interface DiscoveredRoute {
  file: string;
  /** '/api/customers/[id]' */
  pattern: string;
  methods: string[];
  dynamic: string[];
}

function discoverRoutes(): DiscoveredRoute[] {
  const root = path.join(projectRoot, 'dashboard', 'app', 'api');
  const out: DiscoveredRoute[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const source = fs.readFileSync(full, 'utf8');
        const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
        const segments = path.relative(root, dir).split(path.sep).filter(Boolean);
        out.push({ file: path.relative(projectRoot, full), pattern: `/api/${segments.join('/')}`, methods, dynamic: segments.filter((s) => s.startsWith('[')) });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** A real id for each dynamic segment, so only the hostile part differs from a valid request. */
function validPath(route: DiscoveredRoute): string {
  // Sessions: an id that is nobody's, so a well-formed DELETE in the corpus cannot end the test's own session.
  return route.pattern.replace(/\/([^/]+)\/\[(\w+)\]/g, (_whole, parent: string) => `/${parent}/${parent === 'segments' ? segmentId : parent === 'customers' ? markupCustomerId : parent === 'sessions' ? 999999 : 1}`);
}

/** The path with its last dynamic segment replaced by `value` (already encoded). */
function pathWithId(route: DiscoveredRoute, value: string): string {
  const valid = validPath(route);
  const lastDynamic = route.pattern.split('/').lastIndexOf(route.dynamic[route.dynamic.length - 1]!);
  const parts = valid.split('/');
  parts[lastDynamic] = value;
  return parts.join('/');
}

// ---------------------------------------------------------------------------------------------
// The corpus.

const strings: Record<string, string> = {
  'sql injection': `' OR '1'='1'; DROP TABLE pulse.users; -- ${MARK}`,
  'sql union': `1 UNION SELECT password_hash FROM pulse.users -- ${MARK}`,
  'script tag': `<script>alert('${MARK}')</script>`,
  'img onerror': `<img src=x onerror=alert('${MARK}')>`,
  'path traversal': `../../../../etc/passwd`,
  'encoded traversal': `..%2F..%2F..%2Fetc%2Fpasswd`,
  'null byte': `${MARK}\u0000.json`,
  overlong: `${MARK}${'a'.repeat(100_000)}`,
  'json in string': `{"$ne":null,"mark":"${MARK}"}`,
};

/** Raw query-string values, some of them not valid UTF-8 once decoded. */
const rawQueryValues: Record<string, string> = {
  'invalid utf-8 %C3%28': '%C3%28',
  'invalid utf-8 %FF%FE': '%FF%FE',
  'lone surrogate %ED%A0%80': '%ED%A0%80',
  'broken escape %': '%',
};

const queryParams = ['q', 'page', 'sort', 'dir', 'format', 'segment', 'band', 'region', 'tag', 'range', 'from', 'to', 'currency', 'mode', 'id', 'next', 'zz_unknown'];

const twentyMegabytes = Buffer.alloc(20 * 1024 * 1024, 0x61);

function bodies(): { label: string; body: Buffer | string; type: string }[] {
  const json = (label: string, value: unknown) => ({ label, body: JSON.stringify(value), type: 'application/json' });
  return [
    { label: 'malformed json', body: '{"mode": "incremental",', type: 'application/json' },
    { label: 'not json at all', body: `<xml>${MARK}</xml>`, type: 'application/json' },
    { label: 'empty body', body: '', type: 'application/json' },
    json('json array', [MARK]),
    json('json string', MARK),
    json('json null', null),
    json('wrong types', { mode: 42, locale: 7, email: 12, password: true, next: { $ne: 1 } }),
    json('operator object', { mode: { $ne: 'x' }, locale: { toString: MARK }, email: { $gt: '' }, password: { $gt: '' } }),
    json('sql strings', { mode: strings['sql injection'], locale: strings['sql injection'], email: strings['sql injection'], password: strings['sql injection'] }),
    json('markup strings', { mode: strings['script tag'], locale: strings['img onerror'], email: strings['script tag'], password: strings['script tag'] }),
    json('overlong strings', { mode: strings.overlong, locale: strings.overlong, email: strings.overlong, password: strings.overlong, next: strings.overlong }),
    json('unknown keys', { [MARK]: 1, __proto__: { admin: true }, constructor: { prototype: { admin: true } } }),
    { label: 'invalid utf-8 bytes', body: Buffer.from([0x7b, 0x22, 0x6d, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), type: 'application/json' },
    { label: 'form with markup', body: `locale=${encodeURIComponent(strings['script tag'])}&email=${encodeURIComponent(strings['sql injection'])}&password=x&mode=${encodeURIComponent(strings['script tag'])}`, type: 'application/x-www-form-urlencoded' },
    { label: 'form with invalid utf-8', body: 'locale=%C3%28&email=%FF%FE&password=%ED%A0%80', type: 'application/x-www-form-urlencoded' },
    { label: 'wrong content type', body: `${MARK}`, type: 'text/plain' },
    { label: '20 MB body', body: twentyMegabytes, type: 'application/json' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Sending and judging.

interface Outcome {
  label: string;
  status: number;
  problem: string | null;
}

/** Cookies per route: sign-out must not end the session the other requests use. */
async function cookieFor(route: DiscoveredRoute): Promise<string> {
  return route.pattern.includes('sign-out') ? fx.signInCookie('analyst') : adminCookie;
}

async function send(method: string, url: string, init: { cookie: string; body?: Buffer | string; type?: string }): Promise<{ status: number; text: string; location: string | null }> {
  const response = await fetch(`${fx.server.url}${url}`, {
    method,
    redirect: 'manual',
    headers: { cookie: init.cookie, ...(init.type ? { 'content-type': init.type } : {}), origin: fx.server.url },
    body: typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body),
  });
  return { status: response.status, text: await response.text(), location: response.headers.get('location') };
}

/** What is wrong with an answer, or null when it is the clear 4xx (or harmless 2xx) the case allows. */
function judge(answer: { status: number; text: string; location: string | null }, allow2xx: boolean): string | null {
  if (answer.status >= 500) return `server error ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (answer.status >= 200 && answer.status < 300) return allow2xx ? null : `accepted (${answer.status}) instead of a 4xx: ${answer.text.slice(0, 200)}`;
  // A browser form that fails goes back to its page with the problem named (?error=…): the form's 4xx.
  if (answer.status === 303) return allow2xx || /^\/[^/].*[?&]error=\w+/.test(answer.location ?? '') ? null : `redirected to ${answer.location} instead of a 4xx`;
  if (answer.status < 400 || answer.status >= 500) return `unexpected status ${answer.status}`;
  // Node's HTTP parser refuses an overlong request line before any route runs: a bare 431/414 is clear enough.
  if (answer.status === 431 || answer.status === 414) return null;
  let parsed: { error?: { code?: unknown; message?: unknown } };
  try {
    parsed = JSON.parse(answer.text) as typeof parsed;
  } catch {
    return `${answer.status} without a JSON error: ${answer.text.slice(0, 120)}`;
  }
  if (typeof parsed.error?.message !== 'string' || parsed.error.message.length < 5 || typeof parsed.error.code !== 'string') return `${answer.status} JSON error without code and message: ${answer.text.slice(0, 200)}`;
  return null;
}

async function pulseRowCounts(): Promise<Record<string, number>> {
  const pool = fx.env.ctx.pool;
  const { rows } = await pool.query<{ t: string }>("SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname IN ('pulse', 'pulse_app') ORDER BY 1");
  const counts: Record<string, number> = {};
  // Sessions come and go with sign-ins, reading personal data legitimately adds audit entries, and a
  // well-formed sign-in with wrong credentials is a failed attempt the throttle must count.
  const recordedByDesign = new Set(['pulse.sessions', 'pulse.audit_log', 'pulse.auth_attempts', 'pulse.unknown_account_failures']);
  for (const { t } of rows) if (!recordedByDesign.has(t)) counts[t] = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
  return counts;
}

async function rowsContainingMark(): Promise<string[]> {
  const pool = fx.env.ctx.pool;
  const { rows } = await pool.query<{ t: string }>("SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname IN ('pulse', 'pulse_app') AND tablename NOT IN ('audit_log', 'sessions') ORDER BY 1");
  const found: string[] = [];
  for (const { t } of rows) {
    const n = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${t} x WHERE x::text LIKE $1`, [`%${MARK}%`])).rows[0]!.n);
    // The seeded markup customer, its interactions and tickets carry the mark on purpose.
    if (n > 0 && !['pulse_app.customers', 'pulse_app.interactions', 'pulse_app.tickets'].includes(t)) found.push(`${t}: ${n}`);
  }
  return found;
}

describe('every API route under hostile input', () => {
  it('finds the routes on the file system', () => {
    const routes = discoverRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(['/api/customers/[id]', '/api/segments/[id]/export', '/api/auth/sign-in', '/api/pipeline/retry']));
    for (const r of routes) expect(r.methods.length, `${r.file} exports no method`).toBeGreaterThan(0);
  });

  it('answers each bad input with a clear 4xx (or an empty search), never a 5xx, stores nothing and keeps serving', async () => {
    const routes = discoverRoutes();
    const countsBefore = await pulseRowCounts();
    const failures: string[] = [];
    const record = (route: DiscoveredRoute, method: string, outcome: Outcome) => {
      if (outcome.problem) failures.push(`${method} ${route.pattern} [${outcome.label}] → ${outcome.problem}`);
    };
    let sent = 0;
    for (const route of routes) {
      const cookie = await cookieFor(route);
      for (const method of route.methods) {
        // Hostile ids in the path: a clear 4xx (400 bad id or 404), never a 2xx.
        if (route.dynamic.length > 0) {
          const ids: Record<string, string> = {
            ...Object.fromEntries(Object.entries(strings).map(([label, value]) => [label, encodeURIComponent(value)])),
            'negative id': '-1',
            'huge id': '99999999999999999999999',
            'float id': '1.5',
            'hex id': '0x10',
            ...rawQueryValues,
          };
          for (const [label, value] of Object.entries(ids)) {
            const answer = await send(method, pathWithId(route, value), { cookie });
            sent++;
            record(route, method, { label: `id ${label}`, status: answer.status, problem: judge(answer, false) });
          }
        }
        if (method === 'GET') {
          // Hostile query parameters: refused, or a harmless answer (an empty search, an ignored unknown parameter).
          for (const [label, value] of [...Object.entries(strings).map(([l, v]) => [l, encodeURIComponent(v)] as const), ...Object.entries(rawQueryValues)]) {
            for (const name of queryParams) {
              const answer = await send('GET', `${validPath(route)}?${name}=${value}`, { cookie });
              sent++;
              record(route, method, { label: `?${name}= ${label}`, status: answer.status, problem: judge(answer, true) });
              // A 2xx must not come back with the markup as markup in a page (JSON answers are data).
              if (answer.status < 300 && /<script>alert|<img src=x onerror/.test(answer.text) && !answer.text.trimStart().startsWith('{')) {
                failures.push(`GET ${route.pattern} [?${name}= ${label}] → markup echoed outside JSON`);
              }
            }
          }
          const repeated = await send('GET', `${validPath(route)}?page=1&page=2&sort=id&sort=risk`, { cookie });
          sent++;
          record(route, method, { label: 'repeated parameters', status: repeated.status, problem: judge(repeated, true) });
        } else {
          // Hostile bodies: a clear 4xx. Sign-out ignores its body by design and answers 2xx/303 unless the body is too large.
          for (const b of bodies()) {
            const answer = await send(method, validPath(route), { cookie: route.pattern.includes('sign-out') ? await fx.signInCookie('analyst') : cookie, body: b.body, type: b.type });
            sent++;
            // A DELETE with an empty body is simply a well-formed DELETE.
            const bodyIgnored = (route.pattern.includes('sign-out') && b.label !== '20 MB body') || (method === 'DELETE' && b.label === 'empty body');
            record(route, method, { label: `body ${b.label}`, status: answer.status, problem: judge(answer, bodyIgnored) });
            if (b.label === '20 MB body' && answer.status !== 413) failures.push(`${method} ${route.pattern} [20 MB body] → ${answer.status}, expected 413`);
          }
        }
      }
      // After each route the server still answers.
      const me = await send('GET', '/api/me', { cookie: adminCookie });
      if (me.status !== 200) failures.push(`after ${route.pattern}: /api/me → ${me.status}`);
    }
    expect(failures, `${failures.length} of ${sent} hostile requests were not answered cleanly:\n${failures.slice(0, 60).join('\n')}`).toEqual([]);
    expect(await pulseRowCounts()).toEqual(countsBefore);
    expect(await rowsContainingMark()).toEqual([]);
    expect(sent).toBeGreaterThan(500);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------
// Cross-site scripting on the pages.

async function newPage(role: Role, options: { width: number; locale: string }): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width, height: 900 }, locale: options.locale });
  const cookie = (await fx.signInCookie(role)).split('=');
  await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: fx.server.url }]);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return { page, dialogs };
}

describe('customer text with markup in the browser', () => {
  it('shows the name, interaction and ticket subjects as text on the customer page, the list and the watchlist; nothing runs', async () => {
    const { page, dialogs } = await newPage('manager', { width: 1280, locale: 'en-US' });
    await page.goto(`${fx.server.url}/customers/${markupCustomerId}`);
    await page.waitForSelector('[data-testid=timeline-event]');
    await expect(page.locator('h1').first().textContent()).resolves.toBe(MARKUP_NAME);
    const timeline = (await page.locator('[data-testid=timeline]').textContent()) ?? '';
    expect(timeline).toContain(SCRIPT_SUBJECT);
    expect(timeline).toContain(TICKET_SUBJECT);
    // No element was made from the markup.
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.locator('b[onmouseover]').count()).toBe(0);
    await page.screenshot({ path: path.join(screenshotDir, 'xss-customer-desktop-en.png'), fullPage: true });

    await page.goto(`${fx.server.url}/churn`);
    await page.waitForSelector('[data-testid=watch-row]');
    expect(await page.locator('[data-testid=watch-row]').first().textContent()).toContain(MARKUP_NAME);

    await page.goto(`${fx.server.url}/customers?q=${encodeURIComponent('img src')}`);
    await page.waitForSelector('[data-testid=customer-row]');
    expect(await page.locator('[data-testid=customer-name]').allTextContents()).toContain(MARKUP_NAME);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('keeps formula-looking names as text in the segment export, CSV and XLSX', async () => {
    const names = (await fx.env.ctx.pool.query<{ id: string; name: string }>('SELECT id, name FROM pulse_app.customers WHERE name = ANY($1::text[])', [FORMULA_NAMES])).rows;
    const inSegment = await withPublishedSnapshot(fx.env.dataDir, async (db) =>
      (await db.all<{ id: number }>(`SELECT customer_id AS id FROM marts.customer_360 WHERE segment_id = ? AND customer_id IN (${names.map((n) => Number(n.id)).join(',')})`, [formulaSegmentId])).map((r) => Number(r.id)),
    );
    expect(inSegment.length).toBeGreaterThan(0);
    const cookie = await fx.signInCookie('manager');
    const csv = await (await fetch(`${fx.server.url}/api/segments/${formulaSegmentId}/export?format=csv`, { headers: { cookie } })).text();
    for (const id of inSegment) {
      const name = names.find((n) => Number(n.id) === id)!.name;
      const line = csv.split('\r\n').find((l) => l.startsWith(`${id},`))!;
      // The name's cell starts with ' so a spreadsheet shows it as text (quoted when it holds a tab or CR).
      expect(line, `customer ${id} ${JSON.stringify(name)}`).toMatch(/^\d+,"?'[=+\-@\t\r]/);
    }
    const xlsx = await fetch(`${fx.server.url}/api/segments/${formulaSegmentId}/export?format=xlsx`, { headers: { cookie } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    let checked = 0;
    workbook.worksheets[0]!.eachRow((row) => {
      const id = Number(row.getCell(1).value);
      if (!inSegment.includes(id)) return;
      expect(row.getCell(2).type, `customer ${id}`).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(2).formula, `customer ${id}`).toBeUndefined();
      checked++;
    });
    expect(checked).toBe(inSegment.length);
  });
});
