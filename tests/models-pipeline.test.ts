import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../ingest/index.ts';
import { runModelsNow, runPipelineNow } from '../jobs/index.ts';
import { withPublishedSnapshot } from '../warehouse/index.ts';
import { createPulseEnv, type PulseTestEnv } from './helpers/pulse-env.ts';
import { createMigratedDatabase, type TestDatabase } from './helpers/test-database.ts';

let database: TestDatabase;
let env: PulseTestEnv;

beforeAll(async () => {
  database = await createMigratedDatabase('models_pipeline', { demoSource: true });
  await seedDemoData(database.url, { customers: 3000, seed: 11, asOf: new Date('2026-10-01T00:00:00Z') });
  env = createPulseEnv(database.url);
  await runPipelineNow(env.ctx, { mode: 'full', trigger: 'test' });
}, 180_000);

afterAll(async () => {
  await env?.close();
  await database?.drop();
});

describe('runModels (pipeline step)', () => {
  it('gives every customer a named segment, RFM group and, for buyers, churn risk and expected value — never NaN', async () => {
    await withPublishedSnapshot(env.dataDir, async (db) => {
      const row = await db.one<{ n: number; no_segment: number; buyers: number; no_risk: number; nan: number; bad_band: number }>(
        `SELECT count(*) AS n,
                count(*) FILTER (WHERE segment_id IS NULL OR segment_name_en IS NULL OR segment_name_zh IS NULL OR rfm_segment IS NULL) AS no_segment,
                count(*) FILTER (WHERE frequency > 0) AS buyers,
                count(*) FILTER (WHERE frequency > 0 AND (churn_risk IS NULL OR p_alive IS NULL OR expected_value_12m IS NULL)) AS no_risk,
                count(*) FILTER (WHERE isnan(churn_risk) OR isnan(p_alive) OR isnan(expected_value_12m) OR isinf(expected_value_12m)) AS nan,
                count(*) FILTER (WHERE churn_band NOT IN ('high', 'medium', 'low')) AS bad_band
         FROM marts.customer_360`,
      );
      expect(row.n).toBeGreaterThan(2900);
      expect(row.no_segment).toBe(0);
      expect(row.buyers).toBeGreaterThan(2000);
      expect(row.no_risk).toBe(0);
      expect(row.nan).toBe(0);
      expect(row.bad_band).toBe(0);
      const segments = await db.all<{ name_en: string; name_zh: string }>('SELECT name_en, name_zh FROM models.segments');
      expect(segments.length).toBeGreaterThanOrEqual(3);
      expect(new Set(segments.map((s) => s.name_en)).size).toBe(segments.length);
      for (const s of segments) expect(s.name_zh).toMatch(/[\u4e00-\u9fff]/);
    });
  });

  it('backtests the churn classifier and beats the recency-only baseline on the holdout, as the model card states', async () => {
    await withPublishedSnapshot(env.dataDir, async (db) => {
      const card = await db.one<{ parameters: string; quality: string }>("SELECT parameters::VARCHAR AS parameters, quality::VARCHAR AS quality FROM models.model_cards WHERE model = 'churn'");
      const quality = JSON.parse(card.quality) as { rocAuc: number; recencyBaselineRocAuc: number; calibration: unknown[] };
      expect(quality.rocAuc).toBeGreaterThan(quality.recencyBaselineRocAuc);
      expect(quality.rocAuc).toBeGreaterThan(0.75);
      expect(quality.calibration).toHaveLength(10);
      expect(JSON.parse(card.parameters).model).toMatch(/logistic|boosted/);
    });
  });

  it('keeps segment ids and names on the next run, and records the history and movements', async () => {
    const before = await withPublishedSnapshot(env.dataDir, (db) => db.all<{ segment_id: number; name_en: string }>('SELECT segment_id, name_en FROM models.segments ORDER BY segment_id'));
    await runPipelineNow(env.ctx, { mode: 'incremental', trigger: 'test' });
    await withPublishedSnapshot(env.dataDir, async (db) => {
      const after = await db.all<{ segment_id: number; name_en: string; previous_segment_id: number }>('SELECT segment_id, name_en, previous_segment_id FROM models.segments ORDER BY segment_id');
      expect(after.map((s) => [s.segment_id, s.name_en])).toEqual(before.map((s) => [s.segment_id, s.name_en]));
      expect(after.every((s) => s.previous_segment_id === s.segment_id)).toBe(true);
      const runs = await db.all('SELECT DISTINCT run_id FROM models.segment_history');
      expect(runs).toHaveLength(2);
      const moved = await db.one<{ n: number }>('SELECT coalesce(sum(customers), 0) AS n FROM models.segment_transitions');
      expect(moved.n).toBeGreaterThan(2900);
    });
  }, 120_000);

  it('re-runs the models on the current warehouse and publishes (pulse models run), keeping the history', async () => {
    const result = await runModelsNow(env.ctx, 'test');
    expect(result.models?.customers).toBeGreaterThan(2900);
    await withPublishedSnapshot(env.dataDir, async (db, info) => {
      expect(info.runId).toBe(result.runId);
      const runs = await db.all('SELECT DISTINCT run_id FROM models.segment_history');
      expect(runs).toHaveLength(3);
      const cards = await db.one<{ n: number }>('SELECT count(*) AS n FROM models.model_cards WHERE run_id = ?', [result.runId]);
      expect(cards.n).toBe(4);
    });
  }, 120_000);
});
