// GET /api/campaigns/:id — one campaign's results with its breakdowns by segment and churn-risk band, and
// the saved segment it targeted (`targetSegment`, null when it is not linked).
import { NextResponse } from 'next/server';
import { getCampaignTarget } from '../../../../lib/data/campaign-segments.ts';
import { getCampaign, parseCampaignId } from '../../../../lib/data/campaigns.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('page:campaigns', async (_request, { session }, params) => {
  const id = parseCampaignId(params.id);
  if (id === null) throw new ApiError(400, 'bad_id', 'id: must be a campaign number', 'id');
  try {
    const detail = await getCampaign(id);
    if (!detail) throw new ApiError(404, 'unknown_campaign', `There is no campaign ${id} in the warehouse.`, 'id');
    return NextResponse.json({ ...detail, targetSegment: await getCampaignTarget(id, session) }, { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
