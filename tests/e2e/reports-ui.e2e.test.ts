// The Reports and Campaigns screens end to end: the real Next.js dashboard on a seeded database with a
// published snapshot, its mail going to the local capture (no SMTP_URL), a real SMTP server that
// refuses mail for the failed deliveries an admin retries, pg-boss's schedule table, and headless Chromium.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../ingest/index.ts';
import { runPipelineNow } from '../../jobs/index.ts';
import { can, roles, type Permission, type Role } from '../../lib/auth-roles.ts';
import { ensureDemoUsers, type DemoUser } from '../../lib/auth.ts';
import { setMfaRequired } from '../../lib/mfa.ts';
import { createLogger } from '../../lib/log.ts';
import { projectRoot } from '../../lib/paths.ts';
import { REPORT_QUEUE } from '../../lib/queue-names.ts';
import { createPersonalDataSource, createSmtpTransport, deliverSlot } from '../../reports/index.ts';
import { withPublishedSnapshot } from '../../warehouse/index.ts';
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
let sourcePool: pg.Pool;
const serverOutput: string[] = [];

beforeAll(async () => {
  database = await createMigratedDatabase('reports_ui', { demoSource: true });
  await seedDemoData(database.url, { customers: 1200, seed: 5, asOf: new Date('2026-10-01T00:00:00Z') });
  env = createPulseEnv(database.url, { PULSE_TIMEZONE: 'Asia/Shanghai' });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'e2e' });
  sourcePool = new pg.Pool({ connectionString: database.url, max: 2 });
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
  await sourcePool?.end();
  await env?.close();
  await database?.drop();
  if (serverOutput.some((line) => /Error|failed/.test(line))) console.log(`dashboard server output:\n${serverOutput.join('').slice(-4000)}`);
});

const cookies = new Map<Role, string>();
async function cookieOf(role: Role): Promise<string> {
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

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
  bytes: Buffer;
}

