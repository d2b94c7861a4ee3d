// Connections to PostgreSQL: Pulse's own database and the operational source. One place decides
// which server that is (DATABASE_URL, or the embedded one) so every command uses the same data.
import pg from 'pg';
import type { PulseConfig } from './config.ts';
import { ensureEmbeddedPostgres } from './embedded-postgres.ts';
import { createPool } from './pg-pool.ts';

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

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
