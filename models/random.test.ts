import { describe, expect, it } from 'vitest';
import { createRng, sampleGamma, sampleIndices } from './random.ts';

describe('createRng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniform values in [0, 1) and standard normals with mean 0 and variance 1', () => {
    const rng = createRng(7);
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = rng.nextNormal();
      sum += z;
      sumSq += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(sumSq / n).toBeCloseTo(1, 1);
  });
});

describe('sampleGamma', () => {
  it('has mean equal to the shape, for shapes below and above 1', () => {
    const rng = createRng(3);
    for (const shape of [0.3, 2.5]) {
      let sum = 0;
      for (let i = 0; i < 50_000; i++) sum += sampleGamma(rng, shape);
      expect(sum / 50_000).toBeCloseTo(shape, 1);
    }
  });
});

describe('sampleIndices', () => {
  it('picks m distinct increasing indices, and all of them when m ≥ n', () => {
    const picked = sampleIndices(1000, 100, createRng(1));
    expect(picked.length).toBe(100);
    for (let i = 1; i < picked.length; i++) expect(picked[i]!).toBeGreaterThan(picked[i - 1]!);
    expect(Array.from(sampleIndices(5, 10, createRng(1)))).toEqual([0, 1, 2, 3, 4]);
  });
});
