import { IngestError } from '../lib/errors.ts';
import { isSourceEmpty, seedDemoData } from '../ingest/index.ts';
import type { CommandContext } from './context.ts';
import { createTableProgress } from './progress.ts';
import { applyMigrations } from './shared.ts';

/** Seeds the demo operational tables; refuses a source that already has customers. */
export async function seedCommand(ctx: CommandContext, options: { customers?: number; seed: number }): Promise<void> {
  if (ctx.config.sourceDatabaseUrl) {
    throw new IngestError('seed_foreign_source', 'SOURCE_DATABASE_URL points at your own database: `pulse seed` only fills the demo schema in Pulse’s database.');
  }
  await applyMigrations(ctx);
  if (!(await isSourceEmpty(ctx.dbs.sourceUrl))) {
    throw new IngestError('seed_not_empty', 'The demo tables already hold customers; seeding would mix data sets. Use a fresh data folder (PULSE_DATA_DIR) or database.');
  }
  const customers = options.customers ?? ctx.config.seedCustomers;
  const result = await seedWithProgress(ctx, customers, options.seed);
  console.log(`Seeded ${Object.entries(result.counts).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')} in ${result.seconds.toFixed(1)} s`);
}

export async function seedWithProgress(ctx: CommandContext, customers: number, seed: number) {
  const progress = createTableProgress('seed');
  try {
    // The data ends today (UTC midnight) so dashboards look current; a fixed seed and day give the same data.
    const asOf = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
    return await seedDemoData(ctx.dbs.sourceUrl, { customers, seed, asOf, onProgress: (p) => progress.update(p.table, p.rowsDone, p.rowsExpected) });
  } finally {
    progress.stop();
  }
}
