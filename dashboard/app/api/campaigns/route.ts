// GET /api/campaigns — every campaign's results: audience, funnel, attributed revenue, lift vs holdout.
import { NextResponse } from 'next/server';
import { getCampaigns } from '../../../lib/data/campaigns.ts';
import { ApiError, apiRoute } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:campaigns', async () => {
  try {
    return NextResponse.json(await getCampaigns(), { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
