import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { evaluate, featureContributions, fitBoosted, fitLogistic, predictChurn, selectBest, topDrivers, type ChurnData } from './churn-classifier.ts';
import { createRng } from './random.ts';

const NAMES = ['tickets', 'orders', 'opens', 'noise'];

/** Rows with independent N(0,1) features and churn drawn from the true probability `truth(row)`. */
function synthetic(n: number, seed: number, truth: (row: number[]) => number): ChurnData & { probability: Float64Array } {
  const rng = createRng(seed);
  const d = NAMES.length;
  const x = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const probability = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = NAMES.map(() => rng.nextNormal());
    x.set(row, i * d);
    probability[i] = truth(row);
    y[i] = rng.next() < probability[i]! ? 1 : 0;
  }
  return { x, n, d, y, featureNames: NAMES, probability };
}

const linear = (row: number[]): number => 1 / (1 + Math.exp(-(-0.5 + 1.5 * row[0]! - 1.0 * row[1]! + 0.5 * row[2]!)));
// Churn when the first feature is far from typical in either direction: no straight line separates it.
const ring = (row: number[]): number => (Math.abs(row[0]!) > 1 ? 0.8 : 0.15);

describe('fitLogistic', () => {
  it('recovers the true coefficients and reaches the Bayes AUC on held-out data', () => {
    const model = fitLogistic(synthetic(20_000, 1, linear));
    const [tickets, orders, opens, noise] = model.coefficients;
    expect(Math.abs(tickets! - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(orders! + 1.0)).toBeLessThan(0.1);
    expect(Math.abs(opens! - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(noise!)).toBeLessThan(0.05);
    const test = synthetic(20_000, 2, linear);
    const bayes = evaluate(test.probability, test.y).rocAuc;
    const auc = evaluate(predictChurn(model, test.x, test.n, test.d), test.y).rocAuc;
    expect(auc).toBeGreaterThan(0.7);
    expect(auc).toBeGreaterThan(bayes - 0.005);
  });

  it('names a non-finite feature value', () => {
    const data = synthetic(10, 1, linear);
    data.x[5] = Number.NaN;
    expect(() => fitLogistic(data)).toThrow(/feature orders has a non-finite value \(NaN\) at row 1/);
  });
});

describe('fitBoosted', () => {
  it('learns a non-linear signal logistic regression cannot, close to the Bayes AUC', () => {
    const train = synthetic(10_000, 3, ring);
    const test = synthetic(10_000, 4, ring);
    const bayes = evaluate(test.probability, test.y).rocAuc;
    const boosted = evaluate(predictChurn(fitBoosted(train, { trees: 60 }), test.x, test.n, test.d), test.y).rocAuc;
    const logistic = evaluate(predictChurn(fitLogistic(train), test.x, test.n, test.d), test.y).rocAuc;
    expect(boosted).toBeGreaterThan(bayes - 0.01);
    expect(logistic).toBeLessThan(0.6);
  });
});

describe('selectBest', () => {
  it('keeps the model with the higher holdout ROC AUC', () => {
    const train = synthetic(10_000, 5, ring);
    const holdout = synthetic(10_000, 6, ring);
    const { best, evaluations } = selectBest([fitLogistic(train), fitBoosted(train, { trees: 60 })], holdout);
    expect(best.kind).toBe('boosted');
    expect(evaluations.map((e) => e.kind)).toEqual(['logistic', 'boosted']);
    expect(evaluations[1]!.rocAuc).toBeGreaterThan(evaluations[0]!.rocAuc);
  });
});

describe('topDrivers', () => {
  it('names the features pushing this customer’s risk up, largest first', () => {
    const model = fitLogistic(synthetic(5000, 7, linear));
    // Many tickets (+), few orders (−1 coefficient × low value = +), average opens.
    const drivers = topDrivers(model, [2, -1, 0, 0]);
    expect(drivers.map((d) => d.feature)).toEqual(['tickets', 'orders']);
    expect(drivers[0]!.contribution).toBeGreaterThan(drivers[1]!.contribution);
    expect(topDrivers(model, [-2, 2, -2, 0])).toEqual([]);
  });

  it('explains a boosted model with contributions that add up to its log-odds', () => {
    const train = synthetic(5000, 8, ring);
    const model = fitBoosted(train, { trees: 30 });
    const row = [2.5, 0, 0, 0];
    const contributions = featureContributions(model, row);
    const rootSum = model.trees.reduce((sum, tree) => sum + tree[0]!.value, model.base);
    const probability = predictChurn(model, Float64Array.from(row), 1, 4)[0]!;
    expect(rootSum + contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(Math.log(probability / (1 - probability)), 10);
    expect(topDrivers(model, row)[0]!.feature).toBe('tickets');
  });
});

describe('evaluate', () => {
  it('computes ROC AUC and average precision as scikit-learn does', () => {
    const result = evaluate([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(result.rocAuc).toBeCloseTo(0.75, 12);
    expect(result.prAuc).toBeCloseTo(0.8333333333, 9);
  });

  it('scores ties as a coin flip and fills a 10-bin calibration table', () => {
    const result = evaluate([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]);
    expect(result.rocAuc).toBe(0.5);
    expect(result.prAuc).toBe(0.5);
    expect(result.calibration).toHaveLength(10);
    expect(result.calibration[5]).toEqual({ from: 0.5, to: 0.6, count: 4, meanPredicted: 0.5, observedRate: 0.5 });
    expect(result.calibration[0]!.meanPredicted).toBeNull();
  });

  it('needs both classes', () => {
    expect(() => evaluate([0.2, 0.3], [1, 1])).toThrow(ModelError);
  });
});
