// The restore drill (issue #6): seed, sync, add users, subscriptions, audit rows and a secret; back up;
// destroy the database and the data folder; restore into a new empty database and data folder; then
// every table must match row by row, the published snapshot byte for byte, and the restored Pulse
// must run a pipeline. Then what must fail does, clearly, and changes nothing: a tampered file or
// manifest, the wrong key, a non-empty database or data folder. And the scheduled job keeps N backups.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit, cliActor } from '../lib/audit.ts';
import { verifyAuditChain } from '../lib/audit-chain.ts';
import { createUser, ensureDemoUsers, signIn } from '../lib/auth.ts';
import { BackupError, createBackup, restoreBackup, verifyBackup } from '../lib/backup.ts';
import { createDecryptStream, createEncryptStream, newFileKey, unwrapFileKey, wrapFileKey } from '../lib/backup-crypto.ts';
import { MANIFEST_FILE, sealManifest, type Manifest } from '../lib/backup-manifest.ts';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { generateKey, loadKeyring, readKeyFile, keyFilePath, type Keyring } from '../lib/secrets.ts';
import { getSecret, putSecret } from '../lib/secret-store.ts';
import { seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { handleBackup } from '../jobs/backup.job.ts';
import { createSubscription } from '../reports/index.ts';
import { getPublishedSnapshot, withPublishedSnapshot } from '../warehouse/index.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createMigratedDatabase, createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-backup-test-'));
const backupDir = path.join(scratch, 'backup');
/** Where an operator keeps the key file, apart from the data folder and the backups. */
const vaultKeyFile = path.join(scratch, 'vault', 'keys.json');

let source: TestDatabase | undefined;
let sourceEnv: PulseTestEnv | undefined;
let restored: TestDatabase;
let restoredEnv: PulseTestEnv;
/** Fingerprints of every table before the disaster. */
let before: Map<string, TableFingerprint>;
let snapshotSha256: string;
let snapshotInfo: ReturnType<typeof getPublishedSnapshot>;
let maxAuditId: number;
let objectsBefore: string[];
const cleanup: (() => Promise<void>)[] = [];

interface TableFingerprint {
  rows: number;
  md5: string;
}

/** Row count and an MD5 over every row's text, in a fixed order, per table of pulse and pulse_app. */
async function fingerprints(url: string, where: (table: string) => string = () => ''): Promise<Map<string, TableFingerprint>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ t: string }>(
      "SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname IN ('pulse', 'pulse_app') ORDER BY 1",
    );
    const out = new Map<string, TableFingerprint>();
    for (const { t } of tables) {
      const { rows } = await client.query<{ n: string; md5: string | null }>(
        `SELECT count(*) AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS md5 FROM ${t} x ${where(t)}`,
      );
      out.set(t, { rows: Number(rows[0]!.n), md5: rows[0]!.md5 ?? '' });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Every index, constraint and trigger of pulse and pulse_app, as SQL: the restore drops and rebuilds some. */
async function schemaObjects(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ d: string }>(
      `SELECT indexdef AS d FROM pg_indexes WHERE schemaname IN ('pulse', 'pulse_app')
       UNION ALL SELECT format('%s %s %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname IN ('pulse', 'pulse_app')
       UNION ALL SELECT format('%s %s %s', t.tgrelid::regclass, t.tgname, t.tgenabled) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('pulse', 'pulse_app') AND NOT t.tgisinternal
       ORDER BY 1`,
    );
    return rows.map((r) => r.d);
  } finally {
    await client.end();
  }
}

async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function snapshotFile(dataDir: string): string {
  return path.join(dataDir, 'warehouse', 'snapshots', getPublishedSnapshot(dataDir)!.file);
}

/** A copy of the backup folder to damage, so each failure case starts from the good backup. */
function copyOfBackup(name: string): string {
  const target = path.join(scratch, name);
  fs.cpSync(backupDir, target, { recursive: true });
  return target;
}

