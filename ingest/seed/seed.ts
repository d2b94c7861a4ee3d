// The demo data generator: fills an empty pulse_app schema with a deterministic, believable
// customer base (see model.ts for the customer model) through COPY, in one transaction, so a
// failed or interrupted seed leaves the source empty rather than half-filled.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { z } from 'zod';
import { IngestError, errorMessage } from '../../lib/errors.ts';
import { createSeedContext } from './context.ts';
import type { Chunk } from './csv.ts';
import {
  DEMO_TABLES,
  addForeignKey,
  analyzeTables,
  copyInto,
  createIndex,
  dropForeignKey,
  dropIndex,
  lockTables,
  rebuildNamePairs,
  selectAnyCustomer,
  selectCustomersTableExists,
  selectForeignKeys,
  selectMissingTables,
  selectNonEmptyTables,
  selectSecondaryIndexes,
  setLocal,
  setNamePairsTrigger,
  truncateTables,
  type DemoTable,
  type ForeignKey,
  type SecondaryIndex,
} from './seed-queries.ts';
import { demoTables } from './tables.ts';

/** Progress `table` name of the final step: indexes, foreign keys, statistics. */
export const FINISHING_STEP = 'indexes';

export interface SeedProgress {
  table: string;
  rowsDone: number;
  rowsExpected: number;
}

