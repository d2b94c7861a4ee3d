// GET /api/campaigns/:id — one campaign's results with its breakdowns by segment and churn-risk band, and
// the saved segment it targeted (`targetSegment`, null when it is not linked).
import { NextResponse } from 'next/server';
import { getCampaignTarget } from '../../../../lib/data/campaign-segments.ts';
import { requireCampaign } from '../../../../lib/server/campaign-api.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('page:campaigns', async (_request, { session }, params) => {
  const detail = await requireCampaign(params.id);
  const targetSegment = await getCampaignTarget(detail.campaign.id, session);
  return NextResponse.json({ ...detail, targetSegment }, { headers: { 'cache-control': 'private, no-store' } });
});
