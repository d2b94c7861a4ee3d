// GET /api/v1/segments/{id} — one segment ('saved-12' or 'model-3') sized on the published snapshot.
// 404 for an unknown segment and for someone else's private one (its existence does not leak).
import { NextResponse } from 'next/server';
import { getApiSegment, parseApiSegmentId } from '../../../../../lib/data/api-segments.ts';
import { tokenRoute } from '../../../../../lib/server/api-v1.ts';
import { translateWarehouseError } from '../../../../../lib/server/saved-segment-api.ts';
import { ApiError } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = tokenRoute<{ id: string }>('segments:read', async (_request, principal, params) => {
  const ref = parseApiSegmentId(params.id);
  if (!ref) throw new ApiError(400, 'bad_id', "id: must look like 'saved-12' or 'model-3'", 'id');
  const segment = await getApiSegment(ref, principal).catch(translateWarehouseError);
  if (!segment) throw new ApiError(404, 'unknown_segment', `There is no segment ${params.id} this token may see.`, 'id');
  return NextResponse.json({ segment }, { headers: { 'cache-control': 'private, no-store' } });
});
