// Scheduled reports end to end: a real snapshot (seed → pipeline), real PostgreSQL, a real SMTP
// server in-process (smtp-server) read back with mailparser, PDFs read with pdftotext, workbooks
// re-read with exceljs, and worker crashes simulated by killing a child process at each stage.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { cliActor } from '../lib/audit.ts';
import { createLogger } from '../lib/log.ts';
import { projectRoot } from '../lib/paths.ts';
import {
  createPersonalDataSource,
  createSmtpTransport,
  createSubscription,
  deliverSlot,
  listDeliveries,
  listOutbox,
  parseSubscription,
  renderReport,
  resolveCjkFont,
  sendReportNow,
  startCaptureServer,
  type DeliveryContext,
  type DeliveryTarget,
  type MailTransport,
  type ReportEnvironment,
} from '../reports/index.ts';
import { queryMetrics, withPublishedSnapshot } from '../warehouse/index.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

const ARTIFACTS = path.join(projectRoot, 'artifacts', 'reports');
const FORMULA_NAME = '=HYPERLINK("http://evil.example","click")';

let database: TestDatabase;
let env: PulseTestEnv;
let reportEnv: ReportEnvironment;
let sourcePool: pg.Pool;
let formulaCustomerId: number;

beforeAll(async () => {
  database = await createMigratedDatabase('reports', { demoSource: true });
  await seedDemoData(database.url, { customers: 3000, seed: 11, asOf: new Date('2026-10-01T00:00:00Z') });
  env = createPulseEnv(database.url);
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
  sourcePool = new pg.Pool({ connectionString: database.url, max: 3 });
  reportEnv = { dataDir: env.dataDir, personal: createPersonalDataSource(sourcePool), font: resolveCjkFont(), timeZone: 'Asia/Shanghai', now: () => new Date('2026-10-01T08:00:00Z') };
  // The customer at the top of the churn watchlist gets a name that looks like a spreadsheet formula.
  formulaCustomerId = await withPublishedSnapshot(env.dataDir, async (db) => {
    const row = await db.one<{ customer_id: number }>(
      `SELECT customer_id FROM marts.customer_360 WHERE churn_risk IS NOT NULL AND expected_value_12m IS NOT NULL
       ORDER BY CAST(round(CAST(churn_risk / 100 * expected_value_12m AS DECIMAL(18,6)), 2) AS DOUBLE) DESC, customer_id LIMIT 1`,
    );
    return Number(row.customer_id);
  });
  await sourcePool.query('UPDATE pulse_app.customers SET name = $2, email = $3 WHERE id = $1', [formulaCustomerId, FORMULA_NAME, '+alice.wong@example.com']);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await sourcePool?.end();
  await env?.close();
  await database?.drop();
});

function pdfText(pdf: Buffer, name: string): string {
  const file = path.join(ARTIFACTS, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  // The first page as a picture, to look at (artifacts/ is git-ignored).
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(ARTIFACTS, name)]);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
}

async function kpiTotals(from: string, to: string): Promise<Record<string, number | null>> {
  return withPublishedSnapshot(env.dataDir, async (db) => {
    const r = await queryMetrics(db, { metrics: ['revenue', 'orders', 'new_customers', 'customers', 'revenue_at_risk'], from, to, compareTo: 'previous_period' });
    return r.totals;
  });
}

const money = (lang: string, v: number | null): string => new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(v ?? 0);

