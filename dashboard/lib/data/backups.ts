// The admin Backups page: the backup settings and the backups in PULSE_BACKUP_DIR, read from their
// manifests (signature checked with the deployment key when this server has it; the data files are
// not read: `pulse backup verify` does that). Server-only.
import 'server-only';
import fs from 'node:fs';
import { listBackups, type BackupListing } from '../../../lib/backup.ts';
import { keyFilePath, loadKeyring, type Keyring } from '../../../lib/secrets.ts';
import { getServerContext } from '../server/context.ts';

export type { BackupListing };

export interface BackupsOverview {
  schedule: { cron: string; timeZone: string } | null;
  dir: string;
  keep: number;
  key: { source: 'env' | 'file'; id: string; file: string | null } | null;
  backups: BackupListing[];
}

export async function getBackupsOverview(): Promise<BackupsOverview> {
  const { config } = await getServerContext();
  // Never create a key here: a page view must not invent the key backups depend on.
  let keyring: Keyring | null = null;
  if (config.secretKey || fs.existsSync(keyFilePath(config.dataDir))) keyring = loadKeyring(config);
  return {
    schedule: config.backupCron ? { cron: config.backupCron, timeZone: config.timeZone } : null,
    dir: config.backupDir,
    keep: config.backupKeep,
    key: keyring ? { source: config.secretKey ? 'env' : 'file', id: keyring.current.id, file: config.secretKey ? null : keyFilePath(config.dataDir) } : null,
    backups: listBackups(config.backupDir, keyring),
  };
}
