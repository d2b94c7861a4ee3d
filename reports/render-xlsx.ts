// The Excel workbook of a report, written with exceljs's streaming WorkbookWriter so a sheet of a
// million rows never sits in memory: each row is committed (written to the zip stream) as it is added.
// Columns carry real types and formats (money, counts, percentages, dates as Excel dates), header rows
// are frozen and filtered. Text from customer data is always written as a string cell, never as a
// formula, whatever it starts with (=, +, -, @): exceljs only writes a formula for a {formula} value.
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ExecutiveData, KpiRow, MemberRow, ReportData, SalesData, SegmentReportData, ServiceData, TrendRow, WatchRow } from './report-data.ts';
import { strings } from './report.i18n.ts';

export type ColumnType = 'text' | 'integer' | 'number' | 'money' | 'percent' | 'date';
export type CellValue = string | number | null;

export interface SheetColumn {
  header: string;
  type: ColumnType;
  width: number;
}

export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  /** Rows, or pages of rows read as they are written. */
  rows: Iterable<CellValue[]> | AsyncIterable<CellValue[][]>;
}

const NUMBER_FORMATS: Record<ColumnType, string | undefined> = {
  text: '@',
  integer: '#,##0',
  number: '#,##0.00',
  money: '#,##0.00',
  percent: '0.0%',
  date: 'yyyy-mm-dd',
};

// Excel's day 0 is 1899-12-30; a date is stored as days since then and shown through a date format.
const EXCEL_EPOCH_OFFSET_DAYS = 25569;

/** 'YYYY-MM-DD' → Excel serial day number (a date cell without building a Date per cell). */
export function excelDate(isoDate: string | null): number | null {
  if (!isoDate) return null;
  const ms = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms / 86_400_000 + EXCEL_EPOCH_OFFSET_DAYS;
}

/**
 * Writes the sheets to `stream` as one XLSX workbook; resolves when the zip is complete.
 *
 * exceljs's streaming WorkbookWriter makes the workbook (zip, styles, columns, frozen header, filter);
 * the data rows are rendered to sheet XML here and written into the sheet's stream. Why: exceljs
 * builds a Row, Cell and style model per cell and an XML builder per row, which made a formatted
 * 1M-row sheet take 25–35 s here; these rows are all of one shape (a value and a column style each),
 * so rendering them directly is a few string operations per cell. The style ids come from exceljs's
 * own style table, so styles.xml and the cells agree.
 */
export async function writeWorkbook(stream: Writable, sheets: SheetSpec[], options: { creator?: string; created?: Date } = {}): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = options.creator ?? 'Pulse';
  workbook.created = options.created ?? new Date();
  const styleTable = (workbook as unknown as { styles: StyleTable }).styles;
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    sheet.columns = spec.columns.map((c, i) => ({ key: String(i), width: c.width }));
    // The header row goes through exceljs: committing it writes the sheet's start, columns and <sheetData>.
    const header = sheet.addRow(spec.columns.map((c) => c.header));
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF2F7' } };
    header.commit();
    const renderer = rowRenderer(spec.columns, styleTable);
    const sheetStream = (sheet as unknown as { stream: Writable }).stream;
    let rowNumber = 1;
    const writeRows = (rows: Iterable<CellValue[]>): void => {
      let xml = '';
      for (const values of rows) xml += renderer(values, ++rowNumber);
      if (xml) sheetStream.write(Buffer.from(xml, 'utf8'));
    };
    if (Symbol.asyncIterator in spec.rows) {
      for await (const page of spec.rows as AsyncIterable<CellValue[][]>) {
        writeRows(page);
        await zipCaughtUp(sheet);
      }
    } else {
      writeRows(spec.rows as Iterable<CellValue[]>);
    }
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rowNumber, column: spec.columns.length } };
    sheet.commit();
  }
  await workbook.commit();
}

/** exceljs's style table (StylesXform): the id of a style, adding it on first use. */
interface StyleTable {
  addStyleModel(style: Partial<ExcelJS.Style>, cellType: number): number;
}
// exceljs's ValueType numbers (lib/doc/enums.js), used only to pick a default number format.
const EXCEL_VALUE_TYPE = { number: 2, string: 3 } as const;

