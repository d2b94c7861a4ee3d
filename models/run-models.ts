// The models step of the pipeline: on a built (not yet published) snapshot, segment customers,
// score RFM, fit BG/NBD + Gamma-Gamma for expected value, backtest and apply the churn classifier,
// then write the outputs, the model cards and the segment history into the snapshot.
import { ModelError } from '../lib/errors.ts';
import { copyCustomerScoresToOrderFacts, indexCustomer360, refreshCampaignBreakdowns, type DuckDb } from '../warehouse/index.ts';
import { customerLifetimeValue } from './clv.ts';
import { evaluate, fitBoosted, fitLogistic, predictChurn, selectBest, topDrivers, type ChurnData } from './churn-classifier.ts';
import { fitBgnbd, scoreBgnbd } from './bgnbd.ts';
import { SEGMENT_FEATURES, buildSegmentFeatures, standardize } from './features.ts';
import { fitGammaGamma, ggConditionalExpectedValue } from './gamma-gamma.ts';
import { kmeans } from './kmeans.ts';
import { createRng, sampleIndices } from './random.ts';
import {
  createCustomerSegmentChanges,
  PIPELINE_CHURN_FEATURES,
  createModelTables,
  createSegmentHistory,
  createSegmentTransitions,
  selectAsOf,
  selectChurnDataset,
  selectCustomerInputs,
  selectPreviousSegments,
  updateCustomer360,
} from './models.queries.ts';
import { RFM_GROUPS, rfmScores } from './rfm.ts';
import { matchSegments, nameSegments, profileSegments } from './segments.ts';
import { chooseK } from './silhouette.ts';

export interface ModelRunOptions {
  runId: number;
  runAt: Date;
  seed: number;
  /** Number of segments; chosen by silhouette (3–8) when not given. */
  k?: number;
  /** True when the previous published snapshot is attached as `prev` (segment identity, history). */
  hasPrevious: boolean;
  /** Days without a purchase after which a customer counts as churned (classifier label). */
  churnHorizonDays?: number;
}

export interface ModelRunSummary {
  customers: number;
  k: number;
  segments: { id: number; nameEn: string; nameZh: string; customers: number; revenueShare: number }[];
  churn: { model: string; rocAuc: number; prAuc: number; recencyBaselineAuc: number };
  bgnbd: { r: number; alpha: number; a: number; b: number; loglik: number };
  gammaGamma: { p: number; q: number; v: number } | null;
  seconds: Record<string, number>;
}

/** Centroids within this distance (log-feature units) of a previous one keep its id and name. */
const SEGMENT_MATCH_THRESHOLD = 0.75;
const HIGH_RISK = 60;
const MEDIUM_RISK = 30;

