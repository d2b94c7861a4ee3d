// A real dashboard on a seeded test database and a published snapshot, for tests that drive it over
// HTTP or in Chromium: the pattern of tests/e2e/dashboard.e2e.test.ts in one reusable place.
import pg from 'pg';
import { expect } from 'vitest';
import type { Role } from '../../lib/auth-roles.ts';
import { ensureDemoUsers, type DemoUser } from '../../lib/auth.ts';
import { setMfaRequired } from '../../lib/mfa.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../../lib/migrate.ts';
import { seedDemoData } from '../../ingest/index.ts';
import { runPipelineNow } from '../../jobs/index.ts';
import { startDashboard, type RunningDashboard } from '../../dashboard/server.ts';
import { createPulseEnv, type PulseTestEnv } from './pulse-env.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { freePort } from '../../lib/free-port.ts';

export interface DashboardFixture {
  database: TestDatabase;
  env: PulseTestEnv;
  server: RunningDashboard;
  users: Record<Role, DemoUser>;
  serverOutput: string[];
  signInCookie(role: Role): Promise<string>;
  close(): Promise<void>;
}

/** Seeds `customers` demo customers, lets `prepare` change the source, runs one full pipeline and starts the dashboard. */
export async function startSeededDashboard(prefix: string, options: { customers: number; seed: number; prepare?: (client: pg.Client) => Promise<void> }): Promise<DashboardFixture> {
  const database = await createTestDatabase(prefix);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migrate(client, pulseMigrations);
    await migrate(client, demoSourceMigrations);
    await seedDemoData(database.url, { customers: options.customers, seed: options.seed, asOf: new Date('2026-10-01T00:00:00Z') });
    await options.prepare?.(client);
  } finally {
    await client.end();
  }
  const env = createPulseEnv(database.url, { PULSE_REPORTING_CURRENCY: 'CNY' });
  await runPipelineNow(env.ctx, { mode: 'full', trigger: prefix });
  const users = Object.fromEntries((await ensureDemoUsers(env.ctx.pool, env.dataDir)).map((u) => [u.role, u])) as Record<Role, DemoUser>;
  // Roles sign in with a password here; two-step sign-in (required for admins by default) is tested
  // in accounts.e2e.test.ts.
  await setMfaRequired(env.ctx.pool, 'admin', false, { userId: null, email: 'test', role: '' });
  const serverOutput: string[] = [];
  const server = await startDashboard({ port: await freePort(), host: '127.0.0.1', env: { ...env.env, LOG_LEVEL: 'warn' }, output: (chunk) => serverOutput.push(chunk) });
  return {
    database,
    env,
    server,
    users,
    serverOutput,
    async signInCookie(role) {
      const response = await fetch(`${server.url}/api/auth/sign-in`, {
        method: 'POST',
        // A state-changing request names this site as its Origin (the proxy's CSRF check).
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ email: users[role].email, password: users[role].password }),
      });
      expect(response.status, `sign-in as ${role}`).toBe(200);
      return response.headers.getSetCookie().find((c) => c.startsWith('pulse_session='))!.split(';')[0]!;
    },
    async close() {
      await server.stop();
      await env.close();
      await database.drop();
    },
  };
}
