// DuckDB DDL lives in numbered files under warehouse/migrations; the applied version is recorded
// in the database itself (CONVENTIONS 2).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDb } from './duckdb.ts';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrateWorkDb(db: DuckDb): Promise<void> {
  await db.run('CREATE SCHEMA IF NOT EXISTS meta; CREATE TABLE IF NOT EXISTS meta.schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMPTZ DEFAULT now())');
  const applied = new Set((await db.all<{ version: number }>('SELECT version FROM meta.schema_version')).map((r) => r.version));
  for (const file of fs.readdirSync(folder).filter((name) => /^\d{3}_.+\.sql$/.test(name)).sort()) {
    const version = Number(file.slice(0, 3));
    if (applied.has(version)) continue;
    await db.transaction(async () => {
      await db.run(fs.readFileSync(path.join(folder, file), 'utf8'));
      await db.run('INSERT INTO meta.schema_version (version, name) VALUES (?, ?)', [version, file]);
    });
  }
}
