// The public segment API v1 end to end: tokens created over the dashboard's own routes, the real
// Next.js server (startDashboard) on a seeded database with a published snapshot, and real pipeline
// runs publishing new snapshots between pages. The token page is driven in headless Chromium and
// photographed at 1280 and 375 px in English and Chinese (artifacts/screenshots).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { ensureDemoUsers, type DemoUser } from '../lib/auth.ts';
import { setMfaRequired } from '../lib/mfa.ts';
import { can, roles, type Role } from '../lib/auth-roles.ts';
import { projectRoot } from '../lib/paths.ts';
import { SlidingWindowLimiter } from '../lib/rate-limit.ts';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { freePort } from '../lib/free-port.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

const screenshotDir = path.join(projectRoot, 'artifacts', 'screenshots');
/** Low enough that the rate-limit test reaches it quickly; each test uses its own tokens. */
const RATE_LIMIT = 40;

let database: TestDatabase;
let env: PulseTestEnv;
let server: RunningDashboard;
let browser: Browser | undefined;
let users: Record<Role, DemoUser>;
const cookies = new Map<Role, string>();
const serverOutput: string[] = [];
/** A shared saved segment of every customer (the marketer's) and a private one of the manager's. */
let everyoneId: number;
let privateId: number;

beforeAll(async () => {
  database = await createMigratedDatabase('api_v1', { demoSource: true });
  await seedDemoData(database.url, { customers: 1500, seed: 11, asOf: new Date() });
  env = createPulseEnv(database.url, { PULSE_REPORTING_CURRENCY: 'CNY', PULSE_API_RATE_LIMIT: String(RATE_LIMIT) });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
  users = Object.fromEntries((await ensureDemoUsers(env.ctx.pool, env.dataDir)).map((u) => [u.role, u])) as Record<Role, DemoUser>;
  // Roles sign in with a password here; two-step sign-in (required for admins by default) is tested
  // in accounts.e2e.test.ts.
  await setMfaRequired(env.ctx.pool, 'admin', false, { userId: null, email: 'test', role: '' });
  server = await startDashboard({ port: await freePort(), host: '127.0.0.1', env: { ...env.env, LOG_LEVEL: 'warn' }, output: (chunk) => serverOutput.push(chunk) });
  const everyone = await session('POST', '/api/saved-segments', 'marketer', { name: 'Everyone', shared: true, definition: { type: 'group', combinator: 'and', rules: [] } });
  expect(everyone.status).toBe(201);
  everyoneId = everyone.json.id as number;
  const mine = await session('POST', '/api/saved-segments', 'manager', { name: 'Manager only', shared: false, definition: { type: 'group', combinator: 'and', rules: [] } });
  expect(mine.status).toBe(201);
  privateId = mine.json.id as number;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await env?.close();
  await database?.drop();
  if (serverOutput.some((line) => /Error|failed/.test(line))) console.log(`dashboard server output:\n${serverOutput.join('').slice(-4000)}`);
});


async function signInCookie(role: Role): Promise<string> {
  const known = cookies.get(role);
  if (known) return known;
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    // A state-changing request names this site as its Origin (the proxy's CSRF check).
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: users[role].email, password: users[role].password }),
  });
  expect(response.status, `sign-in as ${role}`).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!.split(';')[0]!;
  cookies.set(role, cookie);
  return cookie;
}

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

async function toAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}

/** A dashboard route as a signed-in user (cookie). */
async function session(method: string, route: string, role: Role, body?: unknown): Promise<Answer> {
  const cookie = await signInCookie(role);
  return toAnswer(await fetch(`${server.url}${route}`, { method, headers: { cookie, 'content-type': 'application/json', origin: server.url }, body: body === undefined ? undefined : JSON.stringify(body) }));
}

