// Tests that must act at a known point of another process's work watch PostgreSQL's advisory locks.
import type pg from 'pg';

/**
 * How many other sessions in this database hold (`held`) or wait for (`waiting`) the advisory lock on
 * a bigint key. Such a key shows in pg_locks as its high and low 32 bits (classid, objid), objsubid 1.
 */
export async function advisoryLockSessions(db: pg.Pool | pg.ClientBase, key: number | string, state: 'held' | 'waiting'): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted = $2 AND pid <> pg_backend_pid()
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
    [String(key), state === 'held'],
  );
  return rows[0]!.n;
}