async function call<T = Record<string, unknown>>(role: Role, method: string, urlPath: string, body?: unknown): Promise<Answer<T>> {
  const response = await fetch(`${server.url}${urlPath}`, {
    method,
    headers: { cookie: await cookieOf(role), origin: server.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  let parsed: unknown = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(bytes.toString('utf8'));
  return { status: response.status, headers: response.headers, body: parsed as T, bytes };
}

type ErrorBody = { error: { code: string; message: string; field?: string } };
interface SubscriptionJson {
  id: number;
  name: string;
  role: Role;
  cron: string;
  timeZone: string;
  paused: boolean;
  nextRun: string | null;
  nextRunLocal: string | null;
  editable: boolean;
}
type Saved = { subscription: SubscriptionJson; scheduled: boolean };
interface DeliveryJson {
  id: number;
  subscriptionId: number | null;
  recipient: string;
  state: string;
  error: string | null;
  report: string;
}
interface OutboxJson {
  id: string;
  to: string | null;
  subject: string | null;
  attachments: { index: number; filename: string | null; contentType: string; size: number }[];
}

const subscription = (overrides: Record<string, unknown> = {}) => ({
  name: 'Weekly summary',
  report: 'executive',
  formats: ['pdf', 'xlsx'],
  recipients: ['ceo@example.com'],
  cron: '0 8 * * 1',
  timeZone: 'Asia/Shanghai',
  language: 'zh-CN',
  role: 'marketer',
  period: 'week',
  ...overrides,
});

async function auditRows(action: string, target?: string): Promise<{ user_email: string; role: string; target: string; outcome: string; details: Record<string, unknown> }[]> {
  const { rows } = await env.ctx.pool.query(
    `SELECT user_email, role, target, outcome, details FROM pulse.audit_log WHERE action = $1 ${target ? 'AND target = $2' : ''} ORDER BY id`,
    target ? [action, target] : [action],
  );
  return rows;
}

async function scheduleRow(id: number): Promise<{ cron: string; timezone: string } | undefined> {
  const { rows } = await env.ctx.pool.query<{ cron: string; timezone: string }>('SELECT cron, timezone FROM pgboss.schedule WHERE name = $1 AND key = $2', [REPORT_QUEUE, String(id)]);
  return rows[0];
}

/** What `pulse worker` does at start that matters here: pg-boss's schema and the report queue. */
async function createReportQueue(): Promise<void> {
  const boss = new PgBoss({ connectionString: database.url, schema: 'pgboss', schedule: false, supervise: false });
  boss.on('error', () => undefined);
  await boss.start();
  if (!(await boss.getQueue(REPORT_QUEUE))) await boss.createQueue(REPORT_QUEUE);
  await boss.stop({ graceful: true, timeout: 5000 });
}

/**
 * A delivery that really failed: sent through a real SMTP server that refuses every recipient for
 * good (550), so reports/deliver.ts records it 'failed' with the server's answer.
 */
async function makeFailedDelivery(recipient: string, slot: string): Promise<void> {
  const refusing = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 })),
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  const port = (refusing.server.address() as net.AddressInfo).port;
  const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`, { ignoreTLS: true });
  try {
    await deliverSlot(
      { pool: env.ctx.pool, log: createLogger('silent'), transport, env: { dataDir: env.dataDir, personal: createPersonalDataSource(sourcePool), timeZone: 'Asia/Shanghai' } },
      { subscriptionId: null, slot, report: 'sales', formats: ['pdf'], recipients: [recipient], language: 'zh-CN', role: 'manager' },
    );
  } finally {
    await transport.close();
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
  }
}

describe('report API permissions', () => {
  it('answers every reports route for every role as the permission table says', async () => {
    const routes: { method: string; path: string; permission: Permission; body?: unknown }[] = [
      { method: 'GET', path: '/api/reports', permission: 'reports:view' },
      { method: 'GET', path: '/api/reports/executive/file?format=pdf', permission: 'reports:view' },
      { method: 'GET', path: '/api/reports/subscriptions', permission: 'reports:subscribe' },
      { method: 'GET', path: '/api/reports/deliveries', permission: 'reports:deliveries' },
      { method: 'GET', path: '/api/reports/outbox', permission: 'reports:admin' },
      { method: 'POST', path: '/api/reports/deliveries/999999/retry', permission: 'reports:admin' },
      { method: 'POST', path: '/api/reports/subscriptions/999999/send', permission: 'reports:subscribe' },
      { method: 'DELETE', path: '/api/reports/subscriptions/999999', permission: 'reports:subscribe' },
    ];
    for (const role of roles) {
      for (const route of routes) {
        const answer = await call(role, route.method, route.path, route.body);
        const label = `${role} ${route.method} ${route.path} → ${answer.status}`;
        if (can(role, route.permission)) {
          // Allowed: a real answer (404 for the ids that do not exist), never a permission refusal.
          expect([200, 404], label).toContain(answer.status);
        } else {
          expect(answer.status, label).toBe(403);
          expect((answer.body as ErrorBody).error.code, label).toBe('forbidden');
        }
      }
      // Creating: every role that may subscribe can create one with its own role's view.
      const created = await call<Saved | ErrorBody>(role, 'POST', '/api/reports/subscriptions', subscription({ name: `mine (${role})`, role }));
      expect(created.status, `${role} creates`).toBe(can(role, 'reports:subscribe') ? 201 : 403);
      if (created.status === 201) expect(await call(role, 'DELETE', `/api/reports/subscriptions/${(created.body as Saved).subscription.id}`)).toMatchObject({ status: 200 });
    }
  });

  it('refuses without a session and refuses a cross-site POST', async () => {
    for (const p of ['/api/reports', '/api/reports/subscriptions', '/api/reports/deliveries', '/api/reports/outbox', '/api/reports/executive/file']) {
      expect((await fetch(`${server.url}${p}`)).status, p).toBe(401);
    }
    const crossSite = await fetch(`${server.url}/api/reports/subscriptions`, {
      method: 'POST',
      headers: { cookie: await cookieOf('admin'), origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(subscription()),
    });
    expect(crossSite.status).toBe(403);
  });
});

describe('report preview and downloads', () => {
  it('serves the report PDF inline for the preview frame, framable by this site only', async () => {
    const answer = await call('manager', 'GET', '/api/reports/executive/file?format=pdf&lang=zh-CN&period=month');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toMatch(/^inline; filename="pulse-executive-.*\.zh-CN\.pdf"$/);
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(answer.headers.get('content-security-policy')).toBe("frame-ancestors 'self'; base-uri 'none'; form-action 'none'");
    expect(answer.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Every other page keeps refusing to be framed.
    const page = await fetch(`${server.url}/sign-in`);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // A manager sees unmasked names: the inline view is audited as such.
    expect((await auditRows('pii_view', 'report:executive')).some((r) => r.role === 'manager' && r.details.inline === true)).toBe(true);
  });

  it('downloads the workbook for roles that may export, refuses it to an executive, and audits the download', async () => {
    const analyst = await call('analyst', 'GET', '/api/reports/executive/file?format=xlsx&download=1&lang=en&period=custom&from=2026-08-01&to=2026-09-30');
    expect(analyst.status).toBe(200);
    expect(analyst.headers.get('content-disposition')).toMatch(/^attachment; filename="pulse-executive-2026-08-01_2026-09-30\.en\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(analyst.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.length).toBeGreaterThanOrEqual(3);
    expect((await auditRows('export', 'report:executive')).some((r) => r.role === 'analyst' && r.details.format === 'xlsx')).toBe(true);

    const executive = await call<ErrorBody>('executive', 'GET', '/api/reports/executive/file?format=xlsx&download=1');
    expect(executive.status).toBe(403);
    expect(executive.body.error.message).toMatch(/data:export/);
    // …while the aggregate-only service workbook is theirs to download, and the PDF of both.
    expect((await call('executive', 'GET', '/api/reports/service/file?format=xlsx&download=1')).status).toBe(200);
    expect((await call('executive', 'GET', '/api/reports/executive/file?format=pdf')).status).toBe(200);
    // The segment report lists customers: an executive may not open it at all.
    const segment = await call<ErrorBody>('executive', 'GET', '/api/reports/segment/file?format=pdf');
    expect(segment.status).toBe(403);
    expect(segment.body.error.code).toBe('report_forbidden');
    const list = await call<{ reports: { name: string; xlsx: boolean }[] }>('executive', 'GET', '/api/reports');
    expect(list.body.reports).toEqual([
      { name: 'executive', xlsx: false },
      { name: 'sales', xlsx: true },
      { name: 'service', xlsx: true },
    ]);
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const cases: [string, number, string][] = [
      ['/api/reports/payroll/file', 404, 'name'],
      ['/api/reports/executive/file?format=docx', 400, 'format'],
      ['/api/reports/executive/file?period=year', 400, 'period'],
      ['/api/reports/executive/file?period=custom&from=2026-09-01', 400, 'to'],
      ['/api/reports/executive/file?period=custom&from=2026-09-30&to=2026-09-01', 400, 'to'],
      ['/api/reports/executive/file?period=custom&from=2026-02-30&to=2026-03-01', 400, 'from'],
      ['/api/reports/executive/file?lang=fr', 400, 'lang'],
      ['/api/reports/executive/file?format=pdf&format=xlsx', 400, 'format'],
      ['/api/reports/executive/file?evil=1', 400, 'evil'],
      ['/api/reports/segment/file?segment=999999', 404, 'segment'],
    ];
    for (const [url, status, field] of cases) {
      const answer = await call<ErrorBody>('manager', 'GET', url);
      expect(answer.status, url).toBe(status);
      expect(answer.body.error.field, url).toBe(field);
    }
  });
});

describe('subscriptions over the API', () => {
  it('creates, edits, pauses, resumes and deletes, keeping the pg-boss schedule and the audit log in step', async () => {
    // Before the worker ever ran there is no report queue: saved, and left for the worker to schedule.
    const early = await call<Saved>('marketer', 'POST', '/api/reports/subscriptions', subscription({ name: 'Before the worker' }));
    expect(early.status).toBe(201);
    expect(early.body.scheduled).toBe(false);
    expect(await call('marketer', 'DELETE', `/api/reports/subscriptions/${early.body.subscription.id}`)).toMatchObject({ status: 200 });

    await createReportQueue();
    const created = await call<Saved>('marketer', 'POST', '/api/reports/subscriptions', subscription());
    expect(created.status).toBe(201);
    const id = created.body.subscription.id;
    expect(created.body.scheduled).toBe(true);
    // Mondays 08:00 in Shanghai: a Monday at 00:00 UTC, shown in the subscription's own zone.
    const next = new Date(created.body.subscription.nextRun!);
    expect(next.getUTCDay()).toBe(1);
    expect(next.getUTCHours()).toBe(0);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(created.body.subscription.nextRunLocal).toMatch(/^\d{4}-\d{2}-\d{2} 08:00 \(UTC\+08:00\)$/);
    expect(await scheduleRow(id)).toEqual({ cron: '0 8 * * 1', timezone: 'Asia/Shanghai' });

    const edited = await call<Saved>('marketer', 'PUT', `/api/reports/subscriptions/${id}`, subscription({ cron: '30 7 * * *', timeZone: 'Europe/Berlin', name: 'Daily summary' }));
    expect(edited.status).toBe(200);
    expect(edited.body.subscription.nextRunLocal).toMatch(/ 07:30 \(UTC\+0[12]:00\)$/);
    expect(await scheduleRow(id)).toEqual({ cron: '30 7 * * *', timezone: 'Europe/Berlin' });

    const paused = await call<Saved>('marketer', 'PATCH', `/api/reports/subscriptions/${id}`, { paused: true });
    expect(paused.body.subscription).toMatchObject({ paused: true, nextRun: null });
    expect(await scheduleRow(id)).toBeUndefined();
    const resumed = await call<Saved>('marketer', 'PATCH', `/api/reports/subscriptions/${id}`, { paused: false });
    expect(resumed.body.subscription.paused).toBe(false);
    expect(await scheduleRow(id)).toBeDefined();

    const listed = await call<{ subscriptions: SubscriptionJson[] }>('marketer', 'GET', '/api/reports/subscriptions');
    expect(listed.body.subscriptions.find((s) => s.id === id)).toMatchObject({ name: 'Daily summary', editable: true });

    expect((await call('marketer', 'DELETE', `/api/reports/subscriptions/${id}`)).status).toBe(200);
    expect(await scheduleRow(id)).toBeUndefined();
    expect((await call('marketer', 'GET', '/api/reports/subscriptions')).body).toMatchObject({ subscriptions: expect.not.arrayContaining([expect.objectContaining({ id })]) });
    const ops = (await auditRows('subscription_change', `subscription:${id}`)).map((r) => `${r.user_email} ${r.details.change}`);
    expect(ops).toEqual(['create', 'update', 'pause', 'resume', 'delete'].map((op) => `${users.marketer.email} ${op}`));
  });

  it('refuses a recipient role stronger than the user’s and a report that role may not see, saving nothing', async () => {
    const count = async () => Number((await env.ctx.pool.query('SELECT count(*) AS n FROM pulse.report_subscriptions')).rows[0].n);
    const before = await count();
    const stronger = await call<ErrorBody>('marketer', 'POST', '/api/reports/subscriptions', subscription({ role: 'manager' }));
    expect(stronger.status).toBe(403);
    expect(stronger.body.error).toMatchObject({ code: 'role_not_grantable', field: 'role' });
    // The executive role lacks data:export, which the segment report (its member list) needs.
    const forbidden = await call<ErrorBody>('marketer', 'POST', '/api/reports/subscriptions', subscription({ report: 'segment', role: 'executive' }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('report_forbidden');
    expect(forbidden.body.error.field).toBe('role');
    expect(forbidden.body.error.message).toMatch(/Role "executive" may not receive the segment report: it lacks data:export/);
    expect(await count()).toBe(before);
    const denied = (await auditRows('subscription_change')).filter((r) => r.outcome === 'denied');
    expect(denied.map((r) => r.details.code)).toEqual(expect.arrayContaining(['role_not_grantable', 'report_forbidden']));
  });

  it('names the field of a bad subscription', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ cron: '61 8 * * *' }, 'cron'],
      [{ cron: '0 0 30 2 *' }, 'cron'],
      [{ cron: 'every monday' }, 'cron'],
      [{ recipients: ['ceo@example.com', 'not-an-address'] }, 'recipients.1'],
      [{ recipients: [] }, 'recipients'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ formats: ['docx'] }, 'formats.0'],
      [{ report: 'payroll' }, 'report'],
      [{ name: ' ' }, 'name'],
      [{ sneaky: true }, 'sneaky'],
    ];
    for (const [change, field] of cases) {
      const answer = await call<ErrorBody>('marketer', 'POST', '/api/reports/subscriptions', subscription(change));
      expect(answer.status, JSON.stringify(change)).toBe(400);
      expect(answer.body.error.field, JSON.stringify(change)).toBe(field);
    }
    const notJson = await fetch(`${server.url}/api/reports/subscriptions`, { method: 'POST', headers: { cookie: await cookieOf('marketer'), 'content-type': 'application/json', origin: server.url }, body: '{"name":' });
    expect(notJson.status).toBe(400);
    expect((await call<ErrorBody>('marketer', 'PATCH', '/api/reports/subscriptions/1', { paused: 'yes' })).body.error.field).toBe('paused');
    expect((await call<ErrorBody>('marketer', 'PUT', '/api/reports/subscriptions/abc', subscription())).body.error.field).toBe('id');
  });

  it('lets nobody change, delete or send a subscription whose role is stronger than theirs', async () => {
    const admin = await call<Saved>('admin', 'POST', '/api/reports/subscriptions', subscription({ name: 'Board pack', role: 'manager' }));
    const id = admin.body.subscription.id;
    const listed = await call<{ subscriptions: SubscriptionJson[] }>('marketer', 'GET', '/api/reports/subscriptions');
    expect(listed.body.subscriptions.find((s) => s.id === id)?.editable).toBe(false);
    for (const [method, url, body] of [
      ['PUT', `/api/reports/subscriptions/${id}`, subscription({ recipients: ['me@example.com'] })],
      ['PATCH', `/api/reports/subscriptions/${id}`, { paused: true }],
      ['DELETE', `/api/reports/subscriptions/${id}`, undefined],
      ['POST', `/api/reports/subscriptions/${id}/send`, undefined],
    ] as const) {
      const answer = await call<ErrorBody>('marketer', method, url, body);
      expect(answer.status, `${method} ${url}`).toBe(403);
      expect(answer.body.error.code).toBe('role_not_grantable');
    }
    expect((await call<{ subscriptions: SubscriptionJson[] }>('admin', 'GET', '/api/reports/subscriptions')).body.subscriptions.find((s) => s.id === id)).toMatchObject({ paused: false, editable: true });
    expect((await call('admin', 'DELETE', `/api/reports/subscriptions/${id}`)).status).toBe(200);
  });
});

describe('send now, the delivery log and the outbox', () => {
  it('sends a subscription now to the local capture, logs each recipient, and serves the attachments by id', async () => {
    const created = await call<Saved>('manager', 'POST', '/api/reports/subscriptions', subscription({ name: 'Send me now', role: 'manager', recipients: ['ann@example.com', 'bo@example.com'], language: 'en' }));
    const id = created.body.subscription.id;
    const started = Date.now();
    const sent = await call<{ summary: { sent: number; failed: number }; deliveries: DeliveryJson[] }>('manager', 'POST', `/api/reports/subscriptions/${id}/send`);
    const seconds = (Date.now() - started) / 1000;
    console.log(`send now (executive, pdf + xlsx, 2 recipients, 1,200 customers): ${seconds.toFixed(2)} s`);
    expect(sent.status).toBe(200);
    expect(sent.body.summary).toMatchObject({ sent: 2, failed: 0 });
    expect(sent.body.deliveries.map((d) => [d.recipient, d.state, d.subscriptionId]).sort()).toEqual([
      ['ann@example.com', 'sent', id],
      ['bo@example.com', 'sent', id],
    ]);
    expect((await auditRows('report_send', `subscription:${id}`)).at(-1)).toMatchObject({ outcome: 'success', details: { sent: 2 } });

    const log = await call<{ rows: DeliveryJson[] }>('manager', 'GET', `/api/reports/deliveries?subscription=${id}`);
    expect(log.body.rows.map((r) => r.state)).toEqual(['sent', 'sent']);

    const outbox = await call<{ messages: OutboxJson[] }>('admin', 'GET', '/api/reports/outbox');
    const message = outbox.body.messages.find((m) => m.to === 'ann@example.com')!;
    expect(message.subject).toMatch(/^Executive summary · /);
    expect(message.attachments.map((a) => a.contentType)).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    const pdf = await call('admin', 'GET', `/api/reports/outbox/${message.id}/attachments/0`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="pulse-executive-.*\.en\.pdf"/);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.bytes.length).toBe(message.attachments[0]!.size);
    const xlsx = await call('admin', 'GET', `/api/reports/outbox/${message.id}/attachments/1`);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    expect((await auditRows('export', `outbox:${message.id}`)).length).toBe(2);
  });

  it('serves outbox attachments by id only: traversal, unknown ids and indexes get a 4xx', async () => {
    const cases: [string, number][] = [
      ['/api/reports/outbox/..%2F..%2F..%2Fetc%2Fpasswd/attachments/0', 404],
      ['/api/reports/outbox/%2Fetc%2Fpasswd/attachments/0', 404],
      ['/api/reports/outbox/..%2Fdemo-password/attachments/0', 404],
      [`/api/reports/outbox/${'0'.repeat(32)}/attachments/0`, 404],
      ['/api/reports/outbox/abc/attachments/x', 400],
    ];
    const { body } = await call<{ messages: OutboxJson[] }>('admin', 'GET', '/api/reports/outbox');
    cases.push([`/api/reports/outbox/${body.messages[0]!.id}/attachments/7`, 404]);
    for (const [url, status] of cases) {
      const answer = await call<ErrorBody>('admin', 'GET', url);
      expect(answer.status, url).toBe(status);
      // An error naming the problem, never a file's content.
      expect(answer.headers.get('content-type'), url).toMatch(/application\/json/);
      expect(['unknown_attachment', 'bad_index'], url).toContain(answer.body.error.code);
    }
  });

  it('lets an admin retry a delivery a real SMTP server refused, and filters the log', async () => {
    await makeFailedDelivery('refused@example.com', 'now-e2e-refused');
    const failed = await call<{ rows: DeliveryJson[] }>('manager', 'GET', '/api/reports/deliveries?state=failed&recipient=REFUSED@example.com');
    expect(failed.body.rows).toHaveLength(1);
    const row = failed.body.rows[0]!;
    expect(row.error).toMatch(/550/);

    // Filters: report, a day window in PULSE_TIMEZONE (today there includes it; a past day does not).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect((await call<{ rows: DeliveryJson[] }>('manager', 'GET', `/api/reports/deliveries?report=sales&from=${today}&to=${today}`)).body.rows.map((r) => r.id)).toContain(row.id);
    expect((await call<{ rows: DeliveryJson[] }>('manager', 'GET', '/api/reports/deliveries?report=sales&to=2020-01-01')).body.rows).toEqual([]);
    expect((await call<{ rows: DeliveryJson[] }>('manager', 'GET', '/api/reports/deliveries?report=service')).body.rows).toEqual([]);
    expect((await call<{ rows: DeliveryJson[]; hasNext: boolean }>('manager', 'GET', '/api/reports/deliveries?page=2')).body).toMatchObject({ rows: [], hasNext: false });
    for (const [query, field] of [
      ['state=lost', 'state'],
      ['report=payroll', 'report'],
      ['from=2026-13-01', 'from'],
      ['from=2026-09-02&to=2026-09-01', 'to'],
      ['page=0', 'page'],
      ['recipient=%3Cscript%3E', 'recipient'],
    ]) {
      const answer = await call<ErrorBody>('manager', 'GET', `/api/reports/deliveries?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.field, query).toBe(field);
    }

    // Only admins retry; the retry goes to the capture and succeeds; a sent delivery is not retried.
    expect((await call('manager', 'POST', `/api/reports/deliveries/${row.id}/retry`)).status).toBe(403);
    const retried = await call<{ delivery: DeliveryJson }>('admin', 'POST', `/api/reports/deliveries/${row.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.delivery).toMatchObject({ id: row.id, state: 'sent', error: null });
    expect((await auditRows('delivery_retry', `delivery:${row.id}`)).map((r) => [r.user_email, r.outcome, r.details.before, r.details.after])).toEqual([[users.admin.email, 'success', 'failed', 'sent']]);
    const again = await call<ErrorBody>('admin', 'POST', `/api/reports/deliveries/${row.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_retryable');
    const outbox = await call<{ messages: OutboxJson[] }>('admin', 'GET', '/api/reports/outbox');
    expect(outbox.body.messages.some((m) => m.to === 'refused@example.com' && m.subject?.startsWith('销售机会报告'))).toBe(true);
  });
});

