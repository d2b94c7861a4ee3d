// BG/NBD ("Counting Your Customers the Easy Way", Fader, Hardie & Lee 2005): while alive a
// customer buys as a Poisson process (rate ~ Gamma(r, α)); after each purchase they drop out
// with probability p ~ Beta(a, b). Inputs per customer: x repeat purchases, t_x the time of the
// last one, T the time since the first purchase, all in one time unit (CDNOW uses weeks).
import { ModelError } from '../lib/errors.ts';
import { bfgs, type MinimizeResult } from './optimize.ts';
import { hyp2f1, lgamma } from './special.ts';

// Beyond e^±30 a parameter means the model has degenerated (e.g. no drop-out in the data);
// treating it as infeasible keeps the optimiser out of regions where nothing is computable.
const MAX_LOG_PARAM = 30;
// Customers used for the restarts; the final polish always uses everyone.
const RESTART_SAMPLE = 50_000;

export type Numbers = ArrayLike<number>;

export interface BgnbdData {
  /** x: number of repeat purchases. */
  frequency: Numbers;
  /** t_x: time of the last purchase, measured from the first one (0 when x = 0). */
  recency: Numbers;
  /** T: time from the first purchase to the end of the calibration period. */
  T: Numbers;
}

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgnbdFit extends BgnbdParams {
  loglik: number;
  iterations: number;
  converged: boolean;
}

export interface BgnbdScores {
  pAlive: Float64Array;
  /** One array per horizon, in the order given: expected purchases in (T, T + horizon]. */
  expected: Float64Array[];
}

/** Log-likelihood of the data (FHL 2005, eq. 6), summed over customers. */
export function bgnbdLogLikelihood(params: BgnbdParams, data: BgnbdData): number {
  const prepared = prepare(data);
  return -negativeLogLikelihood(prepared, toLog(params), null) * prepared.n;
}

/**
 * Maximum-likelihood fit. BFGS with the analytic gradient in log-parameter space, from several
 * starting points; the best optimum wins. One pass over the data gives value and gradient, and
 * the Γ-function terms (finite sums, as x is whole) are computed once per distinct frequency, so
 * 1M customers fit in a few seconds.
 */
export function fitBgnbd(data: BgnbdData): BgnbdFit {
  const prepared = prepare(data);
  let meanT = 0;
  for (let i = 0; i < prepared.n; i++) meanT += prepared.T[i]! / prepared.n;
  // α is a time scale, so two of the starts scale with the data; the first is the usual unit start.
  const starts: BgnbdParams[] = [
    { r: 1, alpha: 1, a: 1, b: 1 },
    { r: 0.5, alpha: Math.max(meanT, 1e-3), a: 0.5, b: 2 },
    { r: 2, alpha: Math.max(meanT / 4, 1e-3), a: 2, b: 5 },
  ];
  // On large inputs the restarts only need to find the right basin: run them on an evenly strided
  // subsample (deterministic, no seed needed), then polish the winner on every customer.
  const search = prepared.n > RESTART_SAMPLE ? subsample(data, Math.ceil(prepared.n / RESTART_SAMPLE)) : prepared;
  let best: MinimizeResult | null = null;
  for (const start of starts) {
    const result = bfgs((x, g) => negativeLogLikelihood(search, x, g), toLog(start), { maxIterations: 400 });
    if (Number.isFinite(result.f) && (best === null || result.f < best.f)) best = result;
  }
  if (best !== null && search !== prepared) {
    const iterations = best.iterations;
    best = bfgs((x, g) => negativeLogLikelihood(prepared, x, g), best.x, { maxIterations: 400 });
    best.iterations += iterations;
  }
  if (best === null || !Number.isFinite(best.f)) {
    throw new ModelError('fit_failed', 'BG/NBD fit failed: the likelihood was not finite from any starting point');
  }
  const [r, alpha, a, b] = best.x.map(Math.exp) as [number, number, number, number];
  return { r, alpha, a, b, loglik: -best.f * prepared.n, iterations: best.iterations, converged: best.converged };
}

/** P(customer still alive at T | x, t_x, T) (FHL 2005, eq. 11 / note). Always 1 for x = 0. */
export function bgnbdPAlive(params: BgnbdParams, x: number, t_x: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + t_x));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units (FHL 2005, eq. 10).
 * The formula divides by a − 1; at a = 1 exactly it is 0/0 (a fit essentially never lands there).
 */
