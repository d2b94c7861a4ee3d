// GET /api/saved-segments/compare?a=&b= — two saved segments side by side on one snapshot: size,
// revenue, expected value, profile means, top regions and how many customers are in both.
import { NextResponse } from 'next/server';
import { compareSegments } from '../../../../lib/data/saved-segments.ts';
import { requireVisibleSegment, translateWarehouseError } from '../../../../lib/server/saved-segment-api.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:segments', async (request, { session }) => {
  const sp = request.nextUrl.searchParams;
  for (const key of ['a', 'b']) {
    if (sp.getAll(key).length !== 1) throw new ApiError(400, 'bad_request', `${key}: give one saved segment id`, key);
  }
  const a = await requireVisibleSegment(sp.get('a')!, session).catch((error: unknown) => rename(error, 'a'));
  const b = await requireVisibleSegment(sp.get('b')!, session).catch((error: unknown) => rename(error, 'b'));
  const comparison = await compareSegments(a, b).catch(translateWarehouseError);
  return NextResponse.json(comparison, { headers: { 'cache-control': 'private, no-store' } });
});

/** The id errors name the parameter (a or b) rather than `id`. */
function rename(error: unknown, field: string): never {
  if (error instanceof ApiError) throw new ApiError(error.status, error.code, error.message.replace(/^id:/, `${field}:`), field);
  throw error;
}
