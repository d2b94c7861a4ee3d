// The saved segment a campaign targeted.
// GET    /api/campaigns/:id/segment — the link (404 when there is none).
// PUT    /api/campaigns/:id/segment {"segmentId": 3} — links the campaign to a segment the user may see,
//        replacing an earlier link (roles that build segments).
// DELETE /api/campaigns/:id/segment — removes the link.
// The campaign must exist on the published snapshot; every change is written to the audit log.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { linkCampaignSegment, unlinkCampaignSegment } from '../../../../../../lib/campaign-segments.ts';
import { getCampaignTarget } from '../../../../../lib/data/campaign-segments.ts';
import { parseCampaignId } from '../../../../../lib/data/campaigns.ts';
import { audit } from '../../../../../lib/server/audit.ts';
import { requireCampaign } from '../../../../../lib/server/campaign-api.ts';
import { readJsonBody, requireNoBody } from '../../../../../lib/server/body.ts';
import { getServerContext } from '../../../../../lib/server/context.ts';
import { getVisibleSegment } from '../../../../../lib/data/saved-segments.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const linkSchema = z.object({ segmentId: z.number({ error: 'must be a saved segment number' }).int('must be a whole number').positive('must be a saved segment number') }).strict();

const noStore = { 'cache-control': 'private, no-store' };

export const GET = apiRoute<{ id: string }>('page:campaigns', async (_request, { session }, params) => {
  const id = (await requireCampaign(params.id)).campaign.id;
  const target = await getCampaignTarget(id, session);
  if (!target) throw new ApiError(404, 'not_linked', `Campaign ${id} is not linked to a saved segment.`);
  return NextResponse.json({ campaignId: id, ...target }, { headers: noStore });
});

export const PUT = apiRoute<{ id: string }>('segments:build', async (request, { session }, params) => {
  const id = (await requireCampaign(params.id)).campaign.id;
  const parsed = linkSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'body';
    throw new ApiError(400, 'bad_request', issue.code === 'unrecognized_keys' ? `body: only segmentId may be sent` : `${field}: ${issue.message}`, field);
  }
  // 404 for a segment the user may not see, as everywhere else: a private segment's existence does not leak.
  const segment = await getVisibleSegment(parsed.data.segmentId, session);
  if (!segment) throw new ApiError(404, 'unknown_segment', `There is no saved segment ${parsed.data.segmentId}.`, 'segmentId');
  const { pool } = await getServerContext();
  const { replaced } = await linkCampaignSegment(pool, id, segment.id, session.user.id);
  await audit(session, 'campaign_link', `campaign:${id}`, 0, { change: 'link', segment: segment.id, replaced });
  return NextResponse.json({ campaignId: id, segmentId: segment.id, segmentName: segment.name, replaced }, { headers: noStore });
});

export const DELETE = apiRoute<{ id: string }>('segments:build', async (request, { session }, params) => {
  await requireNoBody(request);
  const id = parseCampaignId(params.id);
  if (id === null) throw new ApiError(400, 'bad_id', 'id: must be a campaign number', 'id');
  // No snapshot check: a link to a campaign the source has since dropped can still be removed.
  const { pool } = await getServerContext();
  const removed = await unlinkCampaignSegment(pool, id);
  if (removed === null) throw new ApiError(404, 'not_linked', `Campaign ${id} is not linked to a saved segment.`);
  await audit(session, 'campaign_link', `campaign:${id}`, 0, { change: 'unlink', segment: removed });
  return NextResponse.json({ campaignId: id, unlinked: removed }, { headers: noStore });
});
