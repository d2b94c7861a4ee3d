// GET /api/retention — monthly cohorts with size, retention and revenue per month since the first order.
import { NextResponse } from 'next/server';
import { getRetention } from '../../../lib/data/retention.ts';
import { ApiError, apiRoute } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:retention', async () => {
  try {
    return NextResponse.json(await getRetention(), { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
