// Exports of a saved segment's members with a chosen set of columns, as CSV, XLSX or Arrow IPC
// (for analysts: pandas, Polars, DuckDB read it typed). Streamed: members are read from one open
// snapshot in batches of customer-id ranges, personal data joined per batch from PostgreSQL (masked
// unless the role may see it), and written out as they come, so 500,000 members never sit in memory.
// Formula-looking text is neutralised the same way as the model segments' export (export.ts).
import 'server-only';
import { PassThrough, Readable } from 'node:stream';
import { Float64, Int64, RecordBatchStreamWriter, Table, TimestampMillisecond, Utf8, vectorFromArray, type RecordBatch, type Vector } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { getSegmentTarget, type SavedSegment } from '../../../lib/saved-segments.ts';
import { countSegment, readMemberBatches, withSegmentCondition, type MemberColumn, type Row } from '../../../warehouse/index.ts';
import type { Locale } from '../i18n/index.ts';
import { getServerContext } from '../server/context.ts';
import { openSnapshot } from '../server/warehouse.ts';
import { csvCell } from './export.ts';
import { getPeople, type Person } from './people.ts';
import { getToday } from './saved-segments.ts';

export const savedExportFormats = ['csv', 'xlsx', 'arrow'] as const;
export type SavedExportFormat = (typeof savedExportFormats)[number];

type Kind = 'id' | 'text' | 'number' | 'timestamp';

export interface ExportColumn {
  key: string;
  kind: Kind;
  /** Personal data from PostgreSQL (masked unless the role has pii:unmasked). */
  personal?: 'name' | 'email' | 'phone' | 'company';
  /** The customer_360 column it reads. */
  column?: MemberColumn;
}

/** Every column an export may have, in file order; labels are in the builder's texts. */
export const exportColumns: readonly ExportColumn[] = [
  { key: 'customer_id', kind: 'id', column: 'customer_id' },
  { key: 'name', kind: 'text', personal: 'name' },
  { key: 'email', kind: 'text', personal: 'email' },
  { key: 'phone', kind: 'text', personal: 'phone' },
  { key: 'company', kind: 'text', personal: 'company' },
  { key: 'country', kind: 'text', column: 'country' },
  { key: 'region', kind: 'text', column: 'region' },
  { key: 'city', kind: 'text', column: 'city' },
  { key: 'language', kind: 'text', column: 'preferred_language' },
  { key: 'currency', kind: 'text', column: 'currency' },
  { key: 'tags', kind: 'text', column: 'tags' },
  { key: 'segment', kind: 'text', column: 'segment_name_en' },
  { key: 'rfm_group', kind: 'text', column: 'rfm_segment' },
  { key: 'churn_risk', kind: 'number', column: 'churn_risk' },
  { key: 'churn_band', kind: 'text', column: 'churn_band' },
  { key: 'p_alive', kind: 'number', column: 'p_alive' },
  { key: 'expected_value_12m', kind: 'number', column: 'expected_value_12m' },
  { key: 'orders', kind: 'number', column: 'frequency' },
  { key: 'spend', kind: 'number', column: 'monetary' },
  { key: 'average_order_value', kind: 'number', column: 'average_order_value' },
  { key: 'first_order_at', kind: 'timestamp', column: 'first_order_at' },
  { key: 'last_order_at', kind: 'timestamp', column: 'last_order_at' },
  { key: 'recency_days', kind: 'number', column: 'recency_days' },
  { key: 'last_campaign_open_at', kind: 'timestamp', column: 'last_campaign_open_at' },
  { key: 'last_campaign_click_at', kind: 'timestamp', column: 'last_campaign_click_at' },
];

export const defaultExportColumns = ['customer_id', 'name', 'email', 'phone', 'region', 'city', 'segment', 'churn_risk', 'orders', 'spend', 'last_order_at', 'expected_value_12m'];

const columnsByKey = new Map(exportColumns.map((c) => [c.key, c]));

/** The chosen columns in file order; unknown names are the caller's 400. */
export function parseExportColumns(keys: readonly string[]): { ok: true; columns: ExportColumn[] } | { ok: false; unknown: string[] } {
  const unknown = keys.filter((k) => !columnsByKey.has(k));
  if (unknown.length > 0) return { ok: false, unknown };
  const chosen = new Set(keys);
  return { ok: true, columns: exportColumns.filter((c) => chosen.has(c.key)) };
}

type Cell = string | number | null;

function cellOf(column: ExportColumn, row: Row, person: Person | null, locale: Locale): Cell {
  if (column.personal) return person?.[column.personal] ?? null;
  if (column.key === 'segment') return ((locale === 'zh-CN' ? row.segment_name_zh : row.segment_name_en) ?? row.segment_name_en ?? null) as Cell;
  const value = row[column.column!];
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join('; ');
  if (column.kind === 'number' || column.kind === 'id') return typeof value === 'number' ? value : Number(value);
  return String(value);
}

