// `npm run demo`: everything on embedded defaults in one process tree. Ctrl-C stops the web server,
// the worker and (if this process started it) the embedded PostgreSQL, cleanly, in that order.
import path from 'node:path';
import { redactUrl } from '../lib/config.ts';
import { loadKeyring } from '../lib/secrets.ts';
import { isSourceEmpty } from '../ingest/index.ts';
import { startWorker } from '../jobs/index.ts';
import { getPublishedSnapshot } from '../warehouse/index.ts';
import { ensureDemoUsers } from '../lib/auth.ts';
import { getMfaPolicy } from '../lib/mfa.ts';
import { startDashboard } from '../dashboard/server.ts';
import { withContext } from './context.ts';
import { seedWithProgress } from './seed.ts';
import { applyMigrations, syncInForeground, waitForStopSignal } from './shared.ts';

export async function runDemo(): Promise<void> {
  const started = Date.now();
  console.log('Pulse demo: starting PostgreSQL…');
  await withContext(async (ctx) => {
    const stopped = waitForStopSignal();
    await applyMigrations(ctx);
    // The key that encrypts stored secrets (TOTP, SMTP passwords): made here on first start so the
    // demo needs no configuration, and said out loud, because production must not rely on it.
    const keyring = loadKeyring(ctx.config);
    const relative = path.relative(process.cwd(), keyring.source);
    const keyFile = relative && !relative.startsWith('..') ? relative : keyring.source;
    if (keyring.created) console.log(`Generated the secret key in ${keyFile} (owner-only, mode 600). In production set PULSE_SECRET_KEY instead (SECURITY.md).`);
    const secretKey = ctx.config.secretKey ? 'PULSE_SECRET_KEY' : `${keyFile}${keyring.created ? ' (generated now)' : ''}; production: set PULSE_SECRET_KEY`;
    if (!ctx.config.sourceDatabaseUrl && (await isSourceEmpty(ctx.dbs.sourceUrl))) {
      console.log(`Filling the demo database with ${ctx.config.seedCustomers.toLocaleString('en')} customers (PULSE_SEED_CUSTOMERS)…`);
      await seedWithProgress(ctx, ctx.config.seedCustomers, 42);
    }
    const first = getPublishedSnapshot(ctx.config.dataDir) === undefined;
    console.log(first ? 'Running the first full pipeline…' : 'Running an incremental pipeline on the existing warehouse…');
    const run = await syncInForeground(ctx, first ? 'full' : 'incremental', 'demo');
    const worker = await startWorker(ctx.dbs.url, ctx.pipeline);
    const users = await ensureDemoUsers(ctx.dbs.pool, ctx.config.dataDir);
    const mfaRoles = Object.entries(await getMfaPolicy(ctx.dbs.pool)).filter(([, required]) => required).map(([role]) => role);
    const dashboard = await startDashboard({
      port: ctx.config.port,
      env: { DATABASE_URL: ctx.dbs.url, PULSE_DATA_DIR: ctx.config.dataDir },
      log: (line) => console.log(line),
      output: (chunk) => ctx.log.debug({ dashboard: chunk.trim() }),
    });
    const database = ctx.config.databaseUrl
      ? redactUrl(ctx.config.databaseUrl)
      : `embedded PostgreSQL on 127.0.0.1:${ctx.config.embeddedPgPort}, data in ${path.relative(process.cwd(), path.join(ctx.config.dataDir, 'pg')) || '.'}`;
    console.log(`
Pulse is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s):
  Web:        http://localhost:${ctx.config.port}
  Sign in as: ${users.map((u) => u.email).join(', ')}
              password ${users[0]?.password} (kept in ${path.join(ctx.config.dataDir, 'demo-password')})
  MFA:        required for ${mfaRoles.join(', ') || 'no role'}: the first sign-in as ${mfaRoles.map((r) => `${r}@pulse.example`).join(', ') || '–'} shows a QR code
              for an authenticator app (lost it? npx pulse user reset-mfa --email admin@pulse.example)
  Database:   ${database}
  Warehouse:  ${path.join(ctx.config.dataDir, 'warehouse')} (published ${run.snapshot.file})
  Secret key: ${secretKey}
  Worker:     incremental sync "${ctx.config.syncCron}", full sync "${ctx.config.fullSyncCron}" (${ctx.config.timeZone})
  Other terminal: npx pulse status | npx pulse sync | npx pulse --help
Press Ctrl-C to stop everything.`);
    const signal = await stopped;
    // The embedded PostgreSQL stops on the same signal (its library hooks it), so quiet the queue first.
    worker.quiet();
    console.log(`\n${signal}: stopping the web server, the worker and PostgreSQL…`);
    await dashboard.stop();
    await worker.stop();
  });
  console.log('Stopped.');
}
