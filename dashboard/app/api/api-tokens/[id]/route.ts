// DELETE /api/api-tokens/:id — revokes one of the signed-in user's tokens at once (404 when it is not
// theirs or already revoked). Permission api:tokens; audited (api_token_change).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { revokeApiToken } from '../../../../../lib/api-tokens.ts';
import { clientAddress } from '../../../../lib/server/api-v1.ts';
import { requireNoBody } from '../../../../lib/server/body.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const idSchema = z.string().regex(/^\d{1,15}$/, 'must be a token number').transform(Number);

export const DELETE = apiRoute<{ id: string }>('api:tokens', async (request, { session }, params) => {
  const id = idSchema.safeParse(params.id);
  if (!id.success) throw new ApiError(400, 'bad_id', `id: ${id.error.issues[0]!.message}`, 'id');
  await requireNoBody(request);
  const { pool } = await getServerContext();
  const actor = { userId: session.user.id, userEmail: session.user.email, role: session.user.role, address: await clientAddress(request) };
  if (!(await revokeApiToken(pool, id.data, session.user.id, actor))) throw new ApiError(404, 'unknown_token', `You have no live API token ${id.data}.`, 'id');
  return NextResponse.json({ revoked: id.data }, { headers: { 'cache-control': 'no-store' } });
});
