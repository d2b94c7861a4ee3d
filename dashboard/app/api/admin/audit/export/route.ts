// GET /api/admin/audit/export?<the page's filters> — every matching entry as CSV, newest first
// (audit:view). The export is itself audited (audit_export, with the filters and the row count)
// before the first byte is sent; entries written after that moment are not part of it.
import { parseAuditFilters } from '../../../../../../lib/audit-log.ts';
import { countAuditExport, streamAuditCsv } from '../../../../../lib/data/audit.ts';
import { audit } from '../../../../../lib/server/audit.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('audit:view', async (request, { session, t }) => {
  const parsed = parseAuditFilters(request.nextUrl.searchParams);
  if (!parsed.ok) throw new ApiError(400, 'bad_filter', `${parsed.field}: ${parsed.message}`, parsed.field);
  // The page cursors do not narrow an export: it holds every entry the filters match.
  const filters = { ...parsed.filters, before: undefined, after: undefined };
  const { count, bound } = await countAuditExport(filters);
  await audit(session, 'audit_export', 'audit_log', count, { format: 'csv', filters, upTo: (bound.before ?? 1) - 1 });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(streamAuditCsv(bound, t), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="pulse-audit-${stamp}.csv"`,
      'cache-control': 'private, no-store',
    },
  });
});
