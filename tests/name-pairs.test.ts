// The table behind two-character name search (ingest/demo-schema/006): after any way customers are
// written (the seeder's load and rebuild, INSERT, UPDATE of names or of other columns, DELETE, TRUNCATE) it holds
// exactly the character pairs of every customer's name, so a search for two characters of a name
// finds that customer and no longer finds a name it had before.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createMigratedDatabase('name_pairs', { demoSource: true });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await seedDemoData(database.url, { customers: 300, seed: 3, asOf: new Date('2026-10-01T00:00:00Z') });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** Every distinct pair of adjacent characters of each name, lower-cased, computed here in JavaScript. */
async function expectedPairs(): Promise<string[]> {
  const { rows } = await pool.query<{ id: string; name: string | null }>('SELECT id, name FROM pulse_app.customers');
  const pairs = new Set<string>();
  for (const { id, name } of rows) {
    const chars = [...(name ?? '').toLowerCase()];
    for (let i = 0; i + 1 < chars.length; i++) pairs.add(`${chars[i]}${chars[i + 1]}|${id}`);
  }
  return [...pairs].sort();
}

async function storedPairs(): Promise<string[]> {
  const { rows } = await pool.query<{ entry: string }>("SELECT pair || '|' || customer_id AS entry FROM pulse_app.customer_name_pairs");
  return rows.map((r) => r.entry).sort();
}

async function idsWithPair(pair: string): Promise<number[]> {
  const { rows } = await pool.query<{ customer_id: string }>('SELECT customer_id FROM pulse_app.customer_name_pairs WHERE pair = $1 ORDER BY customer_id', [pair]);
  return rows.map((r) => Number(r.customer_id));
}

describe('the name-pairs table', () => {
  it('holds the pairs of every seeded name (the seeder loads with the insert trigger off, then rebuilds the table)', async () => {
    const expected = await expectedPairs();
    expect(expected.length).toBeGreaterThan(300);
    expect(await storedPairs()).toEqual(expected);
  });

  it('follows inserts, renames, other updates and deletes', async () => {
    await pool.query(`INSERT INTO pulse_app.customers (id, name, country, region, city, preferred_language, currency, created_at)
                      VALUES (900001, '诸葛亮', 'CN', 'East', 'Chengdu', 'zh-CN', 'CNY', now()), (900002, 'Zhuge Liang', 'CN', 'East', 'Chengdu', 'en', 'CNY', now())`);
    expect(await idsWithPair('葛亮')).toEqual([900001]);

    await pool.query("UPDATE pulse_app.customers SET name = '司马懿' WHERE id = 900001");
    expect(await idsWithPair('葛亮')).toEqual([]);
    expect(await idsWithPair('马懿')).toEqual([900001]);

    // An update of other columns (many rows at once) leaves the pairs as they are.
    const before = await storedPairs();
    await pool.query("UPDATE pulse_app.customers SET region = 'West' WHERE id % 2 = 0");
    expect(await storedPairs()).toEqual(before);

    await pool.query("UPDATE pulse_app.customers SET name = 'Z' WHERE id = 900002");
    expect(await idsWithPair('zh')).not.toContain(900002);
    await pool.query('DELETE FROM pulse_app.customers WHERE id IN (900001, 900002)');
    expect(await idsWithPair('马懿')).toEqual([]);
    expect(await storedPairs()).toEqual(await expectedPairs());
  });

  it('is emptied with the customers by TRUNCATE', async () => {
    expect((await storedPairs()).length).toBeGreaterThan(300);
    await pool.query('TRUNCATE pulse_app.customers CASCADE');
    expect(await storedPairs()).toEqual([]);
  });
});
