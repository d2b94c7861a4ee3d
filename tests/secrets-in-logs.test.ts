// No secret in anything the CLI prints: `pulse config`, debug logs, error messages, key rotation. Runs
// the real `pulse` command with known secrets in its environment (database passwords in the URL and
// as a query parameter, the SMTP password, both secret keys) and searches everything it wrote.
// The dashboard's side (responses, error pages, server logs) is in tests/e2e/security.e2e.test.ts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, pulseMigrations } from '../lib/migrate.ts';
import { projectRoot } from '../lib/paths.ts';
import { generateKey } from '../lib/secrets.ts';
import { freePort } from '../lib/free-port.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let dataDir: string;
const outputs: string[] = [];

const secretKey = generateKey();
const previousKey = generateKey();
const smtpPassword = 'Smtp-Pa55-for-test';
const sourceQueryPassword = 'Query-Pa55-for-test';
const wrongPassword = 'Wrong-Db-Pa55-for-test';
let databasePassword: string;

beforeAll(async () => {
  database = await createTestDatabase('secrets_logs');
  databasePassword = decodeURIComponent(new URL(database.url).password);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await migrate(client, pulseMigrations);
  await client.end();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-secrets-logs-'));
});

afterAll(async () => {
  await database?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function pulse(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(projectRoot, 'bin', 'pulse.js'), ...args],
      { cwd: projectRoot, env: { ...process.env, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const output = `$ pulse ${args.join(' ')}\n${stdout}${stderr}`;
        outputs.push(output);
        resolve({ code: error ? Number(error.code ?? 1) : 0, output });
      },
    );
  });
}

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

const secretEnv = () => ({
  DATABASE_URL: database.url,
  SOURCE_DATABASE_URL: `postgres://reader@127.0.0.1:1/shop?password=${sourceQueryPassword}&sslmode=disable`,
  SMTP_URL: `smtp://mailer:${smtpPassword}@127.0.0.1:2525`,
  PULSE_SECRET_KEY: secretKey,
  PULSE_SECRET_KEY_PREVIOUS: previousKey,
});

describe('the pulse command', () => {
  it('prints configuration, debug logs, errors and key rotations without any secret', async () => {
    const config = await pulse(['config'], secretEnv());
    expect(config.code).toBe(0);
    // The test database's password (the embedded server has one; a machine PostgreSQL with trust
    // authentication may not) shows as ***.
    if (new URL(database.url).password) expect(config.output).toMatch(/DATABASE_URL\s+postgres:\/\/postgres:\*\*\*@/);
    else expect(config.output).toMatch(/DATABASE_URL\s+postgres:\/\/postgres@/);
    expect(config.output).toMatch(/PULSE_SECRET_KEY\s+\(set, hidden\)/);
    expect((await pulse(['config', '--json'], secretEnv())).code).toBe(0);

    // A successful command with debug logging, and a key rotation (prints key ids, never keys).
    expect((await pulse(['migrate'], { ...secretEnv(), SOURCE_DATABASE_URL: '' })).code).toBe(0);
    const rotate = await pulse(['keys', 'rotate'], { ...secretEnv(), SOURCE_DATABASE_URL: '' });
    expect(rotate.code, rotate.output).toBe(0);
    expect(rotate.output).toMatch(/remove PULSE_SECRET_KEY_PREVIOUS/);

    // Failures: a wrong database password, an unreachable server, a bad secret key value.
    // (A server with trust authentication, like CI's machine PostgreSQL, accepts any password: the
    // command then succeeds, and its output must still not show the password it was given.)
    const wrong = await pulse(['status'], { ...secretEnv(), DATABASE_URL: withPassword(database.url, wrongPassword) });
    if (new URL(database.url).password) {
      expect(wrong.code).toBe(1);
      expect(wrong.output).toMatch(/password authentication failed/);
    }
    const unreachable = await pulse(['status'], { ...secretEnv(), DATABASE_URL: withPassword('postgres://pulse@127.0.0.1:1/pulse', wrongPassword) });
    expect(unreachable.code).toBe(1);
    const badKey = await pulse(['config'], { ...secretEnv(), PULSE_SECRET_KEY: `${secretKey.slice(0, 20)}not-base64!` });
    expect(badKey.code).toBe(1);
    expect(badKey.output).toMatch(/PULSE_SECRET_KEY=\(value hidden\)/);

    const everything = outputs.join('\n');
    for (const secret of [databasePassword, wrongPassword, smtpPassword, sourceQueryPassword, secretKey, previousKey, secretKey.slice(0, 20)].filter(Boolean)) {
      expect(everything, 'a secret was printed').not.toContain(secret);
    }
  }, 120_000);

  it('keeps the embedded PostgreSQL password out of its debug logs', async () => {
    // No DATABASE_URL: the command starts (initialises) an embedded server in a fresh data folder.
    const embeddedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-secrets-embedded-'));
    try {
      const status = await pulse(['status'], { DATABASE_URL: '', SOURCE_DATABASE_URL: '', PULSE_DATA_DIR: embeddedDir, PULSE_PG_PORT: String(await freePort()) });
      expect(status.code, status.output).toBe(0);
      expect(status.output).toMatch(/initialising embedded PostgreSQL/);
      const password = fs.readFileSync(path.join(embeddedDir, 'pg-password'), 'utf8').trim();
      expect(password.length).toBeGreaterThan(10);
      expect(status.output).not.toContain(password);
    } finally {
      fs.rmSync(embeddedDir, { recursive: true, force: true });
    }
  }, 120_000);
});
