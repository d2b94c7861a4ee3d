// Connections to PostgreSQL: Pulse's own database and the operational source. One place decides
// which server that is (DATABASE_URL, or the embedded one) so every command uses the same data.
import pg from 'pg';
import type { PulseConfig } from './config.ts';
import { ensureEmbeddedPostgres } from './embedded-postgres.ts';
import { createPool } from './pg-pool.ts';
import { explainConnectionError } from './pg-tls.ts';

export { createPool };

export interface Databases {
  /** Pulse's own database: pipeline state, queues, users. */
  pool: pg.Pool;
  url: string;
  /** The operational source the extract reads (same as `url` unless SOURCE_DATABASE_URL is set). */
  sourceUrl: string;
  close(): Promise<void>;
}

export async function openDatabases(config: PulseConfig, log: (message: string) => void = () => undefined): Promise<Databases> {
  let url = config.databaseUrl;
  let stopServer = async (): Promise<void> => undefined;
  if (!url) {
    const server = await ensureEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
    url = server.url;
    stopServer = server.stop;
  }
  const pool = createPool(url);
  try {
    // One round trip now, so a TLS or SSL-policy problem is one clear line naming the variable
    // (lib/pg-tls.ts) instead of a driver error from whichever query came first.
    // (The source is not probed: `pulse status` must work while it is down; the extract translates
    // its errors, ingest/source-errors.ts.)
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    await stopServer().catch(() => undefined);
    throw explainConnectionError(error, 'DATABASE_URL', url) ?? error;
  }
  return {
    pool,
    url,
    sourceUrl: config.sourceDatabaseUrl ?? url,
    close: async () => {
      await pool.end();
      await stopServer();
    },
  };
}

/** One connection for `fn`. `variable` names the setting the URL came from, for connection errors. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>, variable = 'DATABASE_URL'): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw explainConnectionError(error, variable, url) ?? error;
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
