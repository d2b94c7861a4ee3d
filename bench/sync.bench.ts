// npm run bench:sync — full and incremental sync against PostgreSQL's own COPY, on 1M customers and
// ~10M orders (seeded once into a database of its own and reused). Prints rows/s, ratios and peak memory.
//   --customers N   size of the data set (default 1,000,000)
//   DATABASE_URL    a server to use instead of the embedded PostgreSQL under .pulse-bench/
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { isSourceEmpty, loadMapping, seedDemoData, type TableSyncResult } from '../ingest/index.ts';
import { copyRowsToStdout } from '../ingest/source-queries.ts';
import { defaultMappingFile } from '../lib/config.ts';
import { ensureEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../lib/migrate.ts';
import { projectRoot } from '../lib/paths.ts';

const customers = Number(process.argv.find((_, i) => process.argv[i - 1] === '--customers') ?? 1_000_000);
const benchDir = path.join(projectRoot, '.pulse-bench');
const memoryLimit = '600MB';

async function main(): Promise<void> {
  let stopServer = async (): Promise<void> => undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const server = await ensureEmbeddedPostgres(benchDir, 54349);
    stopServer = server.stop;
    url = server.url;
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const dbName = `pulse_bench_${customers}`;
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const sourceUrl = Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();

  try {
    const client = new pg.Client({ connectionString: sourceUrl });
    await client.connect();
    await migrate(client, pulseMigrations);
    await migrate(client, demoSourceMigrations);
    if (await isSourceEmpty(sourceUrl)) {
      console.log(`Seeding ${customers.toLocaleString('en')} customers (once; later runs reuse them)…`);
      const seeded = await seedDemoData(sourceUrl, { customers, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
      console.log(`  seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}`);
    }
    await client.query('VACUUM ANALYZE');

    const mapping = loadMapping(defaultMappingFile);
    const counts = await client.query<{ relname: string; n: number }>(
      "SELECT relname, n_live_tup::bigint AS n FROM pg_stat_user_tables WHERE schemaname = 'pulse_app'",
    );
    console.log(`Source: ${counts.rows.map((r) => `${r.relname} ${Number(r.n).toLocaleString('en')}`).join(', ')}`);

    // 1. Physical reference: PostgreSQL's own COPY of the same extract queries into nothing.
    const rawStart = performance.now();
    let rawRows = 0;
    for (const m of mapping.tables) {
      let lines = 0;
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          done();
        },
      });
      await client.query("SET TIME ZONE 'UTC'");
      await pipeline(client.query(copyTo(copyRowsToStdout(m))), sink);
      rawRows += lines;
    }
    const rawSeconds = (performance.now() - rawStart) / 1000;
    await client.end();

    // 2. Full sync into a fresh work database, in a child process (its peak memory is the sync's).
    const workDb = path.join(benchDir, 'bench-work.duckdb');
    fs.rmSync(workDb, { force: true });
    fs.rmSync(`${workDb}.wal`, { force: true });
    const full = runChild(sourceUrl, workDb, 'full');
    const fullRows = full.tables.reduce((n, t) => n + t.rowsCopied, 0);

    // 3. Change 1% of the rows of every table, then an incremental sync.
    const changer = new pg.Client({ connectionString: sourceUrl });
    await changer.connect();
    let changed = 0;
    for (const m of mapping.tables) {
      const result = await changer.query(`UPDATE pulse_app.${m.table.name} SET updated_at = clock_timestamp() WHERE id % 100 = 0`);
      changed += result.rowCount ?? 0;
    }
    // The UPDATEs dirtied most pages of the big tables at once, far past shared_buffers: without a checkpoint here
    // PostgreSQL flushes them during the incremental sync that follows (4.2 and 7.6 s in two runs).
    // Changes made over 15 minutes are flushed in the background; so is this burst, before timing.
    const checkpoint = () =>
      changer.query('CHECKPOINT').catch((error: unknown) => console.log(`(no CHECKPOINT before the incremental sync: ${(error as Error).message})`));
    await checkpoint();
    let walBefore = await walPosition(changer);
    const incremental = runChild(sourceUrl, workDb, 'incremental');
    const incrementalWal = await walBytesSince(changer, walBefore);
    const incrementalRows = incremental.tables.reduce((n, t) => n + t.rowsCopied, 0);

    // 4. For context, not the target: the newest 1% of every table's rows changed (as when recent orders
    // move through their statuses), so the changed rows sit together instead of on every page. Overlap 0:
    // the default 300 s would re-copy step 3's rows, changed seconds before; a sync 15 minutes later would not.
    let changedRecent = 0;
    for (const m of mapping.tables) {
      const table = `pulse_app.${m.table.name}`;
      const result = await changer.query(`UPDATE ${table} SET updated_at = clock_timestamp() WHERE id > (SELECT max(id) - count(*) / 100 FROM ${table})`);
      changedRecent += result.rowCount ?? 0;
    }
    await checkpoint();
    walBefore = await walPosition(changer);
    const recent = runChild(sourceUrl, workDb, 'incremental', 0);
    const recentWal = await walBytesSince(changer, walBefore);
    await changer.end();
    const recentRows = recent.tables.reduce((n, t) => n + t.rowsCopied, 0);

    const fmt = (v: number) => Math.round(v).toLocaleString('en');
    console.log('\n| step | rows | seconds | rows/s | peak RSS |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    console.log(`| PostgreSQL COPY … TO STDOUT → /dev/null (reference) | ${fmt(rawRows)} | ${rawSeconds.toFixed(2)} | ${fmt(rawRows / rawSeconds)} | — |`);
    console.log(`| Pulse full sync | ${fmt(fullRows)} | ${full.seconds.toFixed(2)} | ${fmt(fullRows / full.seconds)} | ${full.peakMb.toFixed(0)} MB |`);
    console.log(`| Pulse incremental sync (${fmt(changed)} rows changed, 1%) | ${fmt(incrementalRows)} | ${incremental.seconds.toFixed(2)} | ${fmt(incrementalRows / incremental.seconds)} | ${incremental.peakMb.toFixed(0)} MB |`);
    console.log(`| (context) incremental sync, the newest ${fmt(changedRecent)} rows changed | ${fmt(recentRows)} | ${recent.seconds.toFixed(2)} | ${fmt(recentRows / recent.seconds)} | ${recent.peakMb.toFixed(0)} MB |`);
    const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
    console.log(
      `\nWAL the source wrote while it was read (pruning the row versions the UPDATE left): incremental sync ${gb(incrementalWal)}, newest-rows incremental ${gb(recentWal)}.`,
    );
    console.log(
      `\nClosing the work database afterwards (DuckDB checkpoints the sync's writes from its WAL into the file; not in the times above, in the peak memory): full ${full.closeSeconds.toFixed(2)} s, incremental ${incremental.closeSeconds.toFixed(2)} s, newest rows ${recent.closeSeconds.toFixed(2)} s.`,
    );
    console.log('\nPer table (full sync):');
    for (const t of full.tables) console.log(`  ${t.table.padEnd(18)} ${fmt(t.rowsCopied).padStart(12)} rows ${t.seconds.toFixed(2).padStart(7)} s  ${t.checksumMatch ? 'match' : 'MISMATCH'}`);
    console.log('\nPer table (incremental sync):');
    for (const t of incremental.tables) console.log(`  ${t.table.padEnd(18)} ${fmt(t.rowsCopied).padStart(12)} rows ${t.seconds.toFixed(2).padStart(7)} s  ${t.checksumMatch ? 'match' : 'MISMATCH'}`);
    console.log('\nPer table (incremental sync, newest rows changed):');
    for (const t of recent.tables) console.log(`  ${t.table.padEnd(18)} ${fmt(t.rowsCopied).padStart(12)} rows ${t.seconds.toFixed(2).padStart(7)} s  ${t.checksumMatch ? 'match' : 'MISMATCH'}`);
    const ratio = fullRows / full.seconds / (rawRows / rawSeconds);
    const incrementalShare = incremental.seconds / full.seconds;
    console.log(`\nfull sync / raw COPY throughput: ${ratio.toFixed(2)}× (target ≥ 0.70×) ${ratio >= 0.7 ? 'PASS' : 'MISS'}`);
    console.log(`incremental / full sync time:    ${(incrementalShare * 100).toFixed(1)}% (target ≤ 5%) ${incrementalShare <= 0.05 ? 'PASS' : 'MISS'}`);
    console.log(`  (context: with the newest 1% changed instead, ${((recent.seconds / full.seconds) * 100).toFixed(1)}%)`);
    const peakMb = Math.max(full.peakMb, incremental.peakMb, recent.peakMb);
    console.log(`peak memory of the sync process: ${peakMb.toFixed(0)} MB (target < 1024 MB) ${peakMb < 1024 ? 'PASS' : 'MISS'}`);
  } finally {
    await stopServer();
  }
}

async function walPosition(client: pg.Client): Promise<string> {
  return (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
}

async function walBytesSince(client: pg.Client, lsn: string): Promise<number> {
  return Number((await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS bytes', [lsn])).rows[0]!.bytes);
}

function runChild(sourceUrl: string, workDb: string, mode: 'full' | 'incremental', overlapSeconds = 300): { seconds: number; closeSeconds: number; peakMb: number; tables: TableSyncResult[] } {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'bench', 'sync-child.ts'), sourceUrl, workDb, path.join(benchDir, 'tmp'), mode, defaultMappingFile, memoryLimit, String(overlapSeconds)],
    { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(output.toString());
}

await main();
