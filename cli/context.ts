// What every command needs: validated config, a logger and Pulse's databases — opened once, closed
// once. Errors from here are printed as one clear line by the CLI entry.
import { loadConfig, type PulseConfig } from '../lib/config.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { openDatabases, type Databases } from '../lib/postgres.ts';
import type { PipelineContext } from '../jobs/index.ts';

export interface CommandContext {
  config: PulseConfig;
  log: Logger;
  dbs: Databases;
  pipeline: PipelineContext;
}

export async function withContext<T>(fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const dbs = await openDatabases(config, (message) => log.debug({ postgres: message }));
  try {
    return await fn({ config, log, dbs, pipeline: { config, pool: dbs.pool, sourceUrl: dbs.sourceUrl, log } });
  } finally {
    await dbs.close();
  }
}
