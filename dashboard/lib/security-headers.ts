// The per-request response headers (the static ones, nosniff, frame denial, referrer and permissions
// policy, are in next.config.ts). The Content-Security-Policy
// carries a fresh nonce per request (set by dashboard/proxy.ts); Next.js reads the nonce from the
// request's CSP header and puts it on its own scripts, so no inline script without it can run.
//
// Styles: Tremor and recharts render style="" attributes (chart sizes, tooltip positions) in the
// server HTML, and CSP nonces cannot cover attributes, so style-src-attr allows inline attributes.
// <style> elements and stylesheets still need 'self' or the nonce (style-src-elem): injected markup
// cannot bring a stylesheet. Scripts never get 'unsafe-inline'.

export function contentSecurityPolicy(nonce: string, options: { https: boolean; development: boolean }): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced Next.js runtime loads are trusted; host lists are ignored.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // The Reports page previews the report's PDF in an <iframe> of this site.
    "frame-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ];
  // Only over HTTPS: on plain http://localhost it would send every subresource to an https:// URL
  // that does not answer.
  if (options.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** For API responses (JSON, CSV): nothing in them may run or be framed. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * For the report file the Reports page previews in an <iframe>: framed by this site only. No
 * default-src: the browser's own PDF viewer draws it, and a PDF runs no page script anyway.
 */
export const reportFileContentSecurityPolicy = "frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/** The report file route (GET /api/reports/NAME/file), the one response another page of this site may frame. */
export function isReportFilePath(pathname: string): boolean {
  return /^\/api\/reports\/[^/]+\/file$/.test(pathname);
}

/** Two years, subdomains included; sent only on HTTPS responses (browsers ignore it over HTTP). */
export const strictTransportSecurity = 'max-age=63072000; includeSubDomains';

/** Whether the browser reached us over HTTPS: directly, or through a proxy that says so. */
export function isHttps(headers: Headers, protocol: string): boolean {
  const forwarded = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded ? forwarded === 'https' : protocol === 'https:';
}