/** A function rendering one data row as `<row>` XML, with each column's style id worked out once. */
function rowRenderer(columns: SheetColumn[], styles: StyleTable): (values: CellValue[], rowNumber: number) => string {
  const letters = columns.map((_, i) => columnLetters(i + 1));
  const styleIds = columns.map((c) => styles.addStyleModel({ numFmt: NUMBER_FORMATS[c.type] }, c.type === 'text' ? EXCEL_VALUE_TYPE.string : EXCEL_VALUE_TYPE.number));
  const isText = columns.map((c) => c.type === 'text');
  return (values, rowNumber) => {
    let xml = `<row r="${rowNumber}">`;
    for (let i = 0; i < columns.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      const ref = `${letters[i]}${rowNumber}`;
      if (isText[i]) {
        // Text stays text: an inline string cell, whatever it looks like (=, +, -, @ included). A
        // formula exists only as an <f> element, which is never written here.
        xml += `<c r="${ref}" s="${styleIds[i]}" t="inlineStr"><is><t xml:space="preserve">${xmlText(String(value))}</t></is></c>`;
      } else {
        const n = typeof value === 'number' ? value : Number(value);
        if (Number.isFinite(n)) xml += `<c r="${ref}" s="${styleIds[i]}"><v>${n}</v></c>`;
      }
    }
    return `${xml}</row>`;
  };
}

/** 1 → A, 27 → AA. */
function columnLetters(n: number): string {
  let letters = '';
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

// Characters XML 1.0 does not allow at all (they would make the file unreadable) are dropped.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

function xmlText(value: string): string {
  return value.replace(XML_INVALID, '').replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);
}

/**
 * Waits until the zip entry has taken in what the sheet wrote. exceljs's sheet stream hands 64 KB
 * chunks to the zip without waiting for it, so a sheet written faster than it is deflated would
 * pile up in memory (650 MB for a million rows); pausing between pages keeps it to a few MB. The
 * sheet's stream and its pipes are exceljs internals: if they change, this only stops waiting.
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  type Buffered = { _writableState?: { length?: number }; _readableState?: { length?: number } };
  const internal = sheet as unknown as { stream?: { pipes?: Buffered[] } };
  const pending = (): number => (internal.stream?.pipes ?? []).reduce((n, p) => n + (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0), 0);
  for (let i = 0; i < 5000 && pending() > 2 * 1024 * 1024; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setImmediate(resolve));
}

export async function workbookBuffer(sheets: SheetSpec[], options?: { created?: Date }): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  await writeWorkbook(stream, sheets, options);
  await ended;
  return Buffer.concat(chunks);
}

/** The sheets of a report's workbook. */
export function reportSheets(data: ReportData): SheetSpec[] {
  switch (data.kind) {
    case 'executive':
      return executiveSheets(data);
    case 'segment':
      return segmentSheets(data);
    case 'sales':
      return salesSheets(data);
    case 'service':
      return serviceSheets(data);
  }
}

function kpiSheet(data: ExecutiveData | SegmentReportData): SheetSpec {
  const t = strings(data.meta.lang);
  const type = (k: KpiRow): ColumnType => (k.unit === 'currency' ? 'money' : k.unit === 'ratio' ? 'percent' : 'integer');
  // One column per unit keeps a real number format on every value (a cell's format is its column's).
  return {
    name: t.sheet.kpis,
    columns: [
      { header: t.metric, type: 'text', width: 28 },
      { header: 'id', type: 'text', width: 20 },
      { header: `${t.current} (${data.meta.from} – ${data.meta.to})`, type: 'number', width: 26 },
      { header: `${t.previous} (${data.meta.previousFrom} – ${data.meta.previousTo})`, type: 'number', width: 26 },
      { header: t.change, type: 'percent', width: 12 },
      { header: 'unit', type: 'text', width: 10 },
    ],
    rows: data.kpis.map((k) => [k.label, k.metric, k.value, k.previous, k.change, type(k) === 'money' ? data.meta.currency : type(k)]),
  };
}

function trendSheet(data: { meta: { lang: ExecutiveData['meta']['lang'] }; trend: TrendRow[] }): SheetSpec {
  const t = strings(data.meta.lang);
  return {
    name: t.sheet.trend,
    columns: [
      { header: t.weekStart, type: 'date', width: 14 },
      { header: t.revenue, type: 'money', width: 18 },
      { header: t.orders, type: 'integer', width: 12 },
    ],
    rows: data.trend.map((r) => [excelDate(r.week), r.revenue, r.orders]),
  };
}

function watchSheet(data: ExecutiveData | SegmentReportData, rows: WatchRow[]): SheetSpec {
  const t = strings(data.meta.lang);
  return {
    name: t.sheet.watchlist,
    columns: [
      { header: t.rank, type: 'integer', width: 6 },
      { header: t.customerId, type: 'integer', width: 12 },
      { header: t.name, type: 'text', width: 22 },
      { header: t.email, type: 'text', width: 28 },
      { header: t.phone, type: 'text', width: 18 },
      { header: t.segment, type: 'text', width: 22 },
      { header: t.churnRisk, type: 'percent', width: 11 },
      { header: t.expectedValue, type: 'money', width: 18 },
      { header: t.revenueAtRisk, type: 'money', width: 16 },
      { header: t.drivers, type: 'text', width: 40 },
      { header: t.lastOrder, type: 'date', width: 12 },
    ],
    rows: rows.map((r) => [r.rank, r.customerId, r.name, r.email, r.phone, r.segment, r.churnRisk / 100, r.expectedValue, r.revenueAtRisk, r.drivers.join(', '), excelDate(r.lastOrder)]),
  };
}

