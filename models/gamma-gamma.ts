// Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"):
// each transaction's value ~ Gamma(p, ν) with the customer's ν ~ Gamma(q, γ). Fitted only on
// customers with at least one repeat purchase (x > 0), using their mean repeat value m̄.
import { ModelError } from '../lib/errors.ts';
import type { Numbers } from './bgnbd.ts';
import { nelderMead } from './optimize.ts';
import { lgamma } from './special.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  /** γ in the note: scale of the customers' spend-rate distribution. */
  v: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  loglik: number;
  /** Customers used (those with x > 0). */
  customers: number;
}

/** Log-likelihood over customers with x > 0 (note, eq. 3); others are skipped. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, frequency: Numbers, monetaryValue: Numbers): number {
  const { xs, ms } = repeatCustomers(frequency, monetaryValue);
  return -negativeLogLikelihood(xs, ms, [Math.log(params.p), Math.log(params.q), Math.log(params.v)]) * xs.length;
}

/**
 * Maximum-likelihood fit by Nelder–Mead in log-parameter space (three parameters and at most a
 * few hundred thousand repeat customers, so no gradient is needed), from several starts.
 */
export function fitGammaGamma(frequency: Numbers, monetaryValue: Numbers): GammaGammaFit {
  const { xs, ms } = repeatCustomers(frequency, monetaryValue);
  if (xs.length < 2) throw new ModelError('empty_input', `Gamma-Gamma needs at least 2 customers with repeat purchases, got ${xs.length}`);
  let meanM = 0;
  for (const m of ms) meanM += m / ms.length;
  const starts = [
    [1, 1, 1],
    [2, 3, meanM],
    [10, 5, meanM / 2],
  ];
  let best: { x: number[]; f: number } | null = null;
  for (const start of starts) {
    const result = nelderMead((x) => negativeLogLikelihood(xs, ms, x), start.map(Math.log), { step: 0.5 });
    // Polish from the result: Nelder–Mead can stall on a flat ridge; a fresh simplex moves on.
    const polished = nelderMead((x) => negativeLogLikelihood(xs, ms, x), result.x, { step: 0.05 });
    if (Number.isFinite(polished.f) && (best === null || polished.f < best.f)) best = polished;
  }
  if (best === null) throw new ModelError('fit_failed', 'Gamma-Gamma fit failed: the likelihood was not finite from any starting point');
  const [p, q, v] = best.x.map(Math.exp) as [number, number, number];
  return { p, q, v, loglik: -best.f * xs.length, customers: xs.length };
}

/** E[M | x, m̄]: expected average transaction value, a weighted mean of the population and the customer (note, eq. 5). */
export function ggConditionalExpectedValue(params: GammaGammaParams, x: number, mbar: number): number {
  const { p, q, v } = params;
  if (x === 0) return (p * v) / (q - 1); // population mean; needs q > 1
  return (p * (v + x * mbar)) / (p * x + q - 1);
}

function repeatCustomers(frequency: Numbers, monetaryValue: Numbers): { xs: number[]; ms: number[] } {
  if (frequency.length !== monetaryValue.length) {
    throw new ModelError('bad_input', `Gamma-Gamma inputs differ in length: frequency ${frequency.length}, monetary value ${monetaryValue.length}`);
  }
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i]!;
    const m = monetaryValue[i]!;
    if (!(x >= 0)) throw new ModelError('bad_input', `Gamma-Gamma frequency must be ≥ 0; row ${i} has ${x}`);
    if (x === 0) continue;
    if (!(m > 0)) throw new ModelError('bad_input', `Gamma-Gamma needs a positive mean spend for repeat customers; row ${i} has ${m}`);
    xs.push(x);
    ms.push(m);
  }
  return { xs, ms };
}

// Mean negative log-likelihood; per customer
//   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + x m̄)
function negativeLogLikelihood(xs: number[], ms: number[], logParams: number[]): number {
  if (logParams.some((v) => Math.abs(v) > 30)) return Infinity;
  const [p, q, v] = logParams.map(Math.exp) as [number, number, number];
  const base = q * Math.log(v) - lgamma(q);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const m = ms[i]!;
    const px = p * x;
    sum += base + lgamma(px + q) - lgamma(px) + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(v + x * m);
  }
  return -sum / xs.length;
}