/** An API v1 route with a bearer token. */
async function v1(route: string, token: string | null, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  return toAnswer(await fetch(`${server.url}${route}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extraHeaders } }));
}

async function createToken(role: Role, body: Record<string, unknown> = {}): Promise<{ token: string; id: number }> {
  const created = await session('POST', '/api/api-tokens', role, { name: `${role} test`, scopes: ['segments:read', 'members:read'], ...body });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return { token: created.json.token as string, id: (created.json.apiToken as { id: number }).id };
}

interface Member {
  id: number;
  email: string | null;
  phone: string | null;
}

/** Walks every page of a segment's members; the run of each page and the pages' ids in order. */
async function walk(token: string, segment: string, limit: number, between?: (page: number) => Promise<void>): Promise<{ ids: number[]; runs: Set<number>; pages: number; gone: Answer | null }> {
  const ids: number[] = [];
  const runs = new Set<number>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const answer = await v1(`/api/v1/segments/${segment}/members?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
    if (answer.status === 410) return { ids, runs, pages, gone: answer };
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    pages++;
    for (const m of answer.json.members as Member[]) ids.push(m.id);
    runs.add(answer.json.runId as number);
    cursor = answer.json.nextCursor as string | null;
    if (between) await between(pages);
  } while (cursor);
  return { ids, runs, pages, gone: null };
}

async function segmentSize(token: string, segment: string): Promise<number> {
  const answer = await v1(`/api/v1/segments/${segment}`, token);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return (answer.json.segment as { size: number }).size;
}

describe('SlidingWindowLimiter', () => {
  it('allows the limit per window, then says how long to wait, per key', () => {
    const limiter = new SlidingWindowLimiter(3, 60_000);
    expect([0, 1000, 2000].map((t) => limiter.take('a', t).remaining)).toEqual([2, 1, 0]);
    expect(limiter.take('a', 30_000)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterSeconds: 30 });
    expect(limiter.take('b', 30_000).allowed).toBe(true);
    // The first request leaves the window after 60 s: one more is allowed.
    expect(limiter.take('a', 60_001).allowed).toBe(true);
    expect(limiter.take('a', 60_002).allowed).toBe(false);
  });
});

describe('API tokens', () => {
  it('stores only the SHA-256 of the token and shows the text once', async () => {
    const { token, id } = await createToken('marketer', { name: 'Mailchimp sync' });
    expect(token).toMatch(/^pulse_[A-Za-z0-9_-]{43}$/);
    const { rows } = await env.ctx.pool.query<{ row: string; token_hash: Buffer }>('SELECT row_to_json(t)::text AS row, token_hash FROM pulse.api_tokens t WHERE id = $1', [id]);
    expect(rows[0]!.row).not.toContain(token);
    expect(rows[0]!.row).not.toContain(token.slice(10));
    expect(rows[0]!.token_hash.equals(crypto.createHash('sha256').update(token).digest())).toBe(true);
    // The list never carries the token text again.
    const list = await session('GET', '/api/api-tokens', 'marketer');
    expect(JSON.stringify(list.json)).not.toContain(token.slice(10));
    expect((list.json.tokens as { id: number; name: string }[]).find((t) => t.id === id)!.name).toBe('Mailchimp sync');
    const audit = await env.ctx.pool.query<{ details: { change: string } }>("SELECT details FROM pulse.audit_log WHERE action = 'api_token_change' AND target = $1", [`api_token:${id}`]);
    expect(audit.rows.map((r) => r.details.change)).toEqual(['create']);
  });

  it('lets exactly the roles the permission table names manage tokens', async () => {
    for (const role of roles) {
      const list = await session('GET', '/api/api-tokens', role);
      expect(list.status, role).toBe(can(role, 'api:tokens') ? 200 : 403);
    }
  });

  it('refuses bad input with the field named, and more than the owner may have', async () => {
    const noScopes = await session('POST', '/api/api-tokens', 'marketer', { name: 'x', scopes: [] });
    expect(noScopes.status).toBe(400);
    expect((noScopes.json.error as { message: string }).message).toMatch(/^scopes:/);
    const badScope = await session('POST', '/api/api-tokens', 'marketer', { name: 'x', scopes: ['users:manage'] });
    expect(badScope.status).toBe(400);
    const tooLong = await session('POST', '/api/api-tokens', 'marketer', { name: 'x', scopes: ['segments:read'], expiresInDays: 1000 });
    expect((tooLong.json.error as { message: string }).message).toMatch(/^expiresInDays:/);
    // A marketer sees personal data masked, so a token of theirs may not ask for it unmasked.
    const pii = await session('POST', '/api/api-tokens', 'marketer', { name: 'x', scopes: ['members:read'], pii: true });
    expect(pii.status).toBe(403);
    expect((pii.json.error as { code: string }).code).toBe('pii_not_allowed');
    // Executives may not create tokens at all.
    expect((await session('POST', '/api/api-tokens', 'executive', { name: 'x', scopes: ['segments:read'] })).status).toBe(403);
    const { rows } = await env.ctx.pool.query<{ n: string }>("SELECT count(*) AS n FROM pulse.api_tokens WHERE name = 'x'");
    expect(Number(rows[0]!.n)).toBe(0);
  });
});