export function bgnbdConditionalExpected(params: BgnbdParams, t: number, x: number, t_x: number, T: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - survivalTerm(params, x, z));
  if (x === 0) return numerator;
  const ratio = (a / (b + x - 1)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + t_x)));
  return numerator / (1 + ratio);
}

/** E[X(t)]: expected purchases by a new customer in (0, t] (FHL 2005, eq. 9). */
export function bgnbdExpected(params: BgnbdParams, t: number): number {
  const { alpha, a, b } = params;
  return ((a + b - 1) / (a - 1)) * (1 - survivalTerm(params, 0, t / (alpha + t)));
}

/** P(X(t) = x): probability that a new customer makes exactly x purchases in (0, t] (FHL 2005, eq. 8). */
export function bgnbdProbabilityOfPurchases(params: BgnbdParams, t: number, x: number): number {
  const { r, alpha, a, b } = params;
  const logBetaAB = lbeta(a, b);
  const logStay = Math.log(alpha / (alpha + t));
  const logMove = Math.log(t / (alpha + t));
  const first = Math.exp(lbeta(a, b + x) - logBetaAB + lgamma(r + x) - lgamma(r) - lgamma(x + 1) + r * logStay + x * logMove);
  if (x === 0) return first;
  let partial = 0;
  for (let j = 0; j < x; j++) partial += Math.exp(lgamma(r + j) - lgamma(r) - lgamma(j + 1) + j * logMove);
  return first + Math.exp(lbeta(a + 1, b + x - 1) - logBetaAB) * (1 - Math.exp(r * logStay) * partial);
}

/** P(alive) and conditional expected purchases per horizon for every customer, into typed arrays. */
export function scoreBgnbd(params: BgnbdParams, data: BgnbdData, horizons: readonly number[]): BgnbdScores {
  const { frequency, recency, T } = data;
  const n = checkLengths(data);
  const { r, alpha, a, b } = params;
  const pAlive = new Float64Array(n);
  const expected = horizons.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const lT = Math.log(alpha + T[i]!);
    // P(alive) and the denominator of eq. 10 share the same odds; compute them once.
    const odds = x === 0 ? 0 : (a / (b + x - 1)) * Math.exp((r + x) * (lT - Math.log(alpha + recency[i]!)));
    pAlive[i] = 1 / (1 + odds);
    const scale = (a + b + x - 1) / (a - 1) / (1 + odds);
    for (let h = 0; h < horizons.length; h++) {
      const t = horizons[h]!;
      expected[h]![i] = scale * (1 - survivalTerm(params, x, t / (alpha + T[i]! + t)));
    }
  }
  return { pAlive, expected };
}

// (1 − z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z) from eq. 10, rewritten with Euler's transformation as
// (1 − z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z). The direct series has parameters that grow with x
// and converges slowly for frequent buyers; the transformed one has small, fixed numerator
// parameters, so a few dozen terms suffice for typical z.
function survivalTerm(params: BgnbdParams, x: number, z: number): number {
  const { r, a, b } = params;
  return Math.pow(1 - z, a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
}

function lbeta(p: number, q: number): number {
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

interface Prepared {
  n: number;
  frequency: Numbers;
  recency: Numbers;
  T: Numbers;
  /** Distinct frequencies and, per customer, the index of theirs. */
  distinct: number[];
  /** Slots in increasing order of frequency, so the per-frequency sums can be accumulated. */
  order: number[];
  slot: Int32Array;
}

function checkLengths(data: BgnbdData): number {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n) {
    throw new ModelError('bad_input', `BG/NBD inputs differ in length: frequency ${n}, recency ${data.recency.length}, T ${data.T.length}`);
  }
  return n;
}

function prepare(data: BgnbdData): Prepared {
  const n = checkLengths(data);
  if (n === 0) throw new ModelError('empty_input', 'BG/NBD needs at least one customer, got zero rows');
  const { frequency, recency, T } = data;
  const slotOf = new Map<number, number>();
  const distinct: number[] = [];
  const slot = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const tx = recency[i]!;
    const t = T[i]!;
    if (!(x >= 0 && Number.isInteger(x))) throw new ModelError('bad_input', `BG/NBD frequency must be a whole number ≥ 0; row ${i} has ${x}`);
    if (!(tx >= 0 && t > 0 && tx <= t)) {
      throw new ModelError('bad_input', `BG/NBD needs 0 ≤ recency ≤ T and T > 0; row ${i} has recency ${tx}, T ${t}`);
    }
    let s = slotOf.get(x);
    if (s === undefined) {
      s = distinct.length;
      distinct.push(x);
      slotOf.set(x, s);
    }
    slot[i] = s;
  }
  const order = distinct.map((_, s) => s).sort((i, k) => distinct[i]! - distinct[k]!);
  return { n, frequency, recency, T, distinct, order, slot };
}