async function emptyTarget(name: string): Promise<{ db: TestDatabase; dataDir: string }> {
  const db = await createTestDatabase(name);
  cleanup.push(() => db.drop());
  return { db, dataDir: fs.mkdtempSync(path.join(scratch, `${name}-data-`)) };
}

/** The target is as it was: no tables, no warehouse, no files. */
async function expectUntouched(target: { db: TestDatabase; dataDir: string }): Promise<void> {
  expect(await tableCount(target.db.url)).toBe(0);
  expect(fs.readdirSync(target.dataDir)).toEqual([]);
}

beforeAll(async () => {
  source = await createMigratedDatabase('backup_source', { demoSource: true });
  await seedDemoData(source.url, { customers: 400, seed: 11, asOf: new Date('2026-10-01T00:00:00Z') });
  sourceEnv = createPulseEnv(source.url);
  await runPipelineNow(sourceEnv.ctx, { mode: 'full', trigger: 'drill' });
  const pool = sourceEnv.ctx.pool;
  // What Pulse itself holds: users (demo ones, with the password file), a subscription, audit entries,
  // an encrypted secret (under the key file in the data folder) and a session (not backed up).
  await ensureDemoUsers(pool, sourceEnv.dataDir);
  const ann = await createUser(pool, { email: 'ann.lee@example.com', password: 'correct horse battery', role: 'manager', name: 'Ann Lee', language: 'en' });
  await createUser(pool, { email: 'wang.fang@example.cn', password: 'correct horse battery', role: 'marketer', name: '王芳', language: 'zh-CN' });
  await createSubscription(pool, { name: 'Weekly 周报', report: 'executive', formats: ['pdf', 'xlsx'], recipients: ['ceo@example.com'], cron: '0 8 * * 1', timeZone: 'Asia/Shanghai', language: 'zh-CN', role: 'executive' }, cliActor());
  for (const action of ['sign_in', 'export', 'pii_view'] as const) {
    await writeAudit(pool, { userId: ann.id, userEmail: ann.email, role: 'manager', action, target: 'customer:7', rowCount: 1, details: { note: `drill ${action}`, 中文: '审计' }, address: '127.0.0.1' });
  }
  const keyring = loadKeyring(sourceEnv.config);
  await putSecret(pool, keyring, 'smtp:password', 'hunter2-不要泄露');
  expect((await signIn(pool, 'ann.lee@example.com', 'correct horse battery')).ok).toBe(true);
  fs.mkdirSync(path.dirname(vaultKeyFile), { recursive: true, mode: 0o700 });
  fs.copyFileSync(keyFilePath(sourceEnv.dataDir), vaultKeyFile);
  fs.chmodSync(vaultKeyFile, 0o600);
}, 240_000);

