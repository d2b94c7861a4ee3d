// `pulse backup --out DIR`, `pulse backup verify DIR` and `pulse restore DIR`: thin wrappers over
// lib/backup.ts with progress bars, and the one rule for which key decrypts a backup.
import fs from 'node:fs';
import path from 'node:path';
import { writeAudit } from '../lib/audit.ts';
import { BackupError, createBackup, restoreBackup, verifyBackup, type BackupProgress } from '../lib/backup.ts';
import type { PulseConfig } from '../lib/config.ts';
import { keyFilePath, loadKeyring, readKeyFile, type Keyring } from '../lib/secrets.ts';
import type { CommandContext } from './context.ts';
import { createTableProgress, type TableProgressView } from './progress.ts';
import { applyMigrations } from './shared.ts';

/** One bar set per unit: tables count rows, files count KiB. */
function createBackupProgress(label: string): { update: (p: BackupProgress) => void; stop: () => void } {
  let view: TableProgressView | undefined;
  let unit: BackupProgress['unit'] | undefined;
  return {
    update(p) {
      if (p.unit !== unit) {
        view?.stop();
        unit = p.unit;
        view = createTableProgress(label, p.unit === 'bytes' ? 'KiB' : p.unit);
      }
      const scale = p.unit === 'bytes' ? 1024 : 1;
      view!.update(p.step, Math.round(p.done / scale), Math.round(p.total / scale));
    },
    stop: () => view?.stop(),
  };
}

/**
 * The key a restore or verify decrypts with. Never a new one: a key generated now could not decrypt
 * anything, so a missing key is an error that says where the key is expected.
 */
export function loadExistingKeyring(config: PulseConfig, keyFile?: string): Keyring {
  if (keyFile) {
    if (!fs.existsSync(keyFile)) throw new BackupError('no_key', `--key-file ${keyFile} does not exist.`);
    return readKeyFile(path.resolve(keyFile));
  }
  if (config.secretKey || fs.existsSync(keyFilePath(config.dataDir))) return loadKeyring(config);
  throw new BackupError(
    'no_key',
    `No deployment key: set PULSE_SECRET_KEY, or pass --key-file with a copy of the key file (keys.json) of the deployment that made the backup. The key is never inside a backup.`,
  );
}

export async function backupCommand(ctx: CommandContext, options: { out: string; includeOperational?: boolean; json?: boolean }): Promise<void> {
  const keyring = loadKeyring(ctx.config);
  const progress = createBackupProgress('backup');
  let summary;
  try {
    summary = await createBackup({
      databaseUrl: ctx.dbs.url,
      dataDir: ctx.config.dataDir,
      outDir: options.out,
      keyring,
      includeOperational: options.includeOperational ?? false,
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  await writeAudit(ctx.dbs.pool, {
    userId: null,
    userEmail: 'cli',
    role: '',
    action: 'backup',
    target: `backup:${summary.backupId}`,
    rowCount: summary.tables.reduce((n, t) => n + t.rows, 0),
    details: { dir: summary.dir, bytes: summary.bytes, warehouse: summary.warehouse },
  });
  if (options.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
  console.log(
    `Backed up ${summary.tables.length} tables (${rows.toLocaleString('en')} rows)${summary.warehouse ? ` and snapshot ${summary.warehouse}` : ''} to ${summary.dir}: ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB encrypted in ${summary.seconds.toFixed(1)} s.`,
  );
  console.log(
    keyring.source === 'PULSE_SECRET_KEY'
      ? `Restoring it needs PULSE_SECRET_KEY (key ${keyring.current.id}); it is not in the backup.`
      : `Restoring it needs the key file ${keyring.source} (key ${keyring.current.id}); it is not in the backup: keep a copy of it apart from the backups.`,
  );
}

export async function verifyCommand(config: PulseConfig, dir: string, options: { keyFile?: string; json?: boolean }): Promise<void> {
  const keyring = loadExistingKeyring(config, options.keyFile);
  const progress = createBackupProgress('verify');
  let result;
  try {
    result = await verifyBackup(path.resolve(dir), keyring, progress.update);
  } finally {
    progress.stop();
  }
  const m = result.manifest;
  if (options.json) {
    console.log(JSON.stringify({ ok: true, backupId: m.backupId, createdAt: m.createdAt, files: result.files, bytes: result.bytes, tables: m.tables.map((t) => ({ table: `${t.schema}.${t.name}`, rows: t.rows })), warehouse: m.warehouse?.file ?? null }, null, 2));
    return;
  }
  console.log(
    `OK: backup ${m.backupId} of ${m.createdAt} (Pulse ${m.pulseVersion}): ${result.files} files, ${m.tables.length} tables, ${m.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en')} rows${m.warehouse ? `, snapshot ${m.warehouse.file}` : ''}; every checksum matches and every byte decrypts (${result.seconds.toFixed(1)} s).`,
  );
}

export async function restoreCommand(ctx: CommandContext, dir: string, options: { keyFile?: string; json?: boolean }): Promise<void> {
  const keyring = loadExistingKeyring(ctx.config, options.keyFile);
  const progress = createBackupProgress('restore');
  let summary;
  try {
    summary = await restoreBackup({ backupDir: dir, databaseUrl: ctx.dbs.url, dataDir: ctx.config.dataDir, keyring, actor: 'cli', onProgress: progress.update });
  } finally {
    progress.stop();
  }
  // Secrets in pulse.secrets are encrypted under the same key: a restored deployment that has no key
  // of its own keeps using the key file it was restored with.
  if (options.keyFile && !ctx.config.secretKey && !fs.existsSync(keyFilePath(ctx.config.dataDir))) {
    fs.copyFileSync(options.keyFile, keyFilePath(ctx.config.dataDir));
    fs.chmodSync(keyFilePath(ctx.config.dataDir), 0o600);
  }
  // Then the migrations this version has beyond the backup's, as for any upgrade.
  const applied = await applyMigrations(ctx);
  if (options.json) {
    console.log(JSON.stringify({ ...summary, migrationsApplied: applied }, null, 2));
    return;
  }
  console.log(
    `Restored backup ${summary.backupId}: ${summary.tables.length} tables, ${summary.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en')} rows${summary.warehouse ? `, snapshot ${summary.warehouse} published` : ''} in ${summary.seconds.toFixed(1)} s${applied.length ? `; then applied ${applied.join(', ')}` : ''}. Everyone signs in again (sessions are not in backups).`,
  );
}
