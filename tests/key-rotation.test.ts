// `pulse keys rotate` (lib/key-rotation.ts) on a real PostgreSQL: both key sources, running it again,
// a row under an unknown key, and the real CLI killed (SIGKILL) part-way, after which every secret
// must still decrypt and a second run must finish the job.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliActor } from '../lib/audit.ts';
import { rotateKeys } from '../lib/key-rotation.ts';
import { projectRoot } from '../lib/paths.ts';
import { getSecret, putSecret } from '../lib/secret-store.ts';
import { ciphertextKeyId, decryptSecret, encryptSecret, generateKey, keyFilePath, loadKeyring, writeKeyFile, type Keyring } from '../lib/secrets.ts';
import { advisoryLockSessions } from './helpers/advisory-locks.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

/** The audit chain's advisory lock key (lib/migrations/008_audit_chain.sql, pulse.audit_log_chain). */
const AUDIT_CHAIN_LOCK = '8103502347397587317';

let database: TestDatabase;
let pool: pg.Pool;
let dataDir: string;

beforeAll(async () => {
  database = await createMigratedDatabase('key_rotation');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

beforeEach(async () => {
  await pool.query('DELETE FROM pulse.secrets');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-keys-'));
});

const secrets = (n: number) => Array.from({ length: n }, (_, i) => [`totp:user:${i}`, `JBSWY3DPEHPK3PXP-${i}`] as const);

/** Writes many secrets in one statement (the CLI crash test needs a rotation that takes a while). */
async function putMany(keyring: Keyring, list: readonly (readonly [string, string])[]): Promise<void> {
  await pool.query('INSERT INTO pulse.secrets (name, ciphertext) SELECT * FROM unnest($1::text[], $2::text[])', [list.map(([name]) => name), list.map(([name, value]) => encryptSecret(keyring, value, name))]);
}

async function keyIdsInTable(): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ ciphertext: string }>('SELECT ciphertext FROM pulse.secrets');
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(ciphertextKeyId(r.ciphertext)!, (counts.get(ciphertextKeyId(r.ciphertext)!) ?? 0) + 1);
  return counts;
}

async function expectAllReadable(keyring: Keyring, list: readonly (readonly [string, string])[]): Promise<void> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM pulse.secrets');
  expect(rows.length).toBe(list.length);
  const expected = new Map(list);
  for (const { name } of rows) expect(await getSecret(pool, keyring, name)).toBe(expected.get(name));
}

function keyFileIds(): string[] {
  return Object.keys((JSON.parse(fs.readFileSync(keyFilePath(dataDir), 'utf8')) as { keys: Record<string, string> }).keys);
}

describe('rotateKeys with the key file', () => {
  it('re-encrypts every secret under a new key and drops the old key from the file', async () => {
    const before = loadKeyring({ dataDir });
    const list = secrets(20);
    for (const [name, value] of list) await putSecret(pool, before, name, value);
    const oldCiphertext = (await pool.query<{ ciphertext: string }>("SELECT ciphertext FROM pulse.secrets WHERE name = 'totp:user:0'")).rows[0]!.ciphertext;
    const result = await rotateKeys(pool, { dataDir }, cliActor());
    expect(result).toMatchObject({ reencrypted: 20, total: 20, fromKeyIds: [before.current.id], resumed: false, nextStep: null });
    expect(result.currentKeyId).not.toBe(before.current.id);
    expect(keyFileIds()).toEqual([result.currentKeyId]);
    expect(fs.statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(await keyIdsInTable()).toEqual(new Map([[result.currentKeyId, 20]]));
    const after = loadKeyring({ dataDir });
    await expectAllReadable(after, list);
    // The old key is gone: a copy of an old ciphertext (a backup, say) no longer opens.
    expect(() => decryptSecret(after, oldCiphertext, 'totp:user:0')).toThrow(/does not hold/);
    const { rows } = await pool.query("SELECT row_count, details, user_email FROM pulse.audit_log WHERE action = 'key_rotate' ORDER BY id DESC LIMIT 1");
    expect(rows[0]).toMatchObject({ row_count: 20, details: { to: result.currentKeyId, from: [before.current.id], source: 'key file' } });
    expect(rows[0].user_email).toMatch(/^cli:/);
    for (const key of [before.current.key, after.current.key]) expect(JSON.stringify(rows[0])).not.toContain(key.toString('base64'));
  });

  it('finishes a rotation that stopped with both keys in the file, before or after its commit', async () => {
    const old = loadKeyring({ dataDir });
    const list = secrets(5);
    await putMany(old, list);
    // Stopped before the commit: the file holds new + old, the rows are still under the old key.
    const fresh = generateKey();
    writeKeyFile(dataDir, [fresh, old.current.key.toString('base64')]);
    const both = loadKeyring({ dataDir });
    await expectAllReadable(both, list);
    let result = await rotateKeys(pool, { dataDir }, cliActor());
    expect(result).toMatchObject({ resumed: true, reencrypted: 5, currentKeyId: both.current.id });
    expect(keyFileIds()).toEqual([both.current.id]);

    // Stopped after the commit: rows under the new key, the old one still in the file.
    writeKeyFile(dataDir, [fresh, old.current.key.toString('base64')]);
    result = await rotateKeys(pool, { dataDir }, cliActor());
    expect(result).toMatchObject({ resumed: true, reencrypted: 0, currentKeyId: both.current.id });
    expect(keyFileIds()).toEqual([both.current.id]);
    await expectAllReadable(loadKeyring({ dataDir }), list);
  });
});

describe('rotateKeys with PULSE_SECRET_KEY', () => {
  it('moves every secret to the new key, asks to remove the previous one, and does nothing the second time', async () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const list = secrets(8);
    await putMany(loadKeyring({ dataDir, secretKey: oldKey }), list);
    const config = { dataDir, secretKey: newKey, secretKeyPrevious: oldKey };
    const first = await rotateKeys(pool, config, cliActor());
    expect(first).toMatchObject({ source: 'PULSE_SECRET_KEY', reencrypted: 8, total: 8 });
    expect(first.nextStep).toMatch(/remove PULSE_SECRET_KEY_PREVIOUS/);
    const again = await rotateKeys(pool, config, cliActor());
    expect(again.reencrypted).toBe(0);
    // After the operator removed the previous key, everything still decrypts.
    await expectAllReadable(loadKeyring({ dataDir, secretKey: newKey }), list);
    // The key file is not involved with PULSE_SECRET_KEY.
    expect(fs.existsSync(keyFilePath(dataDir))).toBe(false);
  });

  it('refuses, changing nothing, when a secret is under a key it was not given, and audits the failure', async () => {
    const lostKey = generateKey();
    const oldKey = generateKey();
    const newKey = generateKey();
    await putMany(loadKeyring({ dataDir, secretKey: oldKey }), secrets(3));
    await putMany(loadKeyring({ dataDir, secretKey: lostKey }), [['smtp:password', 'hunter2-smtp']]);
    const before = await keyIdsInTable();
    await expect(rotateKeys(pool, { dataDir, secretKey: newKey, secretKeyPrevious: oldKey }, cliActor())).rejects.toThrow(/PULSE_SECRET_KEY does not hold/);
    expect(await keyIdsInTable()).toEqual(before);
    const { rows } = await pool.query("SELECT outcome, details FROM pulse.audit_log WHERE action = 'key_rotate' ORDER BY id DESC LIMIT 1");
    expect(rows[0]).toMatchObject({ outcome: 'failure', details: { error: 'unknown_key' } });
  });
});

