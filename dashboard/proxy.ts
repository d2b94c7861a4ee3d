// Runs before every page request, and before API requests whose address holds a %-escape (the matcher
// at the end; Next.js 16 "proxy", formerly middleware):
// - an address whose %-escapes do not decode to UTF-8 (/api/customers/%C3%28) would make Next.js fail
//   with a bare 500 while decoding the route's parameters: it is answered here with a clear 400;
// - cross-site state-changing requests are refused (lib/csrf.ts) before any page sees them; API
//   routes check the same themselves (apiRoute, publicRoute, sign-out, locale);
// - the per-request Content-Security-Policy nonce and HSTS are set (lib/security-headers.ts).
// API responses' CSP and HSTS, and the static headers, are in next.config.ts.
import { NextResponse, type NextRequest } from 'next/server';
import { checkSameOrigin, crossSiteMessage, isStateChanging } from './lib/csrf.ts';
import { apiContentSecurityPolicy, contentSecurityPolicy, isHttps, isReportFilePath, reportFileContentSecurityPolicy, strictTransportSecurity } from './lib/security-headers.ts';

export function proxy(request: NextRequest): NextResponse {
  const https = isHttps(request.headers, request.nextUrl.protocol);
  const isApi = request.nextUrl.pathname.startsWith('/api/');
  const badPath = refuseUndecodablePath(request);
  if (badPath) return withHeaders(badPath, apiContentSecurityPolicy, https);
  if (isStateChanging(request.method)) {
    const check = checkSameOrigin(request.headers);
    if (!check.ok) {
      const refused = NextResponse.json(
        { error: { code: 'cross_site', message: crossSiteMessage(check.reason) } },
        { status: 403, headers: { 'cache-control': 'no-store' } },
      );
      return withHeaders(refused, apiContentSecurityPolicy, https);
    }
  }
  if (isApi) return withHeaders(NextResponse.next(), isReportFilePath(request.nextUrl.pathname) ? reportFileContentSecurityPolicy : apiContentSecurityPolicy, https);

  // A fresh nonce per page: Next.js takes it from the request's CSP header for its own scripts.
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy(nonce, { https, development: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), policy, https);
}

/** A 400 for an address whose %-escapes are not valid UTF-8; null when it decodes. */
function refuseUndecodablePath(request: NextRequest): NextResponse | null {
  // request.url keeps the %-escapes as sent; nextUrl may already hold a decoded form.
  const rawPath = new URL(request.url).pathname;
  try {
    decodeURIComponent(rawPath);
    return null;
  } catch {
    const message = 'The address has a %-escape that is not valid UTF-8.';
    if (rawPath.startsWith('/api/')) return NextResponse.json({ error: { code: 'bad_path', message } }, { status: 400, headers: { 'cache-control': 'no-store' } });
    return new NextResponse(`400 Bad request: ${message}\n`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
}

function withHeaders(response: NextResponse, policy: string, https: boolean): NextResponse {
  response.headers.set('content-security-policy', policy);
  if (https) response.headers.set('strict-transport-security', strictTransportSecurity);
  return response;
}

export const config = {
  // Not for build assets: immutable files with no script to protect (next.config.ts still sends
  // nosniff and the other static headers on them), and their generated names always decode.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/).*)', '/api/(.*%.*)'],
};
