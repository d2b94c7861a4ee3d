// Published snapshots: the only place that knows where and in what format the readable warehouse lives
// (DESIGN.md scale path). The pipeline builds a new DuckDB file beside the others, then swaps a small
// pointer file (current.json) with an atomic rename. Readers follow the pointer and open the file
// read-only, so they see the previous snapshot or the next one, never a half-written one.
import fs from 'node:fs';
import path from 'node:path';
import { WarehouseError } from '../lib/errors.ts';
import { DuckDb, quoteLiteral } from './duckdb.ts';
import { buildSnapshotTables } from './transform.ts';

export interface SnapshotInfo {
  file: string;
  runId: number;
  publishedAt: string;
}

export function warehouseDir(dataDir: string): string {
  return path.join(dataDir, 'warehouse');
}

export function workDbPath(dataDir: string): string {
  return path.join(warehouseDir(dataDir), 'work.duckdb');
}

function snapshotsDir(dataDir: string): string {
  return path.join(warehouseDir(dataDir), 'snapshots');
}

/** Full path of a snapshot file named in a pipeline run or the pointer. */
export function snapshotPath(dataDir: string, file: string): string {
  return path.join(snapshotsDir(dataDir), path.basename(file));
}

function pointerPath(dataDir: string): string {
  return path.join(warehouseDir(dataDir), 'current.json');
}

/**
 * Writes a complete snapshot file from the work database's staged tables. The file is built under a
 * `.partial` name and renamed only once DuckDB has checkpointed and closed it.
 */
export async function buildSnapshot(workDb: DuckDb, dataDir: string, runId: number, context: { reportingCurrency: string; attributionDays?: number }): Promise<string> {
  const dir = snapshotsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  // Leftovers of a killed build are never published; only one pipeline runs at a time.
  for (const name of fs.readdirSync(dir)) if (name.endsWith('.partial')) fs.rmSync(path.join(dir, name), { force: true });
  const name = `snapshot-${String(runId).padStart(8, '0')}-${Date.now()}.duckdb`;
  const partial = path.join(dir, `${name}.partial`);
  await workDb.run(`ATTACH ${quoteLiteral(partial)} AS snap`);
  try {
    await buildSnapshotTables(workDb, 'snap', { runId, reportingCurrency: context.reportingCurrency, ...(context.attributionDays ? { attributionDays: context.attributionDays } : {}) });
  } finally {
    await workDb.run('DETACH snap').catch(() => undefined);
  }
  const finalPath = path.join(dir, name);
  fsyncFile(partial);
  fs.renameSync(partial, finalPath);
  fsyncFile(dir);
  return finalPath;
}

/**
 * A copy of the published snapshot under a new name, for re-running the models on the current
 * warehouse without rebuilding it (`pulse models run`). Copied under a `.partial` name first, like a build.
 */
export function copyPublishedSnapshot(dataDir: string, runId: number): string {
  const current = getPublishedSnapshot(dataDir);
  if (!current) throw new WarehouseError('no_snapshot', 'No warehouse snapshot has been published yet: run `pulse sync` first.');
  const dir = snapshotsDir(dataDir);
  const name = `snapshot-${String(runId).padStart(8, '0')}-${Date.now()}.duckdb`;
  const partial = path.join(dir, `${name}.partial`);
  fs.copyFileSync(snapshotPath(dataDir, current.file), partial);
  fsyncFile(partial);
  fs.renameSync(partial, path.join(dir, name));
  fsyncFile(dir);
  return path.join(dir, name);
}

export function publishSnapshot(dataDir: string, file: string, runId: number): SnapshotInfo {
  const info: SnapshotInfo = { file: path.basename(file), runId, publishedAt: new Date().toISOString() };
  writePointer(dataDir, info);
  return info;
}