export interface SeedOptions {
  customers: number;
  seed: number;
  /** End of the data (exclusive): three years of history lead up to it. */
  asOf: Date;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult {
  counts: Record<string, number>;
  seconds: number;
}

const optionsSchema = z.object({
  customers: z.number().int('customers must be a whole number').min(1, 'customers must be at least 1').max(50_000_000, 'customers must be at most 50,000,000'),
  seed: z.number().int('seed must be a whole number').refine(Number.isSafeInteger, 'seed must be a safe integer'),
  asOf: z.date().refine((date) => !Number.isNaN(date.getTime()), 'asOf must be a valid date'),
});

/**
 * Seeds the demo source. Refuses (IngestError `source_not_empty`) if any demo table already has
 * rows: demo data is never mixed into existing data. Migrations must have been applied.
 */
export async function seedDemoData(databaseUrl: string, options: SeedOptions): Promise<SeedResult> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IngestError('seed_options_invalid', `Invalid seed option ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  const started = performance.now();
  const { customers, seed, asOf } = parsed.data;
  const report = options.onProgress ?? (() => undefined);
  const client = new pg.Client({ connectionString: databaseUrl });
  // A dropped connection also rejects the running query; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw translateSeedError(error);
  }
  const counts: Record<string, number> = {};
  try {
    const missing = await client.query<{ name: string }>(selectMissingTables());
    if (missing.rows.length > 0) {
      throw new IngestError(
        'source_schema_missing',
        `The demo schema is not in this database (missing pulse_app.${missing.rows.map((row) => row.name).join(', pulse_app.')}); apply the demo source migrations first.`,
      );
    }
    const context = createSeedContext(customers, seed, asOf);
    let steps = 1;
    await client.query('BEGIN');
    try {
      // A seed of a million customers runs for minutes: no statement timeout, but do not wait
      // forever for a session that holds the tables.
      await client.query(setLocal('statement_timeout', '0'));
      await client.query(setLocal('lock_timeout', '60s'));
      await client.query(lockTables());
      const nonEmpty = await client.query<{ name: string }>(selectNonEmptyTables());
      if (nonEmpty.rows.length > 0) {
        const names = nonEmpty.rows.map((row) => `pulse_app.${row.name}`).join(', ');
        throw new IngestError('source_not_empty', `The demo source already has data (${names}); demo data is only loaded into an empty database.`);
      }
      await client.query(setLocal('work_mem', '256MB'));
      await client.query(setLocal('maintenance_work_mem', '512MB'));
      await client.query(truncateTables());
      // Bulk-load practice: without foreign-key triggers and secondary indexes, then build the
      // indexes by sorting and check each foreign key with one join. Measured on 1M orders, the
      // per-row triggers made COPY 2.5x slower and the updated_at index (random inserts) 2x.
      // Everything is inside this transaction: nobody sees the schema without them.
      const foreignKeys = (await client.query<ForeignKey>(selectForeignKeys())).rows;
      const indexes = (await client.query<SecondaryIndex>(selectSecondaryIndexes())).rows;
      for (const fk of foreignKeys) await client.query(dropForeignKey(fk));
      for (const index of indexes) await client.query(dropIndex(index));
      await client.query(setNamePairsTrigger(false));

      for (const source of demoTables(context)) {
        const table = source.table;
        const expected = source.expectedRows();
        report({ table, rowsDone: 0, rowsExpected: expected });
        const rows = await copyChunks(client, table, source.columns, source.chunks(), (done) =>
          report({ table, rowsDone: done, rowsExpected: Math.max(expected, done) }),
        );
        counts[table] = rows;
        report({ table, rowsDone: rows, rowsExpected: rows });
      }

      // The last step, indexes, foreign keys and statistics, gets a progress line of its own:
      // on a million customers it takes a while and the bar should not look stuck.
      steps = indexes.length + foreignKeys.length + 2;
      let done = 0;
      report({ table: FINISHING_STEP, rowsDone: 0, rowsExpected: steps });
      await client.query(rebuildNamePairs());
      await client.query(setNamePairsTrigger(true));
      report({ table: FINISHING_STEP, rowsDone: ++done, rowsExpected: steps });
      for (const index of indexes) {
        await client.query(createIndex(index));
        report({ table: FINISHING_STEP, rowsDone: ++done, rowsExpected: steps });
      }
      for (const fk of foreignKeys) {
        await client.query(addForeignKey(fk));
        report({ table: FINISHING_STEP, rowsDone: ++done, rowsExpected: steps });
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await client.query(analyzeTables());
    report({ table: FINISHING_STEP, rowsDone: steps, rowsExpected: steps });
  } catch (error) {
    throw translateSeedError(error);
  } finally {
    await client.end().catch(() => undefined);
  }
  return { counts: orderedCounts(counts), seconds: (performance.now() - started) / 1000 };
}

/** True while the demo source has no customers (or no demo schema yet). */
export async function isSourceEmpty(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const table = await client.query<{ present: boolean }>(selectCustomersTableExists());
    if (!table.rows[0]?.present) return true;
    const customers = await client.query<{ present: boolean }>(selectAnyCustomer());
    return !customers.rows[0]?.present;
  } catch (error) {
    throw translateSeedError(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function copyChunks(client: pg.Client, table: DemoTable, columns: readonly string[], chunks: Iterable<Chunk>, onRows: (rows: number) => void): Promise<number> {
  let rows = 0;
  // Readable.from pulls the next chunk only when the COPY stream wants more (backpressure).
  function* buffers(): Generator<Buffer> {
    for (const chunk of chunks) {
      yield chunk.bytes;
      rows += chunk.rows;
      onRows(rows);
    }
  }
  const target = client.query(copyFrom(copyInto(table, columns, true)));
  await pipeline(Readable.from(buffers(), { objectMode: false }), target);
  return rows;
}

function orderedCounts(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of DEMO_TABLES) out[table] = counts[table] ?? 0;
  return out;
}

export function translateSeedError(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  const code = (error as { code?: string }).code;
  switch (code) {
    case '42P01':
    case '3F000':
      return new IngestError('source_schema_missing', `The demo schema is not in this database; apply the demo source migrations first: ${errorMessage(error)}`, { cause: error });
    case '3D000':
      return new IngestError('source_database_missing', `The source database does not exist: ${errorMessage(error)}`, { cause: error });
    case '28P01':
    case '28000':
      return new IngestError('source_auth_failed', `Cannot sign in to the source database: ${errorMessage(error)}`, { cause: error });
    case '55P03':
      return new IngestError('source_busy', `Another session is using the demo tables; stop it (or wait) and seed again: ${errorMessage(error)}`, { cause: error });
    case '42501':
      return new IngestError('source_permission_denied', `Not allowed to load the demo tables: ${errorMessage(error)}`, { cause: error });
    case 'ECONNREFUSED':
      return new IngestError('source_unreachable', `Cannot reach the source database: ${errorMessage(error)}`, { cause: error });
    default:
      if (code?.startsWith('23')) {
        return new IngestError('seed_data_invalid', `Generated demo data broke a constraint (a generator bug): ${errorMessage(error)}`, { cause: error });
      }
      return new IngestError('seed_failed', `Seeding the demo data failed: ${errorMessage(error)}`, { cause: error });
  }
}
