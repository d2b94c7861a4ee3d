// Seeded synthetic data with known structure, for tests and benchmarks: a model must recover
// what was put in. Typed arrays throughout so a million rows stay cheap.
import type { BgnbdData, BgnbdParams } from './bgnbd.ts';
import { createRng, sampleGamma } from './random.ts';

export interface GaussianMixture {
  data: Float64Array;
  /** Component each row was drawn from. */
  components: Int32Array;
  means: Float64Array;
}

/**
 * n rows × d columns from k spherical Gaussian components with unit spread, whose means are drawn
 * uniformly in [−separation, separation]^d. Rows are interleaved, so any prefix is representative.
 */
export function generateGaussianMixture(n: number, d: number, k: number, seed: number, separation = 4): GaussianMixture {
  const rng = createRng(seed);
  const means = new Float64Array(k * d);
  for (let i = 0; i < means.length; i++) means[i] = (2 * rng.next() - 1) * separation;
  const data = new Float64Array(n * d);
  const components = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(k);
    components[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = means[c * d + j]! + rng.nextNormal();
  }
  return { data, components, means };
}

/**
 * Customers drawn from the BG/NBD process itself: rate λ ~ Gamma(r, α), drop-out p ~ Beta(a, b),
 * observed for T ~ Uniform(minT, maxT) after their first purchase.
 */
export function simulateBgnbd(params: BgnbdParams, n: number, seed: number, minT = 1, maxT = 78): BgnbdData & { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  const rng = createRng(seed);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = sampleGamma(rng, params.r) / params.alpha;
    const ga = sampleGamma(rng, params.a);
    const p = ga / (ga + sampleGamma(rng, params.b));
    const horizon = minT + (maxT - minT) * rng.next();
    let time = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      time += -Math.log(1 - rng.next()) / lambda;
      if (time > horizon) break;
      x++;
      last = time;
      if (rng.next() < p) break; // dies right after this purchase
    }
    frequency[i] = x;
    recency[i] = last;
    T[i] = horizon;
  }
  return { frequency, recency, T };
}
