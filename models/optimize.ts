// Small unconstrained minimisers for maximum-likelihood fits. Models optimise in log-parameter
// space so positivity constraints disappear and both methods can roam freely.

export interface MinimizeResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

export interface NelderMeadOptions {
  /** Initial simplex edge along each axis. */
  step?: number;
  maxIterations?: number;
  /** Stop when the simplex's function values differ by less than this (relative to |f|+1). */
  fTolerance?: number;
  /** …and its vertices lie within this distance of the best one (per coordinate). */
  xTolerance?: number;
}

/** Nelder–Mead downhill simplex: no gradient needed, robust on rough or flat likelihoods. */
export function nelderMead(f: (x: number[]) => number, x0: readonly number[], options: NelderMeadOptions = {}): MinimizeResult {
  const { step = 0.5, maxIterations = 5000, fTolerance = 1e-12, xTolerance = 1e-9 } = options;
  const dim = x0.length;
  let evaluations = 0;
  // Non-finite values (overflowing likelihoods) count as +∞ so the simplex backs away from them.
  const evaluate = (x: number[]): number => {
    evaluations++;
    const value = f(x);
    return Number.isFinite(value) ? value : Infinity;
  };
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < dim; i++) {
    const vertex = x0.slice();
    vertex[i]! += step;
    simplex.push(vertex);
  }
  const values = simplex.map(evaluate);
  const order = simplex.map((_, i) => i);
  let iterations = 0;
  let converged = false;

  const combine = (from: number[], to: number[], t: number): number[] => from.map((v, i) => v + t * (to[i]! - v));

  for (; iterations < maxIterations; iterations++) {
    order.sort((i, j) => values[i]! - values[j]!);
    const best = order[0]!;
    const worst = order[dim]!;
    const secondWorst = order[dim - 1]!;
    const spreadF = values[worst]! - values[best]!;
    let spreadX = 0;
    for (const i of order) {
      for (let j = 0; j < dim; j++) spreadX = Math.max(spreadX, Math.abs(simplex[i]![j]! - simplex[best]![j]!));
    }
    if (spreadF <= fTolerance * (Math.abs(values[best]!) + 1) && spreadX <= xTolerance) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(dim).fill(0);
    for (const i of order.slice(0, dim)) for (let j = 0; j < dim; j++) centroid[j]! += simplex[i]![j]! / dim;

    const reflected = combine(centroid, simplex[worst]!, -1);
    const fReflected = evaluate(reflected);
    if (fReflected < values[best]!) {
      const expanded = combine(centroid, simplex[worst]!, -2);
      const fExpanded = evaluate(expanded);
      [simplex[worst], values[worst]] = fExpanded < fReflected ? [expanded, fExpanded] : [reflected, fReflected];
    } else if (fReflected < values[secondWorst]!) {
      simplex[worst] = reflected;
      values[worst] = fReflected;
    } else {
      // Contract towards the better of the worst vertex and its reflection.
      const outside = fReflected < values[worst]!;
      const contracted = combine(centroid, outside ? reflected : simplex[worst]!, 0.5);
      const fContracted = evaluate(contracted);
      if (fContracted < Math.min(fReflected, values[worst]!)) {
        simplex[worst] = contracted;
        values[worst] = fContracted;
      } else {
        for (const i of order.slice(1)) {
          simplex[i] = combine(simplex[best]!, simplex[i]!, 0.5);
          values[i] = evaluate(simplex[i]!);
        }
      }
    }
  }
  order.sort((i, j) => values[i]! - values[j]!);
  return { x: simplex[order[0]!]!, f: values[order[0]!]!, iterations, evaluations, converged };
}

export interface BfgsOptions {
  maxIterations?: number;
  /** Stop when every gradient component is below gradientTolerance × (|f| + 1). */
  gradientTolerance?: number;
}

/**
 * BFGS with a backtracking (Armijo) line search. `fg(x, gradient)` returns f(x) and writes ∇f(x)
 * into `gradient`; one pass computing both is what makes million-row likelihoods affordable.
 */
export function bfgs(fg: (x: number[], gradient: number[]) => number, x0: readonly number[], options: BfgsOptions = {}): MinimizeResult {
  const { maxIterations = 500, gradientTolerance = 1e-9 } = options;
  const dim = x0.length;
  let evaluations = 0;
  const evaluate = (x: number[], g: number[]): number => {
    evaluations++;
    const value = fg(x, g);
    return Number.isFinite(value) && g.every(Number.isFinite) ? value : Infinity;
  };
  let x = x0.slice();
  let g = new Array<number>(dim).fill(0);
  let f = evaluate(x, g);
  if (!Number.isFinite(f)) return { x, f, iterations: 0, evaluations, converged: false };
  // Inverse Hessian approximation, row-major dim × dim; starts as the identity and is rescaled
  // after the first step (Nocedal & Wright 6.20) so the first line search is not wildly off.
  let h = identity(dim);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    if (Math.max(...g.map(Math.abs)) <= gradientTolerance * (Math.abs(f) + 1)) {
      converged = true;
      break;
    }
    const direction = new Array<number>(dim).fill(0);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) direction[i]! -= h[i * dim + j]! * g[j]!;
    let slope = dot(direction, g);
    if (slope >= 0) {
      // Lost positive definiteness: fall back to steepest descent.
      h = identity(dim);
      for (let i = 0; i < dim; i++) direction[i] = -g[i]!;
      slope = -dot(g, g);
    }
    let stepLength = 1;
    let xNew: number[] = x;
    const gNew = new Array<number>(dim).fill(0);
    let fNew = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      xNew = x.map((v, i) => v + stepLength * direction[i]!);
      fNew = evaluate(xNew, gNew);
      if (fNew <= f + 1e-4 * stepLength * slope) break;
      stepLength *= 0.5;
    }
    if (!(fNew < f)) {
      // No decrease possible along any tried step: we are at the optimum up to rounding.
      converged = true;
      break;
    }
    const s = xNew.map((v, i) => v - x[i]!);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (iterations === 0) h = identity(dim).map((v) => (v * sy) / dot(y, y));
      updateInverseHessian(h, s, y, sy, dim);
    }
    x = xNew;
    g = gNew;
    const decrease = f - fNew;
    f = fNew;
    if (decrease <= 1e-15 * (Math.abs(f) + 1)) {
      converged = true;
      break;
    }
  }
  return { x, f, iterations, evaluations, converged };
}

function identity(dim: number): number[] {
  const m = new Array<number>(dim * dim).fill(0);
  for (let i = 0; i < dim; i++) m[i * dim + i] = 1;
  return m;
}

function dot(u: readonly number[], v: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += u[i]! * v[i]!;
  return sum;
}

// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, written out to avoid temporary matrices.
function updateInverseHessian(h: number[], s: number[], y: number[], sy: number, dim: number): void {
  const rho = 1 / sy;
  const hy = new Array<number>(dim).fill(0);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) hy[i]! += h[i * dim + j]! * y[j]!;
  const yhy = dot(y, hy);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      h[i * dim + j] = h[i * dim + j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!;
    }
  }
}
