// Backups of Pulse's own data, and restoring them (issue #6). No pg_dump: a fresh machine has only
// Node and npm, so the data is read with COPY over the `pg` driver.
//
// Backup: one REPEATABLE READ, READ ONLY transaction, so every table comes from the same moment; each
// table of the `pulse` schema (and with includeOperational the demo schema `pulse_app`) streams out
// with `COPY … TO STDOUT`, is gzip-compressed and encrypted chunk by chunk (lib/backup-crypto.ts) into
// its own file; nothing is held in memory whole. Then the published warehouse snapshot (immutable once
// published) and the demo password file. The manifest (lib/backup-manifest.ts) is written last, so a
// folder without one is an unfinished backup.
//
// Left out on purpose: pg-boss's schema (queue state is transient; what Pulse needs of its jobs is in
// pulse.pipeline_runs and pulse.report_deliveries, which are backed up; the worker recreates queues and
// schedules on start) and pulse.sessions (after a restore everyone signs in again). The deployment key
// is never in a backup: restoring needs PULSE_SECRET_KEY or the key file.
//
// Restore: everything is checked first (manifest HMAC, every file decrypted to nowhere and compared
// with its checksums), the target database must have no tables and the data folder no warehouse. Then
// one transaction applies the migrations the backup recorded, COPYs every table back in foreign-key
// order and sets the sequences; the warehouse snapshot is written under a name no reader opens and is
// published only after that transaction commits. A failure anywhere leaves the target as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { writeAudit } from './audit.ts';
import { BackupError, CHUNK_BYTES, ENCRYPTION_SCHEME, Measure, createDecryptStream, createEncryptStream, newFileKey, unwrapFileKey, wrapFileKey, type FileKey } from './backup-crypto.ts';
import { BACKUP_FORMAT, MANIFEST_FILE, checkManifestMac, parseManifest, sealManifest, type BackupFile, type BackupTable, type Manifest, type ManifestBody } from './backup-manifest.ts';
import {
  copyTableIn,
  copyTableOut,
  countRows,
  qualified,
  selectForeignKeyDefinitions,
  selectForeignKeys,
  selectMigrations,
  selectSecondaryIndexes,
  selectSequences,
  selectTablesWithColumns,
  selectUserTables,
  setSequence,
  setUserTriggers,
} from './backup.queries.ts';
import { errorMessage } from './errors.ts';
import { CREATE_MIGRATIONS_TABLE, listMigrationFiles, migrationSets } from './migrate.ts';
import { projectRoot } from './paths.ts';
import { demoPasswordFile } from './auth.ts';
import type { Keyring } from './secrets.ts';
import { discardRestoringSnapshot, hasWarehouseData, openPublishedSnapshotBytes, publishRestoredSnapshot, restoringSnapshotPath } from '../warehouse/index.ts';

export { BackupError };

/** Pulse's own schema; the demo operational schema is added with includeOperational. */
export const PULSE_SCHEMA = 'pulse';
export const OPERATIONAL_SCHEMA = 'pulse_app';
/** Not backed up: session tokens (everyone signs in again after a restore). */
const EXCLUDED_TABLES = new Set(['pulse.sessions']);

export interface BackupProgress {
  /** 'pulse.users', 'warehouse', 'verify pulse.users', … */
  step: string;
  done: number;
  total: number;
  unit: 'rows' | 'bytes' | 'indexes';
}

export interface BackupSummary {
  dir: string;
  backupId: string;
  tables: { table: string; rows: number }[];
  warehouse: string | null;
  bytes: number;
  seconds: number;
}

function pulseVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Calls `report` at most every 200 ms per step, and always at the end. */
function throttled(report: ((p: BackupProgress) => void) | undefined): (p: BackupProgress, force?: boolean) => void {
  let last = 0;
  return (p, force = false) => {
    if (!report) return;
    const now = Date.now();
    if (!force && now - last < 200) return;
    last = now;
    report(p);
  };
}

// ---------------------------------------------------------------------------------------------
// Writing a backup.

