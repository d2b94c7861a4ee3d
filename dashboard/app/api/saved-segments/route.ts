// GET /api/saved-segments — the saved segments this user may see (their own, shared ones; admins all),
// each with its recent sizes. POST /api/saved-segments { name, description, kind, shared, definition } —
// saves a segment (segments:build); a static one is frozen with its members on the published snapshot.
import { NextResponse } from 'next/server';
import { listSavedSegments } from '../../../../lib/saved-segments.ts';
import { saveSegment } from '../../../lib/data/saved-segments.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { audit } from '../../../lib/server/audit.ts';
import { invalidRulesResponse, parseSegmentInput, readJsonBody, translateWarehouseError } from '../../../lib/server/saved-segment-api.ts';
import { apiRoute } from '../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:segments', async (_request, { session }) => {
  const { pool } = await getServerContext();
  const segments = await listSavedSegments(pool, { userId: session.user.id, role: session.user.role });
  return NextResponse.json({ segments }, { headers: { 'cache-control': 'private, no-store' } });
});

export const POST = apiRoute('segments:build', async (request, { session, t }) => {
  const input = parseSegmentInput(await readJsonBody(request));
  const result = await saveSegment(input, session.user).catch(translateWarehouseError);
  if (!result.ok) return invalidRulesResponse(result.errors, t);
  await audit(session, 'segment_change', `saved_segment:${result.id}`, 0, { change: 'create', kind: input.kind, shared: input.shared });
  return NextResponse.json({ id: result.id }, { status: 201, headers: { 'cache-control': 'no-store' } });
});
