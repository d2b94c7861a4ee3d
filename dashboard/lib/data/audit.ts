// The audit log for the admin page and its CSV export (lib/audit-log.ts does the querying).
import 'server-only';
import { Readable } from 'node:stream';
import { auditEntryBatches, countAuditEntries, getAuditHead, listAuditEntries, type AuditFilters, type AuditPage, type AuditRow } from '../../../lib/audit-log.ts';
import type { Dictionary } from '../i18n/index.ts';
import { getServerContext } from '../server/context.ts';
import { csvCell } from './export.ts';

export const AUDIT_PAGE_SIZE = 50;

export async function getAuditPage(filters: AuditFilters): Promise<{ page: AuditPage; head: { id: number; hash: string } | null }> {
  const { pool, config } = await getServerContext();
  const [page, head] = await Promise.all([listAuditEntries(pool, filters, config.timeZone, AUDIT_PAGE_SIZE), getAuditHead(pool)]);
  return { page, head };
}

/**
 * How many entries an export of these filters holds, and the bound that pins it: entries written
 * after this moment (the export's own audit entry among them) are not part of it.
 */
export async function countAuditExport(filters: AuditFilters): Promise<{ count: number; bound: AuditFilters }> {
  const { pool, config } = await getServerContext();
  const head = await getAuditHead(pool);
  const bound: AuditFilters = { ...filters, after: undefined, before: Math.min(filters.before ?? Number.MAX_SAFE_INTEGER, (head?.id ?? 0) + 1) };
  return { count: await countAuditEntries(pool, bound, config.timeZone), bound };
}

function csvColumns(t: Dictionary): { header: string; value: (r: AuditRow) => string | number | null }[] {
  const a = t.security.audit;
  return [
    { header: a.columns.id, value: (r) => r.id },
    { header: a.csvAt, value: (r) => r.at },
    { header: a.columns.user, value: (r) => r.userEmail },
    { header: a.csvRole, value: (r) => r.role },
    { header: a.columns.action, value: (r) => r.action },
    { header: a.columns.target, value: (r) => r.target },
    { header: a.columns.rows, value: (r) => r.rowCount },
    { header: a.columns.outcome, value: (r) => r.outcome },
    { header: a.columns.address, value: (r) => r.address },
    { header: a.columns.details, value: (r) => (Object.keys(r.details).length > 0 ? JSON.stringify(r.details) : null) },
    { header: a.csvHash, value: (r) => r.hash },
  ];
}

/** The CSV as a byte stream (UTF-8 with BOM, CRLF), newest first; formula-looking cells stay text (csvCell). */
export function streamAuditCsv(filters: AuditFilters, t: Dictionary): ReadableStream<Uint8Array> {
  const columns = csvColumns(t);
  async function* lines(): AsyncGenerator<string> {
    const { pool, config } = await getServerContext();
    yield `\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`;
    for await (const batch of auditEntryBatches(pool, filters, config.timeZone)) {
      yield batch.map((r) => `${columns.map((c) => csvCell(c.value(r))).join(',')}\r\n`).join('');
    }
  }
  return Readable.toWeb(Readable.from(lines(), { objectMode: false })) as ReadableStream<Uint8Array>;
}
