// Runs before routing (Next.js "proxy", formerly middleware). An address whose %-escapes do not
// decode to UTF-8 (/api/customers/%C3%28) would make Next.js fail with a bare 500 while decoding the
// route's parameters, before any route's own checks run: it is answered here with a clear 400.
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest): NextResponse {
  // request.url keeps the %-escapes as sent; nextUrl may already hold a decoded form.
  const rawPath = new URL(request.url).pathname;
  try {
    decodeURIComponent(rawPath);
    return NextResponse.next();
  } catch {
    const message = 'The address has a %-escape that is not valid UTF-8.';
    if (rawPath.startsWith('/api/')) return NextResponse.json({ error: { code: 'bad_path', message } }, { status: 400, headers: { 'cache-control': 'no-store' } });
    return new NextResponse(`400 Bad request: ${message}\n`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
}

export const config = {
  // Not on Next.js's own static files: their names are generated and always valid.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
