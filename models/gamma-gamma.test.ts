import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { readCdnowCsv } from './cdnow.fixture.ts';
import { fitGammaGamma, gammaGammaLogLikelihood, ggConditionalExpectedValue } from './gamma-gamma.ts';

const cdnow = readCdnowCsv('cdnow_customers_summary_with_transactions.csv');

describe('fitGammaGamma', () => {
  it('reproduces Fader & Hardie (2013) on the 946 CDNOW repeat customers: p 6.25, q 3.74, v 15.44', () => {
    const fit = fitGammaGamma(cdnow.x!, cdnow.zbar!);
    expect(fit.customers).toBe(946);
    expect(Math.abs(fit.p / 6.25 - 1)).toBeLessThan(0.005);
    expect(Math.abs(fit.q / 3.74 - 1)).toBeLessThan(0.005);
    expect(Math.abs(fit.v / 15.44 - 1)).toBeLessThan(0.005);
    expect(fit.loglik).toBeCloseTo(-4055.92, 1);
  });

  it('needs repeat customers with positive spend', () => {
    expect(() => fitGammaGamma([0, 0], [0, 0])).toThrow(ModelError);
    expect(() => fitGammaGamma([1, 2], [10, -1])).toThrow(/row 1 has -1/);
  });
});

describe('gammaGammaLogLikelihood', () => {
  it('matches the published log-likelihood at the published parameters', () => {
    expect(gammaGammaLogLikelihood({ p: 6.2488, q: 3.7446, v: 15.4477 }, cdnow.x!, cdnow.zbar!)).toBeCloseTo(-4055.923, 2);
  });
});

describe('ggConditionalExpectedValue', () => {
  it('gives IDs 1..10 the expected average profit from Hardie’s spreadsheet (to 0.1)', () => {
    const fit = fitGammaGamma(cdnow.x!, cdnow.zbar!);
    const expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    expected.forEach((value, i) => expect(Math.abs(ggConditionalExpectedValue(fit, cdnow.x![i]!, cdnow.zbar![i]!) - value)).toBeLessThan(0.1));
  });
});
