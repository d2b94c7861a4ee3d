// Reports benchmark: `npm run bench:reports` (npx tsx bench/reports.bench.ts [--customers N]).
//
// 1. Executive PDF, data included: open the published snapshot, query every figure through the
//    metrics layer, fetch the watchlist's personal data from PostgreSQL, lay out and write the PDF.
//    First render (font file read and parsed) and the median of the next five. Target < 1 s.
// 2. The XLSX workbook with a 1M-row members sheet (10 columns: integers, money, percentages and
//    dates with their number formats, text), written by the same streaming writer the reports use,
//    in a child process so its peak memory (VmHWM from /proc/self/status) is its own.
//    Target < 20 s and < 450 MB.
// Timings on the shared 2-core machine swing with other work: the load average is printed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { isSourceEmpty, seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { loadConfig } from '../lib/config.ts';
import { ensureEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { createLogger } from '../lib/log.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../lib/migrate.ts';
import { projectRoot } from '../lib/paths.ts';
import { createPool } from '../lib/pg-pool.ts';
import { createPersonalDataSource, memberCells, memberColumns, renderReportFiles, resolveCjkFont, writeWorkbook, type CellValue } from '../reports/index.ts';
import { getPublishedSnapshot } from '../warehouse/index.ts';

const thisFile = fileURLToPath(import.meta.url);
const MEMBER_ROWS = 1_000_000;

if (process.argv[2] === '--xlsx-child') {
  await xlsxChild(process.argv[3]!, Number(process.argv[4]));
} else {
  await main();
}

async function main(): Promise<void> {
  const customers = Number(process.argv.find((_, i) => process.argv[i - 1] === '--customers') ?? 20_000);
  console.log(`Pulse reports benchmark — node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const font = resolveCjkFont();

  // --- 1. Executive PDF with its data ---
  const benchDir = path.join(projectRoot, '.pulse-bench');
  let url = process.env.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  if (!url) {
    const server = await ensureEmbeddedPostgres(benchDir, 54349);
    url = server.url;
    stop = server.stop;
  }
  const dbName = `pulse_bench_reports_${customers}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount) await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const dbUrl = Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();
  const dataDir = path.join(benchDir, `reports-${customers}`);
  const pool = createPool(dbUrl, 4);
  try {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await migrate(client, pulseMigrations);
    await migrate(client, demoSourceMigrations);
    await client.end();
    if (await isSourceEmpty(dbUrl)) {
      console.log(`Seeding ${customers.toLocaleString('en')} customers (once)…`);
      await seedDemoData(dbUrl, { customers, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
    }
    if (!getPublishedSnapshot(dataDir)) {
      console.log('Running the pipeline once for a published snapshot…');
      const config = loadConfig({ DATABASE_URL: dbUrl, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
      await runPipelineNow({ config, pool, sourceUrl: dbUrl, log: createLogger('warn') }, { mode: 'full', trigger: 'bench' });
    }
    const env = { dataDir, personal: createPersonalDataSource(pool), font };
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const rendered = await renderReportFiles({ report: 'executive', formats: ['pdf'], lang: i % 2 === 0 ? 'zh-CN' : 'en', role: 'manager' }, env);
      times.push((performance.now() - started) / 1000);
      bytes = rendered.files[0]!.content.length;
    }
    const warm = times.slice(1).sort((a, b) => a - b);
    console.log(`Executive PDF (${customers.toLocaleString('en')} customers, data included, ${(bytes / 1024).toFixed(0)} KB):`);
    console.log(`  first render (font read + parsed): ${times[0]!.toFixed(3)} s`);
    console.log(`  median of next 5:                  ${warm[2]!.toFixed(3)} s   target < 1 s: ${warm[2]! < 1 ? 'met' : 'NOT met'}`);
  } finally {
    await pool.end();
    await stop();
  }

  // --- 2. XLSX with a 1M-row members sheet, in a child process ---
  const out = path.join(fs.mkdtempSync(path.join(tmpdir(), 'pulse-reports-bench-')), 'members.xlsx');
  const child = spawnSync(process.execPath, ['--import', 'tsx', thisFile, '--xlsx-child', out, String(MEMBER_ROWS)], { cwd: projectRoot, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`xlsx child failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { seconds: number; vmHwmMb: number; bytes: number };
  console.log(`\nXLSX, ${MEMBER_ROWS.toLocaleString('en')}-row members sheet × 10 columns with number/date formats (${(r.bytes / 1e6).toFixed(1)} MB):`);
  console.log(`  ${r.seconds.toFixed(2)} s   target < 20 s: ${r.seconds < 20 ? 'met' : 'NOT met'}`);
  console.log(`  peak memory (VmHWM) ${r.vmHwmMb.toFixed(0)} MB   target < 450 MB: ${r.vmHwmMb < 450 ? 'met' : 'NOT met'}`);
  console.log(`  load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
}

async function xlsxChild(out: string, rows: number): Promise<void> {
  // Synthetic members in the shape the segment report reads from the snapshot (pages of 5,000).
  async function* pages(): AsyncIterable<CellValue[][]> {
    for (let start = 0; start < rows; start += 5000) {
      const page: CellValue[][] = [];
      for (let i = start; i < Math.min(rows, start + 5000); i++) {
        page.push(
          memberCells({
            customerId: i + 1,
            name: i % 1000 === 0 ? `=cmd|' /C calc'!A0 ${i}` : `客户 ${i}`,
            email: `c${i}@example.com`,
            country: i % 3 === 0 ? 'CN' : 'SG',
            city: i % 2 === 0 ? 'Shanghai' : 'Shenzhen',
            orders: i % 37,
            revenue: Math.round(((i * 7919) % 1_000_000) / 7) / 100,
            lastOrder: new Date(Date.UTC(2024, 0, 1) + (i % 900) * 86_400_000).toISOString().slice(0, 10),
            churnRisk: i % 100,
            expectedValue: (i % 5000) * 1.25,
          }),
        );
      }
      yield page;
    }
  }
  const started = performance.now();
  await writeWorkbook(fs.createWriteStream(out), [{ name: 'Members', columns: memberColumns('en'), rows: pages() }]);
  const seconds = (performance.now() - started) / 1000;
  const hwm = Number(/VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, vmHwmMb: hwm, bytes: fs.statSync(out).size })}\n`);
}