export function memberColumns(lang: ExecutiveData['meta']['lang']): SheetColumn[] {
  const t = strings(lang);
  return [
    { header: t.customerId, type: 'integer', width: 12 },
    { header: t.name, type: 'text', width: 22 },
    { header: t.email, type: 'text', width: 28 },
    { header: t.country, type: 'text', width: 10 },
    { header: t.city, type: 'text', width: 14 },
    { header: t.frequency, type: 'integer', width: 12 },
    { header: t.monetary, type: 'money', width: 16 },
    { header: t.lastOrder, type: 'date', width: 12 },
    { header: t.churnRisk, type: 'percent', width: 11 },
    { header: t.expectedValue, type: 'money', width: 18 },
  ];
}

export function memberCells(m: MemberRow): CellValue[] {
  return [m.customerId, m.name, m.email, m.country, m.city, m.orders, m.revenue, excelDate(m.lastOrder), m.churnRisk === null ? null : m.churnRisk / 100, m.expectedValue];
}

async function* memberPages(data: SegmentReportData): AsyncIterable<CellValue[][]> {
  for await (const page of data.members()) yield page.map(memberCells);
}

function executiveSheets(data: ExecutiveData): SheetSpec[] {
  const t = strings(data.meta.lang);
  return [
    kpiSheet(data),
    trendSheet(data),
    {
      name: t.sheet.segments,
      columns: [
        { header: 'id', type: 'integer', width: 6 },
        { header: t.segment, type: 'text', width: 26 },
        { header: t.customers, type: 'integer', width: 12 },
        { header: `${t.revenue} (${data.meta.from} – ${data.meta.to})`, type: 'money', width: 26 },
        { header: t.revenueAtRisk, type: 'money', width: 18 },
        { header: t.movedIn, type: 'integer', width: 10 },
        { header: t.movedOut, type: 'integer', width: 10 },
      ],
      rows: data.segments.map((s) => [s.segmentId, s.name, s.customers, s.revenue, s.revenueAtRisk, s.movedIn, s.movedOut]),
    },
    watchSheet(data, data.watchlist),
  ];
}

function segmentSheets(data: SegmentReportData): SheetSpec[] {
  const t = strings(data.meta.lang);
  return [kpiSheet(data), trendSheet(data), watchSheet(data, data.watchlist), { name: t.sheet.members, columns: memberColumns(data.meta.lang), rows: memberPages(data) }];
}

function salesSheets(data: SalesData): SheetSpec[] {
  const t = strings(data.meta.lang);
  return [
    {
      name: t.sheet.stages,
      columns: [
        { header: t.stage, type: 'text', width: 16 },
        { header: 'stage', type: 'text', width: 12 },
        { header: t.opportunities, type: 'integer', width: 14 },
        { header: `${t.value} (${data.meta.currency})`, type: 'money', width: 18 },
      ],
      rows: data.byStage.map((s) => [s.label, s.stage, s.opportunities, s.value]),
    },
    {
      name: t.sheet.owners,
      columns: [
        { header: t.owner, type: 'integer', width: 12 },
        { header: t.opportunities, type: 'integer', width: 14 },
        { header: `${t.weightedValue} (${data.meta.currency})`, type: 'money', width: 18 },
      ],
      rows: data.byOwner.map((o) => [o.ownerId, o.opportunities, o.value]),
    },
  ];
}

function serviceSheets(data: ServiceData): SheetSpec[] {
  const t = strings(data.meta.lang);
  return [
    {
      name: t.sheet.priorities,
      columns: [
        { header: t.priority, type: 'text', width: 12 },
        { header: t.ticketsOpened, type: 'integer', width: 14 },
        { header: t.ticketsClosed, type: 'integer', width: 14 },
        { header: t.openBacklog, type: 'integer', width: 14 },
        { header: t.medianHoursToClose, type: 'number', width: 20 },
      ],
      rows: data.priorities.map((p) => [p.label, p.opened, p.closed, p.backlog, p.medianHours]),
    },
    {
      name: t.sheet.tickets,
      columns: [
        { header: t.ticketsByDay, type: 'date', width: 14 },
        { header: t.ticketsOpened, type: 'integer', width: 14 },
      ],
      rows: data.perDay.map((d) => [excelDate(d.day), d.opened]),
    },
  ];
}
