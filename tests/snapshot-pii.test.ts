// Warehouse files hold no readable personal data (DESIGN.md, issue #6): the snapshot and the work
// database key on customer ids; names, e-mails, phones and addresses stay in PostgreSQL. Checked two
// ways after a full pipeline run on demo data: the raw bytes of every file in the warehouse folder
// contain none of the customers' e-mails, phones or names, and no text column of any table holds one
// (DuckDB compresses strings, so the second check does not depend on how they are stored).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { runPipelineNow } from '../jobs/index.ts';
import { demoSourceMigrations, migrate, pulseMigrations } from '../lib/migrate.ts';
import { DuckDb, withPublishedSnapshot } from '../warehouse/index.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let env: PulseTestEnv;
let personal: { name: string; email: string | null; phone: string | null; address: string | null; city: string | null }[];

beforeAll(async () => {
  database = await createTestDatabase('snapshot_pii');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await migrate(client, pulseMigrations);
  await migrate(client, demoSourceMigrations);
  await seedDemoData(database.url, { customers: 400, seed: 21, asOf: new Date('2026-10-01T00:00:00Z') });
  personal = (await client.query('SELECT name, email, phone, address, city FROM pulse_app.customers')).rows;
  await client.end();
  env = createPulseEnv(database.url);
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
}, 180_000);

afterAll(async () => {
  await env?.close();
  await database?.drop();
});

/** Every file under the warehouse folder (snapshots, the work database, WAL files). */
function warehouseFiles(): string[] {
  const root = path.join(env.dataDir, 'warehouse');
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** The values to look for: whole e-mails and names, and phones as typed and as digits. */
function needles(): string[] {
  const values = new Set<string>();
  for (const p of personal) {
    if (p.email) values.add(p.email);
    if (p.name && [...p.name].length >= 3) values.add(p.name);
    if (p.phone) {
      values.add(p.phone);
      values.add(p.phone.replace(/\D/g, ''));
    }
    if (p.address) values.add(p.address);
  }
  return [...values];
}

describe('warehouse files', () => {
  it('contain none of the customers’ e-mails, phones, names or addresses as bytes', () => {
    const files = warehouseFiles();
    expect(files.some((f) => f.endsWith('.duckdb'))).toBe(true);
    const wanted = needles();
    expect(wanted.length).toBeGreaterThan(800);
    const found: string[] = [];
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const value of wanted) if (bytes.includes(Buffer.from(value, 'utf8'))) found.push(`${path.basename(file)}: ${value}`);
    }
    expect(found).toEqual([]);
    // The search is not blind: text the warehouse does hold (the customers' cities) is found as bytes.
    const cities = [...new Set(personal.map((p) => p.city).filter((c): c is string => !!c && c.length >= 4))];
    const all = Buffer.concat(files.filter((f) => f.endsWith('.duckdb')).map((f) => fs.readFileSync(f)));
    expect(cities.filter((c) => all.includes(Buffer.from(c, 'utf8'))).length).toBeGreaterThan(0);
  });

  it('hold them in no text column of any table', async () => {
    const wanted = needles();
    const leaks: string[] = [];
    const check = async (db: DuckDb, where: string): Promise<void> => {
      const columns = await db.all<{ schema_name: string; table_name: string; column_name: string }>(
        `SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() AND data_type = 'VARCHAR' AND NOT internal`,
      );
      expect(columns.length).toBeGreaterThan(10);
      for (const c of columns) {
        const values = await db.all<{ v: string }>(`SELECT DISTINCT "${c.column_name}" AS v FROM "${c.schema_name}"."${c.table_name}" WHERE "${c.column_name}" IS NOT NULL`);
        const set = new Set(values.map((r) => r.v));
        for (const value of wanted) if (set.has(value)) leaks.push(`${where} ${c.schema_name}.${c.table_name}.${c.column_name}: ${value}`);
      }
    };
    await withPublishedSnapshot(env.dataDir, (db) => check(db, 'snapshot'));
    const work = await DuckDb.open(path.join(env.dataDir, 'warehouse', 'work.duckdb'), { readOnly: true });
    try {
      await check(work, 'work.duckdb');
    } finally {
      work.close();
    }
    expect(leaks).toEqual([]);
  });
});