export interface PreparedExport {
  /** Members in the file (counted on the snapshot the file is read from). */
  rowCount: number;
  runId: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * Opens the newest snapshot, counts the members (for the audit entry, written by the caller before the
 * first byte goes out) and returns the file as a stream read from that same snapshot, so the file has
 * exactly the counted rows even if a newer snapshot is published meanwhile.
 */
export async function prepareExport(segment: SavedSegment, format: SavedExportFormat, columns: readonly ExportColumn[], locale: Locale, labels: Record<string, string>, options: { unmasked: boolean }): Promise<PreparedExport> {
  const { pool } = await getServerContext();
  const target = await getSegmentTarget(pool, segment);
  const today = await getToday();
  const { db, info } = await openSnapshot();
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      db.close();
    }
  };
  try {
    // The condition (and a static segment's temp table of ids) lives as long as the stream: until the
    // batches are read to the end or the download is cancelled.
    const ready = await new Promise<{ rowCount: number; batches: AsyncGenerator<Row[]>; cancel: () => void }>((resolve, reject) => {
      withSegmentCondition(db, target, { today }, async (condition) => {
        const { customers } = await countSegment(db, condition);
        const warehouseColumns = [...new Set(columns.flatMap((c) => (c.key === 'segment' ? ['segment_name_en', 'segment_name_zh'] : c.column ? [c.column] : [])))] as MemberColumn[];
        let finish!: () => void;
        const finished = new Promise<void>((r) => (finish = r));
        let started = false;
        async function* batches(): AsyncGenerator<Row[]> {
          started = true;
          try {
            yield* readMemberBatches(db, condition, warehouseColumns);
          } finally {
            finish();
          }
        }
        // A started reader finishes through its own `finally` once its current query is done (closing
        // the database under a running query is not safe); one never started is finished here.
        resolve({ rowCount: customers, batches: batches(), cancel: () => (started ? undefined : finish()) });
        await finished;
      }).then(close, (error: unknown) => {
        close();
        reject(error);
      });
    });
    const withPeople = personRows(ready.batches, columns, options);
    const body =
      format === 'csv' ? csvStream(withPeople, columns, locale, labels) : format === 'xlsx' ? xlsxStream(withPeople, columns, locale, labels) : arrowStream(withPeople, columns, locale, labels);
    return { rowCount: ready.rowCount, runId: info.runId, body: onCancel(body, ready.cancel) };
  } catch (error) {
    close();
    throw error;
  }
}

async function* personRows(batches: AsyncGenerator<Row[]>, columns: readonly ExportColumn[], options: { unmasked: boolean }): AsyncGenerator<{ row: Row; person: Person | null }[]> {
  const needsPeople = columns.some((c) => c.personal);
  for await (const batch of batches) {
    const people = needsPeople
      ? await getPeople(
          batch.map((r) => Number(r.customer_id)),
          options,
        )
      : new Map<number, Person>();
    yield batch.map((row) => ({ row, person: people.get(Number(row.customer_id)) ?? null }));
  }
}

type Batches = AsyncGenerator<{ row: Row; person: Person | null }[]>;

/** UTF-8 with a BOM (Excel then reads Chinese correctly), CRLF line ends, formula-looking text neutralised. */
function csvStream(batches: Batches, columns: readonly ExportColumn[], locale: Locale, labels: Record<string, string>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${columns.map((c) => csvCell(labels[c.key] ?? c.key)).join(',')}\r\n`;
    for await (const batch of batches) {
      let text = '';
      for (const { row, person } of batch) text += `${columns.map((c) => csvCell(cellOf(c, row, person, locale))).join(',')}\r\n`;
      yield text;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

/** exceljs's streaming writer; text goes in as plain string cells, which a spreadsheet never evaluates. */
function xlsxStream(batches: Batches, columns: readonly ExportColumn[], locale: Locale, labels: Record<string, string>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(locale === 'zh-CN' ? '客户' : 'Customers');
  sheet.columns = columns.map((c) => ({ header: labels[c.key] ?? c.key, key: c.key, width: c.key === 'email' || c.key === 'company' ? 28 : 16 }));
  void (async () => {
    try {
      for await (const batch of batches) {
        // A cancelled download: stop reading (leaving the loop closes the batch readers).
        if (out.destroyed) break;
        for (const { row, person } of batch) {
          const values: Record<string, Cell> = {};
          for (const c of columns) values[c.key] = cellOf(c, row, person, locale);
          sheet.addRow(values).commit();
        }
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

/** Arrow IPC stream: ids as Int64, numbers as Float64, times as UTC milliseconds, text as UTF-8. */
function arrowStream(batches: Batches, columns: readonly ExportColumn[], locale: Locale, labels: Record<string, string>): Readable {
  async function* recordBatches(): AsyncGenerator<RecordBatch> {
    for await (const batch of batches) {
      const vectors: Record<string, Vector> = {};
      for (const c of columns) {
        const cells = batch.map(({ row, person }) => cellOf(c, row, person, locale));
        const name = labels[c.key] ?? c.key;
        if (c.kind === 'id') vectors[name] = vectorFromArray(cells.map((v) => (v === null ? null : BigInt(v))), new Int64());
        else if (c.kind === 'number') vectors[name] = vectorFromArray(cells as (number | null)[], new Float64());
        else if (c.kind === 'timestamp') vectors[name] = vectorFromArray(cells.map((v) => (v === null ? null : Date.parse(String(v)))), new TimestampMillisecond());
        else vectors[name] = vectorFromArray(cells.map((v) => (v === null ? null : String(v))), new Utf8());
      }
      yield* new Table(vectors).batches;
    }
  }
  return Readable.from(recordBatches()).pipe(RecordBatchStreamWriter.throughNode());
}

/** The web stream of a Node stream; a cancelled download stops reading the warehouse. */
function onCancel(stream: Readable, cancel: () => void): ReadableStream<Uint8Array> {
  stream.once('close', cancel);
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}

export const exportContentTypes: Record<SavedExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  arrow: 'application/vnd.apache.arrow.stream',
};

export const exportExtensions: Record<SavedExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', arrow: 'arrows' };

