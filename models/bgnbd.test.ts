import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import {
  bgnbdConditionalExpected,
  bgnbdExpected,
  bgnbdLogLikelihood,
  bgnbdPAlive,
  bgnbdProbabilityOfPurchases,
  fitBgnbd,
  scoreBgnbd,
  type BgnbdParams,
} from './bgnbd.ts';
import { readCdnowCsv } from './cdnow.fixture.ts';
import { simulateBgnbd } from './simulate.ts';

// Reference numbers and their sources: ../shared/data/cdnow/PROVENANCE.md.
const summary = readCdnowCsv('cdnow_customers_summary.csv');
const cdnow = { frequency: summary.frequency!, recency: summary.recency!, T: summary.T! };
const BTYD_MLE: BgnbdParams = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 };
const PAPER: BgnbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const LIFETIMES_FIT: BgnbdParams = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };

const expectRelative = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance);
};

describe('fitBgnbd', () => {
  it('reproduces the published CDNOW fit (FHL 2005): parameters within 0.5 %, log-likelihood −9582.43', () => {
    const fit = fitBgnbd(cdnow);
    expectRelative(fit.r, 0.2426, 0.005);
    expectRelative(fit.alpha, 4.4137, 0.005);
    expectRelative(fit.a, 0.793, 0.005);
    expectRelative(fit.b, 2.4262, 0.005);
    expect(Math.abs(fit.loglik - -9582.43)).toBeLessThan(0.05);
    expect(fit.converged).toBe(true);
  });

  it('recovers the parameters of customers simulated from the model', () => {
    const truth: BgnbdParams = { r: 0.5, alpha: 5, a: 0.8, b: 3 };
    const fit = fitBgnbd(simulateBgnbd(truth, 40_000, 11));
    expectRelative(fit.r, truth.r, 0.1);
    expectRelative(fit.alpha, truth.alpha, 0.1);
    expectRelative(fit.a, truth.a, 0.2);
    expectRelative(fit.b, truth.b, 0.2);
  });

  it('rejects inputs that are not customer summaries, with a ModelError naming the row', () => {
    expect(() => fitBgnbd({ frequency: [], recency: [], T: [] })).toThrow(ModelError);
    expect(() => fitBgnbd({ frequency: [1, 2], recency: [1, 5], T: [2, 4] })).toThrow(/row 1 has recency 5, T 4/);
    expect(() => fitBgnbd({ frequency: [1.5], recency: [1], T: [2] })).toThrow(/whole number/);
    expect(() => fitBgnbd({ frequency: [1, 2], recency: [1], T: [2, 3] })).toThrow(/differ in length/);
  });
});

describe('bgnbdLogLikelihood', () => {
  it('matches the log-likelihood recomputed at the paper and BTYD parameters', () => {
    expect(bgnbdLogLikelihood(PAPER, cdnow)).toBeCloseTo(-9582.4268, 3);
    expect(bgnbdLogLikelihood(BTYD_MLE, cdnow)).toBeCloseTo(-9582.4256, 3);
  });
});

describe('bgnbdPAlive', () => {
  it('gives customer 1516 the BTYD walkthrough value 0.9688523', () => {
    expectRelative(bgnbdPAlive(BTYD_MLE, 26, 30.85714, 31), 0.9688523, 0.001);
  });

  it('is 1 for a customer who never came back', () => {
    expect(bgnbdPAlive(BTYD_MLE, 0, 0, 30)).toBe(1);
  });
});

describe('bgnbdConditionalExpected', () => {
  it('gives customer 1516 25.75659 purchases over the next 52 weeks (BTYD walkthrough)', () => {
    expectRelative(bgnbdConditionalExpected(BTYD_MLE, 52, 26, 30.85714, 31), 25.75659, 0.001);
  });

  it('shows the increasing-frequency paradox: more past purchases, fewer expected, when the last was long ago', () => {
    const expected = [0.3474606, 0.04283391, 0.004158973, 0.0003583685];
    [10, 15, 20, 25].forEach((x, i) => expectRelative(bgnbdConditionalExpected(BTYD_MLE, 52, x, 20, 39), expected[i]!, 0.001));
  });

  it("matches Hardie's spreadsheet (1.226) and the lifetimes quick-start 1-week predictions", () => {
    expect(Math.abs(bgnbdConditionalExpected(BTYD_MLE, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.001);
    expectRelative(bgnbdConditionalExpected(LIFETIMES_FIT, 1, 26, 30.86, 31), 0.710623, 0.001);
    expectRelative(bgnbdConditionalExpected(LIFETIMES_FIT, 1, 29, 37.71, 38), 0.662396, 0.001);
  });
});

describe('bgnbdExpected', () => {
  it('matches the published unconditional E[X(t)] to 3 decimals', () => {
    const t = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    t.forEach((ti, i) => expect(Math.abs(bgnbdExpected(LIFETIMES_FIT, ti) - expected[i]!)).toBeLessThan(0.0005));
  });
});

describe('bgnbdProbabilityOfPurchases', () => {
  it('matches the BTYD PMF values P(X(2)=10) and P(X(39)=0)', () => {
    expectRelative(bgnbdProbabilityOfPurchases(PAPER, 2, 10), 1.07869e-7, 0.001);
    expectRelative(bgnbdProbabilityOfPurchases(PAPER, 39, 0), 0.5737864, 0.0001);
  });

  it('sums to 1 over x', () => {
    let total = 0;
    for (let x = 0; x < 200; x++) total += bgnbdProbabilityOfPurchases(PAPER, 39, x);
    expect(total).toBeCloseTo(1, 6);
  });
});

describe('scoreBgnbd', () => {
  it('gives every customer the same numbers as the one-at-a-time functions', () => {
    const scores = scoreBgnbd(BTYD_MLE, cdnow, [1, 52]);
    for (const i of [0, 1, 100, 1515, 2356]) {
      const [x, tx, T] = [cdnow.frequency[i]!, cdnow.recency[i]!, cdnow.T[i]!];
      expect(scores.pAlive[i]).toBeCloseTo(bgnbdPAlive(BTYD_MLE, x, tx, T), 12);
      expect(scores.expected[0]![i]).toBeCloseTo(bgnbdConditionalExpected(BTYD_MLE, 1, x, tx, T), 12);
      expect(scores.expected[1]![i]).toBeCloseTo(bgnbdConditionalExpected(BTYD_MLE, 52, x, tx, T), 12);
    }
  });
});
