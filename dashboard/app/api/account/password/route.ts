// POST /api/account/password (JSON: currentPassword, newPassword, confirm): a signed-in user changes
// their own password. Needs the current one; ends every other session of theirs (this one stays).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { changeOwnPassword } from '../../../../../lib/auth.ts';
import { checkPassword } from '../../../../../lib/password-rules.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { clientInfo, minutesFrom, parseInput, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const body = z.object({
  currentPassword: z.string().min(1, 'must not be empty').max(1000),
  newPassword: z.string().max(1000),
  confirm: z.string().max(1000),
});

export const POST = apiRoute('account:self', async (request, { session, t }) => {
  const input = parseInput(body, (await readBody(request)).fields);
  if (input.confirm !== input.newPassword) throw new ApiError(400, 'mismatch', t.accounts.rules.mismatch, 'confirm');
  const { pool } = await getServerContext();
  const result = await changeOwnPassword(pool, session, input.currentPassword, input.newPassword, await clientInfo(request));
  if (!result.ok) {
    if (result.reason === 'wrong_password') throw new ApiError(400, 'wrong_password', t.accounts.account.wrongPassword, 'currentPassword');
    if (result.reason === 'throttled') throw new ApiError(429, 'throttled', fill(t.accounts.errors.throttled, { minutes: minutesFrom(result.retryAfterSeconds) }));
    // weak_password: name the rule in the user's language.
    const problem = await checkPassword(input.newPassword, session.user.email);
    throw new ApiError(400, problem?.rule ?? 'weak_password', problem ? t.accounts.rules[problem.rule] : result.message, 'newPassword');
  }
  return NextResponse.json({ ok: true, sessionsEnded: result.sessionsEnded });
});
