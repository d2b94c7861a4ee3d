// Environment and config for running Pulse against a test database and a temporary data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type PulseConfig } from '../../lib/config.ts';
import { createLogger } from '../../lib/log.ts';
import { createPool } from '../../lib/postgres.ts';
import type { PipelineContext } from '../../jobs/index.ts';

export interface PulseTestEnv {
  env: Record<string, string>;
  config: PulseConfig;
  dataDir: string;
  ctx: PipelineContext;
  close(): Promise<void>;
}

export function createPulseEnv(databaseUrl: string, extra: Record<string, string> = {}): PulseTestEnv {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-data-'));
  const env = {
    DATABASE_URL: databaseUrl,
    PULSE_DATA_DIR: dataDir,
    // Schedules far away: tests trigger runs themselves.
    PULSE_SYNC_CRON: '0 0 1 1 *',
    PULSE_FULL_SYNC_CRON: '0 0 1 1 *',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const config = loadConfig(env);
  const pool = createPool(databaseUrl);
  return {
    env,
    config,
    dataDir,
    ctx: { config, pool, sourceUrl: databaseUrl, log: createLogger('silent') },
    close: async () => {
      await pool.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
