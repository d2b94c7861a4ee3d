// POST /api/admin/users/:id (JSON, users:manage): change one user.
//   { action: 'role', role }       new role; ends all their sessions
//   { action: 'disable' }          no sign-in; ends all their sessions
//   { action: 'enable' }           sign-in allowed again (clears a lock too)
//   { action: 'reset_mfa' }        removes their authenticator and recovery codes
//   { action: 'revoke_sessions' }  signs them out everywhere
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { roles } from '../../../../../../lib/auth-roles.ts';
import { AuthError, getUser } from '../../../../../../lib/auth.ts';
import { actorOf, resetMfa } from '../../../../../../lib/mfa.ts';
import { changeUserRole, revokeAllSessions, setUserDisabled } from '../../../../../../lib/user-admin.ts';
import { clientInfo, parseInput, readBody } from '../../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../../lib/server/context.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const params = z.object({ id: z.string().regex(/^\d{1,15}$/, 'must be a user id').transform(Number) });
const body = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('role'), role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }) }),
    z.object({ action: z.literal('disable') }),
    z.object({ action: z.literal('enable') }),
    z.object({ action: z.literal('reset_mfa') }),
    z.object({ action: z.literal('revoke_sessions') }),
  ],
  { error: 'action: must be role, disable, enable, reset_mfa or revoke_sessions' },
);

export const POST = apiRoute<{ id: string }>('users:manage', async (request, { session, t }, segment) => {
  const { id } = parseInput(params, segment);
  const input = parseInput(body, (await readBody(request)).fields);
  const { pool } = await getServerContext();
  if (!(await getUser(pool, id))) throw new ApiError(404, 'not_found', `There is no user ${id}.`, 'id');
  const actor = actorOf(session.user, (await clientInfo(request)).address);
  try {
    switch (input.action) {
      case 'role':
        return NextResponse.json({ ok: true, ...(await changeUserRole(pool, id, input.role, actor)) });
      case 'disable':
      case 'enable':
        return NextResponse.json({ ok: true, ...(await setUserDisabled(pool, id, input.action === 'disable', actor)) });
      case 'reset_mfa':
        await resetMfa(pool, id, actor);
        return NextResponse.json({ ok: true });
      case 'revoke_sessions':
        return NextResponse.json({ ok: true, sessionsEnded: await revokeAllSessions(pool, id, actor) });
    }
  } catch (error) {
    if (error instanceof AuthError && error.code === 'last_admin') throw new ApiError(409, 'last_admin', t.accounts.users.lastAdmin);
    throw error;
  }
});
