// GET  /api/admin/mfa-policy — which roles must use two-step sign-in (users:manage).
// POST /api/admin/mfa-policy (JSON: role, required) — changes one role; audited as settings_change.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { roles } from '../../../../../lib/auth-roles.ts';
import { actorOf, getMfaPolicy, setMfaRequired } from '../../../../../lib/mfa.ts';
import { clientInfo, parseInput, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('users:manage', async () => NextResponse.json({ policy: await getMfaPolicy((await getServerContext()).pool) }, { headers: { 'cache-control': 'no-store' } }));

const body = z.object({
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
  required: z.boolean({ error: 'must be true or false' }),
});

export const POST = apiRoute('users:manage', async (request, { session }) => {
  const input = parseInput(body, (await readBody(request)).fields);
  const { pool } = await getServerContext();
  await setMfaRequired(pool, input.role, input.required, actorOf(session.user, (await clientInfo(request)).address));
  return NextResponse.json({ policy: await getMfaPolicy(pool) });
});
