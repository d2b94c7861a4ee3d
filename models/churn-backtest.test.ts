import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { dayNumber, readCdnowTransactions } from './cdnow.fixture.ts';
import { backtestChurn, buildChurnDataset } from './churn-backtest.ts';

const transactions = readCdnowTransactions();
const HALF_YEAR = 182; // 26 weeks

describe('buildChurnDataset', () => {
  it('builds features as of the cut-off and labels churn from the following horizon only', () => {
    const tx = {
      customer: Int32Array.from([1, 1, 2, 2, 3]),
      day: Int32Array.from([0, 10, 5, 30, 40]),
      value: Float64Array.from([10, 20, 5, 7, 9]),
    };
    const data = buildChurnDataset(tx, 20, 15);
    // Customer 3 first buys after the cut-off, so is not scored; 2 comes back on day 30 (≤ 35).
    expect(Array.from(data.customers)).toEqual([1, 2]);
    expect(Array.from(data.y)).toEqual([1, 0]);
    expect(Array.from(data.x.subarray(0, 4))).toEqual([10, 2, 30, 20].map(Math.log1p));
    expect(Array.from(data.recencyDays)).toEqual([10, 15]);
  });
});

describe('backtestChurn', () => {
  it('on CDNOW, predicts 26-week churn after 1997-09-30 better than recency alone', () => {
    const result = backtestChurn(transactions, {
      trainCutoffDay: dayNumber('1997-03-31'),
      testCutoffDay: dayNumber('1997-09-30'),
      horizonDays: HALF_YEAR,
    });
    const best = result.evaluations.find((e) => e.kind === result.best.kind)!;
    console.log(
      `CDNOW churn backtest (train 1997-03-31, test 1997-09-30, 26 weeks): ${result.evaluations.map((e) => `${e.kind} ROC AUC ${e.rocAuc.toFixed(4)}, PR AUC ${e.prAuc.toFixed(4)}`).join('; ')}; recency-only ROC AUC ${result.recencyBaseline.rocAuc.toFixed(4)}`,
    );
    expect(result.test.n).toBe(23_570);
    expect(best.rocAuc).toBeGreaterThan(result.recencyBaseline.rocAuc);
    expect(best.rocAuc).toBeGreaterThan(0.7);
  });

  it('refuses a training window whose labels run into the test period', () => {
    expect(() =>
      backtestChurn(transactions, { trainCutoffDay: dayNumber('1997-06-30'), testCutoffDay: dayNumber('1997-09-30'), horizonDays: HALF_YEAR }),
    ).toThrow(ModelError);
  });
});
