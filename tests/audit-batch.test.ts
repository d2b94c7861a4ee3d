// Group commit of audit entries (lib/audit-batch.ts) on a real PostgreSQL: concurrent writes share
// transactions yet each resolves only once its entry is committed, the chain stays whole, and a bad
// entry fails only its own write.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../lib/audit.ts';
import { AuditBatchWriter } from '../lib/audit-batch.ts';
import { verifyAuditChain } from '../lib/audit-chain.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let pool: pg.Pool;

const entry = (target: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: 2,
  userEmail: 'manager@example.com',
  role: 'manager',
  action: 'pii_view',
  target,
  rowCount: 25,
  details: { q: '思远', page: 1 },
  address: '10.0.0.9',
  ...extra,
});

beforeAll(async () => {
  database = await createMigratedDatabase('audit_batch');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function entriesFor(prefix: string): Promise<{ target: string; xmin: string }[]> {
  const { rows } = await pool.query<{ target: string; xmin: string }>('SELECT target, xmin::text AS xmin FROM pulse.audit_log WHERE target LIKE $1 ORDER BY id', [`${prefix}%`]);
  return rows;
}

describe('audit batch writer', () => {
  it('writes 120 concurrent entries, all of them, in fewer transactions, and the chain verifies', async () => {
    const writer = new AuditBatchWriter(pool);
    const targets = Array.from({ length: 120 }, (_, i) => `many:${i}`);
    await Promise.all(targets.map((t) => writer.write(entry(t))));
    const rows = await entriesFor('many:');
    expect(rows.map((r) => r.target).sort()).toEqual([...targets].sort());
    // Each transaction has its own xmin: fewer distinct ones than entries means entries shared commits.
    expect(new Set(rows.map((r) => r.xmin)).size).toBeLessThan(targets.length / 2);
    const chain = await verifyAuditChain(pool);
    expect(chain.ok).toBe(true);
    expect(chain.entries).toBeGreaterThanOrEqual(120);
  });

  it('resolves a write only when another connection can already read its entry', async () => {
    const writer = new AuditBatchWriter(pool);
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      const seen = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          writer.write(entry(`seen:${i}`)).then(async () => (await other.query('SELECT 1 FROM pulse.audit_log WHERE target = $1', [`seen:${i}`])).rowCount),
        ),
      );
      expect(seen).toEqual(Array.from({ length: 10 }, () => 1));
    } finally {
      await other.end();
    }
  });

  it('fails only the bad entry of a batch; the others are written', async () => {
    const writer = new AuditBatchWriter(pool);
    // PostgreSQL's jsonb refuses \u0000: this entry cannot be stored.
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => writer.write(entry(`mixed:${i}`, i === 15 ? { details: { bad: '\u0000' } } : {}))),
    );
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([15]);
    expect(String((results[15] as PromiseRejectedResult).reason)).toMatch(/\\u0000|unsupported Unicode/);
    expect((await entriesFor('mixed:')).map((r) => r.target).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `mixed:${i}`).filter((t) => t !== 'mixed:15').sort());
    expect((await verifyAuditChain(pool)).ok).toBe(true);
  });
});