async function newPage(options: { width: number; height: number; locale?: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale ?? 'en-US', deviceScaleFactor: 1 });
  return context.newPage();
}

async function signInBrowser(page: Page, role: Role): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.fill('input[name=email]', users[role].email);
  await page.fill('input[name=password]', users[role].password);
  await Promise.all([page.waitForURL(/\/overview/), page.click('[data-testid=sign-in-submit]')]);
}

async function hasNoHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth);
}

function isPdfPreview(url: string): boolean {
  return /\/api\/reports\/[a-z]+\/file\?.*format=pdf/.test(url) && !url.includes('download=1');
}

describe('reports in the browser', () => {
  it('previews the PDF, creates a subscription with its next run, sends it now, and finds it in the log and the outbox', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    page.on('dialog', (dialog) => void dialog.accept());
    await signInBrowser(page, 'admin');
    const preview = page.waitForResponse((r) => isPdfPreview(r.url()));
    await page.goto(`${server.url}/reports`);
    const response = await preview;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    // Chromium hands the frame's bytes to its PDF viewer; the same URL fetched again is the PDF itself.
    expect((await (await page.request.get(response.url())).body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.waitForSelector('[data-testid=preview-loading]', { state: 'detached', timeout: 30_000 });
    expect(await page.locator('[data-testid=preview-error]').count()).toBe(0);

    // Another report and language: the frame loads that PDF.
    const sales = page.waitForResponse((r) => isPdfPreview(r.url()) && r.url().includes('/sales/') && r.url().includes('lang=zh-CN'));
    await page.selectOption('[data-testid=report-select]', 'sales');
    await page.selectOption('[data-testid=language-select]', 'zh-CN');
    expect((await sales).headers()['content-type']).toBe('application/pdf');

    await page.goto(`${server.url}/reports/subscriptions`);
    await page.click('[data-testid=subscription-new]');
    const form = page.locator('[data-testid=subscription-form]');
    await form.locator('input[name=name]').fill('Browser weekly');
    await form.locator('textarea[name=recipients]').fill('browser.reader@example.com');
    await form.locator('select[name=timeZone]').selectOption('Asia/Shanghai');
    await form.locator('select[name=language]').selectOption('en');
    await page.click('[data-testid=subscription-save]');
    await page.waitForSelector('[data-testid=subscription-message]');
    const card = page.locator('[data-testid=subscription]', { hasText: 'Browser weekly' });
    await card.waitFor();
    await expect(card.locator('[data-testid=next-run]').textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} 08:00 \(UTC\+08:00\)$/);
    await page.screenshot({ path: path.join(screenshotDir, 'reports-subscriptions-desktop-en.png'), fullPage: true });

    await card.locator('[data-testid=subscription-send]').click();
    await expect(page.locator('[data-testid=subscription-message]').textContent()).resolves.toBe('Sent 1 of 1.');

    await page.goto(`${server.url}/reports/deliveries?recipient=browser.reader@example.com`);
    const row = page.locator('[data-testid=delivery-row]').first();
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('sent');
    await expect(row.locator('[data-testid=delivery-recipient]').textContent()).resolves.toBe('browser.reader@example.com');

    await page.goto(`${server.url}/reports/outbox`);
    const message = page.locator('[data-testid=outbox-message]', { hasText: 'browser.reader@example.com' });
    await message.waitFor();
    const attachment = message.locator('[data-testid=outbox-attachment]').first();
    const href = (await attachment.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/reports\/outbox\/[0-9a-f]{32}(-\d+)?\/attachments\/0$/);
    const download = await page.request.get(`${server.url}${href}`);
    expect(download.headers()['content-type']).toBe('application/pdf');

    // A failed delivery: the admin retries it from the log, and it goes out.
    await makeFailedDelivery('retry.in.browser@example.com', 'now-e2e-browser-retry');
    await page.goto(`${server.url}/reports/deliveries?recipient=retry.in.browser@example.com`);
    const failedRow = page.locator('[data-testid=delivery-row]').first();
    await failedRow.waitFor();
    expect(await failedRow.getAttribute('data-state')).toBe('failed');
    await expect(failedRow.textContent()).resolves.toMatch(/550/);
    await failedRow.locator('[data-testid=delivery-retry]').click();
    // The log reloads from the server: the same delivery, now sent, with no retry button.
    await expect.poll(() => failedRow.getAttribute('data-state'), { timeout: 20_000 }).toBe('sent');
    expect(await failedRow.locator('[data-testid=delivery-retry]').count()).toBe(0);
    await page.context().close();
  }, 180_000);

  it('shows every reports page in English and Chinese, on a desktop and a phone without sideways scrolling', async () => {
    const pagesToShoot = [
      { name: 'reports', path: '/reports', ready: '[data-testid=report-preview]', en: 'Reports', zh: '报表' },
      { name: 'reports-subscriptions', path: '/reports/subscriptions', ready: '[data-testid=subscription]', en: 'Subscriptions', zh: '订阅' },
      { name: 'reports-deliveries', path: '/reports/deliveries', ready: '[data-testid=delivery-row]:visible, [data-testid=delivery-card]:visible', en: 'Delivery log', zh: '发送记录' },
      { name: 'reports-outbox', path: '/reports/outbox', ready: '[data-testid=outbox-message]', en: 'Outbox', zh: '发件箱' },
    ];
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [
        { kind: 'desktop', width: 1280, height: 900 },
        { kind: 'phone', width: 375, height: 812 },
      ]) {
        // The admin has no saved language: the browser's language decides.
        await env.ctx.pool.query('UPDATE pulse.users SET language = NULL WHERE email = $1', [users.admin.email]);
        const page = await newPage({ width: viewport.width, height: viewport.height, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        await signInBrowser(page, 'admin');
        for (const p of pagesToShoot) {
          await page.goto(`${server.url}${p.path}`);
          await page.waitForSelector(p.ready, { timeout: 30_000 });
          if (p.name === 'reports') {
            await page.waitForSelector('[data-testid=preview-loading]', { state: 'detached', timeout: 30_000 });
            // The PDF viewer inside the frame draws its pages a moment after the frame has loaded.
            await page.waitForTimeout(3000);
          }
          await expect(page.locator('h1').first().textContent(), `${p.name} ${locale}`).resolves.toBe(locale === 'en' ? p.en : p.zh);
          if (viewport.kind === 'phone') expect(await hasNoHorizontalScroll(page), `${p.name}: no sideways scroll on a phone (${locale})`).toBe(true);
          await page.screenshot({ path: path.join(screenshotDir, `${p.name}-${viewport.kind}-${locale}.png`), fullPage: true });
        }
        // The form open, as a phone shows it.
        await page.goto(`${server.url}/reports/subscriptions`);
        await page.click('[data-testid=subscription-new]');
        await page.waitForSelector('[data-testid=subscription-form]');
        if (viewport.kind === 'phone') expect(await hasNoHorizontalScroll(page), `subscription form: no sideways scroll (${locale})`).toBe(true);
        await page.screenshot({ path: path.join(screenshotDir, `reports-subscription-form-${viewport.kind}-${locale}.png`), fullPage: true });
        await page.context().close();
      }
    }
  }, 300_000);

  it('shows a marketer the refusal of a report their chosen role may not see, and no outbox tab', async () => {
    const page = await newPage({ width: 1280, height: 900 });
    await signInBrowser(page, 'marketer');
    await page.goto(`${server.url}/reports/subscriptions`);
    expect(await page.locator('[data-testid=report-tabs]').textContent()).not.toContain('Outbox');
    await page.click('[data-testid=subscription-new]');
    const form = page.locator('[data-testid=subscription-form]');
    await form.locator('select[name=role]').selectOption('executive');
    // The segment report is listed but disabled for the executive role…
    expect(await form.locator('select[name=report] option[value=segment]').isDisabled()).toBe(true);
    // …and if sent anyway (a stale form), the server's refusal is shown, naming the permission.
    await form.locator('select[name=report]').evaluate((select: HTMLSelectElement) => {
      select.querySelector('option[value=segment]')!.removeAttribute('disabled');
    });
    await form.locator('select[name=report]').selectOption('segment');
    await form.locator('input[name=name]').fill('Not allowed');
    await form.locator('textarea[name=recipients]').fill('someone@example.com');
    await page.click('[data-testid=subscription-save]');
    const error = page.locator('[data-testid=subscription-error]');
    await error.waitFor();
    expect(await error.getAttribute('data-field')).toBe('role');
    expect(await error.textContent()).toMatch(/lacks data:export/);
    await page.screenshot({ path: path.join(screenshotDir, 'reports-subscription-refused-desktop-en.png'), fullPage: true });
    const response = await page.goto(`${server.url}/reports/outbox`);
    expect(response?.status()).toBe(403);
    await page.context().close();
  }, 60_000);
});