describe('GET /api/v1 authentication and scopes', () => {
  it('answers 401 without a bearer token, and ignores a session cookie', async () => {
    const none = await v1('/api/v1/segments', null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const cookieOnly = await v1('/api/v1/segments', null, { cookie: await signInCookie('admin') });
    expect(cookieOnly.status).toBe(401);
    expect((cookieOnly.json.error as { code: string }).code).toBe('unauthenticated');
    expect((await v1('/api/v1/segments', `pulse_${'A'.repeat(43)}`)).status).toBe(401);
  });

  it('answers 403 for members without members:read, 200 for segments', async () => {
    const { token } = await createToken('marketer', { scopes: ['segments:read'] });
    expect((await v1('/api/v1/segments', token)).status).toBe(200);
    const members = await v1(`/api/v1/segments/saved-${everyoneId}/members`, token);
    expect(members.status).toBe(403);
    expect((members.json.error as { code: string; message: string }).code).toBe('insufficient_scope');
    expect((members.json.error as { message: string }).message).toContain('members:read');
  });

  it('answers 401 once the token is revoked, expired, or its owner disabled', async () => {
    const revoked = await createToken('marketer');
    expect((await v1('/api/v1/segments', revoked.token)).status).toBe(200);
    expect((await session('DELETE', `/api/api-tokens/${revoked.id}`, 'marketer')).status).toBe(200);
    expect((await v1('/api/v1/segments', revoked.token)).status).toBe(401);
    // Someone else's token cannot be revoked by id.
    const others = await createToken('analyst');
    expect((await session('DELETE', `/api/api-tokens/${others.id}`, 'marketer')).status).toBe(404);

    const expired = await createToken('marketer');
    await env.ctx.pool.query("UPDATE pulse.api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.id]);
    expect((await v1('/api/v1/segments', expired.token)).status).toBe(401);

    expect((await v1('/api/v1/segments', others.token)).status).toBe(200);
    await env.ctx.pool.query('UPDATE pulse.users SET disabled_at = now() WHERE id = (SELECT user_id FROM pulse.api_tokens WHERE id = $1)', [others.id]);
    try {
      expect((await v1('/api/v1/segments', others.token)).status).toBe(401);
    } finally {
      await env.ctx.pool.query('UPDATE pulse.users SET disabled_at = NULL WHERE id = (SELECT user_id FROM pulse.api_tokens WHERE id = $1)', [others.id]);
    }
  });
});

describe('GET /api/v1/segments', () => {
  it("lists the owner's visible saved segments and the model segments, with size and kind", async () => {
    const marketer = await createToken('marketer');
    const answer = await v1('/api/v1/segments', marketer.token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-ratelimit-limit')).toBe(String(RATE_LIMIT));
    const segments = answer.json.segments as { id: string; kind: string; size: number | null }[];
    expect(segments.map((s) => s.id)).toContain(`saved-${everyoneId}`);
    // The manager's private segment is not the marketer's to see, not even by id.
    expect(segments.map((s) => s.id)).not.toContain(`saved-${privateId}`);
    expect((await v1(`/api/v1/segments/saved-${privateId}`, marketer.token)).status).toBe(404);
    const models = segments.filter((s) => s.kind === 'model');
    expect(models.length).toBeGreaterThan(1);
    expect(models.every((s) => (s.size ?? 0) > 0)).toBe(true);
    const { rows } = await env.ctx.pool.query<{ n: string }>('SELECT count(*) AS n FROM pulse_app.customers WHERE deleted_at IS NULL');
    expect(await segmentSize(marketer.token, `saved-${everyoneId}`)).toBe(Number(rows[0]!.n));
    const manager = await createToken('manager');
    expect(await segmentSize(manager.token, `saved-${privateId}`)).toBe(Number(rows[0]!.n));
    expect((await v1('/api/v1/segments/everyone', marketer.token)).status).toBe(400);
    expect((await v1('/api/v1/segments/model-999', marketer.token)).status).toBe(404);
  });
});

describe('GET /api/v1/segments/{id}/members', () => {
  it('pages through every member exactly once, for a saved and a model segment', async () => {
    const { token } = await createToken('marketer');
    const saved = await walk(token, `saved-${everyoneId}`, 173);
    expect(saved.gone).toBeNull();
    expect(saved.ids.length).toBe(await segmentSize(token, `saved-${everyoneId}`));
    expect(new Set(saved.ids).size).toBe(saved.ids.length);
    expect(saved.ids).toEqual([...saved.ids].sort((a, b) => a - b));
    expect(saved.runs.size).toBe(1);

    const model = (await v1('/api/v1/segments', token)).json.segments as { id: string; kind: string; size: number }[];
    const first = model.find((s) => s.kind === 'model')!;
    const walked = await walk(token, first.id, 97);
    expect(walked.ids.length).toBe(first.size);
    expect(new Set(walked.ids).size).toBe(walked.ids.length);
  });

  it('never mixes snapshots: a walk across a publish answers 410, and the restarted walk is complete', async () => {
    const { token } = await createToken('manager');
    const segment = `saved-${everyoneId}`;
    // A change in the source, so the next snapshot really differs: 25 new customers.
    const before = await segmentSize(token, segment);
    await env.ctx.pool.query(`INSERT INTO pulse_app.customers (id, name, email, country, region, city, currency)
      SELECT m.top + g, 'Late ' || g, 'late' || g || '@example.com', c.country, c.region, c.city, c.currency
      FROM (SELECT max(id) AS top FROM pulse_app.customers) m, (SELECT * FROM pulse_app.customers ORDER BY id LIMIT 1) c, generate_series(1, 25) g`);
    const interrupted = await walk(token, segment, 200, async (page) => {
      if (page === 2) await runPipelineNow(env.ctx, { mode: 'incremental', trigger: 'test' });
    });
    expect(interrupted.pages).toBe(2);
    expect(interrupted.gone?.status).toBe(410);
    expect((interrupted.gone!.json.error as { code: string; message: string }).code).toBe('snapshot_changed');
    expect((interrupted.gone!.json.error as { message: string }).message).toMatch(/start again/);

    const again = await walk(token, segment, 200);
    expect(again.gone).toBeNull();
    expect(again.runs.size).toBe(1);
    expect([...again.runs][0]).toBeGreaterThan([...interrupted.runs][0]!);
    expect(again.ids.length).toBe(await segmentSize(token, segment));
    expect(again.ids.length).toBe(before + 25);
    expect(new Set(again.ids).size).toBe(again.ids.length);
    const { rows } = await env.ctx.pool.query<{ n: string }>('SELECT count(*) AS n FROM pulse_app.customers WHERE deleted_at IS NULL');
    expect(again.ids.length).toBe(Number(rows[0]!.n));
  });

  it("masks personal data by the owner's role and the token's choice, and audits each page as an export", async () => {
    const segment = `saved-${everyoneId}`;
    const { rows } = await env.ctx.pool.query<{ id: string; email: string }>('SELECT id, email FROM pulse_app.customers WHERE deleted_at IS NULL AND email IS NOT NULL ORDER BY id LIMIT 5');
    const realEmail = new Map(rows.map((r) => [Number(r.id), r.email]));
    const firstPage = async (token: string) => (await v1(`/api/v1/segments/${segment}/members?limit=5`, token)).json as { members: Member[]; unmasked: boolean };

    const managerPii = await createToken('manager', { pii: true });
    const unmasked = await firstPage(managerPii.token);
    expect(unmasked.unmasked).toBe(true);
    for (const m of unmasked.members) if (realEmail.has(m.id)) expect(m.email).toBe(realEmail.get(m.id));

    const managerMasked = await createToken('manager');
    const masked = await firstPage(managerMasked.token);
    expect(masked.unmasked).toBe(false);
    for (const m of masked.members) if (realEmail.has(m.id)) expect(m.email).toMatch(/^.•••@/);

    const marketer = await createToken('marketer');
    for (const m of (await firstPage(marketer.token)).members) if (realEmail.has(m.id)) expect(m.email).not.toBe(realEmail.get(m.id));

    const audit = await env.ctx.pool.query<{ row_count: number; details: { tokenId: number; unmasked: boolean }; user_email: string }>(
      "SELECT row_count, details, user_email FROM pulse.audit_log WHERE action = 'export' AND target = $1 AND (details->>'tokenId')::int = $2",
      [`segment:${segment}`, managerPii.id],
    );
    expect(audit.rows).toEqual([{ row_count: 5, details: expect.objectContaining({ tokenId: managerPii.id, unmasked: true, via: 'api_v1' }), user_email: users.manager.email }]);
  });

  it('refuses a bad limit or cursor with the parameter named', async () => {
    const { token } = await createToken('marketer');
    const segment = `saved-${everyoneId}`;
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=5000', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=notacursor', 'cursor'],
      ['limit=5&limit=6', 'limit'],
    ] as const) {
      const answer = await v1(`/api/v1/segments/${segment}/members?${query}`, token);
      expect(answer.status, query).toBe(400);
      expect((answer.json.error as { message: string }).message, query).toMatch(new RegExp(`^${field}:`));
    }
    // A cursor of another segment is refused rather than silently applied.
    const page = await v1(`/api/v1/segments/${segment}/members?limit=1`, token);
    const models = (await v1('/api/v1/segments', token)).json.segments as { id: string; kind: string }[];
    const other = models.find((s) => s.kind === 'model')!.id;
    expect((await v1(`/api/v1/segments/${other}/members?cursor=${page.json.nextCursor as string}`, token)).status).toBe(400);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a token used its requests of the minute, and other tokens go on', async () => {
    const { token } = await createToken('analyst');
    let last: Answer | null = null;
    for (let i = 0; i < RATE_LIMIT; i++) {
      last = await v1('/api/v1/segments', token);
      expect(last.status).toBe(200);
    }
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await v1('/api/v1/segments', token);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((limited.json.error as { code: string }).code).toBe('rate_limited');
    expect(limited.headers.get('x-ratelimit-limit')).toBe(String(RATE_LIMIT));
    const other = await createToken('analyst');
    expect((await v1('/api/v1/segments', other.token)).status).toBe(200);
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document naming every route under api/v1 and the bearer scheme', async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, { type: string; scheme: string }> } };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const root = path.join(projectRoot, 'dashboard', 'app', 'api', 'v1');
    const routes = (fs.readdirSync(root, { recursive: true }) as string[])
      .filter((f) => path.basename(f) === 'route.ts')
      .map((f) => `/api/v1/${path.dirname(f).split(path.sep).join('/')}`.replace(/\[(\w+)\]/g, '{$1}'));
    expect(routes.length).toBe(4);
    for (const route of routes) expect(Object.keys(doc.paths), route).toContain(route);
    // Every $ref points at a schema that exists.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const ref of refs) expect((doc.components as unknown as { schemas: Record<string, unknown> }).schemas[ref], ref).toBeDefined();
  });
});

