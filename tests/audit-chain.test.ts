// The audit log as a hash chain (lib/migrations/008_audit_chain.sql, lib/audit-chain.ts) on a real
// PostgreSQL: the database refuses changes, `pulse audit verify` finds what a superuser changed or
// removed behind the triggers' backs, and concurrent writers still build one chain.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeAudit, type AuditEntry } from '../lib/audit.ts';
import { GENESIS_HASH, verifyAuditChain } from '../lib/audit-chain.ts';
import { migrate, pulseMigrations } from '../lib/migrate.ts';
import { projectRoot } from '../lib/paths.ts';
import { createMigratedDatabase, createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let pool: pg.Pool;

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: 7,
  userEmail: 'ann@example.com',
  role: 'admin',
  action: 'export',
  target: `segment:${n}`,
  rowCount: n,
  details: { format: 'csv', note: `| tricky ${n} | 中文` },
  address: '10.0.0.5',
  ...extra,
});

beforeAll(async () => {
  database = await createMigratedDatabase('audit_chain');
  pool = new pg.Pool({ connectionString: database.url, max: 12 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** What a superuser can do: switch the append-only trigger off for one change. */
async function asSuperuser(sql: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE pulse.audit_log DISABLE TRIGGER audit_log_append_only');
    await client.query(sql);
    await client.query('ALTER TABLE pulse.audit_log ENABLE TRIGGER audit_log_append_only');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** A fresh log for each test: the chain cannot be emptied through the triggers, so rebuild it. */
async function resetLog(): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE pulse.audit_log DISABLE TRIGGER audit_log_no_truncate');
    await client.query('TRUNCATE pulse.audit_log');
    await client.query('ALTER TABLE pulse.audit_log ENABLE TRIGGER audit_log_no_truncate');
    await client.query(`UPDATE pulse.audit_chain_head SET last_id = 0, last_hash = $1`, [GENESIS_HASH]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function writeEntries(count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) await writeAudit(pool, entry(n));
}

async function ids(): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM pulse.audit_log ORDER BY id');
  return rows.map((r) => Number(r.id));
}

describe('audit log chain', () => {
  beforeEach(resetLog);

  it('links every entry to the one before and verifies clean', async () => {
    await writeEntries(5);
    const { rows } = await pool.query<{ id: number; prev_hash: string; hash: string }>('SELECT id, prev_hash, hash FROM pulse.audit_log ORDER BY id');
    expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const result = await verifyAuditChain(pool);
    expect(result).toMatchObject({ ok: true, entries: 5, firstBreak: null, head: { id: 5, hash: rows[4]!.hash } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE from anyone who has not disabled the triggers', async () => {
    await writeEntries(2);
    await expect(pool.query("UPDATE pulse.audit_log SET target = 'x' WHERE id = 1")).rejects.toThrow(/append-only: UPDATE/);
    await expect(pool.query('DELETE FROM pulse.audit_log WHERE id = 1')).rejects.toThrow(/append-only: DELETE/);
    await expect(pool.query('TRUNCATE pulse.audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await ids()).toEqual([1, 2]);
    expect((await verifyAuditChain(pool)).ok).toBe(true);
  });

  it('names the entry a superuser altered', async () => {
    await writeEntries(6);
    await asSuperuser("UPDATE pulse.audit_log SET row_count = 1 WHERE id = 4");
    const result = await verifyAuditChain(pool);
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ kind: 'altered', id: 4 });
    expect(result.firstBreak!.message).toMatch(/#4 was altered/);
  });

  it('names an altered entry whose hash was rewritten too, by the broken link after it', async () => {
    await writeEntries(6);
    // Recompute entry 3's hash over its new content, as a careful forger would; entry 4 still
    // points at the old hash.
    await asSuperuser(`UPDATE pulse.audit_log SET details = '{"format":"xlsx"}' WHERE id = 3;
                       UPDATE pulse.audit_log SET hash = pulse.audit_entry_hash(prev_hash, audit_log) WHERE id = 3`);
    const result = await verifyAuditChain(pool);
    expect(result.firstBreak).toMatchObject({ kind: 'relinked', id: 3 });
  });

  it('names the entry a superuser deleted, in the middle, at the start and at the end', async () => {
    await writeEntries(8);
    await asSuperuser('DELETE FROM pulse.audit_log WHERE id = 5');
    let result = await verifyAuditChain(pool);
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ kind: 'deleted', id: 6, missingIds: { from: 5, to: 5 } });
    expect(result.firstBreak!.message).toMatch(/Entry #5 was deleted/);

    await resetLog();
    await writeEntries(4);
    await asSuperuser('DELETE FROM pulse.audit_log WHERE id IN (3, 4)');
    result = await verifyAuditChain(pool);
    expect(result.firstBreak).toMatchObject({ kind: 'deleted_at_end', missingIds: { from: 3, to: 4 } });
    expect(result.firstBreak!.message).toMatch(/#3–#4 at the end/);

    // Deleted at the end, then the log goes on: the new entry still links past the hole.
    await writeAudit(pool, entry(5));
    result = await verifyAuditChain(pool);
    expect(result.firstBreak).toMatchObject({ kind: 'deleted', id: 5, missingIds: { from: 3, to: 4 } });

    await resetLog();
    await writeEntries(3);
    await asSuperuser('DELETE FROM pulse.audit_log WHERE id = 1');
    result = await verifyAuditChain(pool);
    expect(result.firstBreak).toMatchObject({ kind: 'deleted', id: 2 });
    expect(result.firstBreak!.message).toMatch(/before #2 were deleted/);
  });

  it('builds one gap-free chain from many concurrent writers', async () => {
    const writers = 10;
    const each = 25;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let n = 0; n < each; n += 1) await writeAudit(pool, entry(w * 100 + n, { userEmail: `writer${w}@example.com` }));
      }),
    );
    // Some in transactions of their own that roll back: they must leave no gap.
    const client = await pool.connect();
    await client.query('BEGIN');
    await writeAudit(client, entry(999));
    await client.query('ROLLBACK');
    client.release();
    await writeAudit(pool, entry(1000));
    // Many entries in one statement (and so one transaction) chain row after row.
    await pool.query(`INSERT INTO pulse.audit_log (user_email, role, action, target, row_count)
                      SELECT 'bulk@example.com', 'admin', 'pii_view', 'customer:' || g, 1 FROM generate_series(1, 5000) g`);
    const total = writers * each + 1 + 5000;
    const result = await verifyAuditChain(pool);
    expect(result).toMatchObject({ ok: true, entries: total, head: { id: total } });
    expect(await ids()).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});

describe('migration 008', () => {
  it('chains the entries written before it', async () => {
    const older = await createTestDatabase('audit_chain_migration');
    // Migrations up to 007 only, then entries the old way (ids with a gap, as a rollback leaves).
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-migrations-'));
    for (const file of fs.readdirSync(pulseMigrations.folder).filter((f) => /^\d{3}_/.test(f) && Number(f.slice(0, 3)) < 8)) {
      fs.copyFileSync(path.join(pulseMigrations.folder, file), path.join(folder, file));
    }
    const client = new pg.Client({ connectionString: older.url });
    await client.connect();
    try {
      await migrate(client, { scope: 'pulse', folder });
      await client.query(`INSERT INTO pulse.audit_log (id, user_email, role, action, target, details) VALUES
        (1, 'a@example.com', 'admin', 'export', 'segment:1', '{"b": 2, "a": [1, "x"]}'),
        (2, 'b@example.com', 'manager', 'pii_view', 'customer:9', '{}'),
        (4, 'c@example.com', 'marketer', 'export', 'segment:2', '{"format": "xlsx"}')`);
      await migrate(client, pulseMigrations);
      const { rows } = await client.query<{ id: number; prev_hash: string; hash: string }>('SELECT id, prev_hash, hash FROM pulse.audit_log ORDER BY id');
      expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 4]);
      expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
      expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
      await writeAudit(client, entry(1));
      const olderPool = new pg.Pool({ connectionString: older.url, max: 2 });
      try {
        const result = await verifyAuditChain(olderPool);
        // The old gap at #3 is not a deletion (the links hold); the next id follows the head.
        expect(result).toMatchObject({ ok: true, entries: 4, head: { id: 5 } });
      } finally {
        await olderPool.end();
      }
    } finally {
      await client.end();
      await older.drop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('pulse audit verify', () => {
  function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-audit-cli-'));
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(projectRoot, 'bin', 'pulse.js'), ...args],
        { cwd: projectRoot, env: { ...process.env, DATABASE_URL: database.url, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' } },
        (error, stdout, stderr) => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
        },
      );
    });
  }

  it('exits 0 on an intact log and 1 naming the altered entry', async () => {
    await resetLog();
    await writeEntries(3);
    const clean = await runCli(['audit', 'verify']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/Audit log intact: 3 entries, head #3 [0-9a-f]{64}/);

    await asSuperuser("UPDATE pulse.audit_log SET user_email = 'someone-else@example.com' WHERE id = 2");
    const broken = await runCli(['audit', 'verify', '--json']);
    expect(broken.code, broken.stdout + broken.stderr).toBe(1);
    const result = JSON.parse(broken.stdout) as { ok: boolean; firstBreak: { kind: string; id: number } };
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ kind: 'altered', id: 2 });
  });
});
