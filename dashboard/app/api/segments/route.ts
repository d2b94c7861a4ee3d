// GET /api/segments — every segment with size, revenue share, profile and movement since the previous run.
import { NextResponse } from 'next/server';
import { getSegments } from '../../../lib/data/segments.ts';
import { ApiError, apiRoute } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:segments', async () => {
  try {
    return NextResponse.json(await getSegments(), { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
