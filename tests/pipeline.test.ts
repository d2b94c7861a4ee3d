import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoss, createQueues, requestSync, runPipelineNow } from '../jobs/index.ts';
import { PIPELINE_LOCK } from '../jobs/pipeline.ts';
import { projectRoot } from '../lib/paths.ts';
import { getPublishedSnapshot, withPublishedSnapshot } from '../warehouse/index.ts';
import { createSmallSource } from './fixtures/small-source.ts';
import { advisoryLockSessions } from './helpers/advisory-locks.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let source: pg.Client;
const envs: PulseTestEnv[] = [];

beforeAll(async () => {
  database = await createTestDatabase('pipeline');
  // 20,000 customers × 10 = 200,000 orders and as many order items: a sync long enough to kill mid-way.
  await createSmallSource(database.url, 20_000, 10);
  source = new pg.Client({ connectionString: database.url });
  await source.connect();
});

afterAll(async () => {
  await source?.end();
  for (const env of envs) await env.close();
  await database?.drop();
});

function newEnv(extra: Record<string, string> = {}): PulseTestEnv {
  const env = createPulseEnv(database.url, extra);
  envs.push(env);
  return env;
}

/** Per core table: row count and an order-independent digest of every row. */
async function snapshotDigest(dataDir: string): Promise<Record<string, string>> {
  return withPublishedSnapshot(dataDir, async (db) => {
    const tables = await db.all<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'core' ORDER BY 1");
    const out: Record<string, string> = {};
    for (const { table_name } of tables) {
      const row = await db.one<{ n: number; digest: string }>(`SELECT count(*) AS n, coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR AS digest FROM core."${table_name}" t`);
      out[table_name] = `${row.n}:${row.digest}`;
    }
    return out;
  });
}

