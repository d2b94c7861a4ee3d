// GET /api/api-tokens — the signed-in user's API tokens (never the token text).
// POST /api/api-tokens {name, scopes, pii, expiresInDays} — creates one; the answer carries the token
// text, the only time it exists outside the client. Permission api:tokens; audited (api_token_change).
import { NextResponse } from 'next/server';
import { ApiTokenError, createApiToken, listApiTokens } from '../../../../lib/api-tokens.ts';
import { clientAddress } from '../../../lib/server/api-v1.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { readJsonBody } from '../../../lib/server/saved-segment-api.ts';
import { ApiError, apiRoute } from '../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('api:tokens', async (_request, { session }) => {
  const { pool } = await getServerContext();
  return NextResponse.json({ tokens: await listApiTokens(pool, session.user.id) }, { headers: { 'cache-control': 'private, no-store' } });
});

export const POST = apiRoute('api:tokens', async (request, { session }) => {
  const body = await readJsonBody(request);
  const { pool } = await getServerContext();
  const actor = { userId: session.user.id, userEmail: session.user.email, role: session.user.role, address: await clientAddress(request) };
  try {
    // createApiToken validates the body with newApiTokenSchema (zod) and names the field at fault.
    const { token, apiToken } = await createApiToken(pool, session.user, body, actor);
    return NextResponse.json({ token, apiToken }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof ApiTokenError) {
      const field = /^(\w+):/.exec(error.message)?.[1];
      throw new ApiError(error.code === 'invalid_token_input' ? 400 : 403, error.code, error.message, field);
    }
    throw error;
  }
});
