// Pieces several commands share.
import { cliActor, writeAudit } from '../lib/audit.ts';
import { PulseError } from '../lib/errors.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../lib/migrate.ts';
import { runPipelineNow } from '../jobs/index.ts';
import type { CommandContext } from './context.ts';
import { createTableProgress } from './progress.ts';

export async function applyMigrations(ctx: CommandContext): Promise<string[]> {
  const client = await ctx.dbs.pool.connect();
  try {
    const applied = await migrate(client, pulseMigrations);
    // The demo operational schema belongs where the demo source is: Pulse's own database, unless
    // the source is another database (described by its own mapping).
    if (!ctx.config.sourceDatabaseUrl) applied.push(...(await migrate(client, demoSourceMigrations)));
    return applied;
  } finally {
    client.release();
  }
}

export async function syncInForeground(ctx: CommandContext, mode: 'full' | 'incremental', trigger: string) {
  const progress = createTableProgress(mode === 'full' ? 'full sync' : 'sync');
  try {
    return await runPipelineNow(ctx.pipeline, {
      mode,
      trigger,
      onProgress: (p) => progress.update(p.table, p.rowsDone, p.rowsExpected),
    });
  } finally {
    progress.stop();
  }
}

/**
 * Runs a job a person started from the terminal (`pulse sync`, `pulse models run`) and records it in
 * the audit log, whether it succeeded or failed. A failure records the error's code, not its message.
 */
export async function auditJobAction<T extends { runId: number }>(ctx: CommandContext, target: string, details: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    await writeAudit(ctx.dbs.pool, { ...cliActor(), action: 'job_action', target, details: { ...details, runId: result.runId } });
    return result;
  } catch (error) {
    const code = error instanceof PulseError ? error.code : 'error';
    await writeAudit(ctx.dbs.pool, { ...cliActor(), action: 'job_action', target, outcome: 'failure', details: { ...details, error: code } }).catch(() => undefined);
    throw error;
  }
}

export function waitForStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