export interface CreateBackupOptions {
  databaseUrl: string;
  dataDir: string;
  /** A new or empty folder. */
  outDir: string;
  keyring: Keyring;
  /** Also the demo operational schema `pulse_app` (when it lives in Pulse's database). */
  includeOperational: boolean;
  onProgress?: (p: BackupProgress) => void;
}

export async function createBackup(options: CreateBackupOptions): Promise<BackupSummary> {
  const started = Date.now();
  const outDir = path.resolve(options.outDir);
  const createdDir = prepareOutDir(outDir);
  const backupId = crypto.randomUUID();
  const deploymentKey = options.keyring.current.key;
  const files: BackupFile[] = [];
  const tables: BackupTable[] = [];
  const schemas = options.includeOperational ? [PULSE_SCHEMA, OPERATIONAL_SCHEMA] : [PULSE_SCHEMA];
  const client = new pg.Client({ connectionString: options.databaseUrl });
  try {
    await client.connect();
    // One snapshot of the whole database for every table: a consistent backup while Pulse keeps running.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const postgresVersion = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    const migrations = await client.query<{ scope: string; version: number; name: string }>(selectMigrations()).catch((error: unknown) => {
      throw new BackupError('not_pulse', `This database has no pulse.schema_migrations: it is not a Pulse database, or migrations never ran (${errorMessage(error)}).`, { cause: error });
    });
    const found = await client.query<{ schema: string; name: string; columns: string[]; estimated_rows: number }>(selectTablesWithColumns(schemas));
    if (options.includeOperational && !found.rows.some((t) => t.schema === OPERATIONAL_SCHEMA)) {
      throw new BackupError('no_operational', `--include-operational: this database has no ${OPERATIONAL_SCHEMA} schema (the operational data lives elsewhere: back it up where it lives).`);
    }
    const sequences = await client.query<{ schema: string; name: string; last_value: number; is_called: boolean }>(selectSequences(schemas));
    const report = throttled(options.onProgress);
    for (const t of found.rows) {
      const table = `${t.schema}.${t.name}`;
      if (EXCLUDED_TABLES.has(table)) continue;
      const relative = `tables/${table}.copy.gz.enc`;
      const source = client.query(copyTo(copyTableOut(t.schema, t.name, t.columns)));
      const total = Number(t.estimated_rows);
      const entry = await encryptToFile(source, outDir, relative, 'table', 'gzip', { backupId, deploymentKey }, (m) =>
        report({ step: table, done: m.newlines, total: Math.max(total, m.newlines), unit: 'rows' }),
      );
      files.push(entry.file);
      tables.push({ schema: t.schema, name: t.name, columns: t.columns, rows: entry.rows, path: relative });
      report({ step: table, done: entry.rows, total: entry.rows, unit: 'rows' }, true);
    }
    await client.query('COMMIT');

    let warehouse: ManifestBody['warehouse'] = null;
    const snapshot = openPublishedSnapshotBytes(options.dataDir);
    if (snapshot) {
      const relative = `warehouse/${snapshot.info.file}.enc`;
      const entry = await encryptToFile(snapshot.stream, outDir, relative, 'warehouse', 'none', { backupId, deploymentKey }, (m) =>
        report({ step: 'warehouse', done: m.bytes, total: snapshot.size, unit: 'bytes' }),
      );
      report({ step: 'warehouse', done: snapshot.size, total: snapshot.size, unit: 'bytes' }, true);
      files.push(entry.file);
      warehouse = { file: snapshot.info.file, runId: snapshot.info.runId, publishedAt: snapshot.info.publishedAt, path: relative };
    }

    const dataFiles: ManifestBody['dataFiles'] = [];
    const demoPassword = demoPasswordFile(options.dataDir);
    if (fs.existsSync(demoPassword)) {
      const relative = 'data/demo-password.enc';
      const entry = await encryptToFile(fs.createReadStream(demoPassword), outDir, relative, 'data', 'none', { backupId, deploymentKey });
      files.push(entry.file);
      dataFiles.push({ name: 'demo-password', path: relative });
    }

    const manifest = sealManifest(
      {
        format: BACKUP_FORMAT,
        backupId,
        createdAt: new Date().toISOString(),
        pulseVersion: pulseVersion(),
        postgresVersion,
        encryption: { cipher: 'aes-256-gcm', chunkBytes: CHUNK_BYTES, keyId: options.keyring.current.id, scheme: ENCRYPTION_SCHEME },
        schemas,
        migrations: migrations.rows.map((m) => ({ scope: m.scope, version: Number(m.version), name: m.name })),
        tables,
        sequences: sequences.rows.map((s) => ({ schema: s.schema, name: s.name, lastValue: Number(s.last_value), isCalled: s.is_called })),
        warehouse,
        dataFiles,
        files,
      },
      deploymentKey,
    );
    writeFileDurably(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    return {
      dir: outDir,
      backupId,
      tables: tables.map((t) => ({ table: `${t.schema}.${t.name}`, rows: t.rows })),
      warehouse: warehouse?.file ?? null,
      bytes: files.reduce((n, f) => n + f.encryptedBytes, 0),
      seconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // An unfinished backup must not look like one: remove what was written.
    if (createdDir) fs.rmSync(outDir, { recursive: true, force: true });
    else for (const name of ['tables', 'warehouse', 'data', MANIFEST_FILE]) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the folder (true) or accepts an existing empty one (false); refuses one with files in it. */
function prepareOutDir(outDir: string): boolean {
  if (fs.existsSync(outDir)) {
    if (!fs.statSync(outDir).isDirectory()) throw new BackupError('out_not_dir', `${outDir} exists and is not a folder.`);
    if (fs.readdirSync(outDir).length > 0) throw new BackupError('out_not_empty', `${outDir} is not empty: a backup goes into a new or empty folder, so it never mixes with another.`);
    return false;
  }
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  return true;
}

async function encryptToFile(
  source: Readable,
  outDir: string,
  relative: string,
  kind: BackupFile['kind'],
  compression: BackupFile['compression'],
  keys: { backupId: string; deploymentKey: Buffer },
  onChunk?: (plain: Measure) => void,
): Promise<{ file: BackupFile; rows: number }> {
  const target = path.join(outDir, relative);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const fileKey = newFileKey();
  const plain = new Measure({ countLines: kind === 'table', ...(onChunk ? { onChunk } : {}) });
  const encrypted = new Measure();
  const stages: NodeJS.ReadWriteStream[] = [plain];
  // Level 1: most of gzip's gain on COPY text at a fraction of its time.
  if (compression === 'gzip') stages.push(zlib.createGzip({ level: 1 }));
  stages.push(createEncryptStream(fileKey), encrypted);
  await pipeline([source, ...stages, fs.createWriteStream(target, { mode: 0o600 })]);
  return {
    rows: plain.newlines,
    file: {
      path: relative,
      kind,
      compression,
      wrappedKey: wrapFileKey(keys.deploymentKey, fileKey.key, keys.backupId, relative),
      noncePrefix: fileKey.noncePrefix.toString('hex'),
      plainBytes: plain.bytes,
      plainSha256: plain.sha256(),
      encryptedBytes: encrypted.bytes,
      encryptedSha256: encrypted.sha256(),
    },
  };
}

function writeFileDurably(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  const fd = fs.openSync(temporary, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

// ---------------------------------------------------------------------------------------------
// Reading and checking a backup.

/** The manifest of a backup folder, its HMAC checked with the deployment key it names. */
export function readVerifiedManifest(backupDir: string, keyring: Keyring): { manifest: Manifest; key: Buffer } {
  const file = path.join(backupDir, MANIFEST_FILE);
  if (!fs.existsSync(backupDir)) throw new BackupError('no_backup', `${backupDir} does not exist.`);
  if (!fs.existsSync(file)) throw new BackupError('no_manifest', `${backupDir} has no ${MANIFEST_FILE}: it is not a backup, or the backup did not finish.`);
  const manifest = parseManifest(fs.readFileSync(file, 'utf8'), file);
  const key = keyring.byId.get(manifest.encryption.keyId);
  if (!key) {
    throw new BackupError(
      'wrong_key',
      `This backup was encrypted with deployment key ${manifest.encryption.keyId}, but ${keyring.source} holds ${[...keyring.byId.keys()].join(', ')}. ` +
        'Set PULSE_SECRET_KEY (or pass --key-file) to the key of the deployment that made the backup.',
    );
  }
  checkManifestMac(manifest, key);
  return { manifest, key };
}

function fileKeyOf(manifest: Manifest, entry: BackupFile, deploymentKey: Buffer): FileKey {
  return { key: unwrapFileKey(deploymentKey, entry.wrappedKey, manifest.backupId, entry.path), noncePrefix: Buffer.from(entry.noncePrefix, 'hex') };
}

/**
 * A file's plaintext as a stream that fails unless every byte is authentic; `check()` afterwards
 * compares sizes and SHA-256 (before and after decryption) with the manifest.
 */
function openBackupFile(backupDir: string, manifest: Manifest, entry: BackupFile, deploymentKey: Buffer, onChunk?: (m: Measure) => void): { stages: NodeJS.ReadWriteStream[]; source: Readable; check: () => void; plain: Measure } {
  const full = path.join(backupDir, entry.path);
  let size: number;
  try {
    size = fs.statSync(full).size;
  } catch {
    throw new BackupError('missing_file', `${entry.path} is missing from the backup.`);
  }
  if (size !== entry.encryptedBytes) throw new BackupError('tampered', `${entry.path} is ${size} bytes; the manifest says ${entry.encryptedBytes}.`);
  const encrypted = new Measure();
  const plain = new Measure({ countLines: entry.kind === 'table', ...(onChunk ? { onChunk } : {}) });
  const stages: NodeJS.ReadWriteStream[] = [encrypted, createDecryptStream(fileKeyOf(manifest, entry, deploymentKey), entry.path)];
  if (entry.compression === 'gzip') stages.push(zlib.createGunzip());
  stages.push(plain);
  return {
    source: fs.createReadStream(full),
    stages,
    plain,
    check: () => {
      if (encrypted.sha256() !== entry.encryptedSha256) throw new BackupError('tampered', `${entry.path} does not match its SHA-256 in the manifest.`);
      if (plain.bytes !== entry.plainBytes || plain.sha256() !== entry.plainSha256) throw new BackupError('tampered', `${entry.path} decrypts to different data than was backed up.`);
    },
  };
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

export interface VerifyResult {
  manifest: Manifest;
  files: number;
  bytes: number;
  seconds: number;
}

/** Checks a backup without restoring it: manifest HMAC, then every file decrypted to nowhere against its checksums. */
export async function verifyBackup(backupDir: string, keyring: Keyring, onProgress?: (p: BackupProgress) => void): Promise<VerifyResult> {
  const started = Date.now();
  const { manifest, key } = readVerifiedManifest(backupDir, keyring);
  await verifyFiles(backupDir, manifest, key, onProgress);
  return { manifest, files: manifest.files.length, bytes: manifest.files.reduce((n, f) => n + f.encryptedBytes, 0), seconds: (Date.now() - started) / 1000 };
}

async function verifyFiles(backupDir: string, manifest: Manifest, key: Buffer, onProgress?: (p: BackupProgress) => void): Promise<void> {
  const report = throttled(onProgress);
  const rowsByPath = new Map(manifest.tables.map((t) => [t.path, t.rows]));
  for (const entry of manifest.files) {
    const step = entry.path;
    const opened = openBackupFile(backupDir, manifest, entry, key, (m) => report({ step, done: m.bytes, total: entry.plainBytes, unit: 'bytes' }));
    await pipeline([opened.source, ...opened.stages, discard()]);
    opened.check();
    const rows = rowsByPath.get(entry.path);
    if (rows !== undefined && opened.plain.newlines !== rows) throw new BackupError('tampered', `${entry.path} holds ${opened.plain.newlines} rows; the manifest says ${rows}.`);
    report({ step, done: entry.plainBytes, total: entry.plainBytes, unit: 'bytes' }, true);
  }
}

// ---------------------------------------------------------------------------------------------
// Restoring.

export interface RestoreOptions {
  backupDir: string;
  /** An empty database (no tables at all). */
  databaseUrl: string;
  /** A data folder without a warehouse. */
  dataDir: string;
  keyring: Keyring;
  /** Who restores, for the audit entry the restore adds ('cli' from the command line). */
  actor?: string;
  onProgress?: (p: BackupProgress) => void;
}

export interface RestoreSummary {
  backupId: string;
  tables: { table: string; rows: number }[];
  warehouse: string | null;
  seconds: number;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const started = Date.now();
  const backupDir = path.resolve(options.backupDir);
  const { manifest, key } = readVerifiedManifest(backupDir, options.keyring);
  checkDataFolderEmpty(options.dataDir, manifest);
  const migrations = migrationFilesFor(manifest);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  let partialSnapshot: string | undefined;
  const partialDataFiles: { partial: string; target: string }[] = [];
  try {
    await checkDatabaseEmpty(client);
    // Everything is checked before anything changes.
    await verifyFiles(backupDir, manifest, key, options.onProgress);
    const report = throttled(options.onProgress);

    if (manifest.warehouse) {
      const entry = manifest.files.find((f) => f.path === manifest.warehouse!.path)!;
      partialSnapshot = restoringSnapshotPath(options.dataDir, manifest.warehouse.file);
      const opened = openBackupFile(backupDir, manifest, entry, key, (m) => report({ step: 'warehouse', done: m.bytes, total: entry.plainBytes, unit: 'bytes' }));
      await pipeline([opened.source, ...opened.stages, fs.createWriteStream(partialSnapshot, { mode: 0o644 })]);
      opened.check();
    }
    for (const d of manifest.dataFiles) {
      const entry = manifest.files.find((f) => f.path === d.path)!;
      const target = demoPasswordFile(options.dataDir);
      const partial = `${target}.partial`;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      partialDataFiles.push({ partial, target });
      const opened = openBackupFile(backupDir, manifest, entry, key);
      await pipeline([opened.source, ...opened.stages, fs.createWriteStream(partial, { mode: 0o600 })]);
      opened.check();
    }

    await client.query('BEGIN');
    await client.query(CREATE_MIGRATIONS_TABLE);
    // The schema as it was when the backup was made: the migrations it recorded, nothing newer (a
    // later `pulse migrate` applies those as for any upgrade). Their bookkeeping rows come back with
    // the pulse.schema_migrations table itself.
    for (const m of migrations) await client.query(fs.readFileSync(m.file, 'utf8'));
    const ordered = await loadOrder(client, manifest);
    for (const t of ordered) await client.query(setUserTriggers(t.schema, t.name, false));
    // Rows first, then the secondary indexes and foreign keys, each built or checked in one pass (row
    // by row, a trigram index update and a foreign-key lookup per row made a restore several times slower).
    // Both come back before COMMIT, so the restored database has exactly the constraints it had.
    const foreignKeys = await client.query<{ table: string; name: string; definition: string }>(selectForeignKeyDefinitions(ordered));
    for (const fk of foreignKeys.rows) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
    const indexes = await client.query<{ name: string; definition: string }>(selectSecondaryIndexes(ordered));
    for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    for (const t of ordered) {
      const table = `${t.schema}.${t.name}`;
      // A migration that inserts defaults must not leave rows the backup does not have.
      if (Number((await client.query<{ n: number }>(countRows(t.schema, t.name))).rows[0]!.n) > 0) await client.query(`DELETE FROM ${qualified(t.schema, t.name)}`);
      const entry = manifest.files.find((f) => f.path === t.path)!;
      const opened = openBackupFile(backupDir, manifest, entry, key, (m) => report({ step: table, done: m.newlines, total: t.rows, unit: 'rows' }));
      const sink = client.query(copyFrom(copyTableIn(t.schema, t.name, t.columns)));
      await pipeline([opened.source, ...opened.stages, sink]);
      opened.check();
      if (sink.rowCount !== t.rows) throw new BackupError('row_count', `${table}: ${sink.rowCount} rows restored; the backup holds ${t.rows}.`);
      report({ step: table, done: t.rows, total: t.rows, unit: 'rows' }, true);
    }
    for (const [i, index] of indexes.rows.entries()) {
      report({ step: 'indexes', done: i, total: indexes.rows.length, unit: 'indexes' }, true);
      await client.query(index.definition);
    }
    if (indexes.rows.length > 0) report({ step: 'indexes', done: indexes.rows.length, total: indexes.rows.length, unit: 'indexes' }, true);
    for (const fk of foreignKeys.rows) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.definition}`);
    for (const s of manifest.sequences) {
      const { text, values } = setSequence(s.schema, s.name, s.lastValue, s.isCalled);
      await client.query(text, values);
    }
    for (const t of ordered) await client.query(setUserTriggers(t.schema, t.name, true));
    await writeAudit(client, {
      userId: null,
      userEmail: options.actor ?? 'cli',
      role: '',
      action: 'restore',
      target: `backup:${manifest.backupId}`,
      rowCount: manifest.tables.reduce((n, t) => n + t.rows, 0),
      details: { createdAt: manifest.createdAt, schemas: manifest.schemas, warehouse: manifest.warehouse?.file ?? null },
    });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // Nothing of the attempt stays behind, so the same data folder can be used again.
    if (partialSnapshot) discardRestoringSnapshot(options.dataDir, manifest.warehouse!.file);
    for (const d of partialDataFiles) fs.rmSync(d.partial, { force: true });
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }

  // The database is restored: now the files, each already written and checked under a name nothing reads.
  if (manifest.warehouse) publishRestoredSnapshot(options.dataDir, { file: manifest.warehouse.file, runId: manifest.warehouse.runId, publishedAt: manifest.warehouse.publishedAt });
  for (const d of partialDataFiles) fs.renameSync(d.partial, d.target);
  return {
    backupId: manifest.backupId,
    tables: manifest.tables.map((t) => ({ table: `${t.schema}.${t.name}`, rows: t.rows })),
    warehouse: manifest.warehouse?.file ?? null,
    seconds: (Date.now() - started) / 1000,
  };
}

function checkDataFolderEmpty(dataDir: string, manifest: Manifest): void {
  if (hasWarehouseData(dataDir)) {
    throw new BackupError('data_dir_not_empty', `The data folder ${dataDir} already holds a warehouse: restore into a new data folder (PULSE_DATA_DIR), so nothing is overwritten.`);
  }
  if (manifest.dataFiles.length > 0 && fs.existsSync(demoPasswordFile(dataDir))) {
    throw new BackupError('data_dir_not_empty', `The data folder ${dataDir} already holds ${path.basename(demoPasswordFile(dataDir))}: restore into a new data folder (PULSE_DATA_DIR).`);
  }
}

async function checkDatabaseEmpty(client: pg.Client): Promise<void> {
  const { text, values } = selectUserTables(4);
  const { rows } = await client.query<{ schema: string; name: string }>(text, values);
  if (rows.length > 0) {
    const shown = rows.slice(0, 3).map((r) => `${r.schema}.${r.name}`).join(', ');
    throw new BackupError('database_not_empty', `The target database is not empty (it has ${shown}${rows.length > 3 ? ', …' : ''}): restore into a new, empty database.`);
  }
}

/** The migration files for the versions the backup recorded; refuses a backup from a newer Pulse. */
function migrationFilesFor(manifest: Manifest): { file: string }[] {
  const scopes = [...new Set(manifest.migrations.map((m) => m.scope))].sort((a, b) => (a === PULSE_SCHEMA ? -1 : b === PULSE_SCHEMA ? 1 : a.localeCompare(b)));
  const out: { file: string }[] = [];
  for (const scope of scopes) {
    const set = migrationSets[scope];
    if (!set) throw new BackupError('unknown_migrations', `The backup has migrations of "${scope}", which this version of Pulse does not know.`);
    const known = new Map(listMigrationFiles(set).map((m) => [m.version, m]));
    for (const m of manifest.migrations.filter((x) => x.scope === scope).sort((a, b) => a.version - b.version)) {
      const file = known.get(m.version);
      if (!file) throw new BackupError('newer_backup', `The backup was made by a newer Pulse (migration ${scope}/${m.name} is unknown here, manifest Pulse ${manifest.pulseVersion}): restore it with that version.`);
      out.push(file);
    }
  }
  return out;
}

/** The backed-up tables, each after the tables its foreign keys reference. */
async function loadOrder(client: pg.Client, manifest: Manifest): Promise<BackupTable[]> {
  const { text, values } = selectForeignKeys(manifest.schemas);
  const { rows } = await client.query<{ schema: string; name: string; ref_schema: string; ref_name: string }>(text, values);
  const byName = new Map(manifest.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const dependsOn = new Map<string, Set<string>>();
  for (const r of rows) {
    const from = `${r.schema}.${r.name}`;
    const to = `${r.ref_schema}.${r.ref_name}`;
    if (from === to || !byName.has(to)) continue;
    if (!dependsOn.has(from)) dependsOn.set(from, new Set());
    dependsOn.get(from)!.add(to);
  }
  const ordered: BackupTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new BackupError('fk_cycle', `Tables reference each other in a cycle through ${name}; restore cannot order them.`);
    state.set(name, 'visiting');
    for (const dep of dependsOn.get(name) ?? []) visit(dep);
    state.set(name, 'done');
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const name of byName.keys()) visit(name);
  return ordered;
}

// ---------------------------------------------------------------------------------------------
// Scheduled backups: one folder per backup under the backup folder, the oldest beyond `keep` deleted.

const SCHEDULED_NAME = /^pulse-backup-\d{8}T\d{6}Z$/;

export function scheduledBackupName(at: Date): string {
  return `pulse-backup-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}`;
}

/**
 * Deletes the oldest finished scheduled backups beyond `keep`. Only folders named like scheduled
 * backups are touched, so a folder an operator put beside them is never deleted.
 */
export function pruneBackups(backupRoot: string, keep: number): string[] {
  if (!fs.existsSync(backupRoot)) return [];
  const finished = fs
    .readdirSync(backupRoot)
    .filter((name) => SCHEDULED_NAME.test(name) && fs.existsSync(path.join(backupRoot, name, MANIFEST_FILE)))
    .sort()
    .reverse();
  const removed = finished.slice(Math.max(1, keep));
  for (const name of removed) fs.rmSync(path.join(backupRoot, name), { recursive: true, force: true });
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Listing backups (the admin Backups page): from their manifests, without reading the data files.

export interface BackupListing {
  name: string;
  dir: string;
  /** signed: manifest HMAC checked with the deployment key; unsigned: no key here to check it;
   *  other_key: made with a key this deployment does not hold; tampered: HMAC does not match;
   *  unreadable: not a Pulse manifest; unfinished: no manifest (a backup that did not finish). */
  state: 'signed' | 'unsigned' | 'other_key' | 'tampered' | 'unreadable' | 'unfinished';
  createdAt: string | null;
  tables: number;
  rows: number;
  bytes: number;
  warehouse: string | null;
  schemas: string[];
  keyId: string | null;
}

/** The backup folders directly under `root`, newest first. `keyring` null: signatures are not checked. */
export function listBackups(root: string, keyring: Keyring | null): BackupListing[] {
  if (!fs.existsSync(root)) return [];
  const out: BackupListing[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    const base: BackupListing = { name: entry.name, dir, state: 'unfinished', createdAt: null, tables: 0, rows: 0, bytes: 0, warehouse: null, schemas: [], keyId: null };
    const file = path.join(dir, MANIFEST_FILE);
    if (!fs.existsSync(file)) {
      // Only folders that look like backups: an unrelated folder beside them is not listed.
      if (SCHEDULED_NAME.test(entry.name) || fs.existsSync(path.join(dir, 'tables'))) out.push(base);
      continue;
    }
    let manifest: Manifest;
    try {
      manifest = parseManifest(fs.readFileSync(file, 'utf8'), file);
    } catch {
      out.push({ ...base, state: 'unreadable' });
      continue;
    }
    let state: BackupListing['state'] = 'unsigned';
    const key = keyring?.byId.get(manifest.encryption.keyId);
    if (keyring && !key) state = 'other_key';
    else if (key) {
      try {
        checkManifestMac(manifest, key);
        state = 'signed';
      } catch {
        state = 'tampered';
      }
    }
    out.push({
      ...base,
      state,
      createdAt: manifest.createdAt,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      bytes: manifest.files.reduce((n, f) => n + f.encryptedBytes, 0),
      warehouse: manifest.warehouse?.file ?? null,
      schemas: manifest.schemas,
      keyId: manifest.encryption.keyId,
    });
  }
  return out.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.name.localeCompare(a.name));
}
