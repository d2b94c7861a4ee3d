// One sync in its own process, so the benchmark can report that process's peak memory (VmHWM).
// Closing the work database checkpoints what the sync wrote (DuckDB moves it from its WAL into the
// file); that time is reported on its own, and the peak memory is read after it.
import fs from 'node:fs';
import { loadMapping, syncTables, type SyncMode, type TableSyncResult } from '../ingest/index.ts';
import { openWorkDb } from '../warehouse/index.ts';

const [sourceUrl, workDbFile, tmpDir, mode, mappingFile, memoryLimit, overlap] = process.argv.slice(2) as [string, string, string, SyncMode, string, string, string?];
const started = performance.now();
const db = await openWorkDb(workDbFile, { memoryLimit });
let tables: TableSyncResult[];
let seconds: number;
try {
  tables = await syncTables({ sourceUrl, mapping: loadMapping(mappingFile), workDb: db, tmpDir, mode, overlapSeconds: Number(overlap ?? 300) });
  seconds = (performance.now() - started) / 1000;
} finally {
  db.close();
}
const closeSeconds = (performance.now() - started) / 1000 - seconds;
const peakKb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
process.stdout.write(JSON.stringify({ seconds, closeSeconds, peakMb: peakKb / 1024, tables }));
