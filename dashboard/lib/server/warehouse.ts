// The dashboard's one door to the warehouse: the newest published snapshot, read-only.
// Data modules (lib/data/*) call withSnapshot / cachedFromSnapshot; nothing else opens DuckDB.
import 'server-only';
import { getPublishedSnapshot, withPublishedSnapshot, type DuckDb, type SnapshotInfo } from '../../../warehouse/index.ts';
import { cached } from './cache.ts';
import { getServerContext } from './context.ts';

export class NoSnapshotError extends Error {
  readonly code = 'no_snapshot';
}

export async function withSnapshot<T>(fn: (db: DuckDb, info: SnapshotInfo) => Promise<T>): Promise<T> {
  const { config } = await getServerContext();
  try {
    return await withPublishedSnapshot(config.dataDir, fn);
  } catch (error) {
    if ((error as { code?: string }).code === 'no_snapshot') throw new NoSnapshotError((error as Error).message, { cause: error });
    throw error;
  }
}

/** Like withSnapshot, but remembers the answer for this snapshot and key (snapshots never change). */
export async function cachedFromSnapshot<T>(key: string, fn: (db: DuckDb, info: SnapshotInfo) => Promise<T>): Promise<T> {
  const { config } = await getServerContext();
  const info = getPublishedSnapshot(config.dataDir);
  if (!info) throw new NoSnapshotError('No warehouse snapshot has been published yet.');
  return cached(`${info.file}|${key}`, () => withSnapshot(fn));
}
