// The dashboard's one door to the warehouse: the newest published snapshot, read-only.
// Data modules (lib/data/*) call withSnapshot / cachedFromSnapshot; nothing else opens DuckDB.
//
// Opening a snapshot costs tens of milliseconds (more on a large file), too much per request for a
// search that must answer in well under 150 ms. So a few read-only handles on the published file are
// kept open and lent out one request at a time (a DuckDB connection runs one query at a time). When
// the pointer moves to a newer snapshot, new requests get handles on it and the old handles are
// closed as soon as they are returned: a request never sees half of one snapshot and half of another.
import 'server-only';
import { getPublishedSnapshot, openPublishedSnapshot, type DuckDb, type SnapshotInfo } from '../../../warehouse/index.ts';
import { cached } from './cache.ts';
import { getServerContext } from './context.ts';

export class NoSnapshotError extends Error {
  readonly code = 'no_snapshot';
}

/** Handles kept open per snapshot: enough for the DuckDB work of 20 concurrent requests, few enough for memory. */
const MAX_HANDLES = 6;
/**
 * One DuckDB thread per handle: the handles give the parallelism across requests, and a request's
 * queries are small (a page of rows by id; the big aggregations are cached per snapshot). Waking a
 * second thread for each small query cost ~35% more CPU and tripled its latency under load.
 */
const THREADS_PER_HANDLE = 1;

interface HandlePool {
  file: string;
  info: SnapshotInfo;
  idle: DuckDb[];
  open: number;
  retired: boolean;
  waiters: Waiter[];
}

interface Lease {
  db: DuckDb;
  pool: HandlePool;
}

interface Waiter {
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
}

const holder = globalThis as typeof globalThis & { __pulseSnapshotPool?: HandlePool; __pulseSnapshotWarmers?: Set<(info: SnapshotInfo) => void> };

/**
 * Registers work to start (in the background) whenever the server begins serving a snapshot, so that
 * per-snapshot data kept in memory is ready before the first request that needs it. The set lives on
 * globalThis: Next.js may load a module once per route bundle, and any bundle may see the publish.
 */
export function onSnapshotServed(warm: (info: SnapshotInfo) => void): void {
  (holder.__pulseSnapshotWarmers ??= new Set()).add(warm);
}

function translate(error: unknown): unknown {
  if ((error as { code?: string }).code === 'no_snapshot') return new NoSnapshotError((error as Error).message, { cause: error });
  return error;
}

function retire(pool: HandlePool): void {
  pool.retired = true;
  for (const db of pool.idle.splice(0)) db.close();
}

async function acquire(dataDir: string): Promise<Lease> {
  const pointer = getPublishedSnapshot(dataDir);
  if (!pointer) throw new NoSnapshotError('No warehouse snapshot has been published yet.');
  let pool = holder.__pulseSnapshotPool;
  if (!pool || pool.file !== pointer.file) {
    if (pool) retire(pool);
    pool = holder.__pulseSnapshotPool = { file: pointer.file, info: pointer, idle: [], open: 0, retired: false, waiters: [] };
    for (const warm of holder.__pulseSnapshotWarmers ?? []) queueMicrotask(() => warm(pointer));
  }
  const idle = pool.idle.pop();
  if (idle) return { db: idle, pool };
  if (pool.open < MAX_HANDLES) {
    pool.open++;
    try {
      const { db, info } = await openPublishedSnapshot(dataDir, { threads: THREADS_PER_HANDLE });
      if (info.file !== pool.file) {
        // Published again while opening: use this handle once (it is the newer snapshot) and close it.
        const fresh: HandlePool = { file: info.file, info, idle: [], open: 1, retired: true, waiters: [] };
        pool.open--;
        return { db, pool: fresh };
      }
      return { db, pool };
    } catch (error) {
      pool.open--;
      throw translate(error);
    }
  }
  const waiting = pool;
  return new Promise((resolve, reject) => waiting.waiters.push({ resolve, reject }));
}

function release(pool: HandlePool, db: DuckDb, dataDir: string): void {
  if (!pool.retired) {
    const next = pool.waiters.shift();
    if (next) next.resolve({ db, pool });
    else pool.idle.push(db);
    return;
  }
  pool.open--;
  db.close();
  // Requests still waiting on a retired snapshot get a handle on the current one instead.
  for (const waiter of pool.waiters.splice(0)) acquire(dataDir).then(waiter.resolve, waiter.reject);
}

export async function withSnapshot<T>(fn: (db: DuckDb, info: SnapshotInfo) => Promise<T>): Promise<T> {
  const { config } = await getServerContext();
  const { db, pool } = await acquire(config.dataDir);
  try {
    return await fn(db, pool.info);
  } finally {
    release(pool, db, config.dataDir);
  }
}

/** Like withSnapshot, but remembers the answer for this snapshot and key (snapshots never change). */
export async function cachedFromSnapshot<T>(key: string, fn: (db: DuckDb, info: SnapshotInfo) => Promise<T>): Promise<T> {
  const info = await publishedSnapshot();
  return cached(`${info.file}|${key}`, () => withSnapshot(fn));
}

/** The newest published snapshot, without taking a handle on it (for answers kept in memory per snapshot). */
export async function publishedSnapshot(): Promise<SnapshotInfo> {
  const { config } = await getServerContext();
  const info = getPublishedSnapshot(config.dataDir);
  if (!info) throw new NoSnapshotError('No warehouse snapshot has been published yet.');
  return info;
}

/**
 * Opens the newest snapshot for a reader that outlives one call (a streamed export): it keeps reading
 * the snapshot it started on even if a newer one is published meanwhile. The caller must close() it.
 */
export async function openSnapshot(): Promise<{ db: DuckDb; info: SnapshotInfo }> {
  const { config } = await getServerContext();
  try {
    return await openPublishedSnapshot(config.dataDir);
  } catch (error) {
    throw translate(error);
  }
}
