// GET /api/campaigns/:id — one campaign's results with its breakdowns by segment and churn-risk band.
import { NextResponse } from 'next/server';
import { getCampaign, parseCampaignId } from '../../../../lib/data/campaigns.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('page:campaigns', async (_request, _ctx, params) => {
  const id = parseCampaignId(params.id);
  if (id === null) throw new ApiError(400, 'bad_id', 'id: must be a campaign number', 'id');
  try {
    const detail = await getCampaign(id);
    if (!detail) throw new ApiError(404, 'unknown_campaign', `There is no campaign ${id} in the warehouse.`, 'id');
    return NextResponse.json(detail, { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