function writePointer(dataDir: string, info: SnapshotInfo): void {
  const pointer = pointerPath(dataDir);
  const temp = `${pointer}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
  fsyncFile(temp);
  fs.renameSync(temp, pointer);
  fsyncFile(path.dirname(pointer));
}

/**
 * The published snapshot's bytes, for a backup: the file is opened before this returns, so pruning
 * it meanwhile does not cut the copy short (on POSIX the data lives until the reader closes it).
 * Published files are never written again, so the copy is consistent. Undefined before the first publish.
 */
export function openPublishedSnapshotBytes(dataDir: string): { info: SnapshotInfo; size: number; stream: fs.ReadStream } | undefined {
  for (let attempt = 0; ; attempt++) {
    const info = getPublishedSnapshot(dataDir);
    if (!info) return undefined;
    try {
      const fd = fs.openSync(snapshotPath(dataDir, info.file), 'r');
      return { info, size: fs.fstatSync(fd).size, stream: fs.createReadStream('', { fd }) };
    } catch (error) {
      // Pruned between reading the pointer and opening: the pointer has moved on; read it again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

/** True when the data folder already holds a warehouse (a pointer, snapshots or the work database). */
export function hasWarehouseData(dataDir: string): boolean {
  const dir = warehouseDir(dataDir);
  return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
}

/** Where a restore writes a snapshot before publishing it: a `.partial` name no reader opens (and the next build removes). */
export function restoringSnapshotPath(dataDir: string, file: string): string {
  fs.mkdirSync(snapshotsDir(dataDir), { recursive: true });
  return path.join(snapshotsDir(dataDir), `${path.basename(file)}.partial`);
}

/** Removes a restore's unpublished snapshot and the folders it made, when they hold nothing else. */
export function discardRestoringSnapshot(dataDir: string, file: string): void {
  fs.rmSync(restoringSnapshotPath(dataDir, file), { force: true });
  for (const dir of [snapshotsDir(dataDir), warehouseDir(dataDir)]) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
}

/** Publishes a restored snapshot under its original name, run and publish time. */
export function publishRestoredSnapshot(dataDir: string, info: SnapshotInfo): void {
  const partial = restoringSnapshotPath(dataDir, info.file);
  fsyncFile(partial);
  fs.renameSync(partial, snapshotPath(dataDir, info.file));
  fsyncFile(snapshotsDir(dataDir));
  writePointer(dataDir, { file: path.basename(info.file), runId: info.runId, publishedAt: info.publishedAt });
}

export function getPublishedSnapshot(dataDir: string): SnapshotInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(pointerPath(dataDir), 'utf8')) as SnapshotInfo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WarehouseError('pointer_unreadable', `Cannot read ${pointerPath(dataDir)}: ${(error as Error).message}`, { cause: error });
  }
}

/** Opens the newest published snapshot read-only. Throws `no_snapshot` before the first publish. */
export async function openPublishedSnapshot(dataDir: string, options: { threads?: number } = {}): Promise<{ db: DuckDb; info: SnapshotInfo }> {
  // A snapshot can be pruned between reading the pointer and opening the file; the pointer has moved
  // on by then, so reading it again finds the newer one.
  for (let attempt = 0; ; attempt++) {
    const info = getPublishedSnapshot(dataDir);
    if (!info) throw new WarehouseError('no_snapshot', 'No warehouse snapshot has been published yet: run `pulse sync` (or wait for the worker).');
    const file = path.join(snapshotsDir(dataDir), info.file);
    try {
      return { db: await DuckDb.open(file, { readOnly: true, threads: options.threads }), info };
    } catch (error) {
      if (attempt >= 3 || fs.existsSync(file)) throw error;
    }
  }
}

export async function withPublishedSnapshot<T>(dataDir: string, fn: (db: DuckDb, info: SnapshotInfo) => Promise<T>): Promise<T> {
  const { db, info } = await openPublishedSnapshot(dataDir);
  try {
    return await fn(db, info);
  } finally {
    db.close();
  }
}

/** Deletes all but the newest `keep` snapshot files; never the published one. */
export function pruneSnapshots(dataDir: string, keep: number): string[] {
  const dir = snapshotsDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  const current = getPublishedSnapshot(dataDir)?.file;
  const files = fs
    .readdirSync(dir)
    .filter((name) => /^snapshot-\d+-\d+\.duckdb$/.test(name))
    .sort()
    .reverse();
  const removed: string[] = [];
  for (const name of files.slice(Math.max(1, keep))) {
    if (name === current) continue;
    // Readers that already opened it keep reading: on POSIX the data lives until they close it.
    fs.rmSync(path.join(dir, name), { force: true });
    fs.rmSync(path.join(dir, `${name}.wal`), { force: true });
    removed.push(name);
  }
  return removed;
}

export function listSnapshotFiles(dataDir: string): string[] {
  const dir = snapshotsDir(dataDir);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.duckdb')).map((name) => path.join(dir, name)) : [];
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
