import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMapping, syncTables, type TableSyncResult } from '../ingest/index.ts';
import { defaultMappingFile } from '../lib/config.ts';
import { openWorkDb, type DuckDb } from '../warehouse/index.ts';
import { createSmallSource } from './fixtures/small-source.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let source: pg.Client;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase('sync');
  await createSmallSource(database.url, 2000, 10);
  source = new pg.Client({ connectionString: database.url });
  await source.connect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-sync-'));
});

afterAll(async () => {
  await source?.end();
  await database?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function runSync(db: DuckDb, mode: 'full' | 'incremental', overlapSeconds = 60): Promise<TableSyncResult[]> {
  return syncTables({ sourceUrl: database.url, mapping: loadMapping(defaultMappingFile), workDb: db, tmpDir: path.join(dir, 'tmp'), mode, overlapSeconds });
}

/** What the warehouse must equal: per table, count and an order-independent content digest. */
async function sourceDigest(table: string, columns: string): Promise<{ n: number; digest: string }> {
  const { rows } = await source.query(`SELECT count(*)::int AS n, coalesce(sum(('x' || substr(md5(row(${columns})::text), 1, 15))::bit(60)::bigint), 0)::text AS digest FROM pulse_app.${table}`);
  return rows[0];
}

describe('syncTables', () => {
  it('copies every table exactly on a full sync, personal fields left behind', async () => {
    const db = await openWorkDb(path.join(dir, 'full.duckdb'));
    try {
      const results = await runSync(db, 'full');
      expect(results.every((r) => r.checksumMatch)).toBe(true);
      const orders = results.find((r) => r.table === 'orders')!;
      expect(orders.sourceCount).toBe(20_000);
      expect(orders.warehouseCount).toBe(20_000);
      expect(orders.mode).toBe('full');

      // Values survive exactly: money to the cent, text with quotes, commas and newlines, arrays, timestamps.
      const src = (await source.query("SELECT sum(total_amount)::text AS s FROM pulse_app.orders")).rows[0].s;
      const wh = await db.one<{ s: string }>('SELECT sum(total_amount)::VARCHAR AS s FROM staging.orders');
      expect(wh.s).toBe(src);
      const subject = await db.one<{ subject: string }>('SELECT subject FROM staging.interactions WHERE id = 1');
      expect(subject.subject).toBe('Line one\nline "two", with comma');
      const customer = await db.one<{ company: string; tags: string; created_at: string }>(
        "SELECT company, tags, strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') AS created_at FROM staging.customers WHERE id = 3",
      );
      expect(customer).toEqual({ company: 'Company "3"', tags: '["vip","tag,with comma","企业客户"]', created_at: '2024-01-01 03:00:00' });
      const fx = await db.one<{ r: string }>('SELECT units_per_usd::VARCHAR AS r FROM staging.fx_rates WHERE id = 1');
      expect(fx.r).toBe('7.12345678');

      const columns = (await db.all<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_schema = 'staging' AND table_name = 'customers'")).map((c) => c.column_name);
      expect(columns).not.toContain('name');
      expect(columns).not.toContain('email');
      expect(columns).not.toContain('phone');
    } finally {
      db.close();
    }
  });

  it('carries inserts, updates, soft deletes and hard deletes over incrementally, and a second run changes nothing', async () => {
    const db = await openWorkDb(path.join(dir, 'incremental.duckdb'));
    try {
      await runSync(db, 'full');
      await source.query(`
        INSERT INTO pulse_app.orders (id, customer_id, ordered_at, status, channel, currency, total_amount)
          SELECT g, 1, now(), 'paid', 'app', 'CNY', 99.99 FROM generate_series(900001, 900050) g;
        UPDATE pulse_app.orders SET total_amount = total_amount + 1, status = 'refunded' WHERE id BETWEEN 100 AND 130;
        UPDATE pulse_app.customers SET deleted_at = now() WHERE id IN (7, 8, 9);
        DELETE FROM pulse_app.order_items WHERE id BETWEEN 5000 AND 5009;
        DELETE FROM pulse_app.interactions WHERE id = 42;`);
      const results = await runSync(db, 'incremental');
      const byTable = new Map(results.map((r) => [r.table, r]));
      expect(byTable.get('orders')!.mode).toBe('incremental');
      // Only the changed rows travel (plus the overlap window), not the whole table.
      expect(byTable.get('orders')!.rowsCopied).toBeLessThan(200);
      expect(byTable.get('order_items')!.rowsDeleted).toBe(10);
      expect(byTable.get('interactions')!.rowsDeleted).toBe(1);
      expect(results.every((r) => r.checksumMatch)).toBe(true);

      const expected = await sourceDigest('orders', 'id, customer_id, status, currency, total_amount::text');
      const actual = await db.one<{ n: number; digest: string }>(
        `SELECT count(*)::INT AS n, coalesce(sum(('0x' || substr(md5(concat('(', id, ',', customer_id, ',', status, ',', currency, ',', total_amount::VARCHAR, ')')), 1, 15))::BIGINT), 0)::VARCHAR AS digest FROM staging.orders`,
      );
      expect(actual).toEqual(expected);
      const deleted = await db.all<{ id: number }>('SELECT id FROM staging.customers WHERE deleted_at IS NOT NULL ORDER BY id');
      expect(deleted.map((r) => r.id)).toEqual([7, 8, 9]);

      const before = await db.all('SELECT * FROM staging.orders ORDER BY id');
      const again = await runSync(db, 'incremental');
      expect(again.every((r) => r.checksumMatch && r.rowsDeleted === 0)).toBe(true);
      expect(await db.all('SELECT * FROM staging.orders ORDER BY id')).toEqual(before);

      // The watermark is when the last sync's snapshot was taken, not the newest change it saw: with
      // no overlap and nothing changed since, a sync copies nothing at all.
      const quiet = await runSync(db, 'incremental', 0);
      expect(quiet.map((r) => [r.table, r.rowsCopied]).filter(([, n]) => n !== 0)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('names the missing column when the source no longer has a mapped one, and keeps the staged data', async () => {
    const db = await openWorkDb(path.join(dir, 'schema-change.duckdb'));
    try {
      await runSync(db, 'full');
      const before = await db.one<{ n: number }>('SELECT count(*) AS n FROM staging.tickets');
      await source.query('ALTER TABLE pulse_app.tickets RENAME COLUMN priority TO urgency');
      await expect(runSync(db, 'incremental')).rejects.toThrow(/pulse_app\.tickets.*lacks mapped column\(s\): priority \(mapped as columns\.priority\)/);
      expect(await db.one<{ n: number }>('SELECT count(*) AS n FROM staging.tickets')).toEqual(before);
    } finally {
      await source.query('ALTER TABLE pulse_app.tickets RENAME COLUMN urgency TO priority');
      db.close();
    }
  });
});
