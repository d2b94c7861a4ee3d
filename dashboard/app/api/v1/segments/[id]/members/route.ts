// GET /api/v1/segments/{id}/members?limit=&cursor= — a page of members in customer-id order. Keyset
// paging: the answer's `nextCursor` pins the snapshot run the walk started on. When a newer snapshot
// is published mid-walk the next page answers 410 Gone (snapshot_changed) and the client starts again
// without a cursor: a walk never mixes two snapshots, so it has no duplicates and no gaps. (Serving the
// old snapshot on would need readers over older snapshot files, which are pruned on their own
// schedule; a restart is the simpler promise.) Scope members:read, and each page is audited as an
// export with its row count and the token id.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { writeAudit } from '../../../../../../../lib/audit.ts';
import { API_MAX_PAGE_SIZE, API_PAGE_SIZE, decodeCursor, getApiMembers, parseApiSegmentId, SnapshotChangedError } from '../../../../../../lib/data/api-segments.ts';
import { clientAddress, parseQuery, tokenRoute } from '../../../../../../lib/server/api-v1.ts';
import { getServerContext } from '../../../../../../lib/server/context.ts';
import { translateWarehouseError } from '../../../../../../lib/server/saved-segment-api.ts';
import { ApiError } from '../../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const query = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= API_MAX_PAGE_SIZE, `must be from 1 to ${API_MAX_PAGE_SIZE}`)
    .default(API_PAGE_SIZE),
  cursor: z.string().max(400, 'is not a cursor this API handed out').optional(),
});

export const GET = tokenRoute<{ id: string }>('members:read', async (request, principal, params) => {
  const ref = parseApiSegmentId(params.id);
  if (!ref) throw new ApiError(400, 'bad_id', "id: must look like 'saved-12' or 'model-3'", 'id');
  const { limit, cursor: cursorText } = parseQuery(request, query, ['limit', 'cursor']);
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
  if (cursorText !== undefined && (!cursor || cursor.s !== params.id)) {
    throw new ApiError(400, 'bad_cursor', 'cursor: is not a cursor this API handed out for this segment; start without one', 'cursor');
  }
  const page = await getApiMembers(ref, principal, cursor?.a ?? 0, limit, cursor?.r).catch((error: unknown) => {
    if (error instanceof SnapshotChangedError) {
      throw new ApiError(410, 'snapshot_changed', `A newer snapshot (run ${error.current}) was published after this walk started on run ${error.expected}: start again without a cursor.`, 'cursor');
    }
    return translateWarehouseError(error);
  });
  if (!page) throw new ApiError(404, 'unknown_segment', `There is no segment ${params.id} this token may see.`, 'id');
  const { pool } = await getServerContext();
  await writeAudit(pool, {
    userId: principal.user.id,
    userEmail: principal.user.email,
    role: principal.user.role,
    action: 'export',
    target: `segment:${params.id}`,
    rowCount: page.members.length,
    details: { via: 'api_v1', tokenId: principal.token.id, runId: page.runId, unmasked: page.unmasked, after: cursor?.a ?? 0 },
    address: await clientAddress(request),
  });
  return NextResponse.json(page, { headers: { 'cache-control': 'private, no-store' } });
});