afterAll(async () => {
  await restoredEnv?.close();
  await restored?.drop();
  await sourceEnv?.close();
  await source?.drop();
  for (const fn of cleanup) await fn().catch(() => undefined);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('backup and restore drill', () => {
  it('backs up, survives losing the database and data folder, and restores every table, the snapshot and the secrets', async () => {
    const env = sourceEnv!;
    before = await fingerprints(source!.url);
    objectsBefore = await schemaObjects(source!.url);
    expect(objectsBefore.filter((d) => d.includes('gin_trgm_ops')).length).toBeGreaterThan(0);
    snapshotInfo = getPublishedSnapshot(env.dataDir);
    snapshotSha256 = sha256File(snapshotFile(env.dataDir));
    maxAuditId = Number((await env.ctx.pool.query<{ id: string }>('SELECT max(id) AS id FROM pulse.audit_log')).rows[0]!.id);
    expect(before.get('pulse.sessions')!.rows).toBe(1);

    const summary = await createBackup({ databaseUrl: source!.url, dataDir: env.dataDir, outDir: backupDir, keyring: loadKeyring(env.config), includeOperational: true });
    expect(summary.warehouse).toBe(snapshotInfo!.file);
    expect(summary.tables.find((t) => t.table === 'pulse_app.customers')!.rows).toBe(400);
    expect(summary.tables.map((t) => t.table)).not.toContain('pulse.sessions');
    // Nothing readable in the backup: no name, e-mail or secret in any file.
    for (const file of fs.readdirSync(path.join(backupDir, 'tables'))) {
      const bytes = fs.readFileSync(path.join(backupDir, 'tables', file));
      for (const needle of ['ann.lee@example.com', 'hunter2', 'Ann Lee']) expect(bytes.includes(Buffer.from(needle)), `${file} contains ${needle}`).toBe(false);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, MANIFEST_FILE), 'utf8')) as { migrations: unknown[]; files: { plainSha256: string; encryptedSha256: string }[] };
    expect(manifest.migrations.length).toBeGreaterThan(5);
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.plainSha256) && /^[0-9a-f]{64}$/.test(f.encryptedSha256))).toBe(true);
    await expect(verifyBackup(backupDir, readKeyFile(vaultKeyFile))).resolves.toMatchObject({ files: summary.tables.length + 2 });

    // The disaster: the database and the data folder (with its key file) are gone.
    await env.close();
    sourceEnv = undefined;
    await source!.drop();
    source = undefined;
    expect(fs.existsSync(env.dataDir)).toBe(false);

    restored = await createTestDatabase('backup_restored');
    restoredEnv = createPulseEnv(restored.url);
    const result = await restoreBackup({ backupDir, databaseUrl: restored.url, dataDir: restoredEnv.dataDir, keyring: readKeyFile(vaultKeyFile), actor: 'drill' });
    expect(result.tables.length).toBe(summary.tables.length);

    const after = await fingerprints(restored.url, (t) => (t === 'pulse.audit_log' ? `WHERE id <= ${maxAuditId}` : ''));
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [table, print] of before) {
      // Sessions are not backed up; the chain head moved on to the restore's own entry (checked below).
      if (table === 'pulse.sessions' || table === 'pulse.audit_chain_head') continue;
      expect(after.get(table), table).toEqual(print);
    }
    expect(after.get('pulse.sessions')!.rows).toBe(0);
    // Indexes, foreign keys and triggers are back exactly as they were (enabled).
    expect(await schemaObjects(restored.url)).toEqual(objectsBefore);
    const pool = restoredEnv.ctx.pool;
    // The audit log: every entry as it was (ids, times, details), then one entry saying it was restored.
    const added = await pool.query<{ action: string; user_email: string }>('SELECT action, user_email FROM pulse.audit_log WHERE id > $1', [maxAuditId]);
    expect(added.rows).toEqual([{ action: 'restore', user_email: 'drill' }]);
    // The hash chain is whole: every restored entry links to the one before, and the restore's entry
    // to the last restored one.
    const chain = await verifyAuditChain(pool);
    expect(chain.ok, JSON.stringify(chain)).toBe(true);
    expect(chain.head?.id).toBe(maxAuditId + 1);
    // Sequences continue after the restored ids, so new rows do not collide.
    const ben = await createUser(pool, { email: 'ben@example.com', password: 'correct horse battery', role: 'analyst' });
    expect(ben.id).toBeGreaterThan(Number((await pool.query<{ n: string }>("SELECT max(id) AS n FROM pulse.users WHERE email <> 'ben@example.com'")).rows[0]!.n));
    // The secret decrypts with the kept key file; a restored user signs in with the old password.
    expect(await getSecret(pool, readKeyFile(vaultKeyFile), 'smtp:password')).toBe('hunter2-不要泄露');
    expect((await signIn(pool, 'ann.lee@example.com', 'correct horse battery')).ok).toBe(true);
    // The published snapshot: the same file, published under the same run, readable.
    expect(getPublishedSnapshot(restoredEnv.dataDir)).toEqual(snapshotInfo);
    expect(sha256File(snapshotFile(restoredEnv.dataDir))).toBe(snapshotSha256);
    const customers = await withPublishedSnapshot(restoredEnv.dataDir, (db) => db.one<{ n: number }>('SELECT count(*) AS n FROM marts.customer_360'));
    expect(Number(customers.n)).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(restoredEnv.dataDir, 'demo-password'))).toBe(true);
    // And the restored deployment works: a pipeline run on it publishes a new snapshot.
    const run = await runPipelineNow(restoredEnv.ctx, { mode: 'incremental', trigger: 'after-restore' });
    expect(run.tables.every((t) => t.checksumMatch)).toBe(true);
    expect(getPublishedSnapshot(restoredEnv.dataDir)!.runId).toBe(run.runId);
  }, 240_000);
});

