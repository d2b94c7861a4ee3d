// GET /api/v1/segments — the segments the token's owner may see: their visible saved segments and the
// model segments of the published snapshot, each with its kind and size. Scope segments:read.
import { NextResponse } from 'next/server';
import { listApiSegments } from '../../../../lib/data/api-segments.ts';
import { tokenRoute } from '../../../../lib/server/api-v1.ts';
import { translateWarehouseError } from '../../../../lib/server/saved-segment-api.ts';

export const runtime = 'nodejs';

export const GET = tokenRoute('segments:read', async (_request, principal) => {
  const { segments, runId } = await listApiSegments(principal).catch(translateWarehouseError);
  return NextResponse.json({ segments, runId }, { headers: { 'cache-control': 'private, no-store' } });
});
