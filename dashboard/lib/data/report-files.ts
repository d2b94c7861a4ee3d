// A report as the signed-in person may see it, rendered by reports/ exactly as it is e-mailed (the
// same PDF and workbook), for the preview and the downloads on the Reports page. The data follows the
// viewer's own role: masked personal data unless the role has `pii:unmasked`.
import 'server-only';
import { z } from 'zod';
import { can, type Role } from '../../../lib/auth-roles.ts';
import { ReportError } from '../../../lib/errors.ts';
import {
  FORMATS,
  LANGUAGES,
  PERIOD_KINDS,
  REPORT_NAMES,
  REPORTS_LISTING_CUSTOMERS,
  checkReportAccess,
  renderReportFiles,
  type Language,
  type PeriodInput,
  type RenderedFile,
  type ReportFormat,
  type ReportMeta,
  type ReportName,
} from '../../../reports/index.ts';
import { getReportEnvironment } from '../server/reports-env.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real date');

export const reportPeriods = [...PERIOD_KINDS, 'custom'] as const;

export const reportFileQuery = z
  .strictObject({
    format: z.enum(FORMATS, { error: 'must be pdf or xlsx' }).default('pdf'),
    lang: z.enum(LANGUAGES, { error: 'must be zh-CN or en' }).optional(),
    period: z.enum(reportPeriods, { error: `must be one of ${reportPeriods.join(', ')}` }).default('week'),
    from: isoDate.optional(),
    to: isoDate.optional(),
    segment: z.string().regex(/^\d{1,9}$/, 'must be a segment number').transform(Number).optional(),
    /** 1: as a download (Content-Disposition: attachment); otherwise inline, for the preview. */
    download: z.enum(['0', '1'], { error: 'must be 0 or 1' }).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.period !== 'custom') return;
    if (!value.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required for a custom period' });
    if (!value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required for a custom period' });
    if (value.from && value.to && value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before the start date' });
    if (value.from && value.to && Date.parse(value.to) - Date.parse(value.from) > 731 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a period may cover at most two years' });
  });
export type ReportFileQuery = z.output<typeof reportFileQuery>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Query string → object; a key given twice is an error (which one would win is a guess). */
export function singleValues(params: URLSearchParams): ParseResult<Record<string, string>> {
  const raw: Record<string, string> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    if (values.length > 1) return { ok: false, field: key, message: 'must be given once' };
    // An empty value means "not set" (a form submitting an empty select).
    if (values[0]) raw[key] = values[0];
  }
  return { ok: true, value: raw };
}

export function parseZod<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.map(String).join('.') || 'body';
  return { ok: false, field, message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message };
}

export function parseReportFileQuery(params: URLSearchParams): ParseResult<ReportFileQuery> {
  const raw = singleValues(params);
  return raw.ok ? parseZod(reportFileQuery, raw.value) : raw;
}

export interface ReportChoice {
  name: ReportName;
  /** The workbook may be downloaded by this role (it lists customers: needs `data:export`). */
  xlsx: boolean;
}

/** The reports a role may open, in the order of REPORT_NAMES. */
export function reportsForRole(role: Role): ReportChoice[] {
  return REPORT_NAMES.filter((name) => !checkReportAccess(name, role)).map((name) => ({ name, xlsx: mayDownloadWorkbook(name, role) }));
}

export function mayDownloadWorkbook(name: ReportName, role: Role): boolean {
  return !REPORTS_LISTING_CUSTOMERS.includes(name) || can(role, 'data:export');
}

export function periodInput(query: Pick<ReportFileQuery, 'period' | 'from' | 'to'>): PeriodInput {
  return query.period === 'custom' ? { from: query.from!, to: query.to! } : query.period;
}

/**
 * The report file for the viewer. Refuses (ReportError 'report_forbidden') a report the role may not
 * see, and a workbook that lists customers to a role without `data:export`.
 */
export async function renderReportForViewer(name: ReportName, role: Role, query: ReportFileQuery, lang: Language): Promise<{ file: RenderedFile; meta: ReportMeta }> {
  const refusal = checkReportAccess(name, role);
  if (refusal) throw refusal;
  const format: ReportFormat = query.format;
  if (format === 'xlsx' && !mayDownloadWorkbook(name, role)) {
    throw new ReportError('report_forbidden', `The ${name} workbook lists customers: downloading it is an export, which role "${role}" may not do (it lacks data:export).`);
  }
  const rendered = await renderReportFiles(
    { report: name, formats: [format], lang, role, period: periodInput(query), ...(query.segment !== undefined ? { segmentId: query.segment } : {}) },
    await getReportEnvironment(),
  );
  return { file: rendered.files[0]!, meta: rendered.meta };
}
