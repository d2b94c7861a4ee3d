// k-means over a flat row-major Float64Array (n rows × d columns). Built for a million customers
// on a small machine: only typed arrays are allocated (no per-row objects), the k-means++ starts
// and their Lloyd runs use a sample, and only the winning start is refined on every row.
import { ModelError } from '../lib/errors.ts';
import { createRng, deriveSeed, sampleIndices, type Rng } from './random.ts';

export interface LloydOptions {
  /** Lloyd iterations at most (per run). Default 300. */
  maxIterations?: number;
  /**
   * Stop when the summed squared centroid shift falls to tolerance × the mean column variance
   * (scikit-learn's rule, so the same number means the same thing). 0 runs until labels stop
   * changing. Default 1e-4.
   */
  tolerance?: number;
}

export interface KmeansOptions extends LloydOptions {
  k: number;
  seed: number;
  /** Independent k-means++ starts; the lowest inertia wins. Default 5. */
  nInit?: number;
  /** Rows used for the starts and their Lloyd runs. Default 100 000. */
  sampleSize?: number;
}

export interface KmeansResult {
  /** k × d, row-major. */
  centroids: Float64Array;
  labels: Int32Array;
  /** Sum of squared distances from each row to its centroid. */
  inertia: number;
  /** Lloyd iterations of the winning run (sample phase plus full-data phase). */
  iterations: number;
  /** Rows per cluster; a 0 is only possible when the data has fewer distinct rows than k. */
  sizes: Int32Array;
}

const DEFAULT_SAMPLE = 100_000;

/**
 * Best of `nInit` greedy k-means++ starts (each followed by Lloyd) on a seeded sample of at most
 * `sampleSize` rows, then Lloyd on all rows from the winner. Same seed, same result.
 */
export function kmeans(data: Float64Array, n: number, d: number, options: KmeansOptions): KmeansResult {
  const { k, seed, nInit = 5, maxIterations = 300, tolerance = 1e-4, sampleSize = DEFAULT_SAMPLE } = options;
  validateMatrix(data, n, d);
  if (!Number.isInteger(k) || k < 1) throw new ModelError('bad_k', `k must be a whole number ≥ 1, got ${k}`);
  if (k > n) throw new ModelError('bad_k', `k (${k}) is larger than the number of rows (${n})`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new ModelError('bad_options', `nInit must be a whole number ≥ 1, got ${nInit}`);
  const rng = createRng(seed);

  const m = Math.min(n, Math.max(sampleSize, k));
  const sample = m < n ? sampleRows(data, n, d, m, rng) : data;
  const sampleTolerance = tolerance * meanVariance(sample, m, d);
  const sampleLabels = new Int32Array(m);
  const work = createWorkspace(k, d);

  let best: { centroids: Float64Array; inertia: number; iterations: number; labels: Int32Array } | null = null;
  for (let run = 0; run < nInit; run++) {
    const centroids = kmeansPlusPlus(sample, m, d, k, createRng(deriveSeed(rng)));
    const { inertia, iterations } = lloyd(sample, m, d, k, centroids, sampleLabels, maxIterations, sampleTolerance, work);
    if (best === null || inertia < best.inertia) {
      best = { centroids, inertia, iterations, labels: m < n ? sampleLabels : sampleLabels.slice() };
    }
  }
  // nInit ≥ 1, so best is set.
  const winner = best!;
  if (m === n) {
    return { centroids: winner.centroids, labels: winner.labels, inertia: winner.inertia, iterations: winner.iterations, sizes: countSizes(winner.labels, k) };
  }
  const labels = new Int32Array(n);
  const full = lloyd(data, n, d, k, winner.centroids, labels, maxIterations, tolerance * meanVariance(data, n, d), work);
  return { centroids: winner.centroids, labels, inertia: full.inertia, iterations: winner.iterations + full.iterations, sizes: countSizes(labels, k) };
}

/** Lloyd iterations on all rows from the given k × d centroids (copied, not changed). */
export function lloydFromCentroids(data: Float64Array, n: number, d: number, initialCentroids: Float64Array, options: LloydOptions = {}): KmeansResult {
  const { maxIterations = 300, tolerance = 1e-4 } = options;
  validateMatrix(data, n, d);
  if (initialCentroids.length === 0 || initialCentroids.length % d !== 0) {
    throw new ModelError('bad_centroids', `initial centroids must be k × ${d} values, got ${initialCentroids.length}`);
  }
  if (!initialCentroids.every(Number.isFinite)) throw new ModelError('bad_centroids', 'initial centroids contain a non-finite value');
  const k = initialCentroids.length / d;
  if (k > n) throw new ModelError('bad_k', `k (${k}) is larger than the number of rows (${n})`);
  const centroids = initialCentroids.slice();
  const labels = new Int32Array(n);
  const { inertia, iterations } = lloyd(data, n, d, k, centroids, labels, maxIterations, tolerance * meanVariance(data, n, d), createWorkspace(k, d));
  return { centroids, labels, inertia, iterations, sizes: countSizes(labels, k) };
}

/** Index of the nearest of k centroids to each row, and the total squared distance. */
export function assignToCentroids(data: Float64Array, n: number, d: number, centroids: Float64Array, labels = new Int32Array(n)): { labels: Int32Array; inertia: number } {
  const k = centroids.length / d;
  let inertia = 0;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let bestC = 0;
    let bestDist = Infinity;
    for (let c = 0, cb = 0; c < k; c++, cb += d) {
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = data[base + j]! - centroids[cb + j]!;
        dist += diff * diff;
      }
      if (dist < bestDist) {
        bestDist = dist;
        bestC = c;
      }
    }
    labels[i] = bestC;
    inertia += bestDist;
  }
  return { labels, inertia };
}

