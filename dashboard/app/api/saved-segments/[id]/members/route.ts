// GET /api/saved-segments/:id/members?after=&limit=&run= — a page of members in customer-id order
// (keyset: pass the answer's `nextAfter` as `after` and its `runId` as `run` for the next page; if a
// newer snapshot was published meanwhile the answer is 409 and the walk starts again, so it never mixes
// two snapshots). Personal data is masked unless the role has `pii:unmasked`; unmasked pages are audited.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { can } from '../../../../../../lib/auth-roles.ts';
import { getSavedSegmentMembers, MAX_MEMBER_PAGE_SIZE, MEMBER_PAGE_SIZE, SnapshotChangedError } from '../../../../../lib/data/saved-segments.ts';
import { audit } from '../../../../../lib/server/audit.ts';
import { requireVisibleSegment, translateWarehouseError } from '../../../../../lib/server/saved-segment-api.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const query = z.object({
  after: z.string().regex(/^\d{1,15}$/, 'must be a customer id').transform(Number).default(0),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_MEMBER_PAGE_SIZE, `must be from 1 to ${MAX_MEMBER_PAGE_SIZE}`)
    .default(MEMBER_PAGE_SIZE),
  run: z.string().regex(/^\d{1,15}$/, 'must be a pipeline run number').transform(Number).optional(),
});

export const GET = apiRoute<{ id: string }>('page:segments', async (request, { session }, params) => {
  const sp = request.nextUrl.searchParams;
  for (const key of ['after', 'limit', 'run']) if (sp.getAll(key).length > 1) throw new ApiError(400, 'bad_request', `${key}: must be given once`, key);
  const parsed = query.safeParse({ after: sp.get('after') || undefined, limit: sp.get('limit') || undefined, run: sp.get('run') || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'after');
    throw new ApiError(400, 'bad_request', `${field}: ${issue.message}`, field);
  }
  const segment = await requireVisibleSegment(params.id, session);
  const unmasked = can(session.user.role, 'pii:unmasked');
  const page = await getSavedSegmentMembers(segment, parsed.data.after, parsed.data.limit, { unmasked, runId: parsed.data.run, scope: session.ownerScope }).catch((error: unknown) => {
    if (error instanceof SnapshotChangedError) throw new ApiError(409, 'snapshot_changed', error.message, 'run');
    return translateWarehouseError(error);
  });
  if (unmasked && page.rows.length > 0) await audit(session, 'pii_view', `saved_segment:${segment.id}`, page.rows.length, { after: parsed.data.after });
  return NextResponse.json(page, { headers: { 'cache-control': 'private, no-store' } });
});
