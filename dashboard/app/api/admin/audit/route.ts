// GET /api/admin/audit?user=&action=&outcome=&from=&to=&target=&before=&after= — one page of the audit
// log, newest first (audit:view). Filters are validated (lib/audit-log.ts); a bad one is a 400 naming it.
import { NextResponse } from 'next/server';
import { parseAuditFilters } from '../../../../../lib/audit-log.ts';
import { getAuditPage } from '../../../../lib/data/audit.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('audit:view', async (request) => {
  const parsed = parseAuditFilters(request.nextUrl.searchParams);
  if (!parsed.ok) throw new ApiError(400, 'bad_filter', `${parsed.field}: ${parsed.message}`, parsed.field);
  const { page, head } = await getAuditPage(parsed.filters);
  return NextResponse.json({ ...page, head }, { headers: { 'cache-control': 'no-store' } });
});
