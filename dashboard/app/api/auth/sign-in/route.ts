// POST /api/auth/sign-in (form or JSON: email, password, next): the password step.
// - no MFA: a session cookie; a form gets a 303 to `next`, JSON gets { user }.
// - MFA on, or required by the role: a short-lived challenge cookie (not a session); a form goes to
//   /sign-in/mfa or /sign-in/enrol, JSON gets 200 { step: 'mfa' | 'enrol' }.
// - wrong e-mail or password (same answer for both), locked (423), throttled address (429).
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { SESSION_ABSOLUTE_MS, signIn } from '../../../../../lib/auth.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { CHALLENGE_COOKIE, challengeCookie, clientInfo, minutesFrom, publicRoute, readBody } from '../../../../lib/server/account-request.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { SESSION_COOKIE, cookieSecurity, jsonError, safeReturnPath, seeOther } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

const body = z.object({
  email: z.string().trim().min(1, 'must not be empty').max(254),
  password: z.string().min(1, 'must not be empty').max(200),
  next: z.string().max(500).optional(),
});

export const POST = publicRoute(async (request: NextRequest, { t }) => {
  const { isJson, fields } = await readBody(request);
  const parsed = body.safeParse(fields);
  const next = safeReturnPath(typeof fields.next === 'string' ? fields.next : undefined);
  const back = (query: string) => seeOther(`/sign-in?${query}&next=${encodeURIComponent(next)}`);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'body');
    return isJson ? jsonError(400, 'bad_request', `${field}: ${issue.message}`, field) : back('error=missing');
  }
  const { pool } = await getServerContext();
  const result = await signIn(pool, parsed.data.email, parsed.data.password, await clientInfo(request));
  if (!result.ok) {
    if (result.reason === 'throttled') {
      const minutes = minutesFrom(result.retryAfterSeconds);
      if (!isJson) return back(`error=throttled&minutes=${minutes}`);
      const response = jsonError(429, 'throttled', fill(t.accounts.signIn.throttled, { minutes }));
      response.headers.set('retry-after', String(result.retryAfterSeconds));
      return response;
    }
    if (isJson) return jsonError(result.reason === 'locked' ? 423 : 401, result.reason, result.reason === 'locked' ? t.signIn.locked : t.signIn.invalid);
    return back(`error=${result.reason}`);
  }
  if (result.step !== 'session') {
    const response = isJson ? NextResponse.json({ step: result.step }, { headers: { 'cache-control': 'no-store' } }) : seeOther(`/sign-in/${result.step}?next=${encodeURIComponent(next)}`);
    response.cookies.set(CHALLENGE_COOKIE, result.challengeToken, challengeCookie(request, result.expiresAt));
    return response;
  }
  const response = isJson
    ? NextResponse.json({ step: 'session', user: { email: result.user.email, name: result.user.name, role: result.user.role } }, { headers: { 'cache-control': 'no-store' } })
    : seeOther(next);
  response.cookies.set(SESSION_COOKIE, result.token, { ...cookieSecurity(request), maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000) });
  return response;
});
