// End-to-end: the segment builder, saved segments, compare and exports on the real Next.js server
// (startDashboard), a seeded database and a published snapshot, driven in headless Chromium and over
// HTTP. Screenshots of every page at 1280 and 375 px in English and Chinese go to artifacts/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../ingest/index.ts';
import { runPipelineNow } from '../../jobs/index.ts';
import { ensureDemoUsers, type DemoUser } from '../../lib/auth.ts';
import { setMfaRequired } from '../../lib/mfa.ts';
import type { Role } from '../../lib/auth-roles.ts';
import { projectRoot } from '../../lib/paths.ts';
import { compileSegmentRules, countSegment, listMemberIds, todayIn, withPublishedSnapshot, type RuleGroup } from '../../warehouse/index.ts';
import { startDashboard, type RunningDashboard } from '../../dashboard/server.ts';
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
/** The segment the marketer saves in the browser (shared), and a second one for comparing. */
let savedId: number;
let savedCount: number;
let savedTree: RuleGroup;

beforeAll(async () => {
  database = await createMigratedDatabase('builder_e2e', { demoSource: true });
  await seedDemoData(database.url, { customers: 2000, seed: 9, asOf: new Date() });
  // A customer whose city looks like a formula, and one with a quote in the region: both must stay data.
  const source = new pg.Client({ connectionString: database.url });
  await source.connect();
  await source.query(`UPDATE pulse_app.customers SET city = '=cmd|'' /C calc''!A0', name = '=HYPERLINK("http://evil.example","x")', deleted_at = NULL WHERE id = 5;
                      UPDATE pulse_app.customers SET region = 'O''Brien; DROP TABLE x', deleted_at = NULL WHERE id IN (6, 7)`);
  await source.end();
  env = createPulseEnv(database.url, { PULSE_REPORTING_CURRENCY: 'CNY' });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'e2e' });
  users = Object.fromEntries((await ensureDemoUsers(env.ctx.pool, env.dataDir)).map((u) => [u.role, u])) as Record<Role, DemoUser>;
  // Roles sign in with a password here; two-step sign-in (required for admins by default) is tested
  // in accounts.e2e.test.ts.
  await setMfaRequired(env.ctx.pool, 'admin', false, { userId: null, email: 'test', role: '' });
  server = await startDashboard({ port: await freePort(), host: '127.0.0.1', env: { ...env.env, LOG_LEVEL: 'warn' }, output: (chunk) => serverOutput.push(chunk) });
  browser = await launchChromium();
  fs.mkdirSync(screenshotDir, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await env?.close();
  await database?.drop();
  if (serverOutput.some((line) => /Error|failed/.test(line))) console.log(`dashboard server output:\n${serverOutput.join('').slice(-4000)}`);
});

async function signInCookie(role: Role): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    // A state-changing request names this site as its Origin (the proxy's CSRF check).
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: users[role].email, password: users[role].password }),
  });
  expect(response.status, `sign-in as ${role}`).toBe(200);
  return response.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!.split(';')[0]!;
}

async function newPage(options: { width: number; height: number; locale?: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale ?? 'en-US', deviceScaleFactor: 1, acceptDownloads: true });
  return context.newPage();
}

async function signInBrowser(page: Page, role: Role): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.fill('input[name=email]', users[role].email);
  await page.fill('input[name=password]', users[role].password);
  await Promise.all([page.waitForURL(/\/overview/), page.click('[data-testid=sign-in-submit]')]);
}

