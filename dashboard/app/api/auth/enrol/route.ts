// POST /api/auth/enrol (JSON: code): finishes a sign-in whose role requires MFA the user did not
// have yet. The enrolment challenge cookie plus a valid code from the new authenticator turns MFA
// on, opens the session and returns the ten recovery codes, to be shown once.
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { SESSION_ABSOLUTE_MS } from '../../../../../lib/auth.ts';
import { completeEnrolmentSignIn } from '../../../../../lib/mfa.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { CHALLENGE_COOKIE, clientInfo, minutesFrom, parseInput, publicRoute, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { getKeyring } from '../../../../lib/server/keyring.ts';
import { SESSION_COOKIE, cookieSecurity, jsonError } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const body = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'must be the 6 digits the app shows') });

export const POST = publicRoute(async (request: NextRequest, { t }) => {
  const { code } = parseInput(body, (await readBody(request)).fields);
  const { pool } = await getServerContext();
  const result = await completeEnrolmentSignIn(pool, await getKeyring(), request.cookies.get(CHALLENGE_COOKIE)?.value, code, await clientInfo(request));
  if (!result.ok) {
    if (result.reason === 'throttled') return jsonError(429, 'throttled', fill(t.accounts.errors.throttled, { minutes: minutesFrom(result.retryAfterSeconds) }));
    if (result.reason === 'invalid_code') return jsonError(401, 'invalid_code', t.accounts.enrol.invalid, 'code');
    const response = jsonError(result.reason === 'locked' ? 423 : 401, result.reason, result.reason === 'locked' ? t.signIn.locked : t.accounts.enrol.expired);
    response.cookies.set(CHALLENGE_COOKIE, '', { ...cookieSecurity(request), maxAge: 0 });
    return response;
  }
  const response = NextResponse.json({ step: 'session', recoveryCodes: result.recoveryCodes }, { headers: { 'cache-control': 'no-store' } });
  response.cookies.set(SESSION_COOKIE, result.token, { ...cookieSecurity(request), maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000) });
  response.cookies.set(CHALLENGE_COOKIE, '', { ...cookieSecurity(request), maxAge: 0 });
  return response;
});
