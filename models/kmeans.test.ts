import { kmeans as mlKmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { assignToCentroids, kmeans, lloydFromCentroids } from './kmeans.ts';
import { generateGaussianMixture } from './simulate.ts';

const toRows = (data: Float64Array, n: number, d: number): number[][] => Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, i * d + d)));

function inertiaOf(rows: number[][], labels: ArrayLike<number>, centroids: number[][]): number {
  let total = 0;
  rows.forEach((row, i) => row.forEach((v, j) => (total += (v - centroids[labels[i]!]![j]!) ** 2)));
  return total;
}

describe('lloydFromCentroids', () => {
  it('gives the same labels and inertia as ml-kmeans from the same starting centroids', () => {
    const n = 4000;
    const d = 4;
    const k = 6;
    const { data } = generateGaussianMixture(n, d, k, 5, 2.5);
    const rows = toRows(data, n, d);
    // Rows 0, 10, 20, … as the start: arbitrary but shared by both implementations.
    const start = Array.from({ length: k }, (_, c) => rows[c * 10]!);
    const reference = mlKmeans(rows, k, { initialization: start.map((r) => r.slice()), tolerance: 0, maxIterations: 1000 });
    const ours = lloydFromCentroids(data, n, d, Float64Array.from(start.flat()), { tolerance: 0, maxIterations: 1000 });
    expect(Array.from(ours.labels)).toEqual(reference.clusters);
    expect(ours.iterations).toBe(reference.iterations);
    const referenceInertia = inertiaOf(rows, reference.clusters, reference.centroids);
    expect(Math.abs(ours.inertia - referenceInertia) / referenceInertia).toBeLessThan(1e-9);
  });

  it('moves an empty cluster to the row farthest from its centroid instead of leaving it empty', () => {
    const { data } = generateGaussianMixture(1000, 2, 3, 2);
    const start = Float64Array.from([data[0]!, data[1]!, data[2]!, data[3]!, 1e6, 1e6]); // third centroid far from everything
    const result = lloydFromCentroids(data, 1000, 2, start);
    expect(Array.from(result.sizes).every((size) => size > 0)).toBe(true);
    expect(result.sizes.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe('kmeans', () => {
  it('finds an inertia within 0.1 % of the best ml-kmeans finds over the same number of k-means++ starts', () => {
    const n = 10_000;
    const d = 6;
    const k = 8;
    const { data } = generateGaussianMixture(n, d, k, 9, 3);
    const rows = toRows(data, n, d);
    let referenceBest = Infinity;
    for (let seed = 1; seed <= 5; seed++) {
      const result = mlKmeans(rows, k, { seed, initialization: 'kmeans++', maxIterations: 300 });
      referenceBest = Math.min(referenceBest, inertiaOf(rows, result.clusters, result.centroids));
    }
    const ours = kmeans(data, n, d, { k, seed: 1, nInit: 5 });
    expect(ours.inertia).toBeLessThanOrEqual(referenceBest * 1.001);
  });

  it('returns labels, sizes and inertia that describe the same partition', () => {
    const { data } = generateGaussianMixture(5000, 3, 4, 1);
    const result = kmeans(data, 5000, 3, { k: 4, seed: 2 });
    const check = assignToCentroids(data, 5000, 3, result.centroids);
    expect(Array.from(result.labels)).toEqual(Array.from(check.labels));
    expect(result.inertia).toBeCloseTo(check.inertia, 6);
    expect(Array.from(result.sizes).reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it('gives the identical result for the same seed, and a comparable one for another seed', () => {
    const { data } = generateGaussianMixture(30_000, 6, 8, 3);
    const options = { k: 8, nInit: 3, sampleSize: 5000 };
    const first = kmeans(data, 30_000, 6, { ...options, seed: 42 });
    const again = kmeans(data, 30_000, 6, { ...options, seed: 42 });
    expect(Array.from(again.centroids)).toEqual(Array.from(first.centroids));
    expect(Array.from(again.labels)).toEqual(Array.from(first.labels));
    expect(again.inertia).toBe(first.inertia);
    const other = kmeans(data, 30_000, 6, { ...options, seed: 7 });
    expect(other.inertia / first.inertia).toBeLessThan(1.1);
  });

  it('refines a sample-based start on every row when the data is larger than the sample', () => {
    const { data } = generateGaussianMixture(30_000, 4, 5, 8);
    const sampled = kmeans(data, 30_000, 4, { k: 5, seed: 1, sampleSize: 3000 });
    const full = kmeans(data, 30_000, 4, { k: 5, seed: 1, sampleSize: 30_000 });
    expect(sampled.labels.length).toBe(30_000);
    expect(sampled.inertia / full.inertia).toBeLessThan(1.001);
  });

  it('rejects bad input with a ModelError that names the problem', () => {
    const data = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const error = (fn: () => unknown): ModelError => {
      try {
        fn();
      } catch (e) {
        if (e instanceof ModelError) return e;
        throw e;
      }
      throw new Error('expected a ModelError');
    };
    expect(error(() => kmeans(data, 3, 2, { k: 4, seed: 1 })).message).toMatch(/k \(4\) is larger than the number of rows \(3\)/);
    expect(error(() => kmeans(Float64Array.from([1, 2, Number.NaN, 4]), 2, 2, { k: 1, seed: 1 })).message).toMatch(/non-finite value \(NaN\) at row 1, column 0/);
    expect(error(() => kmeans(new Float64Array(0), 0, 2, { k: 1, seed: 1 })).message).toMatch(/at least one row, got 0 rows/);
    expect(error(() => kmeans(data, 3, 2, { k: 0, seed: 1 })).code).toBe('bad_k');
    expect(error(() => kmeans(data, 4, 2, { k: 1, seed: 1 })).message).toMatch(/expected n × d/);
  });
});