/** Throws a ModelError naming the problem: no rows, wrong length, or a non-finite value (row and column). */
export function validateMatrix(data: Float64Array, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ModelError('empty_input', `k-means needs at least one row, got ${n} rows`);
  if (!Number.isInteger(d) || d < 1) throw new ModelError('bad_input', `k-means needs at least one column, got ${d}`);
  if (data.length !== n * d) throw new ModelError('bad_input', `data has ${data.length} values, expected n × d = ${n} × ${d} = ${n * d}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ModelError('bad_value', `data has a non-finite value (${data[i]}) at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
}

interface Workspace {
  sums: Float64Array;
  counts: Int32Array;
  previous: Float64Array;
  /** Distance each centroid moved in the last update. */
  moved: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid. */
  halfGap: Float64Array;
}

function createWorkspace(k: number, d: number): Workspace {
  return {
    sums: new Float64Array(k * d),
    counts: new Int32Array(k),
    previous: new Float64Array(k * d),
    moved: new Float64Array(k),
    halfGap: new Float64Array(k),
  };
}

// Lloyd's algorithm with Hamerly's bounds (2010), updating `centroids` and `labels` in place. It
// makes exactly the assignments plain Lloyd makes, but keeps per row an upper bound on the
// distance to its centroid and a lower bound on the distance to any other; once centroids settle,
// most rows are proved unchanged without computing a distance, so later passes cost little.
// Iterations count as in ml-kmeans (assign, then update), so from the same start the two give
// the same partition after the same number of iterations.
function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centroids: Float64Array,
  labels: Int32Array,
  maxIterations: number,
  tolerance: number,
  work: Workspace,
): { inertia: number; iterations: number } {
  const { sums, counts, previous, moved, halfGap } = work;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  sums.fill(0);
  counts.fill(0);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    const c = nearestTwo(data, base, d, k, centroids, upper, lower, i);
    labels[i] = c;
    counts[c]!++;
    for (let j = 0; j < d; j++) sums[c * d + j]! += data[base + j]!;
  }
  let iterations = 0;
  for (;;) {
    iterations++;
    relocateEmptyClusters(data, n, d, k, centroids, labels, upper, lower, work);
    previous.set(centroids);
    let shift = 0;
    let maxMove = 0;
    let secondMove = 0;
    let maxMoved = 0;
    for (let c = 0; c < k; c++) {
      const count = counts[c]!;
      let move = 0;
      for (let j = 0; j < d; j++) {
        const value = count > 0 ? sums[c * d + j]! / count : previous[c * d + j]!;
        const delta = value - previous[c * d + j]!;
        move += delta * delta;
        centroids[c * d + j] = value;
      }
      shift += move;
      moved[c] = Math.sqrt(move);
      if (moved[c]! > maxMove) {
        secondMove = maxMove;
        maxMove = moved[c]!;
        maxMoved = c;
      } else if (moved[c]! > secondMove) {
        secondMove = moved[c]!;
      }
    }
    if (shift === 0) break; // nothing moved: labels already match the centroids
    for (let c = 0; c < k; c++) {
      let gap = Infinity;
      for (let o = 0; o < k; o++) if (o !== c) gap = Math.min(gap, squaredDistance(centroids, c * d, centroids, o * d, d));
      halfGap[c] = 0.5 * Math.sqrt(gap);
    }
    // Reassign under the new centroids: bounds first, distances only where they cannot decide.
    for (let i = 0, base = 0; i < n; i++, base += d) {
      const a = labels[i]!;
      upper[i]! += moved[a]!;
      lower[i]! -= a === maxMoved ? secondMove : maxMove;
      const bound = Math.max(halfGap[a]!, lower[i]!);
      if (upper[i]! <= bound) continue;
      upper[i] = Math.sqrt(squaredDistance(data, base, centroids, a * d, d));
      if (upper[i]! <= bound) continue;
      const c = nearestTwo(data, base, d, k, centroids, upper, lower, i);
      if (c !== a) {
        labels[i] = c;
        counts[a]!--;
        counts[c]!++;
        for (let j = 0; j < d; j++) {
          sums[a * d + j]! -= data[base + j]!;
          sums[c * d + j]! += data[base + j]!;
        }
      }
    }
    if (shift <= tolerance || iterations >= maxIterations) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(data, i * d, centroids, labels[i]! * d, d);
  return { inertia, iterations };
}