describe('API tokens page', () => {
  async function newPage(options: { width: number; height: number; locale: string }): Promise<Page> {
    browser ??= await launchChromium();
    const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale, deviceScaleFactor: 1 });
    return context.newPage();
  }

  async function signInBrowser(page: Page, role: Role): Promise<void> {
    await page.goto(`${server.url}/sign-in`);
    await page.fill('input[name=email]', users[role].email);
    await page.fill('input[name=password]', users[role].password);
    await Promise.all([page.waitForURL(/\/overview/), page.click('[data-testid=sign-in-submit]')]);
  }

  it('creates a token that is shown once and works, lists it, and revokes it', async () => {
    const page = await newPage({ width: 1280, height: 900, locale: 'en-US' });
    await signInBrowser(page, 'manager');
    await page.goto(`${server.url}/api-tokens`);
    await page.fill('input[name=name]', 'CRM pull');
    await page.click('[data-testid=create-token-submit]');
    const token = (await page.locator('[data-testid=token-text]').textContent({ timeout: 15_000 }))!.trim();
    expect(token).toMatch(/^pulse_/);
    expect((await v1('/api/v1/segments', token)).status).toBe(200);
    await page.locator('[data-testid=api-token]', { hasText: 'CRM pull' }).first().waitFor();
    // After a reload the token text is gone for good.
    await page.reload();
    expect(await page.content()).not.toContain(token);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('[data-testid=api-token]', { hasText: 'CRM pull' }).locator('[data-testid=revoke-token]').click();
    await expect.poll(async () => (await v1('/api/v1/segments', token)).status).toBe(401);
    await page.context().close();
  });

  it('fits a phone and a desktop in English and Chinese (screenshots)', async () => {
    fs.mkdirSync(screenshotDir, { recursive: true });
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [
        { kind: 'desktop', width: 1280, height: 900 },
        { kind: 'phone', width: 375, height: 812 },
      ]) {
        const page = await newPage({ width: viewport.width, height: viewport.height, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        await signInBrowser(page, 'analyst');
        await page.goto(`${server.url}/api-tokens`);
        await page.waitForSelector('[data-testid=create-token-form]');
        expect(await page.locator('html').getAttribute('lang')).toBe(locale);
        await page.fill('input[name=name]', locale === 'en' ? `Newsletter ${viewport.kind}` : `邮件同步 ${viewport.kind}`);
        await page.click('[data-testid=create-token-submit]');
        await page.waitForSelector('[data-testid=token-text]');
        await page.locator('[data-testid=api-token]').first().waitFor();
        await page.screenshot({ path: path.join(screenshotDir, `api-tokens-${viewport.kind}-${locale}.png`), fullPage: true });
        const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth);
        expect(fits, `${viewport.kind} ${locale}`).toBe(true);
        await page.context().close();
      }
    }
    // Someone with no tokens yet sees the empty state (the admin has created none in these tests).
    const empty = await newPage({ width: 375, height: 812, locale: 'en-US' });
    await signInBrowser(empty, 'admin');
    await empty.goto(`${server.url}/api-tokens`);
    await empty.getByText('No API tokens yet').waitFor();
    await empty.screenshot({ path: path.join(screenshotDir, 'api-tokens-empty-phone-en.png'), fullPage: true });
    await empty.context().close();
    // A role without api:tokens gets a real 403 for the page.
    const executive = await fetch(`${server.url}/api-tokens`, { headers: { cookie: await signInCookie('executive') }, redirect: 'manual' });
    expect(executive.status).toBe(403);
  });
});
