// Rendering a report to files: open the published snapshot, build the data, write the PDF and/or
// XLSX. Used by the CLI (`pulse reports render`), by "send now" and by scheduled delivery.
import type { Role } from '../lib/auth-roles.ts';
import { withPublishedSnapshot } from '../warehouse/index.ts';
import { resolveCjkFont, type CjkFont } from './cjk-font.ts';
import type { PeriodInput } from './period.ts';
import type { PersonalDataSource } from './personal-data.ts';
import { buildReportData, type ReportData, type ReportMeta } from './report-data.ts';
import { MIME_TYPES, type Language, type ReportFormat, type ReportName } from './report-definitions.ts';
import { formatters, strings } from './report.i18n.ts';
import { renderPdf } from './render-pdf.ts';
import { reportSheets, workbookBuffer } from './render-xlsx.ts';
import { checkReportAccess } from './subscriptions.ts';

export interface ReportEnvironment {
  dataDir: string;
  /** Names, e-mails, phones for the rows a report prints (masked by role). */
  personal: PersonalDataSource;
  /** Default: resolveCjkFont() (the npm font package). */
  font?: CjkFont;
  /** Time zone the generation time is printed in. */
  timeZone?: string;
  now?: () => Date;
}

export interface RenderOptions {
  format: ReportFormat;
  lang: Language;
  period?: PeriodInput;
  /** Whose permissions the data follows; default 'manager' (everything a report shows, unmasked). */
  role?: Role;
  segmentId?: number;
}

export interface RenderedFile {
  format: ReportFormat;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface RenderedReport {
  meta: ReportMeta;
  files: RenderedFile[];
  subject: string;
  text: string;
}

export const DEFAULT_RENDER_ROLE: Role = 'manager';

/** One report in one format, as bytes: `pulse reports render NAME --format pdf|xlsx --lang … --out FILE`. */
export async function renderReport(name: ReportName, options: RenderOptions, env: ReportEnvironment): Promise<Buffer> {
  const rendered = await renderReportFiles({ report: name, formats: [options.format], lang: options.lang, role: options.role ?? DEFAULT_RENDER_ROLE, period: options.period, segmentId: options.segmentId }, env);
  return rendered.files[0]!.content;
}

export interface RenderRequest {
  report: ReportName;
  formats: ReportFormat[];
  lang: Language;
  role: Role;
  period?: PeriodInput | undefined;
  segmentId?: number | undefined;
}

/** The report in each requested format, from one read of the published snapshot, plus the e-mail's subject and text. */
export async function renderReportFiles(request: RenderRequest, env: ReportEnvironment): Promise<RenderedReport> {
  const refusal = checkReportAccess(request.report, request.role);
  if (refusal) throw refusal;
  const font = env.font ?? resolveCjkFont();
  const now = env.now?.() ?? new Date();
  return withPublishedSnapshot(env.dataDir, async (db) => {
    const data = await buildReportData(
      db,
      { report: request.report, lang: request.lang, role: request.role, ...(request.period ? { period: request.period } : {}), ...(request.segmentId !== undefined ? { segmentId: request.segmentId } : {}) },
      { personal: env.personal, now, timeZone: env.timeZone ?? 'UTC' },
    );
    const files: RenderedFile[] = [];
    const base = `pulse-${request.report}-${data.meta.from}_${data.meta.to}.${request.lang}`;
    for (const format of request.formats) {
      const content = format === 'pdf' ? await renderPdf(data, font) : await workbookBuffer(reportSheets(data), { created: now });
      files.push({ format, filename: `${base}.${format}`, contentType: MIME_TYPES[format], content });
    }
    return { meta: data.meta, files, ...mailText(data) };
  });
}

function mailText(data: ReportData): { subject: string; text: string } {
  const t = strings(data.meta.lang);
  const f = formatters(data.meta.lang, data.meta.currency);
  const subject = `${t.title[data.meta.report]} · ${data.meta.from} – ${data.meta.to}`;
  const lines = [`${t.title[data.meta.report]}`, `${t.period}: ${data.meta.from} – ${data.meta.to}`, `${t.snapshotAsOf}: ${data.meta.asOf}`, ''];
  if (data.kind === 'executive') {
    lines.push(...data.sentences, '');
    for (const k of data.kpis.slice(0, 4)) lines.push(`${k.label}: ${k.unit === 'currency' ? f.money(k.value) : f.count(k.value)} (${f.signedPercent(k.change)})`);
    lines.push('');
  }
  lines.push('Pulse');
  return { subject, text: lines.join('\n') };
}