// Nearest centroid of one row (first one on ties, as ml-kmeans and scikit-learn choose); also
// sets the row's Hamerly bounds to the exact nearest and second-nearest distances.
function nearestTwo(data: Float64Array, base: number, d: number, k: number, centroids: Float64Array, upper: Float64Array, lower: Float64Array, i: number): number {
  let best = 0;
  let bestDist = Infinity;
  let secondDist = Infinity;
  for (let c = 0, cb = 0; c < k; c++, cb += d) {
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[base + j]! - centroids[cb + j]!;
      dist += diff * diff;
    }
    if (dist < bestDist) {
      secondDist = bestDist;
      bestDist = dist;
      best = c;
    } else if (dist < secondDist) {
      secondDist = dist;
    }
  }
  upper[i] = Math.sqrt(bestDist);
  lower[i] = Math.sqrt(secondDist);
  return best;
}

// An empty cluster takes the row farthest from its own centroid (as scikit-learn does): that row
// is the worst-served, and a centroid left where no row is nearest would never recover.
function relocateEmptyClusters(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  centroids: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  work: Workspace,
): void {
  const { sums, counts } = work;
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  // The `empty.length` farthest rows, kept sorted by distance (descending); k is small.
  const far: { row: number; dist: number }[] = [];
  for (let i = 0; i < n; i++) {
    const dist = squaredDistance(data, i * d, centroids, labels[i]! * d, d);
    if (far.length < empty.length || dist > far[far.length - 1]!.dist) {
      if (far.length === empty.length) far.pop();
      let at = far.length;
      while (at > 0 && far[at - 1]!.dist < dist) at--;
      far.splice(at, 0, { row: i, dist });
    }
  }
  for (let e = 0; e < far.length; e++) {
    const { row, dist } = far[e]!;
    const from = labels[row]!;
    // Moving the only row of a cluster, or a row sitting on its centroid, would just move the hole.
    if (dist === 0 || counts[from]! <= 1) continue;
    const target = empty[e]!;
    for (let j = 0; j < d; j++) {
      const value = data[row * d + j]!;
      sums[from * d + j]! -= value;
      sums[target * d + j] = value;
    }
    counts[from]!--;
    counts[target] = 1;
    labels[row] = target;
    // The row becomes its cluster's centroid; a zero lower bound forces a full check next pass.
    upper[row] = 0;
    lower[row] = 0;
  }
}

// Greedy k-means++ (Arthur & Vassilvitskii 2007, as in scikit-learn): each new centre is the best
// of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D², judged by the potential it leaves.
function kmeansPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centroids = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  let closest = new Float64Array(n);
  let candidate = new Float64Array(n);
  let bestCandidate = new Float64Array(n);
  const cumulative = new Float64Array(n);

  const first = rng.nextInt(n);
  centroids.set(data.subarray(first * d, first * d + d), 0);
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(data, i * d, centroids, 0, d);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i]!;
    let bestPotential = Infinity;
    let bestRow = 0;
    for (let t = 0; t < trials; t++) {
      const row = Math.min(searchSorted(cumulative, rng.next() * running), n - 1);
      let candidatePotential = 0;
      const rb = row * d;
      for (let i = 0, base = 0; i < n; i++, base += d) {
        // Inlined and without early exit: a branch per column costs more than it saves at small d.
        const current = closest[i]!;
        let dist = 0;
        for (let j = 0; j < d; j++) {
          const diff = data[base + j]! - data[rb + j]!;
          dist += diff * diff;
        }
        const nearest = dist < current ? dist : current;
        candidate[i] = nearest;
        candidatePotential += nearest;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestRow = row;
        [candidate, bestCandidate] = [bestCandidate, candidate];
      }
    }
    centroids.set(data.subarray(bestRow * d, bestRow * d + d), c * d);
    [closest, bestCandidate] = [bestCandidate, closest];
  }
  return centroids;
}

function squaredDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, d: number): number {
  let dist = 0;
  for (let j = 0; j < d; j++) {
    const diff = a[aOffset + j]! - b[bOffset + j]!;
    dist += diff * diff;
  }
  return dist;
}

/** First index whose cumulative value is ≥ target (numpy's searchsorted, side 'left'). */
function searchSorted(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sampleRows(data: Float64Array, n: number, d: number, m: number, rng: Rng): Float64Array {
  const rows = sampleIndices(n, m, rng);
  const sample = new Float64Array(m * d);
  for (let s = 0; s < rows.length; s++) sample.set(data.subarray(rows[s]! * d, rows[s]! * d + d), s * d);
  return sample;
}

// Mean of the column variances, in one row-order sweep. Sums are taken around the first row's
// values, which avoids the cancellation of Σx² − n·mean² when a column sits far from zero.
function meanVariance(data: Float64Array, n: number, d: number): number {
  const sum = new Float64Array(d);
  const sumSq = new Float64Array(d);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    for (let j = 0; j < d; j++) {
      const v = data[base + j]! - data[j]!;
      sum[j]! += v;
      sumSq[j]! += v * v;
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += sumSq[j]! / n - (sum[j]! / n) ** 2;
  return Math.max(total / d, 0);
}

function countSizes(labels: Int32Array, k: number): Int32Array {
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]!]!++;
  return sizes;
}
