// GET /api/saved-segments/:id — a saved segment with its size, revenue share, profile, size history and
// the campaigns that targeted it (with their results).
// PUT — changes it (owner or admin; a static segment is frozen again); DELETE — deletes it (owner or admin).
import { NextResponse } from 'next/server';
import { deleteSavedSegment } from '../../../../../lib/saved-segments.ts';
import { getSegmentCampaigns } from '../../../../lib/data/campaign-segments.ts';
import { getSegmentDetail, saveSegment } from '../../../../lib/data/saved-segments.ts';
import { audit } from '../../../../lib/server/audit.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { invalidRulesResponse, parseSegmentInput, readJsonBody, requireEditable, requireVisibleSegment, translateWarehouseError } from '../../../../lib/server/saved-segment-api.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('page:segments', async (_request, { session }, params) => {
  const segment = await requireVisibleSegment(params.id, session);
  const [detail, campaigns] = await Promise.all([getSegmentDetail(segment).catch(translateWarehouseError), getSegmentCampaigns(segment.id)]);
  return NextResponse.json({ segment, ...detail, campaigns }, { headers: { 'cache-control': 'private, no-store' } });
});

export const PUT = apiRoute<{ id: string }>('segments:build', async (request, { session, t }, params) => {
  const segment = await requireVisibleSegment(params.id, session);
  requireEditable(segment, session);
  const input = parseSegmentInput(await readJsonBody(request));
  const result = await saveSegment(input, session.user, segment.id).catch(translateWarehouseError);
  if (!result.ok) return invalidRulesResponse(result.errors, t);
  await audit(session, 'segment_change', `saved_segment:${segment.id}`, 0, { change: 'update', kind: input.kind, shared: input.shared });
  return NextResponse.json({ id: segment.id }, { headers: { 'cache-control': 'no-store' } });
});

export const DELETE = apiRoute<{ id: string }>('segments:build', async (_request, { session }, params) => {
  const segment = await requireVisibleSegment(params.id, session);
  requireEditable(segment, session);
  const { pool } = await getServerContext();
  await deleteSavedSegment(pool, segment.id);
  await audit(session, 'segment_change', `saved_segment:${segment.id}`, 0, { change: 'delete', name: segment.name });
  return NextResponse.json({ deleted: segment.id }, { headers: { 'cache-control': 'no-store' } });
});
