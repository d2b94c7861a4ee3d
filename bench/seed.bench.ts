// Seeds the demo source into a fresh database and reports rows, seconds and rows per second.
//   npx tsx bench/seed.bench.ts [--customers 1000000] [--seed 7] [--keep]
// Uses the PostgreSQL server of DATABASE_URL (any database on it), else 127.0.0.1:5432.
import os from 'node:os';
import pg from 'pg';
import { demoSourceMigrations, migrate, pulseMigrations } from '../lib/migrate.ts';
import { FINISHING_STEP, seedDemoData } from '../ingest/seed/index.ts';

interface BenchArgs {
  customers: number;
  seed: number;
  keep: boolean;
}

function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { customers: 1_000_000, seed: 7, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--keep') args.keep = true;
    else if (flag === '--customers' || flag === '--seed') {
      const value = Number(String(argv[++i]).replace(/[_,]/g, ''));
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${flag} needs a positive whole number`);
      if (flag === '--customers') args.customers = value;
      else args.seed = value;
    } else throw new Error(`Unknown argument ${flag} (use --customers N, --seed N, --keep)`);
  }
  return args;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function run(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `pulse_seed_bench_${Date.now()}`;
  const adminUrl = withDatabase(serverUrl, 'postgres');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = withDatabase(serverUrl, database);
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(client, pulseMigrations);
      await migrate(client, demoSourceMigrations);
    } finally {
      await client.end();
    }
    console.log(`Seeding ${args.customers.toLocaleString('en')} customers (seed ${args.seed}) into ${database}`);
    let lastTable = '';
    let tableStarted = performance.now();
    const tableSeconds = new Map<string, number>();
    const result = await seedDemoData(url, {
      customers: args.customers,
      seed: args.seed,
      asOf: new Date('2026-06-01T00:00:00Z'),
      onProgress: ({ table, rowsDone, rowsExpected }) => {
        if (table !== lastTable) {
          if (lastTable) tableSeconds.set(lastTable, (performance.now() - tableStarted) / 1000);
          lastTable = table;
          tableStarted = performance.now();
        }
        if (rowsDone === rowsExpected && rowsDone > 0) tableSeconds.set(table, (performance.now() - tableStarted) / 1000);
      },
    });
    const total = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
    console.log('');
    console.log(`${'table'.padEnd(20)}${'rows'.padStart(14)}${'seconds'.padStart(10)}${'rows/s'.padStart(12)}`);
    for (const [table, rows] of Object.entries(result.counts)) {
      const seconds = tableSeconds.get(table) ?? 0;
      console.log(`${table.padEnd(20)}${rows.toLocaleString('en').padStart(14)}${seconds.toFixed(1).padStart(10)}${(seconds > 0 ? Math.round(rows / seconds).toLocaleString('en') : '-').padStart(12)}`);
    }
    const finishing = tableSeconds.get(FINISHING_STEP) ?? 0;
    console.log(`${'(indexes, FKs, ANALYZE)'.padEnd(34)}${finishing.toFixed(1).padStart(10)}`);
    console.log(`${'total'.padEnd(20)}${total.toLocaleString('en').padStart(14)}${result.seconds.toFixed(1).padStart(10)}${Math.round(total / result.seconds).toLocaleString('en').padStart(12)}`);
    const size = await admin.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size($1)) AS size', [database]);
    const usage = process.resourceUsage();
    console.log(`database size ${size.rows[0]?.size ?? '?'}; generator peak RSS ${(usage.maxRSS / 1024).toFixed(0)} MB, CPU ${((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1)} s`);
    // Other work on the machine slows PostgreSQL and the generator alike: say how busy it was.
    console.log(`load average (1/5 min) at the end: ${os.loadavg().slice(0, 2).map((n) => n.toFixed(1)).join(' / ')} on ${os.cpus().length} CPUs`);
  } finally {
    if (!args.keep) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    else console.log(`kept database ${database}`);
    await admin.end();
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