describe('renderReport', () => {
  it('writes an executive PDF in English whose figures are the metrics layer’s for the same period', async () => {
    const pdf = await renderReport('executive', { format: 'pdf', lang: 'en', period: { from: '2026-09-24', to: '2026-09-30' } }, reportEnv);
    const text = pdfText(pdf, 'executive-en');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(ARTIFACTS, 'executive-en.pdf')]).toString())![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(4);
    const totals = await kpiTotals('2026-09-24', '2026-09-30');
    expect(text).toContain('Executive summary');
    expect(text).toContain('2026-09-24 – 2026-09-30');
    expect(text).toContain(money('en', totals.revenue!));
    expect(text).toContain(money('en', totals.revenue_at_risk!));
    expect(text).toContain(new Intl.NumberFormat('en').format(totals.orders!));
    expect(text).toContain(new Intl.NumberFormat('en').format(totals.customers!));
    expect(text).toContain('Churn watchlist');
    // Customer text is printed as text: the formula-looking name appears literally (manager: unmasked).
    expect(text).toContain('=HYPERLINK');
  });

  it('writes the same report in Chinese, and its text extracts as Chinese', async () => {
    const pdf = await renderReport('executive', { format: 'pdf', lang: 'zh-CN', period: { from: '2026-09-24', to: '2026-09-30' } }, reportEnv);
    const text = pdfText(pdf, 'executive-zh');
    const totals = await kpiTotals('2026-09-24', '2026-09-30');
    expect(text).toContain('管理层摘要');
    expect(text).toContain('关键指标');
    expect(text).toContain('流失预警名单');
    expect(text).toContain(money('zh-CN', totals.revenue!));
  });

  it('renders the segment, sales and service reports as PDFs', async () => {
    const segment = pdfText(await renderReport('segment', { format: 'pdf', lang: 'en' }, reportEnv), 'segment-en');
    expect(segment).toContain('Segment report');
    const sales = pdfText(await renderReport('sales', { format: 'pdf', lang: 'zh-CN' }, reportEnv), 'sales-zh');
    expect(sales).toContain('销售机会报告');
    const service = pdfText(await renderReport('service', { format: 'pdf', lang: 'en' }, reportEnv), 'service-en');
    expect(service).toContain('Customer service report');
  });

  it('writes an XLSX whose sums equal the metrics layer, with real formats and formula-looking names as text', async () => {
    const xlsx = await renderReport('executive', { format: 'xlsx', lang: 'en', period: { from: '2026-09-24', to: '2026-09-30' } }, reportEnv);
    fs.writeFileSync(path.join(ARTIFACTS, 'executive-en.xlsx'), xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['KPIs', 'Trend', 'Segments', 'Watchlist']);
    const totals = await kpiTotals('2026-09-24', '2026-09-30');
    const kpis = wb.getWorksheet('KPIs')!;
    const kpiRow = (id: string): ExcelJS.Row => kpis.getRows(2, kpis.rowCount - 1)!.find((r) => r.getCell(2).value === id)!;
    expect(kpiRow('revenue').getCell(3).value).toBe(totals.revenue);
    expect(kpiRow('orders').getCell(3).value).toBe(totals.orders);
    const segments = wb.getWorksheet('Segments')!;
    let customers = 0;
    let revenueCents = 0;
    segments.getRows(2, segments.rowCount - 1)!.forEach((r) => {
      customers += Number(r.getCell(3).value);
      revenueCents += Math.round(Number(r.getCell(4).value) * 100);
    });
    expect(customers).toBe(totals.customers);
    expect(revenueCents / 100).toBe(totals.revenue);
    expect(segments.getCell('D2').numFmt).toBe('#,##0.00');
    expect(kpis.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const trend = wb.getWorksheet('Trend')!;
    expect(trend.getCell('A2').value).toBeInstanceOf(Date);
    expect(trend.getCell('A2').numFmt).toBe('yyyy-mm-dd');
    const watch = wb.getWorksheet('Watchlist')!;
    const formulaRow = watch.getRows(2, watch.rowCount - 1)!.find((r) => r.getCell(2).value === formulaCustomerId)!;
    expect(formulaRow.getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(formulaRow.getCell(3).value).toBe(FORMULA_NAME);
    expect(formulaRow.getCell(3).formula).toBeUndefined();
    expect(formulaRow.getCell(4).value).toBe('+alice.wong@example.com');
    expect(formulaRow.getCell(4).type).toBe(ExcelJS.ValueType.String);
  });

  it('masks personal data for a marketer', async () => {
    const xlsx = await renderReport('executive', { format: 'xlsx', lang: 'en', role: 'marketer' }, reportEnv);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const watch = wb.getWorksheet('Watchlist')!;
    const row = watch.getRows(2, watch.rowCount - 1)!.find((r) => r.getCell(2).value === formulaCustomerId)!;
    expect(row.getCell(3).value).toBe('=••');
    expect(row.getCell(4).value).toBe('+•••@example.com');
    const pdf = pdfText(await renderReport('executive', { format: 'pdf', lang: 'en', role: 'marketer' }, reportEnv), 'executive-marketer');
    expect(pdf).not.toContain('HYPERLINK');
    expect(pdf).toContain('masked');
  });
});

