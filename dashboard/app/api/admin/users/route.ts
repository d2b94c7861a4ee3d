// GET  /api/admin/users — every user with role, status, MFA and sessions (users:manage).
// POST /api/admin/users — invite someone (JSON: email, role, name?, language?): the account is created
//      without a usable password and they get an e-mail with a 72-hour link to choose theirs.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { inviteUser } from '../../../../../lib/account-tokens.ts';
import { roles } from '../../../../../lib/auth-roles.ts';
import { AuthError, languages, listUsers } from '../../../../../lib/auth.ts';
import { actorOf } from '../../../../../lib/mfa.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { sendAccountMail } from '../../../../lib/server/account-mail.ts';
import { clientInfo, parseInput, readBody } from '../../../../lib/server/account-request.ts';
import { listUserScopes } from '../../../../../lib/user-scopes.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

/** Users with their owner scope (null: every customer their role allows). */
export const GET = apiRoute('users:manage', async () => {
  const { pool } = await getServerContext();
  const scopes = await listUserScopes(pool);
  const users = (await listUsers(pool)).map((u) => ({ ...u, ownerScope: scopes.get(u.id) ?? null }));
  return NextResponse.json({ users }, { headers: { 'cache-control': 'no-store' } });
});

const invite = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('must be an e-mail address')),
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
  name: z.string().trim().max(200).optional().transform((v) => v || undefined),
  language: z.union([z.enum(languages), z.literal('')], { error: 'must be zh-CN, en or empty' }).optional().transform((v) => v || undefined),
});

export const POST = apiRoute('users:manage', async (request, { session, t, locale }) => {
  const input = parseInput(invite, (await readBody(request)).fields);
  const { pool } = await getServerContext();
  let invited: Awaited<ReturnType<typeof inviteUser>>;
  try {
    invited = await inviteUser(pool, input, actorOf(session.user, (await clientInfo(request)).address));
  } catch (error) {
    if (error instanceof AuthError && error.code === 'email_taken') throw new ApiError(409, 'email_taken', t.accounts.users.emailTaken, 'email');
    if (error instanceof AuthError && error.code === 'invalid_user') throw new ApiError(400, 'invalid_user', error.message);
    throw error;
  }
  try {
    await sendAccountMail('invite', invited.user, invited.token, { fallbackLocale: locale, inviter: session.user.name });
  } catch (error) {
    // The account exists; the admin can send the link again with "forgot password" once mail works.
    return NextResponse.json(
      { user: invited.user, mailed: false, message: fill(t.accounts.users.inviteMailFailed, { email: invited.user.email, message: (error as Error).message }) },
      { status: 201 },
    );
  }
  return NextResponse.json({ user: invited.user, mailed: true, message: fill(t.accounts.users.invited, { email: invited.user.email }) }, { status: 201 });
});