export async function runModels(db: DuckDb, options: ModelRunOptions): Promise<ModelRunSummary> {
  const seconds: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await fn();
    seconds[name] = (performance.now() - started) / 1000;
    return result;
  };
  const horizon = options.churnHorizonDays ?? 90;
  const { as_of: asOf, first_day: firstDay } = await db.one<{ as_of: string; first_day: string }>(selectAsOf());
  const { n, columns: c } = await time('read', () => db.numericColumns(selectCustomerInputs()));
  if (n < 10) throw new ModelError('too_few_customers', `Models need at least 10 customers; the warehouse has ${n}.`);

  // --- Segmentation: log features, standardised, k-means with the best of several seeded starts.
  const features = buildSegmentFeatures({
    recencyDays: c.recency_days!,
    orders: c.frequency!,
    revenue: c.monetary!,
    tenureDays: c.tenure_days!,
    campaignOpens: c.campaign_opens_90d!,
    campaignClicks: c.campaign_clicks_90d!,
    tickets: c.tickets_total!,
  });
  const { scaled } = standardize(features.data, n, features.d);
  const clustering = await time('segmentation', () => {
    if (options.k) return kmeans(scaled, n, features.d, { k: options.k, seed: options.seed, nInit: 5 });
    // k is chosen on a sample (silhouette compares clusterings, it needs no million rows), then the
    // full data is clustered once with that k.
    const sample = sampleRows(scaled, n, features.d, 50_000, options.seed);
    const chosen = chooseK(sample.data, sample.n, features.d, { kMin: 3, kMax: Math.min(8, sample.n - 1), seed: options.seed });
    return kmeans(scaled, n, features.d, { k: chosen.k, seed: options.seed, nInit: 5 });
  });
  const k = clustering.sizes.length;
  // Profiles in log-feature units (not standardised), so centroids stay comparable from run to run.
  const profiles = profileSegments(features.data, n, features.d, clustering.labels, k, c.monetary!);
  const names = nameSegments(profiles);
  const previous = options.hasPrevious
    ? (await db.all<{ segment_id: number; centroid: number[] }>(selectPreviousSegments())).map((r) => ({ id: Number(r.segment_id), centroid: r.centroid.map(Number) }))
    : [];
  const matches = matchSegments(previous, profiles.map((p) => p.means), SEGMENT_MATCH_THRESHOLD);
  const segmentIdOf = Int32Array.from(matches.map((m) => m.id));

  // --- RFM quintiles and named groups.
  const rfm = rfmScores(c.recency_days!, c.frequency!, c.monetary!);

  // --- BG/NBD (expected purchases, P(alive)) and Gamma-Gamma (expected order value) on buyers.
  const buyers: number[] = [];
  for (let i = 0; i < n; i++) if (c.frequency![i]! > 0) buyers.push(i);
  const pick = (col: Float64Array) => Float64Array.from(buyers, (i) => col[i]!);
  // A first purchase on the as-of day would give T = 0, where BG/NBD is undefined: count it as one day observed.
  const bgData = { frequency: pick(c.x!), recency: pick(c.t_x!), T: Float64Array.from(buyers, (i) => Math.max(c.t_cal![i]!, 1 / 7)) };
  const bg = await time('bgnbd', () => fitBgnbd(bgData));
  const bgScores = scoreBgnbd(bg, bgData, [30 / 7, 90 / 7]);
  const averageValue = Float64Array.from(buyers, (i) => c.monetary![i]! / c.frequency![i]!);
  const repeat = buyers.map((_, j) => j).filter((j) => bgData.frequency[j]! > 0 && averageValue[j]! > 0);
  // Three parameters need no million customers: a seeded sample of 20k keeps the fit to seconds.
  const ggRows = repeat.length > 20_000 ? Array.from(sampleIndices(repeat.length, 20_000, createRng(options.seed)), (r) => repeat[r]!) : repeat;
  const gg = await time('gamma_gamma', () =>
    ggRows.length >= 10 ? fitGammaGamma(Float64Array.from(ggRows, (j) => bgData.frequency[j]!), Float64Array.from(ggRows, (j) => averageValue[j]!)) : null,
  );
  const expectedValue = Float64Array.from(buyers, (_, j) =>
    gg && bgData.frequency[j]! > 0 ? ggConditionalExpectedValue(gg, bgData.frequency[j]!, averageValue[j]!) : averageValue[j]!,
  );
  const clv = gg ? customerLifetimeValue(bg, gg, { ...bgData, monetaryValue: averageValue }, { months: 12 }) : Float64Array.from(expectedValue, (v, j) => v * bgScores.expected[1]![j]! * (365 / 90));

  // --- Churn classifier, backtested: train at asOf − 2h, evaluate at asOf − h (labels fully observed), score at asOf.
  const dayOffset = (days: number) => new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const train = await readChurnData(db, dayOffset(2 * horizon), horizon);
  const test = await readChurnData(db, dayOffset(horizon), horizon);
  const current = await readChurnData(db, asOf, horizon);
  // With too little history to backtest (a new deployment), risk falls back to 1 − P(alive) from
  // BG/NBD and the model card says so, rather than failing the run and publishing nothing.
  const canBacktest = train.data.n >= 20 && test.data.n >= 20 && new Set(train.data.y).size === 2 && new Set(test.data.y).size === 2;
  // Trained on at most 50k customers (seeded sample), evaluated on the whole holdout.
  const trainSample = sampleChurnData(train.data, 50_000, options.seed);
  const churnModel = canBacktest ? await time('churn', () => selectBest([fitLogistic(trainSample), fitBoosted(trainSample)], test.data)) : null;
  const recencyBaseline = canBacktest ? evaluate(test.recencyDays, test.data.y) : null;
  const bestEvaluation = churnModel ? churnModel.evaluations.find((e) => e.kind === churnModel.best.kind)! : null;
  const probability = churnModel ? predictChurn(churnModel.best, current.data.x, current.data.n, current.data.d) : null;

  // --- Assemble per-customer scores (customers are ordered by id in every input).
  const rowOfCustomer = new Map<number, number>();
  for (let i = 0; i < n; i++) rowOfCustomer.set(c.customer_id![i]!, i);
  const pAlive = new Float64Array(n).fill(Number.NaN);
  const expected30 = new Float64Array(n).fill(Number.NaN);
  const expected90 = new Float64Array(n).fill(Number.NaN);
  const orderValue = new Float64Array(n).fill(Number.NaN);
  const value12m = new Float64Array(n).fill(Number.NaN);
  buyers.forEach((i, j) => {
    pAlive[i] = bgScores.pAlive[j]!;
    expected30[i] = bgScores.expected[0]![j]!;
    expected90[i] = bgScores.expected[1]![j]!;
    orderValue[i] = expectedValue[j]!;
    value12m[i] = clv[j]!;
  });
  const churnProbability = new Float64Array(n).fill(Number.NaN);
  const risk = new Float64Array(n).fill(Number.NaN);
  const band: (string | null)[] = new Array(n).fill(null);
  const drivers: (string | null)[][] = [new Array(n).fill(null), new Array(n).fill(null), new Array(n).fill(null)];
  const setRisk = (i: number, p: number) => {
    churnProbability[i] = p;
    risk[i] = Math.round(p * 1000) / 10;
    band[i] = risk[i]! >= HIGH_RISK ? 'high' : risk[i]! >= MEDIUM_RISK ? 'medium' : 'low';
  };
  if (churnModel && probability) {
    for (let j = 0; j < current.data.n; j++) {
      const i = rowOfCustomer.get(current.customers[j]!);
      if (i === undefined) continue;
      setRisk(i, probability[j]!);
      const row = current.data.x.subarray(j * current.data.d, (j + 1) * current.data.d);
      topDrivers(churnModel.best, row, 3).forEach((d, rank) => (drivers[rank]![i] = d.feature));
    }
  } else {
    for (const i of buyers) setRisk(i, 1 - pAlive[i]!);
  }

  // --- Write everything into the snapshot.
  await time('write', async () => {
    await db.run(createModelTables());
    await db.appendColumns(
      'customer_scores',
      [
        { name: 'customer_id', type: 'BIGINT', values: c.customer_id! },
        { name: 'segment_id', type: 'INTEGER', values: Int32Array.from(clustering.labels, (label) => segmentIdOf[label]!) },
        { name: 'rfm_r', type: 'INTEGER', values: rfm.r },
        { name: 'rfm_f', type: 'INTEGER', values: rfm.f },
        { name: 'rfm_m', type: 'INTEGER', values: rfm.m },
        { name: 'rfm_group', type: 'VARCHAR', values: Array.from(rfm.group, (g) => RFM_GROUPS[g]!.key) },
        { name: 'p_alive', type: 'DOUBLE', values: pAlive },
        { name: 'expected_orders_30d', type: 'DOUBLE', values: expected30 },
        { name: 'expected_orders_90d', type: 'DOUBLE', values: expected90 },
        { name: 'expected_order_value', type: 'DOUBLE', values: orderValue },
        { name: 'expected_value_12m', type: 'DOUBLE', values: value12m },
        { name: 'churn_probability', type: 'DOUBLE', values: churnProbability },
        { name: 'churn_risk', type: 'DOUBLE', values: risk },
        { name: 'churn_band', type: 'VARCHAR', values: band },
        { name: 'driver_1', type: 'VARCHAR', values: drivers[0]! },
        { name: 'driver_2', type: 'VARCHAR', values: drivers[1]! },
        { name: 'driver_3', type: 'VARCHAR', values: drivers[2]! },
      ],
      'models',
    );
    for (const [index, profile] of profiles.entries()) {
      const match = matches[index]!;
      await db.run(
        `INSERT INTO models.segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::DOUBLE[], ?::DOUBLE[], ?, ?)`,
        [
          options.runId,
          match.id,
          names[index]!.key,
          names[index]!.en,
          names[index]!.zh,
          profile.size,
          profile.share,
          profile.revenue,
          profile.revenueShare,
          JSON.stringify(profile.means),
          JSON.stringify(profile.zScores),
          match.previousId,
          match.distance,
        ],
      );
    }
    const runAt = options.runAt.toISOString();
    for (const statement of [createSegmentHistory(options.hasPrevious, options.runId, runAt), createCustomerSegmentChanges(options.hasPrevious, options.runId, runAt)]) {
      await db.run(statement.text, statement.values);
    }
    await db.run(createSegmentTransitions(options.hasPrevious));
    await db.run(updateCustomer360());
    const { catalog } = await db.one<{ catalog: string }>('SELECT current_database() AS catalog');
    // The rewrite dropped the table's key index; the dashboard's id lookups need it.
    await db.run(indexCustomer360(catalog).text);
    // Revenue and orders by segment and churn band (metrics layer) read these from order_facts.
    await copyCustomerScoresToOrderFacts(db, catalog);
    // Campaign results by segment and churn band read the same scores.
    await refreshCampaignBreakdowns(db, catalog);
    const card = (model: string, parameters: object, quality: object, notes: string) =>
      db.run('INSERT INTO models.model_cards VALUES (?, ?, ?::TIMESTAMPTZ, ?::DATE, ?::DATE, ?::JSON, ?::JSON, ?)', [
        model,
        options.runId,
        runAt,
        firstDay,
        asOf,
        JSON.stringify(parameters),
        JSON.stringify(quality),
        notes,
      ]);
    await card(
      'segmentation',
      { algorithm: 'k-means (k-means++ starts, best of 5)', k, kChosenBy: options.k ? 'configuration' : 'silhouette on a 5,000-customer sample, k 3–8', seed: options.seed, features: SEGMENT_FEATURES.map((f) => f.name) },
      { inertia: clustering.inertia, iterations: clustering.iterations, sizes: Array.from(clustering.sizes) },
      'Features are log-scaled and standardised; a segment keeps its id when its centroid moves less than 0.75 log units.',
    );
    await card('bgnbd', { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b }, { loglik: bg.loglik, customers: buyers.length, converged: bg.converged }, 'Time unit: weeks. Fader, Hardie & Lee (2005).');
    await card(
      'gamma_gamma',
      gg ? { p: gg.p, q: gg.q, v: gg.v } : {},
      gg ? { loglik: gg.loglik, customers: ggRows.length, repeatCustomers: repeat.length } : { skipped: 'fewer than 10 repeat customers' },
      'Spend per order from the average order value of repeat buyers; 12-month CLV = BG/NBD expected orders × expected order value.',
    );
    const churnParameters = { features: [...PIPELINE_CHURN_FEATURES], horizonDays: horizon, trainCutoff: dayOffset(2 * horizon), testCutoff: dayOffset(horizon) };
    if (churnModel && bestEvaluation && recencyBaseline) {
      await card(
        'churn',
        { model: churnModel.best.kind, ...churnParameters },
        {
          rocAuc: bestEvaluation.rocAuc,
          prAuc: bestEvaluation.prAuc,
          brier: bestEvaluation.brier,
          calibration: bestEvaluation.calibration,
          recencyBaselineRocAuc: recencyBaseline.rocAuc,
          candidates: churnModel.evaluations.map((e) => ({ kind: e.kind, rocAuc: e.rocAuc, prAuc: e.prAuc })),
          trainCustomers: trainSample.n,
          testCustomers: test.data.n,
        },
        `Label: no purchase in the ${horizon} days after the cut-off. Chosen by holdout ROC AUC (${churnModel.best.kind}); the recency-only baseline is shown for comparison.`,
      );
    } else {
      await card(
        'churn',
        { model: 'bgnbd_p_alive', ...churnParameters },
        { skipped: `not enough history to backtest a classifier (data from ${firstDay}; needs buyers on both sides of ${dayOffset(2 * horizon)} and ${dayOffset(horizon)})` },
        'Risk is 1 − P(alive) from BG/NBD until the history allows a backtested classifier.',
      );
    }
  });

  return {
    customers: n,
    k,
    segments: profiles.map((p, i) => ({ id: matches[i]!.id, nameEn: names[i]!.en, nameZh: names[i]!.zh, customers: p.size, revenueShare: p.revenueShare })),
    churn: churnModel && bestEvaluation && recencyBaseline
      ? { model: churnModel.best.kind, rocAuc: bestEvaluation.rocAuc, prAuc: bestEvaluation.prAuc, recencyBaselineAuc: recencyBaseline.rocAuc }
      : { model: 'bgnbd_p_alive', rocAuc: Number.NaN, prAuc: Number.NaN, recencyBaselineAuc: Number.NaN },
    bgnbd: { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b, loglik: bg.loglik },
    gammaGamma: gg ? { p: gg.p, q: gg.q, v: gg.v } : null,
    seconds,
  };
}

