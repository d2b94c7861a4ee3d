// What `pulse status` and the status page show: recent runs with per-table comparisons, the published
// snapshot, its table counts, and jobs that ended in the dead-letter queue.
import type pg from 'pg';
import { getRecentRuns, type PipelineRun } from './pipeline-runs.ts';
import { withPublishedSnapshot, type SnapshotInfo } from '../warehouse/index.ts';

export interface PulseStatus {
  snapshot: (SnapshotInfo & { tables: Record<string, number> }) | null;
  runs: PipelineRun[];
  deadLetters: number;
}

export async function getStatus(pool: pg.Pool, dataDir: string, runLimit = 10): Promise<PulseStatus> {
  const runs = await getRecentRuns(pool, runLimit);
  let snapshot: PulseStatus['snapshot'] = null;
  try {
    snapshot = await withPublishedSnapshot(dataDir, async (db, info) => {
      const rows = await db.all<{ table_name: string; row_count: number }>('SELECT table_name, row_count FROM meta.table_counts ORDER BY table_name');
      return { ...info, tables: Object.fromEntries(rows.map((r) => [r.table_name, Number(r.row_count)])) };
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'no_snapshot') throw error;
  }
  let deadLetters = 0;
  try {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'pulse.dead-letter' AND state <> 'completed'");
    deadLetters = rows[0]?.n ?? 0;
  } catch {
    // pg-boss not installed yet (no worker has run): nothing can be dead-lettered.
  }
  return { snapshot, runs, deadLetters };
}