async function api(method: string, route: string, cookie: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${route}`, { method, headers: { cookie, 'content-type': 'application/json', origin: server.url }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: response.status, json };
}

/** The count the live counter shows, once it has settled on a number different from `previous`. */
async function settledCount(page: Page, previous: number | null): Promise<number> {
  let value = Number.NaN;
  await expect
    .poll(
      async () => {
        const busy = await page.locator('[data-testid=live-count]').getByText(/Counting|计算中/).count();
        const text = (await page.locator('[data-testid=live-count-value]').textContent()) ?? '';
        value = Number(text.replace(/[^\d]/g, ''));
        return busy === 0 && text.trim() !== '–' && Number.isFinite(value) && value !== previous;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return value;
}

async function directCount(tree: RuleGroup): Promise<number> {
  return withPublishedSnapshot(env.dataDir, async (db) => {
    const compiled = compileSegmentRules(tree, { today: todayIn('UTC') });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    return (await countSegment(db, compiled.condition)).customers;
  });
}

async function hasNoHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth);
}

describe('segment builder in the browser', () => {
  it('lets a marketer build a segment with three rules, watch the count change, save it and export a CSV whose rows equal the count', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await signInBrowser(page, 'marketer');
    await page.goto(`${server.url}/saved-segments/new`);
    // The first rule is there already: last purchase in the last 90 days.
    const first = await settledCount(page, null);
    expect(first).toBe(
      await directCount({ type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'last_order_at', operator: 'in_last', value: '90' }] }),
    );

    // Second rule: orders at least 3. A wrong value gets its message next to the rule, not an error page.
    await page.click('[data-testid=add-rule]');
    const second = page.locator('[data-testid=rule]').nth(1);
    await second.locator('[data-testid=rule-field]').selectOption('orders');
    await second.locator('[data-testid=rule-value]').fill('2.5');
    await expect.poll(() => second.locator('[data-testid=rule-error]').textContent(), { timeout: 20_000 }).toContain('whole number');
    await second.locator('[data-testid=rule-value]').fill('3');
    const afterSecond = await settledCount(page, first);
    expect(afterSecond).toBeLessThan(first);
    expect(await second.locator('[data-testid=rule-error]').count()).toBe(0);

    // Third rule: region is the most common one.
    await page.click('[data-testid=add-rule]');
    const third = page.locator('[data-testid=rule]').nth(2);
    await third.locator('[data-testid=rule-field]').selectOption('region');
    const region = (await third.locator('[data-testid=rule-value-picker] option').nth(1).getAttribute('value'))!;
    await third.locator('[data-testid=rule-value-picker]').selectOption(region);
    const afterThird = await settledCount(page, afterSecond);
    expect(afterThird).toBeLessThan(afterSecond);
    expect(afterThird).toBeGreaterThan(0);
    const tree: RuleGroup = {
      type: 'group',
      combinator: 'and',
      rules: [
        { type: 'rule', field: 'last_order_at', operator: 'in_last', value: '90' },
        { type: 'rule', field: 'orders', operator: 'gte', value: '3' },
        { type: 'rule', field: 'region', operator: 'in', value: [region] },
      ],
    };
    expect(afterThird).toBe(await directCount(tree));
    await page.screenshot({ path: path.join(screenshotDir, 'builder-desktop-en.png'), fullPage: true });

    await page.fill('[data-testid=segment-name-input]', 'Recent regulars');
    await page.check('[data-testid=shared-input]');
    await Promise.all([page.waitForURL(/\/saved-segments\/\d+$/), page.click('[data-testid=save-segment]')]);
    savedId = Number(/\/saved-segments\/(\d+)$/.exec(page.url())![1]);
    savedCount = afterThird;
    savedTree = tree;
    await expect.poll(() => page.locator('[data-testid=saved-segment-count]').textContent()).toContain(afterThird.toLocaleString('en'));
    expect(await page.locator('[data-testid=rule-summary] li').count()).toBe(3);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-download]')]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^segment-${savedId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    // The default columns, in the export's column order.
    expect(lines[0]).toBe('Customer ID,Name,E-mail,Phone,Region,City,Cluster segment,Churn risk (0–100),"Expected value, 12 months",Orders,Spend,Last purchase');
    expect(lines.length - 1).toBe(afterThird);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(afterThird);
    const audit = await env.ctx.pool.query<{ row_count: number; role: string; details: { format: string; unmasked: boolean } }>(
      "SELECT row_count, role, details FROM pulse.audit_log WHERE action = 'export' AND target = $1 ORDER BY id DESC LIMIT 1",
      [`saved_segment:${savedId}`],
    );
    expect(audit.rows[0]).toMatchObject({ row_count: afterThird, role: 'marketer', details: { format: 'csv', unmasked: false } });
    await page.context().close();
  });

  it('gives a role without export permission no export button and a 403 from the API', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await signInBrowser(page, 'executive');
    await page.goto(`${server.url}/saved-segments/${savedId}`);
    await expect.poll(() => page.locator('[data-testid=saved-segment-count]').textContent()).toContain(savedCount.toLocaleString('en'));
    expect(await page.locator('[data-testid=export-panel]').count()).toBe(0);
    expect(await page.locator('[data-testid=edit-segment]').count()).toBe(0);
    await page.context().close();
    const cookie = await signInCookie('executive');
    for (const format of ['csv', 'xlsx', 'arrow']) expect((await api('GET', `/api/saved-segments/${savedId}/export?format=${format}`, cookie)).status).toBe(403);
    // Building is not theirs either: the page is a 403 and so is the count.
    expect((await fetch(`${server.url}/saved-segments/new`, { headers: { cookie }, redirect: 'manual' })).status).toBe(403);
    expect((await api('POST', '/api/segment-builder/count', cookie, { rules: { type: 'group', combinator: 'and', rules: [] } })).status).toBe(403);
    expect((await api('GET', `/api/saved-segments/${savedId}`, cookie)).status).toBe(200);
  });
});

describe('saved segment API', () => {
  it('answers bad rules with a 400 naming each rule, never a 500, and keeps hostile values as data', async () => {
    const cookie = await signInCookie('marketer');
    const bad = await api('POST', '/api/segment-builder/count', cookie, {
      rules: {
        type: 'group',
        combinator: 'and',
        rules: [
          { type: 'rule', field: 'region', operator: 'in', value: ["'; DROP TABLE marts.customer_360; --"] },
          { type: 'group', combinator: 'or', rules: [{ type: 'rule', field: 'password', operator: 'eq', value: 1 }] },
          { type: 'rule', field: 'spend', operator: 'between', value: [500, 100] },
        ],
      },
    });
    expect(bad.status).toBe(400);
    const error = bad.json.error as { code: string; rules: { path: string; code: string; message: string }[] };
    expect(error.code).toBe('invalid_rules');
    expect(error.rules.map((r) => [r.path, r.code])).toEqual([
      ['1.0', 'unknown_field'],
      ['2', 'bad_range'],
    ]);
    // The same in Chinese for a user who chose it.
    const zh = await fetch(`${server.url}/api/segment-builder/count`, {
      method: 'POST',
      headers: { cookie: `${cookie}; pulse_locale=zh-CN`, 'content-type': 'application/json', 'accept-language': 'zh-CN', origin: server.url },
      body: JSON.stringify({ rules: { type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'spend', operator: 'between', value: [500, 100] }] } }),
    });
    expect(((await zh.json()) as { error: { rules: { message: string }[] } }).error.rules[0]!.message).toBe('第一个值不能大于第二个值。');

    const hostile = await api('POST', '/api/segment-builder/count', cookie, { rules: { type: 'group', combinator: 'or', rules: [{ type: 'rule', field: 'region', operator: 'in', value: ["O'Brien; DROP TABLE x"] }] } });
    expect(hostile.status).toBe(200);
    expect(hostile.json.customers).toBe(2);
    for (const body of ['not json', '{"rules": "DROP TABLE x"}', '{"rules": {"type":"group","combinator":"and","rules":[]}, "sql": "1"}', '{}']) {
      const response = await api('POST', '/api/segment-builder/count', cookie, body);
      expect(response.status, body).toBe(400);
    }
    const tooMany = await api('POST', '/api/saved-segments', cookie, { name: '', definition: { type: 'group', combinator: 'and', rules: [] } });
    expect(tooMany.status).toBe(400);
    expect((tooMany.json.error as { field: string }).field).toBe('name');
  });

  it('keeps a private segment to its owner, pages members by customer id, and compares two segments', async () => {
    const marketer = await signInCookie('marketer');
    const analyst = await signInCookie('analyst');
    const vip = await api('POST', '/api/saved-segments', analyst, {
      name: 'VIP tag (frozen)',
      kind: 'static',
      shared: false,
      definition: { type: 'group', combinator: 'or', rules: [{ type: 'rule', field: 'tags', operator: 'has_any', value: ['vip'] }, { type: 'rule', field: 'churn_band', operator: 'in', value: ['high'] }] },
    });
    expect(vip.status).toBe(201);
    const vipId = vip.json.id as number;
    expect((await api('GET', `/api/saved-segments/${vipId}`, marketer)).status).toBe(404);
    expect(((await api('GET', '/api/saved-segments', marketer)).json.segments as { id: number }[]).some((s) => s.id === vipId)).toBe(false);
    expect((await api('DELETE', `/api/saved-segments/${savedId}`, analyst)).status).toBe(403);
    expect((await api('GET', `/api/saved-segments/${vipId}`, await signInCookie('admin'))).status).toBe(200);

    const detail = await api('GET', `/api/saved-segments/${vipId}`, analyst);
    const size = (detail.json.count as { customers: number }).customers;
    expect(size).toBeGreaterThan(25);
    const seen: number[] = [];
    const runId = (detail.json.runId as number) ?? 0;
    for (let after = 0, pages = 0; pages < 100; pages++) {
      const page = await api('GET', `/api/saved-segments/${vipId}/members?after=${after}&limit=100&run=${runId}`, analyst);
      expect(page.status).toBe(200);
      const rows = page.json.rows as { id: number; person: { email: string | null } | null }[];
      seen.push(...rows.map((r) => r.id));
      if (page.json.nextAfter === null) break;
      after = page.json.nextAfter as number;
    }
    expect(seen.length).toBe(size);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect((await api('GET', `/api/saved-segments/${vipId}/members?after=abc`, analyst)).status).toBe(400);
    // Asking for another run's snapshot: start again rather than mix two snapshots.
    expect((await api('GET', `/api/saved-segments/${vipId}/members?run=${runId + 1}`, analyst)).status).toBe(409);

    const comparison = await api('GET', `/api/saved-segments/compare?a=${savedId}&b=${vipId}`, analyst);
    expect(comparison.status).toBe(200);
    const overlap = comparison.json.overlap as { both: number; either: number };
    const savedMembers = await withPublishedSnapshot(env.dataDir, async (db) => {
      const compiled = compileSegmentRules(savedTree, { today: todayIn('UTC') });
      if (!compiled.ok) throw new Error('does not compile');
      return new Set(Array.from(await listMemberIds(db, compiled.condition)));
    });
    const expectedBoth = seen.filter((id) => savedMembers.has(id)).length;
    expect(overlap.both).toBe(expectedBoth);
    expect(overlap.either).toBe(savedCount + size - overlap.both);
    expect((await api('GET', `/api/saved-segments/compare?a=${savedId}`, analyst)).status).toBe(400);
  });

  it('exports XLSX and Arrow with the chosen columns and the counted rows; formula-looking text stays text', async () => {
    const manager = await signInCookie('manager');
    const all = await api('POST', '/api/saved-segments', manager, { name: 'Everyone', shared: true, definition: { type: 'group', combinator: 'and', rules: [] } });
    const everyoneId = all.json.id as number;
    const columns = 'customer_id,name,email,city,spend,last_order_at,tags';
    const xlsx = await fetch(`${server.url}/api/saved-segments/${everyoneId}/export?format=xlsx&columns=${columns}`, { headers: { cookie: manager } });
    expect(xlsx.status).toBe(200);
    const rowCount = Number(xlsx.headers.get('x-pulse-row-count'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Customer ID', 'Name', 'E-mail', 'City', 'Tags', 'Spend', 'Last purchase']);
    expect(sheet.rowCount - 1).toBe(rowCount);
    let formula: ExcelJS.Cell | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 5) formula = row.getCell(4);
    });
    expect(formula?.type).toBe(ExcelJS.ValueType.String);
    expect(formula?.value).toBe("=cmd|' /C calc'!A0");

    const arrow = await fetch(`${server.url}/api/saved-segments/${everyoneId}/export?format=arrow&columns=${columns}`, { headers: { cookie: manager } });
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(rowCount);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['Customer ID:Int64', 'Name:Utf8', 'E-mail:Utf8', 'City:Utf8', 'Tags:Utf8', 'Spend:Float64', 'Last purchase:Timestamp<MILLISECOND>']);
    // A manager sees e-mails unmasked.
    expect(String(table.getChild('E-mail')!.toArray().find((e: string | null) => e !== null))).toMatch(/^[^•]+@/);

    const csv = await (await fetch(`${server.url}/api/saved-segments/${everyoneId}/export?format=csv&columns=customer_id,city`, { headers: { cookie: manager } })).text();
    expect(csv).toContain(`\r\n5,'=cmd|' /C calc'!A0\r\n`);
    expect((await api('GET', `/api/saved-segments/${everyoneId}/export?format=pdf`, manager)).status).toBe(400);
    expect((await api('GET', `/api/saved-segments/${everyoneId}/export?columns=customer_id,password_hash`, manager)).status).toBe(400);
    const audits = await env.ctx.pool.query<{ row_count: number }>("SELECT row_count FROM pulse.audit_log WHERE action = 'export' AND target = $1", [`saved_segment:${everyoneId}`]);
    expect(audits.rows.map((r) => r.row_count)).toEqual([rowCount, rowCount, rowCount]);
  });
});

