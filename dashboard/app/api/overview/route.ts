// GET /api/overview?range=&from=&to=&region=&currency=&segment= — the Overview page's data as JSON.
import { NextResponse } from 'next/server';
import { getOverview, UnknownCurrencyError } from '../../../lib/data/overview.ts';
import { parseFilters } from '../../../lib/filters.ts';
import { ApiError, apiRoute } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:overview', async (request) => {
  const parsed = parseFilters(request.nextUrl.searchParams);
  if (!parsed.ok) throw new ApiError(400, 'bad_filter', `${parsed.field}: ${parsed.message}`, parsed.field);
  try {
    return NextResponse.json(await getOverview(parsed.filters), { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    if (error instanceof UnknownCurrencyError) throw new ApiError(400, 'bad_filter', `currency: ${error.message}`, 'currency');
    throw error;
  }
});
