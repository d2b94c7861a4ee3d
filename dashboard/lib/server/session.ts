// Who is asking, and may they: the server-side checks every page and API route runs (DESIGN.md:
// enforced on the server, not by hiding buttons). Pages call requirePage(); route handlers are
// wrapped in apiRoute(). Both read the one permission table in lib/auth-roles.ts.
import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { NextResponse, type NextRequest } from 'next/server';
import { getSession, type Session } from '../../../lib/auth.ts';
import { can, type Permission } from '../../../lib/auth-roles.ts';
import { errorMessage } from '../../../lib/errors.ts';
import { checkSameOrigin, crossSiteMessage, isStateChanging } from '../csrf.ts';
import { getDictionary, isLocale, LOCALE_COOKIE, negotiateLocale, type Dictionary, type Locale } from '../i18n/index.ts';
import { getServerContext } from './context.ts';

export const SESSION_COOKIE = 'pulse_session';

/** The signed-in session of this request (one database look-up per request, however many callers). */
export const getCurrentSession = cache(async (): Promise<Session | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const { pool } = await getServerContext();
  return getSession(pool, token);
});

/** The language: the user's choice, else the cookie set before sign-in, else the browser's Accept-Language, else English. */
export const getLocale = cache(async (): Promise<Locale> => localeOf(await getCurrentSession()));

async function localeOf(session: Session | null): Promise<Locale> {
  if (session?.user.language) return session.user.language;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return negotiateLocale((await headers()).get('accept-language')) ?? 'en';
}

export interface PageAccess {
  session: Session;
  locale: Locale;
  t: Dictionary;
}

/** For server components: redirects to sign-in when nobody is signed in, renders 403 when the role may not. */
export async function requirePage(permission: Permission, returnTo: string): Promise<PageAccess> {
  const session = await getCurrentSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  if (!can(session.user.role, permission)) forbidden();
  const locale = await getLocale();
  return { session, locale, t: getDictionary(locale) };
}

export interface ApiContext {
  session: Session;
  locale: Locale;
  t: Dictionary;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The largest body any API route accepts (kept equal to MAX_BODY_BYTES in body.ts). */
const MAX_API_BODY_BYTES = 64 * 1024;

type Handler<P> = (request: NextRequest, ctx: ApiContext, params: P) => Promise<Response>;

/**
 * Wraps a route handler: 401 without a session, 403 without the permission, 403 for a cross-site
 * state-changing request (lib/csrf.ts), 4xx for ApiError, and a 500 that shows no internals.
 */
export function apiRoute<P = unknown>(permission: Permission | null, handler: Handler<P>) {
  return async (request: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    // React's cache() memoises only while rendering, not in a route handler: getLocale() here would
    // read the session a second time (it was two session look-ups per API request), so it is read once.
    const session = await getCurrentSession();
    const locale = await localeOf(session);
    const t = getDictionary(locale);
    try {
      const crossSite = refuseCrossSite(request);
      if (crossSite) return crossSite;
      // No route takes more than a small form or JSON object (lib/server/body.ts reads with the same limit).
      if (Number(request.headers.get('content-length') ?? '0') > MAX_API_BODY_BYTES) return jsonError(413, 'body_too_large', `The request body is larger than ${MAX_API_BODY_BYTES / 1024} KB.`);
      if (!session) return jsonError(401, 'unauthenticated', t.errors.unauthenticated);
      if (permission && !can(session.user.role, permission)) return jsonError(403, 'forbidden', t.errors.forbidden);
      return await handler(request, { session, locale, t }, await segment.params);
    } catch (error) {
      if (error instanceof ApiError) return jsonError(error.status, error.code, error.message, error.field);
      console.error(`[pulse] ${request.method} ${request.nextUrl.pathname} failed: ${errorMessage(error)}`);
      return jsonError(500, 'server_error', t.errors.server);
    }
  };
}

export function jsonError(status: number, code: string, message: string, field?: string): NextResponse {
  return NextResponse.json({ error: { code, message, ...(field ? { field } : {}) } }, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * True when a state-changing request comes from a page of this site (lib/csrf.ts): its Origin names
 * this host, or, without Origin, Sec-Fetch-Site says same-origin. A request with neither is refused.
 * API routes are not behind the proxy (proxy.ts): each checks this itself.
 */
export function isSameOrigin(request: NextRequest): boolean {
  return checkSameOrigin(request.headers).ok;
}

/** The 403 for a cross-site state-changing request, naming why (lib/csrf.ts); null when it may go on. */
export function refuseCrossSite(request: NextRequest): NextResponse | null {
  if (!isStateChanging(request.method)) return null;
  const check = checkSameOrigin(request.headers);
  return check.ok ? null : jsonError(403, 'cross_site', crossSiteMessage(check.reason));
}

/** Cookie flags: HttpOnly always; Secure when the request came over HTTPS (directly or via a proxy). */
export function cookieSecurity(request: NextRequest): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: string } {
  const proto = request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(':', '');
  return { httpOnly: true, sameSite: 'lax', secure: proto === 'https', path: '/' };
}

/**
 * A 303 to a path on this site. The Location is relative on purpose: Next.js builds request.url from
 * its own listen address, which need not be the host the browser used (cookies are per host).
 */
export function seeOther(pathAndQuery: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: pathAndQuery, 'cache-control': 'no-store' } });
}

/** Only same-site paths may be redirect targets (no open redirect through ?next=). */
export function safeReturnPath(value: unknown, fallback = '/overview'): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%+~,]*$/.test(value) && value.length < 500 ? value : fallback;
}