describe('segment pages on a phone and a desktop, in English and Chinese', () => {
  it('renders the list, builder, segment and compare pages without sideways scrolling', async () => {
    // A second pipeline run records every saved segment's size again: the trend and the chart have two points.
    await runPipelineNow(env.ctx, { mode: 'incremental', trigger: 'e2e' });
    const second = (await api('GET', '/api/saved-segments', await signInCookie('manager'))).json.segments as { id: number; name: string; recentSizes: { customers: number | null }[] }[];
    expect(second.find((s) => s.id === savedId)!.recentSizes.map((s) => s.customers)).toEqual([savedCount, savedCount]);
    const other = second.find((s) => s.id !== savedId)!;
    const pages = [
      { name: 'saved-segments', path: '/saved-segments', ready: '[data-testid=saved-segment-row] .recharts-area' },
      { name: 'builder', path: `/saved-segments/${savedId}/edit`, ready: '[data-testid=live-count-value]' },
      { name: 'saved-segment', path: `/saved-segments/${savedId}`, ready: '.recharts-bar-rectangle' },
      { name: 'compare', path: `/saved-segments/compare?a=${savedId}&b=${other.id}`, ready: '[data-testid=overlap-both]' },
    ];
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [
        { kind: 'desktop', width: 1280, height: 900 },
        { kind: 'phone', width: 375, height: 812 },
      ]) {
        const page = await newPage({ width: viewport.width, height: viewport.height, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        await signInBrowser(page, 'marketer');
        for (const p of pages) {
          await page.goto(`${server.url}${p.path}`);
          await page.waitForSelector(p.ready, { timeout: 30_000 });
          if (p.name === 'builder') await settledCount(page, null);
          expect(await page.locator('html').getAttribute('lang')).toBe(locale);
          await page.screenshot({ path: path.join(screenshotDir, `${p.name}-${viewport.kind}-${locale}.png`), fullPage: true });
          expect(await hasNoHorizontalScroll(page), `${p.name} ${viewport.kind} ${locale}`).toBe(true);
        }
        await page.context().close();
      }
    }
  });
});