function subsample(data: BgnbdData, stride: number): Prepared {
  const pick = (values: Numbers): Float64Array => {
    const out = new Float64Array(Math.ceil(values.length / stride));
    for (let i = 0, k = 0; i < values.length; i += stride, k++) out[k] = values[i]!;
    return out;
  };
  return prepare({ frequency: pick(data.frequency), recency: pick(data.recency), T: pick(data.T) });
}

function toLog(p: BgnbdParams): number[] {
  return [Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b)];
}

// Mean negative log-likelihood over customers (so tolerances do not depend on n) and, when asked,
// its gradient with respect to the log-parameters. Per customer:
//   LL = r ln α + C(x) + ln(e^A3 + [x>0] e^A4)
//   C(x) = ln Γ(r+x) − ln Γ(r) + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
//   A3 = −(r+x) ln(α+T),  A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
function negativeLogLikelihood(d: Prepared, logParams: number[], gradient: number[] | null): number {
  const [r, alpha, a, b] = logParams.map(Math.exp) as [number, number, number, number];
  if (logParams.some((v) => Math.abs(v) > MAX_LOG_PARAM)) return Infinity;
  const m = d.distinct.length;
  // Per distinct frequency: C(x), ∂C/∂r, ∂C/∂a, ∂C/∂b and the x-only part of A4. x is a whole
  // number, so each ln Γ difference is a finite sum, e.g. ln Γ(r+x) − ln Γ(r) = Σ_{j<x} ln(r+j).
  // Sums stay accurate when a and b grow large (data without drop-out pushes them towards ∞),
  // where differences of two huge ln Γ values would lose every digit.
  const c = new Float64Array(m);
  const cR = new Float64Array(m);
  const cA = new Float64Array(m);
  const cB = new Float64Array(m);
  const a4Base = new Float64Array(m);
  const invB = new Float64Array(m);
  let sumC = 0;
  let sumR = 0;
  let sumA = 0;
  let sumB = 0;
  let j = 0;
  for (const s of d.order) {
    const x = d.distinct[s]!;
    for (; j < x; j++) {
      sumC += Math.log(r + j) + Math.log(b + j) - Math.log(a + b + j);
      sumR += 1 / (r + j);
      sumA -= 1 / (a + b + j);
      sumB += 1 / (b + j) - 1 / (a + b + j);
    }
    c[s] = sumC;
    cR[s] = sumR;
    cA[s] = sumA;
    cB[s] = sumB;
    if (x > 0) {
      a4Base[s] = Math.log(a) - Math.log(b + x - 1);
      invB[s] = 1 / (b + x - 1);
    }
  }
  const logAlpha = Math.log(alpha);
  let sum = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  const { frequency, recency, T, slot, n } = d;
  for (let i = 0; i < n; i++) {
    const s = slot[i]!;
    const x = frequency[i]!;
    const rx = r + x;
    const lT = Math.log(alpha + T[i]!);
    const a3 = -rx * lT;
    let mix: number;
    let w = 0; // posterior weight of the A4 ("died after last purchase") branch
    let lt = 0;
    if (x > 0) {
      lt = Math.log(alpha + recency[i]!);
      const a4 = a4Base[s]! - rx * lt;
      const diff = a4 - a3;
      if (diff > 0) {
        const e = Math.exp(-diff);
        mix = a4 + Math.log1p(e);
        w = 1 / (1 + e);
      } else {
        const e = Math.exp(diff);
        mix = a3 + Math.log1p(e);
        w = e / (1 + e);
      }
    } else {
      mix = a3;
    }
    sum += r * logAlpha + c[s]! + mix;
    if (gradient) {
      gR += logAlpha + cR[s]! - (1 - w) * lT - w * lt;
      gAlpha += r / alpha - rx * ((1 - w) / (alpha + T[i]!) + (x > 0 ? w / (alpha + recency[i]!) : 0));
      gA += cA[s]! + w / a;
      gB += cB[s]! - w * invB[s]!;
    }
  }
  if (gradient) {
    // Chain rule to log-parameters (∂/∂ln θ = θ ∂/∂θ), sign flipped for minimisation, per customer.
    gradient[0] = (-r * gR) / n;
    gradient[1] = (-alpha * gAlpha) / n;
    gradient[2] = (-a * gA) / n;
    gradient[3] = (-b * gB) / n;
  }
  return -sum / n;
}
