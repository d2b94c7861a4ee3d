// The audit entries written outside the dashboard: report subscription changes (the functions the
// CLI and dashboard call) and manual job actions from the CLI, on a real PostgreSQL.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../lib/audit-chain.ts';
import type { AuditActor } from '../lib/audit.ts';
import { projectRoot } from '../lib/paths.ts';
import { createSubscription, deleteSubscription, listSubscriptions, setSubscriptionPaused, updateSubscription } from '../reports/index.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createMigratedDatabase('audit_writers');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const admin: AuditActor = { userId: 1, userEmail: 'admin@pulse.example', role: 'admin', address: '192.0.2.10' };
const weekly = { name: 'Weekly for the board', report: 'executive', formats: ['pdf'], recipients: ['ceo@example.com'], cron: '0 8 * * 1', timeZone: 'Asia/Shanghai', language: 'zh-CN', role: 'executive' };

async function entriesFor(target: string) {
  const { rows } = await pool.query<{ user_email: string; role: string; address: string; outcome: string; details: Record<string, unknown> }>(
    'SELECT user_email, role, address, outcome, details FROM pulse.audit_log WHERE target = $1 ORDER BY id',
    [target],
  );
  return rows;
}

describe('report subscription changes', () => {
  it('records who created, changed, paused and deleted a subscription, and what changed', async () => {
    const created = await createSubscription(pool, weekly, admin);
    const target = `subscription:${created.id}`;
    await updateSubscription(pool, created.id, { ...weekly, recipients: ['ceo@example.com', 'cfo@example.com'] }, admin);
    await setSubscriptionPaused(pool, created.id, true, admin);
    await deleteSubscription(pool, created.id, { ...admin, userEmail: 'other.admin@pulse.example' });
    const entries = await entriesFor(target);
    expect(entries.map((e) => e.details.change)).toEqual(['create', 'update', 'pause', 'delete']);
    expect(entries[0]).toMatchObject({ user_email: 'admin@pulse.example', role: 'admin', address: '192.0.2.10', outcome: 'success', details: { report: 'executive', recipients: ['ceo@example.com'] } });
    expect(entries[1]!.details.changed).toEqual({ recipients: { from: ['ceo@example.com'], to: ['ceo@example.com', 'cfo@example.com'] } });
    expect(entries[3]!.user_email).toBe('other.admin@pulse.example');
    expect((await verifyAuditChain(pool)).ok).toBe(true);
  });

  it('saves and records nothing for a refused change, and names an unknown subscription', async () => {
    const before = (await pool.query('SELECT count(*)::int AS n FROM pulse.audit_log')).rows[0].n as number;
    await expect(createSubscription(pool, { ...weekly, recipients: ['not-an-address'] }, admin)).rejects.toThrow(/recipients\.0/);
    await expect(deleteSubscription(pool, 987654, admin)).rejects.toThrow(/No subscription 987654/);
    await expect(updateSubscription(pool, 987654, weekly, admin)).rejects.toThrow(/No subscription 987654/);
    expect((await pool.query('SELECT count(*)::int AS n FROM pulse.audit_log')).rows[0].n).toBe(before);
    expect((await listSubscriptions(pool)).filter((s) => s.recipients.includes('not-an-address'))).toEqual([]);
  });

  it('keeps the change out when its audit entry cannot be written', async () => {
    // Without a chain head every audit insert fails: the subscription must not be saved without its entry.
    const head = (await pool.query('DELETE FROM pulse.audit_chain_head RETURNING *')).rows[0] as Record<string, unknown>;
    try {
      const before = await listSubscriptions(pool);
      await expect(createSubscription(pool, { ...weekly, name: 'Never saved' }, admin)).rejects.toThrow(/no head/);
      expect(await listSubscriptions(pool)).toEqual(before);
    } finally {
      await pool.query('INSERT INTO pulse.audit_chain_head (singleton, last_id, last_hash) VALUES ($1, $2, $3)', [head.singleton, head.last_id, head.last_hash]);
    }
    expect((await verifyAuditChain(pool)).ok).toBe(true);
  });
});

describe('manual job actions from the CLI', () => {
  it('records a `pulse models run` that failed, with its error code, as the operating-system account', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-audit-jobs-'));
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(projectRoot, 'bin', 'pulse.js'), 'models', 'run'],
        { cwd: projectRoot, env: { ...process.env, DATABASE_URL: database.url, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
      );
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
    // No warehouse yet: the run fails, and says so with exit code 1.
    expect(result.code, result.output).toBe(1);
    const entries = await entriesFor('models');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'failure', details: { command: 'models run' } });
    expect(entries[0]!.user_email).toBe(`cli:${os.userInfo().username}`);
    expect(typeof entries[0]!.details.error).toBe('string');
  });
});
