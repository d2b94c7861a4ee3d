// A time-based churn backtest over a transaction log: features as of a cut-off, label = no
// purchase in the following horizon. Training uses an earlier cut-off whose horizon has ended by
// the test cut-off, so nothing from the test period leaks into training.
import { ModelError } from '../lib/errors.ts';
import { evaluate, fitBoosted, fitLogistic, selectBest, type ChurnData, type ChurnModel, type Evaluation } from './churn-classifier.ts';

export interface Transactions {
  customer: Int32Array;
  /** Days since 1970-01-01 (UTC). */
  day: Int32Array;
  value: Float64Array;
}

export const CHURN_FEATURES = ['log_recency_days', 'log_frequency', 'log_monetary', 'log_tenure_days'] as const;

/**
 * One row per customer with a purchase on or before `cutoffDay`: ln(1 + days since last purchase),
 * ln(1 + purchases), ln(1 + total value), ln(1 + days since first purchase); y = 1 when the customer
 * makes no purchase in (cutoffDay, cutoffDay + horizonDays].
 */
export function buildChurnDataset(tx: Transactions, cutoffDay: number, horizonDays: number): ChurnData & { customers: Int32Array; recencyDays: Float64Array } {
  const byCustomer = new Map<number, { first: number; last: number; count: number; value: number; returned: boolean }>();
  const horizonEnd = cutoffDay + horizonDays;
  for (let i = 0; i < tx.customer.length; i++) {
    const day = tx.day[i]!;
    if (day > horizonEnd) continue;
    const id = tx.customer[i]!;
    let c = byCustomer.get(id);
    if (day > cutoffDay) {
      if (c) c.returned = true;
      else byCustomer.set(id, { first: Infinity, last: -Infinity, count: 0, value: 0, returned: true });
      continue;
    }
    if (!c) {
      c = { first: day, last: day, count: 0, value: 0, returned: false };
      byCustomer.set(id, c);
    }
    c.first = Math.min(c.first, day);
    c.last = Math.max(c.last, day);
    c.count++;
    c.value += tx.value[i]!;
  }
  const active = [...byCustomer].filter(([, c]) => c.count > 0).sort(([a], [b]) => a - b);
  const n = active.length;
  const d = CHURN_FEATURES.length;
  const x = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const customers = new Int32Array(n);
  const recencyDays = new Float64Array(n);
  active.forEach(([id, c], i) => {
    customers[i] = id;
    recencyDays[i] = cutoffDay - c.last;
    x[i * d] = Math.log1p(cutoffDay - c.last);
    x[i * d + 1] = Math.log1p(c.count);
    x[i * d + 2] = Math.log1p(Math.max(c.value, 0));
    x[i * d + 3] = Math.log1p(cutoffDay - c.first);
    y[i] = c.returned ? 0 : 1;
  });
  return { x, n, d, y, featureNames: CHURN_FEATURES, customers, recencyDays };
}

export interface BacktestResult {
  train: { n: number; churnRate: number };
  test: { n: number; churnRate: number };
  evaluations: (Evaluation & { kind: ChurnModel['kind'] })[];
  /** Days since last purchase as the score: what a model must beat to be worth having. */
  recencyBaseline: Evaluation;
  best: ChurnModel;
}

/** Trains logistic and boosted models at `trainCutoffDay`, scores them at `testCutoffDay`, keeps the better. */
export function backtestChurn(tx: Transactions, options: { trainCutoffDay: number; testCutoffDay: number; horizonDays: number }): BacktestResult {
  const { trainCutoffDay, testCutoffDay, horizonDays } = options;
  if (trainCutoffDay + horizonDays > testCutoffDay) {
    throw new ModelError('bad_options', `training labels would run past the test cut-off: train cut-off + ${horizonDays} days is after the test cut-off`);
  }
  const train = buildChurnDataset(tx, trainCutoffDay, horizonDays);
  const test = buildChurnDataset(tx, testCutoffDay, horizonDays);
  const models: ChurnModel[] = [fitLogistic(train), fitBoosted(train)];
  const { best, evaluations } = selectBest(models, test);
  const rate = (y: Uint8Array): number => y.reduce((a, b) => a + b, 0) / y.length;
  return {
    train: { n: train.n, churnRate: rate(train.y) },
    test: { n: test.n, churnRate: rate(test.y) },
    evaluations,
    recencyBaseline: evaluate(test.recencyDays, test.y),
    best,
  };
}
