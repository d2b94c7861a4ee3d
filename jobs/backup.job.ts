// Scheduled backups (PULSE_BACKUP_CRON; unset = none): each occurrence writes a new backup folder
// under PULSE_BACKUP_DIR, then deletes the oldest beyond PULSE_BACKUP_KEEP. The demo schema is included
// when it lives in Pulse's own database (no SOURCE_DATABASE_URL): it is then part of what this
// deployment would lose. Every backup, and every failed one, is written to the audit log.
import path from 'node:path';
import { z } from 'zod';
import { writeAudit } from '../lib/audit.ts';
import { createBackup, pruneBackups, scheduledBackupName, type BackupSummary } from '../lib/backup.ts';
import type { PulseConfig } from '../lib/config.ts';
import { errorMessage } from '../lib/errors.ts';
import { loadKeyring } from '../lib/secrets.ts';
import type { PipelineContext } from './pipeline.ts';

export const BACKUP_QUEUE = 'pulse.backup';

export const backupPayload = z.object({ trigger: z.string().max(100).default('schedule') });
export type BackupPayload = z.infer<typeof backupPayload>;

/** The cron schedule, or null when scheduled backups are off. */
export function backupSchedule(config: PulseConfig): { cron: string; data: BackupPayload } | null {
  return config.backupCron ? { cron: config.backupCron, data: { trigger: 'schedule' } } : null;
}

/** A backup may take long on a big database; one at a time, retried a couple of times. */
export function backupQueueOptions(heartbeatSeconds: number): { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number; heartbeatSeconds: number; policy: 'singleton' } {
  return { retryLimit: 2, retryDelay: 300, retryBackoff: true, expireInSeconds: 6 * 3600, heartbeatSeconds, policy: 'singleton' };
}

export async function handleBackup(ctx: PipelineContext, databaseUrl: string, payload: BackupPayload, now = new Date()): Promise<{ dir: string; rows: number; bytes: number; pruned: string[] }> {
  const outDir = path.join(ctx.config.backupDir, scheduledBackupName(now));
  let summary: BackupSummary;
  try {
    summary = await createBackup({
      databaseUrl,
      dataDir: ctx.config.dataDir,
      outDir,
      keyring: loadKeyring(ctx.config),
      includeOperational: !ctx.config.sourceDatabaseUrl,
    });
  } catch (error) {
    await writeAudit(ctx.pool, { userId: null, userEmail: 'worker', role: '', action: 'backup', target: `backup:${path.basename(outDir)}`, outcome: 'failure', details: { trigger: payload.trigger, error: errorMessage(error) } });
    throw error;
  }
  const pruned = pruneBackups(ctx.config.backupDir, ctx.config.backupKeep);
  const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
  await writeAudit(ctx.pool, {
    userId: null,
    userEmail: 'worker',
    role: '',
    action: 'backup',
    target: `backup:${summary.backupId}`,
    rowCount: rows,
    details: { trigger: payload.trigger, dir: summary.dir, bytes: summary.bytes, warehouse: summary.warehouse, pruned },
  });
  ctx.log.info({ dir: summary.dir, rows, bytes: summary.bytes, pruned: pruned.length }, 'backup written');
  return { dir: summary.dir, rows, bytes: summary.bytes, pruned };
}