function sampleRows(data: Float64Array, n: number, d: number, size: number, seed: number): { data: Float64Array; n: number } {
  if (n <= size) return { data, n };
  const rows = sampleIndices(n, size, createRng(seed));
  const out = new Float64Array(rows.length * d);
  rows.forEach((row, i) => out.set(data.subarray(row * d, (row + 1) * d), i * d));
  return { data: out, n: rows.length };
}

function sampleChurnData(data: ChurnData, size: number, seed: number): ChurnData {
  if (data.n <= size) return data;
  const rows = sampleIndices(data.n, size, createRng(seed));
  const x = new Float64Array(rows.length * data.d);
  rows.forEach((row, i) => x.set(data.x.subarray(row * data.d, (row + 1) * data.d), i * data.d));
  return { ...data, x, n: rows.length, y: Uint8Array.from(rows, (row) => data.y[row]!) };
}

async function readChurnData(db: DuckDb, cutoff: string, horizon: number): Promise<{ data: ChurnData; customers: Float64Array; recencyDays: Float64Array }> {
  const { n, columns } = await db.numericColumns(selectChurnDataset(), [cutoff, horizon]);
  const d = PIPELINE_CHURN_FEATURES.length;
  const x = new Float64Array(n * d);
  PIPELINE_CHURN_FEATURES.forEach((name, j) => {
    const column = columns[name]!;
    for (let i = 0; i < n; i++) x[i * d + j] = column[i]!;
  });
  return { data: { x, n, d, y: Uint8Array.from(columns.y!), featureNames: PIPELINE_CHURN_FEATURES }, customers: columns.customer_id!, recencyDays: columns.recency_days! };
}