describe('campaign results in the dashboard', () => {
  interface CampaignJson {
    id: number;
    name: string;
    audience: number;
    holdout: number;
    converted: number;
    revenue: number;
    conversionLift: number | null;
    conversionLiftLow: number | null;
    attributionDays: number;
  }

  it('answers the campaign routes for every role, with the mart’s figures', async () => {
    for (const role of roles) {
      const list = await call<{ available: boolean; campaigns: CampaignJson[] }>(role, 'GET', '/api/campaigns');
      expect(list.status, role).toBe(can(role, 'page:campaigns') ? 200 : 403);
    }
    const list = await call<{ available: boolean; reportingCurrency: string; campaigns: CampaignJson[] }>('marketer', 'GET', '/api/campaigns');
    const mart = await withPublishedSnapshot(env.dataDir, (db) =>
      db.all<{ campaign_id: number; audience: number; holdout: number; converted: number; revenue: string }>(
        'SELECT campaign_id, audience, holdout, converted, revenue::VARCHAR AS revenue FROM marts.campaign_results ORDER BY started_at DESC, campaign_id',
      ),
    );
    expect(list.body.available).toBe(true);
    expect(list.body.campaigns.map((c) => [c.id, c.audience, c.holdout, c.converted, c.revenue.toFixed(2)])).toEqual(mart.map((m) => [m.campaign_id, m.audience, m.holdout, m.converted, m.revenue]));
    expect(list.body.campaigns.every((c) => c.attributionDays === 14)).toBe(true);

    const withHoldout = list.body.campaigns.find((c) => c.holdout > 0 && c.audience > 0)!;
    const detail = await call<{ campaign: CampaignJson; byBand: { band: string | null; audience: number; holdout: number }[]; bySegment: { segmentId: number | null; audience: number }[] }>(
      'executive',
      'GET',
      `/api/campaigns/${withHoldout.id}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.campaign.id).toBe(withHoldout.id);
    expect(detail.body.byBand.reduce((a, b) => a + b.audience, 0)).toBe(withHoldout.audience);
    expect(detail.body.bySegment.reduce((a, b) => a + b.audience, 0)).toBe(withHoldout.audience);
    for (const [url, status, field] of [
      ['/api/campaigns/99999999', 404, 'id'],
      ['/api/campaigns/abc', 400, 'id'],
      ['/api/campaigns/1%20OR%201=1', 400, 'id'],
    ] as const) {
      const answer = await call<ErrorBody>('marketer', 'GET', url);
      expect(answer.status, url).toBe(status);
      expect(answer.body.error.field, url).toBe(field);
    }
  });

  it('lists campaigns and opens one with its funnel, lift and breakdowns, in both languages, on a desktop and a phone', async () => {
    const list = await call<{ campaigns: CampaignJson[] }>('marketer', 'GET', '/api/campaigns');
    // The campaign with a holdout and the most conversions: the page with the most to show.
    const target = [...list.body.campaigns].filter((c) => c.holdout > 0).sort((a, b) => b.converted - a.converted || b.audience - a.audience)[0]!;
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [
        { kind: 'desktop', width: 1280, height: 900 },
        { kind: 'phone', width: 375, height: 812 },
      ]) {
        await env.ctx.pool.query('UPDATE pulse.users SET language = NULL WHERE email = $1', [users.marketer.email]);
        const page = await newPage({ width: viewport.width, height: viewport.height, locale: locale === 'en' ? 'en-US' : 'zh-CN' });
        await signInBrowser(page, 'marketer');
        await page.goto(`${server.url}/campaigns`);
        const rows = page.locator(viewport.kind === 'desktop' ? '[data-testid=campaign-row]' : '[data-testid=campaign-card]');
        await rows.first().waitFor();
        expect(await rows.count()).toBe(list.body.campaigns.length);
        await expect(page.locator('h1').first().textContent()).resolves.toBe(locale === 'en' ? 'Campaigns' : '营销活动');
        if (viewport.kind === 'phone') expect(await hasNoHorizontalScroll(page), `campaigns: no sideways scroll (${locale})`).toBe(true);
        await page.screenshot({ path: path.join(screenshotDir, `campaigns-${viewport.kind}-${locale}.png`), fullPage: true });

        await page.goto(`${server.url}/campaigns/${target.id}`);
        await page.waitForSelector('.recharts-bar-rectangle', { timeout: 20_000 });
        await expect(page.locator('h1').first().textContent()).resolves.toBe(target.name);
        const item = viewport.kind === 'desktop' ? 'breakdown-row' : 'breakdown-card';
        const suffix = viewport.kind === 'desktop' ? '' : '-cards';
        expect(await page.locator(`[data-testid=by-band${suffix}] [data-testid=${item}]`).count()).toBeGreaterThan(0);
        expect(await page.locator(`[data-testid=by-segment${suffix}] [data-testid=${item}]`).count()).toBeGreaterThan(0);
        const verdict = await page.locator('[data-testid=conversion-verdict]').getAttribute('data-verdict');
        expect(['up', 'down', 'unclear', 'small']).toContain(verdict);
        if (viewport.kind === 'phone') expect(await hasNoHorizontalScroll(page), `campaign: no sideways scroll (${locale})`).toBe(true);
        await page.screenshot({ path: path.join(screenshotDir, `campaign-${viewport.kind}-${locale}.png`), fullPage: true });
        await page.context().close();
      }
    }
    for (const bad of ['abc', '99999999']) expect((await fetch(`${server.url}/campaigns/${bad}`, { headers: { cookie: await cookieOf('marketer') } })).status, bad).toBe(404);
  }, 180_000);
});
