// Each test file gets a database of its own on the suite's server, dropped at the end.
import crypto from 'node:crypto';
import pg from 'pg';

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
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
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
