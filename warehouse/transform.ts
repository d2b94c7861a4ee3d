// Builds the tables of a snapshot from the staged tables. Core tables drop soft-deleted rows and
// convert money into the reporting currency through the FX table at the order date (the original
// amount and currency are kept). Marts and model outputs are added by later steps of the pipeline.
import { quoteIdent, type DuckDb } from './duckdb.ts';
import { buildMarts } from './marts/build-marts.ts';
import { stagingTables } from './staging-tables.ts';

export interface TransformContext {
  runId: number;
  reportingCurrency: string;
  /** The day the marts describe (YYYY-MM-DD); default: the latest order day. */
  asOf?: string;
  /** Campaign attribution window in days (default DEFAULT_ATTRIBUTION_DAYS). */
  attributionDays?: number;
}

export async function buildSnapshotTables(db: DuckDb, target: string, context: TransformContext): Promise<void> {
  const t = quoteIdent(target);
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${t}.core; CREATE SCHEMA IF NOT EXISTS ${t}.meta`);
  for (const table of stagingTables) {
    if (table.name === 'orders' || table.name === 'order_items') continue;
    await db.run(`CREATE TABLE ${t}.core.${quoteIdent(table.name)} AS SELECT * EXCLUDE (deleted_at) FROM staging.${quoteIdent(table.name)} WHERE deleted_at IS NULL`);
  }
  // Rate on the order date, or the latest one before it (ASOF), for both the order's currency and the
  // reporting currency; amounts with no known rate stay NULL rather than being guessed.
  await db.run(
    `CREATE TABLE ${t}.core.orders AS
     WITH rates AS (SELECT currency, rate_date, units_per_usd FROM staging.fx_rates WHERE deleted_at IS NULL)
     SELECT o.* EXCLUDE (deleted_at),
            -- In whole cents and exact integers (DECIMAL division would go through a double and could
            -- round a half cent down): amount × reporting rate ÷ order-currency rate, half away from zero.
            CASE WHEN o.currency = ? THEN o.total_amount
                 WHEN r.units_per_usd IS NULL OR rr.units_per_usd IS NULL THEN NULL
                 ELSE CAST(CAST(sign(o.total_amount) * ((2 * abs(CAST(o.total_amount * 100 AS HUGEINT)) * CAST(rr.units_per_usd * 100000000 AS HUGEINT)
                                + CAST(r.units_per_usd * 100000000 AS HUGEINT)) // (2 * CAST(r.units_per_usd * 100000000 AS HUGEINT))) AS DECIMAL(38,0)) * 0.01 AS DECIMAL(14,2))
            END AS amount_reporting
     FROM staging.orders o
     ASOF LEFT JOIN rates r ON r.currency = o.currency AND r.rate_date <= CAST(o.ordered_at AS DATE)
     ASOF LEFT JOIN rates rr ON rr.currency = ? AND rr.rate_date <= CAST(o.ordered_at AS DATE)
     WHERE o.deleted_at IS NULL`,
    [context.reportingCurrency, context.reportingCurrency],
  );
  await db.run(
    `CREATE TABLE ${t}.core.order_items AS
     SELECT i.* EXCLUDE (deleted_at) FROM staging.order_items i SEMI JOIN ${t}.core.orders o ON o.id = i.order_id WHERE i.deleted_at IS NULL`,
  );
  await db.run(
    `CREATE TABLE ${t}.meta.snapshot_info AS SELECT ?::BIGINT AS run_id, now() AS built_at, ?::VARCHAR AS reporting_currency`,
    [context.runId, context.reportingCurrency],
  );
  await db.run(
    `CREATE TABLE ${t}.meta.table_counts AS ${stagingTables
      .map((table) => `SELECT '${table.name}' AS table_name, (SELECT count(*) FROM ${t}.core.${quoteIdent(table.name)}) AS row_count`)
      .join(' UNION ALL ')}`,
  );
  await buildMarts(db, target, context);
}
