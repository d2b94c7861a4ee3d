// Customer-controlled text in reports and e-mails (issue #6): names that are markup or look like
// spreadsheet formulas reach the PDF as the literal text (read back with pdftotext), the workbook as
// string cells (never formulas), and the e-mail only as attachments of a plain-text message with no
// HTML part a mail client could render. Sent through a real SMTP server and parsed back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { createLogger } from '../lib/log.ts';
import { createPersonalDataSource, createSmtpTransport, renderReport, sendReportNow, type ReportEnvironment } from '../reports/index.ts';
import { withPublishedSnapshot } from '../warehouse/index.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

const MARKUP_NAME = '<img src=x onerror=alert(1)><script>alert("x")</script>';
const FORMULA_NAMES = ['=cmd|\' /C calc\'!A0', '+1+1', '-1+1', '@SUM(1,1)'];

let database: TestDatabase;
let env: PulseTestEnv;
let sourcePool: pg.Pool;
let reportEnv: ReportEnvironment;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-xss-'));

beforeAll(async () => {
  database = await createMigratedDatabase('xss_reports', { demoSource: true });
  await seedDemoData(database.url, { customers: 800, seed: 13, asOf: new Date('2026-10-01T00:00:00Z') });
  env = createPulseEnv(database.url);
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'xss' });
  sourcePool = new pg.Pool({ connectionString: database.url, max: 3 });
  reportEnv = { dataDir: env.dataDir, personal: createPersonalDataSource(sourcePool), timeZone: 'UTC', now: () => new Date('2026-10-01T08:00:00Z') };
  // The top five of the churn watchlist (which the executive report prints): markup, then formulas.
  const top = await withPublishedSnapshot(env.dataDir, (db) =>
    db.all<{ id: number }>(
      `SELECT customer_id AS id FROM marts.customer_360 WHERE churn_risk IS NOT NULL AND expected_value_12m IS NOT NULL
       ORDER BY CAST(round(CAST(churn_risk / 100 * expected_value_12m AS DECIMAL(18,6)), 2) AS DOUBLE) DESC, customer_id LIMIT 5`,
    ),
  );
  const names = [MARKUP_NAME, ...FORMULA_NAMES];
  for (const [i, row] of top.entries()) await sourcePool.query('UPDATE pulse_app.customers SET name = $2 WHERE id = $1', [Number(row.id), names[i]]);
}, 240_000);

afterAll(async () => {
  await sourcePool?.end();
  await env?.close();
  await database?.drop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

function pdfText(pdf: Buffer): string {
  const file = path.join(scratch, `report-${Date.now()}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
}

/** Every text cell of every sheet that shows one of `names`, with its type and formula. */
async function cellsShowing(xlsx: Buffer, names: string[]): Promise<{ text: string; type: ExcelJS.ValueType; formula: string | undefined }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  const found: { text: string; type: ExcelJS.ValueType; formula: string | undefined }[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const text = typeof cell.value === 'string' ? cell.value : cell.text;
        if (names.includes(text) || (cell.formula && names.some((n) => n.includes(cell.formula!)))) found.push({ text, type: cell.type, formula: cell.formula || undefined });
      }),
    );
  }
  return found;
}

describe('reports with customer text that is markup or a formula', () => {
  it('prints markup names literally in the PDF (pdftotext), in English and Chinese', async () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const text = pdfText(await renderReport('executive', { format: 'pdf', lang, role: 'manager', period: { from: '2026-09-24', to: '2026-09-30' } }, reportEnv));
      // The table column cuts a long name with an ellipsis; what is shown is the literal text.
      expect(text.replace(/\s+/g, ' '), lang).toContain('<img src=x onerror=alert');
      expect(text, lang).toContain('=cmd|');
    }
  });

  it('writes formula-looking and markup names as string cells, never formulas, in the workbook', async () => {
    const xlsx = await renderReport('executive', { format: 'xlsx', lang: 'en', role: 'manager', period: { from: '2026-09-24', to: '2026-09-30' } }, reportEnv);
    const cells = await cellsShowing(xlsx, [MARKUP_NAME, ...FORMULA_NAMES]);
    expect(cells.map((c) => c.text).sort()).toEqual([MARKUP_NAME, ...FORMULA_NAMES].sort());
    for (const c of cells) {
      expect(c.type, c.text).toBe(ExcelJS.ValueType.String);
      expect(c.formula, c.text).toBeUndefined();
    }
  });

  it('sends them as attachments of a plain-text e-mail with no HTML part', async () => {
    const received: ParsedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => void simpleParser(Buffer.concat(chunks)).then((mail) => (received.push(mail), callback(null, 'queued'))));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.server.address() as { port: number }).port;
    const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`, { ignoreTLS: true });
    try {
      const summary = await sendReportNow(
        { pool: env.ctx.pool, log: createLogger('silent'), transport, env: reportEnv },
        { report: 'executive', to: ['ceo@example.com'], formats: ['pdf', 'xlsx'], lang: 'en', role: 'manager' },
      );
      expect(summary.sent).toBe(1);
    } finally {
      await transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const mail = received[0]!;
    expect(mail.html).toBe(false);
    expect(mail.text ?? '').not.toMatch(/<img|<script/);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect(pdfText(pdf.content).replace(/\s+/g, ' ')).toContain('<img src=x onerror=alert');
    const xlsx = mail.attachments.find((a) => a.contentType.includes('spreadsheetml'))!;
    const cells = await cellsShowing(xlsx.content, [MARKUP_NAME]);
    expect(cells).toEqual([{ text: MARKUP_NAME, type: ExcelJS.ValueType.String, formula: undefined }]);
  });
});