describe('restore refuses', () => {
  it('a tampered table file, naming it, and changes nothing', async () => {
    const damaged = copyOfBackup('tampered-file');
    const file = path.join(damaged, 'tables', 'pulse.users.copy.gz.enc');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    await expect(verifyBackup(damaged, readKeyFile(vaultKeyFile))).rejects.toThrow(/tables\/pulse\.users\.copy\.gz\.enc/);
    const target = await emptyTarget('backup_tampered');
    const error = await restoreBackup({ backupDir: damaged, databaseUrl: target.db.url, dataDir: target.dataDir, keyring: readKeyFile(vaultKeyFile) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('tampered');
    await expectUntouched(target);
  });

  it('a manifest changed after signing, and a file swapped for another', async () => {
    const edited = copyOfBackup('tampered-manifest');
    const manifestFile = path.join(edited, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { tables: { rows: number }[] };
    manifest.tables[0]!.rows += 1;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    await expect(verifyBackup(edited, readKeyFile(vaultKeyFile))).rejects.toThrow(/manifest failed its integrity check/);

    const swapped = copyOfBackup('swapped-file');
    const a = path.join(swapped, 'tables', 'pulse_app.staff_users.copy.gz.enc');
    const b = path.join(swapped, 'tables', 'pulse_app.products.copy.gz.enc');
    fs.copyFileSync(b, a);
    await expect(verifyBackup(swapped, readKeyFile(vaultKeyFile))).rejects.toThrow(/pulse_app\.staff_users/);
  });

  it('the wrong key, saying which key the backup needs, and changes nothing', async () => {
    const wrong = loadKeyring({ dataDir: scratch, secretKey: generateKey() });
    await expect(verifyBackup(backupDir, wrong)).rejects.toThrow(/encrypted with deployment key [0-9a-f]{8}/);
    const target = await emptyTarget('backup_wrongkey');
    const error = await restoreBackup({ backupDir, databaseUrl: target.db.url, dataDir: target.dataDir, keyring: wrong }).catch((e: unknown) => e);
    expect((error as BackupError).code).toBe('wrong_key');
    await expectUntouched(target);
  });

  it('a database that has tables and a data folder that has a warehouse, and changes neither', async () => {
    const keyring: Keyring = readKeyFile(vaultKeyFile);
    const printBefore = await fingerprints(restored.url);
    const intoDatabase = await restoreBackup({ backupDir, databaseUrl: restored.url, dataDir: fs.mkdtempSync(path.join(scratch, 'empty-data-')), keyring }).catch((e: unknown) => e);
    expect((intoDatabase as BackupError).code).toBe('database_not_empty');
    expect((intoDatabase as Error).message).toMatch(/not empty \(it has pulse\./);
    expect(await fingerprints(restored.url)).toEqual(printBefore);

    const target = await emptyTarget('backup_fulldata');
    const pointerBefore = getPublishedSnapshot(restoredEnv.dataDir);
    const intoData = await restoreBackup({ backupDir, databaseUrl: target.db.url, dataDir: restoredEnv.dataDir, keyring }).catch((e: unknown) => e);
    expect((intoData as BackupError).code).toBe('data_dir_not_empty');
    expect(getPublishedSnapshot(restoredEnv.dataDir)).toEqual(pointerBefore);
    expect(await tableCount(target.db.url)).toBe(0);
  });
});

async function through(data: Buffer, transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from([data]), transform, new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
  return Buffer.concat(out);
}

describe('restore that fails inside its transaction', () => {
  it('leaves the database and the data folder as they were', async () => {
    // A backup signed with the right key whose users table breaks a unique index (two users with one
    // e-mail): every check before the transaction passes, and the index rebuilt at its end fails.
    const forged = copyOfBackup('forged');
    const keyring = readKeyFile(vaultKeyFile);
    const manifestFile = path.join(forged, MANIFEST_FILE);
    const body: Omit<Manifest, 'hmac'> & { hmac?: string } = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    delete body.hmac;
    const key = keyring.byId.get(body.encryption.keyId)!;
    const table = body.tables.find((t) => t.schema === 'pulse' && t.name === 'users')!;
    const entry = body.files.find((f) => f.path === table.path)!;
    const sealed = fs.readFileSync(path.join(forged, entry.path));
    const fileKey = { key: unwrapFileKey(key, entry.wrappedKey, body.backupId, entry.path), noncePrefix: Buffer.from(entry.noncePrefix, 'hex') };
    const plain = zlib.gunzipSync(await through(sealed, createDecryptStream(fileKey, entry.path))).toString('utf8');
    const first = plain.split('\n')[0]!.split('\t');
    first[table.columns.indexOf('id')] = '999999';
    const changed = Buffer.from(`${plain}${first.join('\t')}\n`, 'utf8');
    const newKey = newFileKey();
    const encrypted = await through(zlib.gzipSync(changed), createEncryptStream(newKey));
    fs.writeFileSync(path.join(forged, entry.path), encrypted);
    const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    Object.assign(entry, {
      wrappedKey: wrapFileKey(key, newKey.key, body.backupId, entry.path),
      noncePrefix: newKey.noncePrefix.toString('hex'),
      plainBytes: changed.length,
      plainSha256: sha(changed),
      encryptedBytes: encrypted.length,
      encryptedSha256: sha(encrypted),
    });
    table.rows += 1;
    fs.writeFileSync(manifestFile, JSON.stringify(sealManifest(body, key)));
    await expect(verifyBackup(forged, keyring)).resolves.toBeTruthy();

    const target = await emptyTarget('backup_midway');
    await expect(restoreBackup({ backupDir: forged, databaseUrl: target.db.url, dataDir: target.dataDir, keyring })).rejects.toThrow(/users_email_key|duplicate key/);
    await expectUntouched(target);
  });
});

describe('handleBackup (scheduled)', () => {
  it('writes a verified backup per run, keeps PULSE_BACKUP_KEEP of them and audits each', async () => {
    const root = path.join(scratch, 'scheduled');
    const env = createPulseEnv(restored.url, { PULSE_BACKUP_DIR: root, PULSE_BACKUP_KEEP: '2' });
    cleanup.push(() => env.close());
    // The scheduled backup uses the deployment's key: the restored data folder has none, so give it the kept one.
    fs.copyFileSync(vaultKeyFile, keyFilePath(env.dataDir));
    fs.chmodSync(keyFilePath(env.dataDir), 0o600);
    fs.mkdirSync(path.join(root, 'keep-me'), { recursive: true });
    const runs = [];
    for (const at of ['2026-11-01T02:00:00Z', '2026-11-02T02:00:00Z', '2026-11-03T02:00:00Z']) runs.push(await handleBackup(env.ctx, restored.url, { trigger: 'test' }, new Date(at)));
    expect(fs.readdirSync(root).sort()).toEqual(['keep-me', 'pulse-backup-20261102T020000Z', 'pulse-backup-20261103T020000Z']);
    expect(runs[2]!.pruned).toEqual(['pulse-backup-20261101T020000Z']);
    const check = await verifyBackup(path.join(root, 'pulse-backup-20261103T020000Z'), readKeyFile(vaultKeyFile));
    expect(check.manifest.schemas).toEqual(['pulse', 'pulse_app']);
    const audited = await env.ctx.pool.query<{ n: string }>("SELECT count(*) AS n FROM pulse.audit_log WHERE action = 'backup' AND outcome = 'success' AND user_email = 'worker'");
    expect(Number(audited.rows[0]!.n)).toBe(3);
  }, 120_000);
});
