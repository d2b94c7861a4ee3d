// POST /api/auth/sign-out: ends the session in the database and clears the cookie (audited).
import { NextResponse, type NextRequest } from 'next/server';
import { signOut } from '../../../../../lib/auth.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { writeAudit } from '../../../../../lib/audit.ts';
import { clientAddress } from '../../../../lib/server/client-address.ts';
import { readBodyBytes } from '../../../../lib/server/body.ts';
import { ApiError, SESSION_COOKIE, cookieSecurity, getCurrentSession, isSameOrigin, jsonError, seeOther } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOrigin(request)) return jsonError(403, 'cross_site', 'Cross-site sign-out is not allowed.');
  // The body means nothing here, but an oversized one is still refused rather than read.
  try {
    await readBodyBytes(request);
  } catch (error) {
    if (error instanceof ApiError) return jsonError(error.status, error.code, error.message);
    throw error;
  }
  const { pool, config } = await getServerContext();
  const session = await getCurrentSession();
  await signOut(pool, request.cookies.get(SESSION_COOKIE)?.value);
  if (session) {
    const { user } = session;
    await writeAudit(pool, { userId: user.id, userEmail: user.email, role: user.role, action: 'sign_out', target: `user:${user.id}`, address: clientAddress(request.headers, config.trustProxy), details: { session: session.id } });
  }
  const response = (request.headers.get('accept') ?? '').includes('application/json')
    ? NextResponse.json({ ok: true })
    : seeOther('/sign-in');
  response.cookies.set(SESSION_COOKIE, '', { ...cookieSecurity(request), maxAge: 0 });
  return response;
}
