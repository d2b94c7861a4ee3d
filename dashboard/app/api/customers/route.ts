// GET /api/customers?q=&segment=&band=&region=&tag=&sort=&page= — customer search as JSON. Personal
// data is masked unless the role has `pii:unmasked`; an unmasked answer is written to the audit log.
import { NextResponse } from 'next/server';
import { can } from '../../../../lib/auth-roles.ts';
import { parseCustomerQuery, searchCustomers } from '../../../lib/data/customers.ts';
import { getFilterOptions } from '../../../lib/data/overview.ts';
import { audit } from '../../../lib/server/audit.ts';
import { ApiError, apiRoute } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:customers', async (request, { session }) => {
  const parsed = parseCustomerQuery(request.nextUrl.searchParams);
  if (!parsed.ok) throw new ApiError(400, 'bad_filter', `${parsed.field}: ${parsed.message}`, parsed.field);
  try {
    const query = parsed.value;
    if (query.segment !== undefined && !(await getFilterOptions()).segments.some((s) => s.id === query.segment)) {
      throw new ApiError(400, 'unknown_segment', `segment: there is no segment ${query.segment}`, 'segment');
    }
    const unmasked = can(session.user.role, 'pii:unmasked');
    const result = await searchCustomers(query, { unmasked, scope: session.ownerScope });
    if (unmasked && result.rows.length > 0) await audit(session, 'pii_view', 'customers:search', result.rows.length, { q: query.q ?? null, page: query.page });
    return NextResponse.json(result, { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
