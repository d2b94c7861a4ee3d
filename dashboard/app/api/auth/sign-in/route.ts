// POST /api/auth/sign-in (form or JSON: email, password, next). A form gets a 303 redirect (to `next`,
// or back to the sign-in page with ?error=); JSON gets { user } or a 401/423 error.
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { signIn } from '../../../../../lib/auth.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { readFormOrJson } from '../../../../lib/server/body.ts';
import { ApiError, SESSION_COOKIE, cookieSecurity, isSameOrigin, jsonError, safeReturnPath, seeOther } from '../../../../lib/server/session.ts';
import { SESSION_ABSOLUTE_MS } from '../../../../../lib/auth.ts';

export const runtime = 'nodejs';

const body = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
  next: z.string().max(500).optional(),
});

export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOrigin(request)) return jsonError(403, 'cross_site', 'Cross-site sign-in is not allowed.');
  let raw: Record<string, unknown>;
  let isJson: boolean;
  try {
    ({ fields: raw, isJson } = await readFormOrJson(request));
  } catch (error) {
    if (error instanceof ApiError) return jsonError(error.status, error.code, error.message);
    throw error;
  }
  const parsed = body.safeParse(raw);
  const next = safeReturnPath(typeof raw.next === 'string' ? raw.next : undefined);
  const back = (error: string) => seeOther(`/sign-in?error=${error}&next=${encodeURIComponent(next)}`);
  if (!parsed.success) {
    return isJson ? jsonError(400, 'bad_request', `${String(parsed.error.issues[0]!.path[0] ?? 'body')}: ${parsed.error.issues[0]!.message}`, String(parsed.error.issues[0]!.path[0] ?? '')) : back('missing');
  }
  const { pool } = await getServerContext();
  const result = await signIn(pool, parsed.data.email, parsed.data.password, request.headers.get('user-agent') ?? undefined);
  if (!result.ok) {
    if (isJson) return jsonError(result.reason === 'locked' ? 423 : 401, result.reason, result.reason === 'locked' ? 'Account locked for 15 minutes.' : 'Wrong e-mail or password.');
    return back(result.reason);
  }
  const response = isJson
    ? NextResponse.json({ user: { email: result.user.email, name: result.user.name, role: result.user.role } })
    : seeOther(next);
  response.cookies.set(SESSION_COOKIE, result.token, { ...cookieSecurity(request), maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000) });
  return response;
}
