// GET /api/segments/:id/members?sort=&dir=&page= — a page of a segment's members (masked per role).
import { NextResponse } from 'next/server';
import { can } from '../../../../../../lib/auth-roles.ts';
import { getSegmentMembers, memberQuerySchema, parseSegmentId } from '../../../../../lib/data/segments.ts';
import { audit } from '../../../../../lib/server/audit.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('page:segments', async (request, { session }, params) => {
  const id = parseSegmentId(params.id);
  if (id === null) throw new ApiError(400, 'bad_id', 'id: must be a segment number', 'id');
  const sp = request.nextUrl.searchParams;
  for (const key of ['sort', 'dir', 'page']) if (sp.getAll(key).length > 1) throw new ApiError(400, 'bad_filter', `${key}: must be given once`, key);
  const parsed = memberQuerySchema.safeParse({ sort: sp.get('sort') || undefined, dir: sp.get('dir') || undefined, page: sp.get('page') || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'sort');
    throw new ApiError(400, 'bad_filter', `${field}: ${issue.message}`, field);
  }
  try {
    const unmasked = can(session.user.role, 'pii:unmasked');
    const members = await getSegmentMembers(id, parsed.data, { unmasked, scope: session.ownerScope });
    if (!members) throw new ApiError(404, 'unknown_segment', `There is no segment ${id}.`, 'id');
    if (unmasked && members.rows.length > 0) await audit(session, 'pii_view', `segment:${id}`, members.rows.length, { page: parsed.data.page });
    return NextResponse.json(members, { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