describe('parseSubscription', () => {
  it('refuses a subscription to a report the role may not see, naming the missing permission', async () => {
    const result = parseSubscription({ name: 'x', report: 'segment', formats: ['xlsx'], recipients: ['ceo@example.com'], cron: '0 8 * * 1', timeZone: 'Asia/Shanghai', language: 'zh-CN', role: 'executive' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/Role "executive" may not receive the segment report: it lacks data:export/);
    await expect(createSubscription(env.ctx.pool, { name: 'x', report: 'segment', formats: ['xlsx'], recipients: ['a@b.co'], cron: '0 8 * * 1', timeZone: 'UTC', language: 'en', role: 'executive' }, cliActor())).rejects.toThrow(/lacks data:export/);
  });

  it('names the bad field', () => {
    const bad = parseSubscription({ name: 'x', report: 'executive', formats: ['pdf'], recipients: ['not-an-address'], cron: '0 8 * * 1', timeZone: 'Mars/Base', language: 'en', role: 'executive' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/recipients\.0/);
  });
});

// --- Mail ---------------------------------------------------------------------------------------

interface Received {
  messageId: string;
  to: string;
  mail: ParsedMail;
}

interface TestSmtp {
  port: number;
  received: Received[];
  /** Called when a message's data starts arriving (to kill the sender mid-send). */
  onDataStart?: () => void;
  close(): Promise<void>;
}

async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const state: TestSmtp = { port: 0, received: [], close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let first = true;
      let senderKilled = false;
      stream.on('data', (c: Buffer) => {
        if (first) {
          first = false;
          if (state.onDataStart) {
            senderKilled = true;
            state.onDataStart();
          }
        }
        chunks.push(c);
      });
      stream.on('end', () => {
        // A message whose sender was killed while sending it was never completed: not received.
        if (senderKilled) return callback(new Error('sender went away'));
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          state.received.push({ messageId: mail.messageId ?? '', to: session.envelope.rcptTo.map((r) => r.address).join(','), mail });
          callback(null, 'queued');
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

function deliveryContext(transport: MailTransport, extra: Partial<DeliveryContext> = {}): DeliveryContext {
  return { pool: env.ctx.pool, log: createLogger('silent'), transport, env: reportEnv, retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 }, ...extra };
}

/** The test server as a transport that can be asked what it received (like the local capture). */
function lookupTransport(smtp: TestSmtp): MailTransport {
  const t = createSmtpTransport(`smtp://127.0.0.1:${smtp.port}`, { ignoreTLS: true });
  return { ...t, description: 'test smtp', hasMessage: async (id) => smtp.received.some((r) => r.messageId === id) };
}

async function retryWhileBusy<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if ((error as { code?: string }).code !== 'slot_busy' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function target(slot: string, recipients: string[], extra: Partial<DeliveryTarget> = {}): DeliveryTarget {
  return { subscriptionId: null, slot, report: 'executive', formats: ['pdf', 'xlsx'], recipients, language: 'zh-CN', role: 'executive', period: 'week', ...extra };
}

describe('deliverSlot', () => {
  it('e-mails both attachments with the right MIME types, subject and language', async () => {
    const smtp = await startTestSmtp();
    try {
      const summary = await deliverSlot(deliveryContext(lookupTransport(smtp)), target('2026-10-05T00:00:00.000Z', ['ceo@example.com']));
      expect(summary).toMatchObject({ sent: 1, failed: 0, unknown: 0 });
      expect(smtp.received).toHaveLength(1);
      const { mail } = smtp.received[0]!;
      expect(mail.subject).toMatch(/^管理层摘要 · \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}$/);
      expect(mail.headers.get('content-language')).toBe('zh-CN');
      expect(mail.attachments.map((a) => a.contentType).sort()).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
      expect(mail.attachments.find((a) => a.contentType === 'application/pdf')!.content.subarray(0, 5).toString()).toBe('%PDF-');
      expect(mail.text).toContain('收入');
      const log = await listDeliveries(env.ctx.pool, { recipient: 'ceo@example.com' });
      expect(log[0]).toMatchObject({ state: 'sent', messageId: smtp.received[0]!.messageId, attempts: 1 });
      // Running the slot again sends nothing.
      await deliverSlot(deliveryContext(lookupTransport(smtp)), target('2026-10-05T00:00:00.000Z', ['ceo@example.com']));
      expect(smtp.received).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  const runChild = (smtpPort: number, stage: string, t: DeliveryTarget): Promise<number | null> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests', 'reports-crash-child.ts'), database.url, env.dataDir, String(smtpPort), stage, JSON.stringify(t)], {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: process.env,
      });
      childPid = child.pid ?? 0;
      child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? null : code));
    });
  let childPid = 0;

  for (const stage of ['after-render', 'mid-send', 'after-send']) {
    it(`sends each recipient the slot's report exactly once when the worker is killed ${stage}`, async () => {
      const smtp = await startTestSmtp();
      try {
        const recipients = [`a.${stage}@example.com`, `b.${stage}@example.com`];
        const t = target(`2026-10-12T00:00:00.000Z-${stage}`, recipients, { language: 'en' });
        if (stage === 'mid-send') smtp.onDataStart = () => process.kill(childPid, 'SIGKILL');
        const exit = await runChild(smtp.port, stage, t);
        expect(exit).toBeNull(); // killed
        smtp.onDataStart = undefined;
        const before = await listDeliveries(env.ctx.pool, { recipient: recipients[0] });
        expect(before[0]!.state).toBe(stage === 'after-render' ? 'pending' : 'sending');
        // The job is retried (by pg-boss, after the missed heartbeat): the same slot again. PostgreSQL
        // frees the dead worker's slot lock once it notices the closed connection, so like pg-boss the
        // retry waits while the slot is busy.
        const summary = await retryWhileBusy(() => deliverSlot(deliveryContext(lookupTransport(smtp)), t));
        expect(summary.failed + summary.unknown).toBe(0);
        for (const r of recipients) expect(smtp.received.filter((m) => m.to === r)).toHaveLength(1);
        const rows = await Promise.all(recipients.map((r) => listDeliveries(env.ctx.pool, { recipient: r })));
        expect(rows.map((r) => r[0]!.state)).toEqual(['sent', 'sent']);
        // A third run changes nothing.
        await deliverSlot(deliveryContext(lookupTransport(smtp)), t);
        expect(smtp.received).toHaveLength(2);
      } finally {
        await smtp.close();
      }
    }, 90_000);
  }

  it('with a relay that cannot be asked, marks an interrupted send "unknown" and never sends it twice', async () => {
    const smtp = await startTestSmtp();
    try {
      const t = target('2026-10-19T00:00:00.000Z', ['cfo@example.com'], { language: 'en' });
      expect(await runChild(smtp.port, 'after-send', t)).toBeNull();
      expect(smtp.received).toHaveLength(1);
      const summary = await retryWhileBusy(() => deliverSlot(deliveryContext(createSmtpTransport(`smtp://127.0.0.1:${smtp.port}`, { ignoreTLS: true })), t));
      expect(summary.unknown).toBe(1);
      expect(smtp.received).toHaveLength(1);
      const [row] = await listDeliveries(env.ctx.pool, { recipient: 'cfo@example.com' });
      expect(row).toMatchObject({ state: 'unknown' });
      expect(row!.error).toMatch(/Not resent automatically/);
    } finally {
      await smtp.close();
    }
  }, 90_000);

  it('retries with backoff while SMTP refuses connections and delivers once it is back', async () => {
    const probe = await startTestSmtp();
    const port = probe.port;
    await probe.close(); // nothing listens on `port` now
    let smtp: TestSmtp | undefined;
    const sleeps: number[] = [];
    const ctx = deliveryContext(createSmtpTransport(`smtp://127.0.0.1:${port}`, { ignoreTLS: true, timeoutMs: 2000 }), {
      retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) smtp = await startTestSmtp(port); // the server comes back
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    try {
      const summary = await deliverSlot(ctx, target('2026-10-26T00:00:00.000Z', ['coo@example.com'], { formats: ['pdf'] }));
      expect(summary.sent).toBe(1);
      expect(sleeps).toEqual([100, 200]);
      expect(smtp!.received.filter((m) => m.to === 'coo@example.com')).toHaveLength(1);
      const [row] = await listDeliveries(env.ctx.pool, { recipient: 'coo@example.com' });
      expect(row).toMatchObject({ state: 'sent', attempts: 3 });
    } finally {
      await smtp?.close();
    }
  }, 60_000);

  it('marks the delivery failed with the SMTP error after the last retry, and the next slot still runs', async () => {
    const probe = await startTestSmtp();
    const port = probe.port;
    await probe.close();
    const down = deliveryContext(createSmtpTransport(`smtp://127.0.0.1:${port}`, { ignoreTLS: true, timeoutMs: 2000 }), { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 } });
    const first = await deliverSlot(down, target('2026-11-02T00:00:00.000Z', ['cmo@example.com'], { formats: ['pdf'] }));
    expect(first.failed).toBe(1);
    const [failed] = await listDeliveries(env.ctx.pool, { recipient: 'cmo@example.com' });
    expect(failed).toMatchObject({ state: 'failed', attempts: 2 });
    expect(failed!.error).toMatch(/ECONNECTION|ECONNREFUSED/);
    const smtp = await startTestSmtp(port);
    try {
      const next = await deliverSlot(deliveryContext(lookupTransport(smtp)), target('2026-11-09T00:00:00.000Z', ['cmo@example.com'], { formats: ['pdf'] }));
      expect(next.sent).toBe(1);
      expect(smtp.received).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  }, 60_000);
});

describe('sendReportNow and the local capture', () => {
  it('stores the message under <dataDir>/outbox and lists it', async () => {
    const capture = await startCaptureServer(env.dataDir);
    try {
      const transport = createSmtpTransport(capture.url, { ignoreTLS: true });
      const summary = await sendReportNow(deliveryContext(transport), { report: 'sales', to: ['head.of.sales@example.com'], formats: ['pdf', 'xlsx'], lang: 'en' });
      expect(summary.sent).toBe(1);
      const outbox = await listOutbox(env.dataDir);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ to: 'head.of.sales@example.com', language: 'en' });
      expect(outbox[0]!.subject).toMatch(/^Sales pipeline report/);
      expect(outbox[0]!.attachments.map((a) => a.contentType).sort()).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    } finally {
      await capture.close();
    }
  });
});
