import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { createRng } from './random.ts';
import { chooseK, silhouetteScore } from './silhouette.ts';

/** n rows around the given centres with unit noise. */
function blobs(centres: number[][], perCentre: number, seed: number): { data: Float64Array; labels: Int32Array; n: number; d: number } {
  const rng = createRng(seed);
  const d = centres[0]!.length;
  const n = centres.length * perCentre;
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % centres.length;
    labels[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c]![j]! + rng.nextNormal();
  }
  return { data, labels, n, d };
}

// The textbook definition, O(n²) with no shortcuts, to check the fast version against.
function bruteForceSilhouette(data: Float64Array, n: number, d: number, labels: Int32Array): number {
  const dist = (i: number, j: number): number => Math.sqrt(Array.from({ length: d }, (_, c) => (data[i * d + c]! - data[j * d + c]!) ** 2).reduce((a, b) => a + b, 0));
  const k = Math.max(...labels) + 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const meanTo = Array.from({ length: k }, (_, c) => {
      const members = Array.from({ length: n }, (_, j) => j).filter((j) => labels[j] === c && j !== i);
      return members.reduce((s, j) => s + dist(i, j), 0) / members.length;
    });
    const a = meanTo[labels[i]!]!;
    const b = Math.min(...meanTo.filter((_, c) => c !== labels[i]));
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

describe('silhouetteScore', () => {
  it('equals the textbook definition', () => {
    const { data, labels, n, d } = blobs([[0, 0], [3, 0], [0, 3]], 20, 1);
    expect(silhouetteScore(data, n, d, labels)).toBeCloseTo(bruteForceSilhouette(data, n, d, labels), 12);
  });

  it('is near 1 for well-separated clusters and lower for a wrong split', () => {
    const { data, labels, n, d } = blobs([[0, 0], [20, 0]], 100, 2);
    expect(silhouetteScore(data, n, d, labels)).toBeGreaterThan(0.9);
    const wrong = Int32Array.from(labels, (_, i) => (data[i * d + 1]! > 0 ? 1 : 0));
    expect(silhouetteScore(data, n, d, wrong)).toBeLessThan(0.2);
  });

  it('needs two clusters', () => {
    expect(() => silhouetteScore(new Float64Array(4), 2, 2, new Int32Array(2))).toThrow(ModelError);
  });
});

describe('chooseK', () => {
  it('picks the number of groups that is really there', () => {
    const centres = [[0, 0, 0], [12, 0, 0], [0, 12, 0], [0, 0, 12], [12, 12, 12]];
    const { data, n, d } = blobs(centres, 2000, 3);
    const chosen = chooseK(data, n, d, { kMin: 3, kMax: 8, seed: 1, sampleSize: 2000 });
    expect(chosen.k).toBe(5);
    expect(chosen.scores.map((s) => s.k)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(chosen.result.sizes.length).toBe(5);
  });
});
