// Exports of a segment's members as CSV or XLSX, streamed: members are read in customer-id batches
// from one open snapshot, personal data joined per batch (masked unless the role may see it), and
// written out as they come, so a segment of 300,000 customers never sits in memory whole.
import 'server-only';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../i18n/index.ts';
import { openSnapshot } from '../server/warehouse.ts';
import type { OwnerScope } from './owner-scope.ts';
import { readMemberBatch, type MemberRow, type Segment } from './segments.ts';

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const BATCH = 5000;

const columns: { key: string; en: string; zh: string; value: (r: MemberRow, segment: string) => string | number | null }[] = [
  { key: 'customer_id', en: 'Customer ID', zh: '客户 ID', value: (r) => r.id },
  { key: 'name', en: 'Name', zh: '姓名', value: (r) => r.person?.name ?? null },
  { key: 'email', en: 'E-mail', zh: '电子邮箱', value: (r) => r.person?.email ?? null },
  { key: 'phone', en: 'Phone', zh: '电话', value: (r) => r.person?.phone ?? null },
  { key: 'company', en: 'Company', zh: '公司', value: (r) => r.person?.company ?? null },
  { key: 'region', en: 'Region', zh: '地区', value: (r) => r.region },
  { key: 'city', en: 'City', zh: '城市', value: (r) => r.city },
  { key: 'segment', en: 'Segment', zh: '分群', value: (_, segment) => segment },
  { key: 'rfm_group', en: 'RFM group', zh: 'RFM 分组', value: (r) => r.rfmGroup },
  { key: 'churn_risk', en: 'Churn risk (0–100)', zh: '流失风险 (0–100)', value: (r) => r.churnRisk },
  { key: 'churn_band', en: 'Risk band', zh: '风险等级', value: (r) => r.churnBand },
  { key: 'orders', en: 'Orders', zh: '订单数', value: (r) => r.frequency },
  { key: 'revenue', en: 'Revenue', zh: '消费金额', value: (r) => r.monetary },
  { key: 'recency_days', en: 'Days since last order', zh: '距上次下单天数', value: (r) => r.recencyDays },
  { key: 'expected_value_12m', en: 'Expected value, 12 months', zh: '未来 12 个月预期价值', value: (r) => (r.expectedValue12m === null ? null : Math.round(r.expectedValue12m * 100) / 100) },
];

/** Member rows, batch by batch, from one snapshot; closes it when done or when the download is cancelled. */
async function* memberBatches(segmentId: number, options: { unmasked: boolean; scope: OwnerScope }): AsyncGenerator<MemberRow[]> {
  const { db } = await openSnapshot();
  try {
    let after = -1;
    for (;;) {
      const rows = await readMemberBatch(db, segmentId, after, BATCH, options);
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
      if (rows.length < BATCH) return;
    }
  } finally {
    db.close();
  }
}

/** A value that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with ' so it stays text. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function segmentName(segment: Segment, locale: Locale): string {
  return (locale === 'zh-CN' ? segment.zh : segment.en) ?? segment.en ?? `#${segment.id}`;
}

/** The CSV as a byte stream: UTF-8 with a BOM (Excel then reads Chinese correctly), CRLF line ends. */
export function streamMembersCsv(segment: Segment, locale: Locale, options: { unmasked: boolean; scope: OwnerScope }): ReadableStream<Uint8Array> {
  const name = segmentName(segment, locale);
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${columns.map((c) => csvCell(locale === 'zh-CN' ? c.zh : c.en)).join(',')}\r\n`;
    for await (const batch of memberBatches(segment.id, options)) {
      yield batch.map((r) => `${columns.map((c) => csvCell(c.value(r, name))).join(',')}\r\n`).join('');
    }
  }
  return Readable.toWeb(Readable.from(lines(), { objectMode: false })) as ReadableStream<Uint8Array>;
}

/**
 * The XLSX with exceljs's streaming writer. Every text value goes in as a plain string cell, which a
 * spreadsheet never evaluates: a name like `=HYPERLINK(…)` shows as that text, and a phone number
 * like `+1 305 …` stays exactly as stored (no ' prefix needed, unlike the CSV).
 */
export function streamMembersXlsx(segment: Segment, locale: Locale, options: { unmasked: boolean; scope: OwnerScope }): ReadableStream<Uint8Array> {
  const name = segmentName(segment, locale);
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(locale === 'zh-CN' ? '客户' : 'Customers');
  sheet.columns = columns.map((c) => ({ header: locale === 'zh-CN' ? c.zh : c.en, key: c.key, width: c.key === 'email' || c.key === 'company' ? 28 : 16 }));
  void (async () => {
    try {
      for await (const batch of memberBatches(segment.id, options)) {
        for (const r of batch) {
          const row: Record<string, string | number | null> = {};
          for (const c of columns) {
            row[c.key] = c.value(r, name);
          }
          sheet.addRow(row).commit();
        }
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
