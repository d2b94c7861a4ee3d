// `pulse reports send|render|log` and `pulse outbox`: thin wrappers over reports/.
import fs from 'node:fs';
import { ReportError } from '../lib/errors.ts';
import { isRole, roles, type Role } from '../lib/auth-roles.ts';
import { createPool } from '../lib/pg-pool.ts';
import {
  DELIVERY_STATES,
  FORMATS,
  LANGUAGES,
  REPORT_NAMES,
  createMailTransport,
  createPersonalDataSource,
  listDeliveries,
  listOutbox,
  renderReport,
  sendReportNow,
  type DeliveryState,
  type Language,
  type ReportFormat,
  type ReportName,
} from '../reports/index.ts';
import type { CommandContext } from './context.ts';

export function parseReportName(value: string): ReportName {
  if (!(REPORT_NAMES as readonly string[]).includes(value)) throw new ReportError('bad_report', `Unknown report ${JSON.stringify(value)}: use one of ${REPORT_NAMES.join(', ')}`);
  return value as ReportName;
}

function parseLanguage(value: string): Language {
  if (!(LANGUAGES as readonly string[]).includes(value)) throw new ReportError('bad_language', `--lang must be ${LANGUAGES.join(' or ')}, got ${JSON.stringify(value)}`);
  return value as Language;
}

function parseRole(value: string): Role {
  if (!isRole(value)) throw new ReportError('bad_role', `--role must be one of ${roles.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

function parseState(value: string): DeliveryState {
  if (!(DELIVERY_STATES as readonly string[]).includes(value)) throw new ReportError('bad_state', `--state must be one of ${DELIVERY_STATES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as DeliveryState;
}

function parseFormats(value: string): ReportFormat[] {
  const formats = value.split(',').map((f) => f.trim());
  for (const f of formats) if (!(FORMATS as readonly string[]).includes(f)) throw new ReportError('bad_format', `--format: ${JSON.stringify(f)} is not one of ${FORMATS.join(', ')}`);
  return formats as ReportFormat[];
}

async function withSourcePool<T>(ctx: CommandContext, fn: (personal: ReturnType<typeof createPersonalDataSource>) => Promise<T>): Promise<T> {
  const pool = createPool(ctx.dbs.sourceUrl, 2);
  try {
    return await fn(createPersonalDataSource(pool));
  } finally {
    await pool.end();
  }
}

export async function renderReportCommand(ctx: CommandContext, name: string, options: { format: string; lang: string; out: string; role?: string }): Promise<void> {
  const format = parseFormats(options.format);
  if (format.length !== 1) throw new ReportError('bad_format', '--format takes one format when rendering to a file');
  const content = await withSourcePool(ctx, (personal) =>
    renderReport(parseReportName(name), { format: format[0]!, lang: parseLanguage(options.lang), ...(options.role ? { role: parseRole(options.role) } : {}) }, { dataDir: ctx.config.dataDir, personal, timeZone: ctx.config.timeZone }),
  );
  fs.writeFileSync(options.out, content);
  console.log(`Wrote ${options.out} (${content.length.toLocaleString('en')} bytes)`);
}

export async function sendReportCommand(ctx: CommandContext, name: string, options: { to: string[]; format: string; lang: string; role?: string }): Promise<void> {
  const transport = await createMailTransport({ smtpUrl: ctx.config.smtpUrl, dataDir: ctx.config.dataDir });
  try {
    const summary = await withSourcePool(ctx, (personal) =>
      sendReportNow(
        { pool: ctx.dbs.pool, log: ctx.log, transport, env: { dataDir: ctx.config.dataDir, personal, timeZone: ctx.config.timeZone } },
        { report: parseReportName(name), to: options.to, formats: parseFormats(options.format), lang: parseLanguage(options.lang), ...(options.role ? { role: parseRole(options.role) } : {}) },
      ),
    );
    console.log(`Sent ${summary.sent}, failed ${summary.failed}, unknown ${summary.unknown} (via ${transport.description}).`);
    if (summary.failed > 0 || summary.unknown > 0) process.exitCode = 1;
  } finally {
    await transport.close();
  }
}

export async function reportsLogCommand(ctx: CommandContext, options: { state?: string; limit: number; json?: boolean }): Promise<void> {
  const rows = await listDeliveries(ctx.dbs.pool, { ...(options.state ? { state: parseState(options.state) } : {}), limit: options.limit });
  if (options.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) console.log('No deliveries yet.');
  for (const r of rows) {
    console.log(`${r.createdAt}  ${r.state.padEnd(8)} ${r.report.padEnd(9)} ${r.formats.join('+').padEnd(8)} ${r.language.padEnd(5)} ${r.recipient}  slot ${r.slot}  ${r.messageId}${r.error ? `\n    error: ${r.error}` : ''}`);
  }
}

export async function outboxCommand(dataDir: string, options: { limit: number; json?: boolean }): Promise<void> {
  const entries = await listOutbox(dataDir, { limit: options.limit });
  if (options.json) {
    console.log(JSON.stringify(entries, null, 2));
    return;
  }
  if (entries.length === 0) console.log(`The outbox (${dataDir}/outbox) is empty.`);
  for (const e of entries) {
    console.log(`${e.receivedAt}  to ${e.to ?? '?'}  "${e.subject ?? ''}"  ${e.attachments.map((a) => `${a.filename} (${a.contentType}, ${a.size.toLocaleString('en')} B)`).join(', ')}\n    ${e.file}`);
  }
}
