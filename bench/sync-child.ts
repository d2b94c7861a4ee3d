// One sync in its own process, so the benchmark can report that process's peak memory (VmHWM).
import fs from 'node:fs';
import { loadMapping, syncTables, type SyncMode } from '../ingest/index.ts';
import { openWorkDb } from '../warehouse/index.ts';

const [sourceUrl, workDbFile, tmpDir, mode, mappingFile, memoryLimit] = process.argv.slice(2) as [string, string, string, SyncMode, string, string];
const started = performance.now();
const db = await openWorkDb(workDbFile, { memoryLimit });
try {
  const tables = await syncTables({ sourceUrl, mapping: loadMapping(mappingFile), workDb: db, tmpDir, mode, overlapSeconds: 300 });
  const seconds = (performance.now() - started) / 1000;
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
  process.stdout.write(JSON.stringify({ seconds, peakMb: peakKb / 1024, tables }));
} finally {
  db.close();
}
