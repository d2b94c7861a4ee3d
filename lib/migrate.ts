// Versioned, re-runnable migrations: numbered .sql files applied in order, each in its own
// transaction, recorded in pulse.schema_migrations. An advisory lock makes concurrent starts
// (worker and dashboard at once) apply each file exactly once.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { projectRoot } from './paths.ts';

export interface MigrationSet {
  scope: string;
  folder: string;
}

/** Pulse's own schema, always applied to Pulse's database. */
export const pulseMigrations: MigrationSet = { scope: 'pulse', folder: path.join(projectRoot, 'lib', 'migrations') };
/** The demo operational schema, applied where the demo source lives. */
export const demoSourceMigrations: MigrationSet = { scope: 'pulse_app', folder: path.join(projectRoot, 'ingest', 'demo-schema') };

/** Every migration set by scope: a restore applies the versions a backup recorded (lib/backup.ts). */
export const migrationSets: Record<string, MigrationSet> = { pulse: pulseMigrations, pulse_app: demoSourceMigrations };

const LOCK_KEY = 0x70756c7365; // "pulse"

/** The bookkeeping table itself (and Pulse's schema), created before the first migration. */
export const CREATE_MIGRATIONS_TABLE = `CREATE SCHEMA IF NOT EXISTS pulse;
      CREATE TABLE IF NOT EXISTS pulse.schema_migrations (
        scope text NOT NULL, version integer NOT NULL, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, version))`;

/** The numbered .sql files of a set, in order. */
export function listMigrationFiles(set: MigrationSet): { version: number; name: string; file: string }[] {
  return fs
    .readdirSync(set.folder)
    .filter((name) => /^\d{3}_.+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 3)), name, file: path.join(set.folder, name) }));
}

export async function migrate(client: pg.ClientBase, set: MigrationSet): Promise<string[]> {
  const files = listMigrationFiles(set).map((m) => m.name);
  const applied: string[] = [];
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM pulse.schema_migrations WHERE scope = $1', [set.scope]);
    const done = new Set(rows.map((row) => row.version));
    for (const file of files) {
      const version = Number(file.slice(0, 3));
      if (done.has(version)) continue;
      const sql = fs.readFileSync(path.join(set.folder, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO pulse.schema_migrations (scope, version, name) VALUES ($1, $2, $3)', [set.scope, version, file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${set.scope}/${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(`${set.scope}/${file}`);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
  return applied;
}
