// Silhouette on a sample to pick k: the exact score is O(n²), so a few thousand rows stand in for
// a million; that is plenty to rank a handful of candidate k.
import { ModelError } from '../lib/errors.ts';
import { kmeans, validateMatrix, type KmeansResult } from './kmeans.ts';
import { createRng, deriveSeed, sampleIndices } from './random.ts';

/**
 * Mean silhouette of the given rows (all of them, or `rows` only), Euclidean distance.
 * A row alone in its cluster scores 0 (Rousseeuw's convention, as scikit-learn).
 */
export function silhouetteScore(data: Float64Array, n: number, d: number, labels: Int32Array, rows?: Int32Array): number {
  const picked = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = picked.length;
  let k = 0;
  for (const i of picked) k = Math.max(k, labels[i]! + 1);
  if (k < 2) throw new ModelError('bad_k', 'silhouette needs at least two clusters among the rows');
  // sumTo[s * k + c]: total distance from sampled row s to the sampled rows of cluster c.
  const sumTo = new Float64Array(m * k);
  const clusterSize = new Int32Array(k);
  for (let s = 0; s < m; s++) clusterSize[labels[picked[s]!]!]!++;
  for (let s = 0; s < m; s++) {
    const base = picked[s]! * d;
    const ls = labels[picked[s]!]!;
    for (let t = s + 1; t < m; t++) {
      const other = picked[t]! * d;
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[base + j]! - data[other + j]!;
        dist += diff * diff;
      }
      dist = Math.sqrt(dist);
      sumTo[s * k + labels[picked[t]!]!]! += dist;
      sumTo[t * k + ls]! += dist;
    }
  }
  let total = 0;
  for (let s = 0; s < m; s++) {
    const own = labels[picked[s]!]!;
    if (clusterSize[own]! <= 1) continue;
    const a = sumTo[s * k + own]! / (clusterSize[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && clusterSize[c]! > 0) b = Math.min(b, sumTo[s * k + c]! / clusterSize[c]!);
    if (b === Infinity) continue;
    total += (b - a) / Math.max(a, b, Number.MIN_VALUE);
  }
  return total / m;
}

export interface ChooseKOptions {
  kMin?: number;
  kMax?: number;
  seed: number;
  /** Rows scored by silhouette. Default 5000. */
  sampleSize?: number;
  /** k-means starts per candidate k. Default 3. */
  nInit?: number;
}

export interface ChooseKResult {
  k: number;
  scores: { k: number; silhouette: number; inertia: number }[];
  /** The clustering for the chosen k. */
  result: KmeansResult;
}

/** Fits k-means for each k in [kMin, kMax] and keeps the k with the highest sampled silhouette (ties: smaller k). */
export function chooseK(data: Float64Array, n: number, d: number, options: ChooseKOptions): ChooseKResult {
  const { kMin = 3, kMax = 8, seed, sampleSize = 5000, nInit = 3 } = options;
  validateMatrix(data, n, d);
  if (!(Number.isInteger(kMin) && Number.isInteger(kMax) && 2 <= kMin && kMin <= kMax)) {
    throw new ModelError('bad_k', `chooseK needs whole numbers 2 ≤ kMin ≤ kMax, got kMin ${kMin}, kMax ${kMax}`);
  }
  if (kMax > n) throw new ModelError('bad_k', `kMax (${kMax}) is larger than the number of rows (${n})`);
  const rng = createRng(seed);
  // One sample for every k, so the scores compare clusterings, not samples.
  const rows = sampleIndices(n, sampleSize, rng);
  const scores: ChooseKResult['scores'] = [];
  let best: { k: number; silhouette: number; result: KmeansResult } | null = null;
  for (let k = kMin; k <= kMax; k++) {
    const result = kmeans(data, n, d, { k, seed: deriveSeed(rng), nInit });
    const silhouette = silhouetteScore(data, n, d, result.labels, rows);
    scores.push({ k, silhouette, inertia: result.inertia });
    if (best === null || silhouette > best.silhouette) best = { k, silhouette, result };
  }
  return { k: best!.k, scores, result: best!.result };
}
