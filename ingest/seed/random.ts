// A small seeded PRNG (xoshiro128**) and stateless hashes. The generator never uses Math.random:
// every value comes from a stream keyed by (seed, stream, entity id), so a table can be generated
// again later (orders, then their items) and give the same values, and the output for a seed is
// the same on every run.

/** murmur3's 32-bit finaliser: a fast, well-mixed bijection on uint32. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of up to three uint32 keys, as a uint32. */
export function hash3(a: number, b: number, c: number): number {
  let h = mix32((a ^ 0x9e3779b9) >>> 0);
  h = mix32((h + Math.imul(b >>> 0, 0xcc9e2d51)) >>> 0);
  h = mix32((h ^ Math.imul(c >>> 0, 0x1b873593)) >>> 0);
  return h;
}

/** A uniform number in [0, 1) from (a, b, c) without any generator state. */
export function hashUnit(a: number, b: number, c: number): number {
  return hash3(a, b, c) / 4294967296;
}

/** Folds a user seed (any safe integer) into a 32-bit key. */
export function seedKey(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return hash3(lo, hi, 0x5eed);
}

export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal = 0;
  private hasSpare = false;

  constructor(a = 0, b = 0, c = 0) {
    this.reseed(a, b, c);
  }

  /** Restarts the stream for (a, b, c); reusing one object avoids an allocation per entity. */
  reseed(a: number, b: number, c: number): this {
    // splitmix32 expands the hash into the four words of state (never all zero).
    const h = hash3(a, b, c);
    this.s0 = mix32((h + 0x9e3779b9) >>> 0) | 0;
    this.s1 = mix32((h + 0x3c6ef372) >>> 0) | 0;
    this.s2 = mix32((h + 0xdaa66d2b) >>> 0) | 0;
    this.s3 = mix32((h + 0x78dde6e4) >>> 0) | 1;
    this.hasSpare = false;
    return this;
  }

  /** Next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Index drawn from cumulative weights (last element = total). */
  pickCumulative(cumulative: Float64Array): number {
    const total = cumulative[cumulative.length - 1] as number;
    const u = this.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Standard normal (Box–Muller, keeping the second value). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    let u = this.next();
    while (u <= 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(1 - this.next());
  }

  /** Gamma(shape, scale = 1), Marsaglia–Tsang. */
  gamma(shape: number): number {
    if (shape < 1) {
      const u = this.next();
      return this.gamma(shape + 1) * Math.pow(u <= 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k += 1;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Cumulative sums of weights, for Random.pickCumulative. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] as number;
    out[i] = sum;
  }
  return out;
}