describe('pulse keys rotate', () => {
  function startCli(): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; output: string }> } {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'pulse.js'), 'keys', 'rotate'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: database.url, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PULSE_SECRET_KEY: '', PULSE_SECRET_KEY_PREVIOUS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, done: new Promise((resolve) => child.once('exit', (code) => resolve({ code, output }))) };
  }

  /** Waits until another session holds the rotation's lock on pulse.secrets (its transaction runs). */
  async function waitForRotationTransaction(deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      const { rows } = await pool.query("SELECT 1 FROM pg_locks WHERE relation = 'pulse.secrets'::regclass AND mode = 'ExclusiveLock' AND granted AND pid <> pg_backend_pid()");
      if (rows.length > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return false;
  }

  /** Waits until another session waits for the audit chain's advisory lock (held by this test). */
  async function waitForAuditLockWaiter(deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      if ((await advisoryLockSessions(pool, AUDIT_CHAIN_LOCK, 'waiting')) > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return false;
  }

  it('killed inside its transaction leaves every secret readable, and the next run finishes that rotation', async () => {
    const original = loadKeyring({ dataDir });
    const list = secrets(3000);
    await putMany(original, list);

    // Killed inside its transaction: nothing of it commits, both keys are in the file. To kill it
    // there for certain (a sleep once raced a fast rotation to its commit), this test holds the audit
    // chain's lock (lib/migrations/008_audit_chain.sql): the rotation's audit entry, its last step
    // before COMMIT, waits for it.
    const auditLock = await pool.connect();
    try {
      await auditLock.query('SELECT pg_advisory_lock($1::bigint)', [AUDIT_CHAIN_LOCK]);
      const first = startCli();
      expect(await waitForRotationTransaction(Date.now() + 30_000)).toBe(true);
      expect(await waitForAuditLockWaiter(Date.now() + 30_000)).toBe(true);
      first.child.kill('SIGKILL');
      await first.done;
    } finally {
      await auditLock.query('SELECT pg_advisory_unlock($1::bigint)', [AUDIT_CHAIN_LOCK]);
      auditLock.release();
    }
    expect(keyFileIds()).toHaveLength(2);
    expect([...(await keyIdsInTable()).keys()]).toEqual([original.current.id]);
    await expectAllReadable(loadKeyring({ dataDir }), list);

    // The next run finishes that rotation (no third key), then the file holds one key.
    const second = startCli();
    const { code, output } = await second.done;
    expect(code, output).toBe(0);
    expect(output).toMatch(/finished the rotation that was interrupted/);
    expect(output).toMatch(/Re-encrypted 3000 of 3000 stored secrets/);
    const ids = keyFileIds();
    expect(ids).toHaveLength(1);
    expect(await keyIdsInTable()).toEqual(new Map([[ids[0]!, 3000]]));
    await expectAllReadable(loadKeyring({ dataDir }), list);
  }, 120_000);
});
