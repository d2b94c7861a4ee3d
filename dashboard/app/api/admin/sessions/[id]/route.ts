// DELETE /api/admin/sessions/:id — ends one session (users:manage); 404 when it is already gone.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { actorOf } from '../../../../../../lib/mfa.ts';
import { revokeSessionAsAdmin } from '../../../../../../lib/user-admin.ts';
import { clientInfo, parseInput } from '../../../../../lib/server/account-request.ts';
import { requireNoBody } from '../../../../../lib/server/body.ts';
import { getServerContext } from '../../../../../lib/server/context.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const params = z.object({ id: z.string().regex(/^\d{1,15}$/, 'must be a session id').transform(Number) });

export const DELETE = apiRoute<{ id: string }>('users:manage', async (request, { session }, segment) => {
  const { id } = parseInput(params, segment);
  await requireNoBody(request);
  const { pool } = await getServerContext();
  const revoked = await revokeSessionAsAdmin(pool, id, actorOf(session.user, (await clientInfo(request)).address));
  if (!revoked) throw new ApiError(404, 'not_found', `There is no active session ${id}.`, 'id');
  return NextResponse.json({ ok: true });
});
