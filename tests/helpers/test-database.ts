// Each test file gets a database of its own on the suite's server, dropped at the end.
import crypto from 'node:crypto';
import pg from 'pg';
import { demoSourceMigrations, migrate, pulseMigrations } from '../../lib/migrate.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function testAdminUrl(): string {
  const url = process.env.PULSE_TEST_ADMIN_URL;
  if (!url) throw new Error('PULSE_TEST_ADMIN_URL is not set: run the tests through vitest (tests/setup/global-setup.ts).');
  return url;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const adminUrl = testAdminUrl();
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropDatabase(adminUrl, name),
  };
}

/**
 * Waits (up to 3 s) for the test's own connections to close before dropping: FORCE terminates any
 * still closing, and a client whose pool has already let go of it then raises the server's
 * "terminating connection" as an uncaught error in the test process.
 */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (let i = 0; i < 30; i++) {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (Number(rows[0]!.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A test database with Pulse's own migrations applied, and with `demoSource` the demo source schema's too. */
export async function createMigratedDatabase(prefix: string, options: { demoSource?: boolean } = {}): Promise<TestDatabase> {
  const database = await createTestDatabase(prefix);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migrate(client, pulseMigrations);
    if (options.demoSource) await migrate(client, demoSourceMigrations);
  } finally {
    await client.end();
  }
  return database;
}
