// POST /api/auth/mfa (form or JSON: code, next): the second sign-in step. The challenge cookie from
// the password step plus a TOTP code or a recovery code gives a session. Wrong code: back to the code
// page (form) or 401 (JSON); a challenge that is gone (used, expired, too many wrong codes) sends the
// user back to the password.
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { SESSION_ABSOLUTE_MS } from '../../../../../lib/auth.ts';
import { completeMfaSignIn } from '../../../../../lib/mfa.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { CHALLENGE_COOKIE, clientInfo, minutesFrom, publicRoute, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { getKeyring } from '../../../../lib/server/keyring.ts';
import { SESSION_COOKIE, cookieSecurity, jsonError, safeReturnPath, seeOther } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const body = z.object({
  code: z.string().trim().min(1, 'must not be empty').max(64, 'is too long'),
  next: z.string().max(500).optional(),
});

export const POST = publicRoute(async (request: NextRequest, { t }) => {
  const { isJson, fields } = await readBody(request);
  const next = safeReturnPath(typeof fields.next === 'string' ? fields.next : undefined);
  const parsed = body.safeParse(fields);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]!.path[0] ?? 'body');
    return isJson ? jsonError(400, 'bad_request', `${field}: ${parsed.error.issues[0]!.message}`, field) : seeOther(`/sign-in/mfa?error=missing&next=${encodeURIComponent(next)}`);
  }
  const { pool } = await getServerContext();
  const result = await completeMfaSignIn(pool, await getKeyring(), request.cookies.get(CHALLENGE_COOKIE)?.value, parsed.data.code, await clientInfo(request));
  if (!result.ok) {
    const restart = result.reason === 'expired' || result.reason === 'locked';
    if (isJson) {
      const status = { invalid_code: 401, expired: 401, locked: 423, throttled: 429 }[result.reason];
      const message = result.reason === 'throttled' ? fill(t.accounts.errors.throttled, { minutes: minutesFrom(result.retryAfterSeconds) }) : t.accounts.mfa[result.reason === 'invalid_code' ? 'invalid' : result.reason];
      const response = jsonError(status, result.reason, message);
      if (restart) response.cookies.set(CHALLENGE_COOKIE, '', { ...cookieSecurity(request), maxAge: 0 });
      return response;
    }
    if (result.reason === 'throttled') return seeOther(`/sign-in/mfa?error=throttled&minutes=${minutesFrom(result.retryAfterSeconds)}&next=${encodeURIComponent(next)}`);
    const response = restart ? seeOther(`/sign-in?error=${result.reason === 'locked' ? 'locked' : 'mfa_expired'}&next=${encodeURIComponent(next)}`) : seeOther(`/sign-in/mfa?error=invalid&next=${encodeURIComponent(next)}`);
    if (restart) response.cookies.set(CHALLENGE_COOKIE, '', { ...cookieSecurity(request), maxAge: 0 });
    return response;
  }
  const response = isJson
    ? NextResponse.json({ step: 'session', method: result.method, recoveryCodesLeft: result.recoveryCodesLeft, user: { email: result.user.email, role: result.user.role } }, { headers: { 'cache-control': 'no-store' } })
    : seeOther(next);
  response.cookies.set(SESSION_COOKIE, result.token, { ...cookieSecurity(request), maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000) });
  response.cookies.set(CHALLENGE_COOKIE, '', { ...cookieSecurity(request), maxAge: 0 });
  return response;
});
