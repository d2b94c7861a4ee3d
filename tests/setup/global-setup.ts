// One PostgreSQL for the whole test run: the server at DATABASE_URL when set (CI runs the suite
// a second time against the machine's PostgreSQL 15), else an embedded one under .pulse-test/.
// Test files create their own databases on it (tests/helpers/test-database.ts).
import path from 'node:path';
import { ensureEmbeddedPostgres } from '../../lib/embedded-postgres.ts';
import { projectRoot } from '../../lib/paths.ts';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    process.env.PULSE_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return async () => undefined;
  }
  const port = Number(process.env.PULSE_TEST_PG_PORT ?? 54339);
  const server = await ensureEmbeddedPostgres(path.join(projectRoot, '.pulse-test'), port);
  process.env.PULSE_TEST_ADMIN_URL = server.adminUrl;
  return async () => {
    await server.stop();
  };
}
