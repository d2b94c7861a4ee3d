// Seeded randomness for every model (CONVENTIONS 9): the caller passes a seed, so a run can be
// repeated exactly. mulberry32 is small, fast and good enough for sampling and initialisation;
// it is not for cryptography.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, max). */
  nextInt(max: number): number;
  /** Standard normal (Box–Muller; one value per call, the pair's twin is cached). */
  nextNormal(): number;
}

export function createRng(seed: number): Rng {
  // Mix the seed once so nearby seeds (1, 2, 3…) do not start from nearby states.
  let state = hashSeed(seed);
  let spare = Number.NaN;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt: (max) => Math.floor(next() * max),
    nextNormal: () => {
      if (!Number.isNaN(spare)) {
        const value = spare;
        spare = Number.NaN;
        return value;
      }
      let u = next();
      while (u === 0) u = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * next();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
  };
}

/** A new seed drawn from `rng`, for handing independent streams to sub-steps (e.g. each k-means start). */
export function deriveSeed(rng: Rng): number {
  return Math.floor(rng.next() * 4294967296);
}

function hashSeed(seed: number): number {
  // splitmix-style avalanche of the integer part and the fraction, so 1.5 and 1 differ too.
  let h = (Math.floor(seed) ^ Math.floor((seed % 1) * 4294967296)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Gamma(shape, 1) draw (Marsaglia & Tsang 2000); shape < 1 uses the boost Γ(shape+1)·U^(1/shape). */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return sampleGamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.nextNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * m distinct indices out of n, each subset equally likely, in increasing order (Knuth's
 * selection sampling, Algorithm S): one sweep, no index array of size n.
 */
export function sampleIndices(n: number, m: number, rng: Rng): Int32Array {
  const size = Math.min(n, m);
  const picked = new Int32Array(size);
  let taken = 0;
  for (let i = 0; i < n && taken < size; i++) {
    if (rng.next() * (n - i) < size - taken) picked[taken++] = i;
  }
  return picked;
}