function startWorker(env: PulseTestEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'cli', 'pulse.ts'), 'worker'], {
    cwd: projectRoot,
    env: { ...process.env, ...env.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Stops a worker the way a service manager does (SIGTERM: it lets a running job finish) and waits for it
 * to exit. A worker left running can still hold the pipeline lock when the next run starts: it keeps the
 * lock after a run shows 'succeeded' while it records saved segments' sizes, and it retries the killed
 * sync job once that job's heartbeat lapses.
 */
async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGTERM');
  const timer = setTimeout(() => worker.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('pipeline', () => {
  it('survives SIGKILL of the worker mid-sync: the old snapshot keeps serving and the next run equals a clean one', async () => {
    const env = newEnv({ PULSE_JOB_HEARTBEAT_SECONDS: '10' });
    const first = await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
    const before = await snapshotDigest(env.dataDir);
    await source.query("UPDATE pulse_app.orders SET status = 'refunded' WHERE id % 1000 = 0; DELETE FROM pulse_app.order_items WHERE id % 5000 = 1");

    const boss = createBoss(env.config.databaseUrl!, env.ctx);
    await boss.start();
    await createQueues(boss, 10);
    let worker = startWorker(env);
    try {
      await requestSync(boss, { mode: 'full', trigger: 'test' });
      // Kill while the orders table is being copied: its progress row exists, its comparison does not.
      await waitFor('the worker to be copying orders', async () => {
        const { rows } = await source.query(
          "SELECT 1 FROM pulse.pipeline_run_tables t JOIN pulse.pipeline_runs r ON r.id = t.run_id WHERE r.id > $1 AND t.table_name = 'orders' AND t.checksum_match IS NULL",
          [first.runId],
        );
        return rows.length > 0 ? true : undefined;
      });
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));

      // The published snapshot is untouched and readable.
      expect(getPublishedSnapshot(env.dataDir)?.runId).toBe(first.runId);
      expect(await snapshotDigest(env.dataDir)).toEqual(before);

      worker = startWorker(env);
      await requestSync(boss, { mode: 'incremental', trigger: 'test-after-crash' });
      const finished = await waitFor(
        'a run to succeed after the restart',
        async () => {
          const { rows } = await source.query<{ id: number }>("SELECT id FROM pulse.pipeline_runs WHERE state = 'succeeded' AND id > $1 ORDER BY id DESC LIMIT 1", [first.runId]);
          return rows[0];
        },
        90_000,
      );
      expect(getPublishedSnapshot(env.dataDir)?.runId).toBe(finished.id);
      const { rows: interrupted } = await source.query("SELECT state, error FROM pulse.pipeline_runs WHERE id > $1 AND id < $2", [first.runId, finished.id]);
      expect(interrupted.every((r) => r.state === 'failed')).toBe(true);
    } finally {
      await stopWorker(worker);
      await boss.stop({ graceful: false });
    }
    // A stopped worker's PostgreSQL session lets go of the lock when its backend notices the closed
    // connection, a moment after the process has gone.
    await waitFor('the stopped worker to let go of the pipeline lock', async () => ((await advisoryLockSessions(source, PIPELINE_LOCK, 'held')) > 0 ? undefined : true), 10_000);

    // A clean full run into a fresh data folder gives the same warehouse.
    const clean = newEnv();
    await runPipelineNow(clean.ctx, { mode: 'full', trigger: 'test-clean' });
    expect(await snapshotDigest(env.dataDir)).toEqual(await snapshotDigest(clean.dataDir));
  }, 300_000);

  it('refuses a second run while one holds the pipeline lock, saying why, and starts nothing', async () => {
    const env = newEnv();
    await source.query('SELECT pg_advisory_lock($1::bigint)', [String(PIPELINE_LOCK)]);
    try {
      const runsBefore = (await source.query('SELECT count(*)::int AS n FROM pulse.pipeline_runs')).rows[0].n;
      await expect(runPipelineNow(env.ctx, { mode: 'full', trigger: 'test-busy' })).rejects.toMatchObject({
        code: 'pipeline_busy',
        message: expect.stringContaining('try again when it has finished'),
      });
      expect((await source.query('SELECT count(*)::int AS n FROM pulse.pipeline_runs')).rows[0].n).toBe(runsBefore);
      expect(getPublishedSnapshot(env.dataDir)).toBeFalsy();
    } finally {
      await source.query('SELECT pg_advisory_unlock($1::bigint)', [String(PIPELINE_LOCK)]);
    }
  });

  it('never shows a reader an error or a partial table while snapshots are published', async () => {
    // A small source of its own: this test is about publishing, and runs the whole pipeline five times.
    const small = await createTestDatabase('pipeline_reader');
    await createSmallSource(small.url, 2000, 10);
    const source = new pg.Client({ connectionString: small.url });
    await source.connect();
    const env = createPulseEnv(small.url, { PULSE_SNAPSHOTS_KEEP: '1' });
    envs.push(env);
    let reader: ChildProcess | undefined;
    try {
    await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
    reader = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests', 'helpers', 'snapshot-reader.ts'), env.dataDir], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    reader.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const published = new Set<number>();
    published.add(Number((await source.query('SELECT count(*)::int AS n FROM pulse_app.orders WHERE deleted_at IS NULL')).rows[0].n));
    for (let i = 0; i < 4; i++) {
      await source.query(
        `INSERT INTO pulse_app.orders (id, customer_id, ordered_at, status, channel, currency, total_amount)
         SELECT g, 1, now(), 'paid', 'web', 'USD', 10 FROM generate_series(${2_000_000 + i * 1000}, ${2_000_000 + i * 1000 + 999}) g`,
      );
      await runPipelineNow(env.ctx, { mode: 'incremental', trigger: 'test' });
      published.add(Number((await source.query('SELECT count(*)::int AS n FROM pulse_app.orders WHERE deleted_at IS NULL')).rows[0].n));
    }
    const running = reader;
    running.stdin!.end();
    await new Promise((resolve) => running.once('exit', resolve));
    const summary = JSON.parse(output) as { reads: number; errorCount: number; errors: string[]; counts: number[] };
    expect(summary.errors).toEqual([]);
    expect(summary.reads).toBeGreaterThan(10);
    for (const count of summary.counts) expect(published.has(count)).toBe(true);
    expect(summary.counts.length).toBeGreaterThan(1);
    } finally {
      // A failure above must not leave the reader process running.
      if (reader && reader.exitCode === null) reader.kill('SIGKILL');
      await source.end();
      await small.drop();
    }
  }, 180_000);
});
