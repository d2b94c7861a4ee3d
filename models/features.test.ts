import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { SEGMENT_FEATURES, applyStandardization, buildSegmentFeatures, log1pColumns, standardize } from './features.ts';

describe('standardize', () => {
  it('gives every column mean 0 and standard deviation 1', () => {
    const data = Float64Array.from([1, 10, 2, 20, 3, 30, 4, 40]);
    const { scaled, means, stds } = standardize(data, 4, 2);
    expect(Array.from(means)).toEqual([2.5, 25]);
    for (let j = 0; j < 2; j++) {
      const column = [0, 1, 2, 3].map((i) => scaled[i * 2 + j]!);
      expect(column.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
      expect(Math.sqrt(column.reduce((a, b) => a + b * b, 0) / 4)).toBeCloseTo(1, 12);
    }
    expect(stds[0]).toBeCloseTo(Math.sqrt(1.25), 12);
  });

  it('leaves an all-zero or constant column at 0 and flags it, never NaN', () => {
    const data = Float64Array.from([0, 5, 1, 0, 5, 2, 0, 5, 3]);
    const { scaled, constantColumns, stds } = standardize(data, 3, 3);
    expect(constantColumns).toEqual([0, 1]);
    expect(stds[0]).toBe(0);
    expect(Array.from(scaled).some(Number.isNaN)).toBe(false);
    expect([0, 1, 3, 4, 6, 7].map((i) => scaled[i])).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects zero rows', () => {
    expect(() => standardize(new Float64Array(0), 0, 2)).toThrow(ModelError);
  });
});

describe('applyStandardization', () => {
  it('scales new rows with a previously fitted scaler', () => {
    const fitted = standardize(Float64Array.from([0, 2]), 2, 1);
    expect(Array.from(applyStandardization(Float64Array.from([3]), 1, 1, fitted.means, fitted.stds))).toEqual([2]);
  });
});

describe('log1pColumns', () => {
  it('log-scales the chosen columns only and refuses negative values', () => {
    const out = log1pColumns(Float64Array.from([Math.E - 1, 5]), 1, 2, [0]);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBe(5);
    expect(() => log1pColumns(Float64Array.from([-2]), 1, 1)).toThrow(/row 0, column 0 has -2/);
  });
});

describe('buildSegmentFeatures', () => {
  it('builds the documented six log-scaled columns, engagement = opens + clicks', () => {
    const built = buildSegmentFeatures({
      recencyDays: [10],
      orders: [3],
      revenue: [99],
      tenureDays: [400],
      campaignOpens: [4],
      campaignClicks: [2],
      tickets: [0],
    });
    expect(built.names).toEqual(SEGMENT_FEATURES.map((f) => f.name));
    expect(Array.from(built.data)).toEqual([10, 3, 99, 400, 6, 0].map(Math.log1p));
  });
});
