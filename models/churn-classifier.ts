// Churn classifiers over plain feature matrices: L2 logistic regression (IRLS) and small
// gradient-boosted trees, with the evaluation a backtest needs (ROC AUC, average precision,
// calibration) and per-customer drivers so a list of at-risk customers says why.
import { ModelError } from '../lib/errors.ts';
import { applyStandardization, standardize } from './features.ts';

export interface ChurnData {
  /** n × d, row-major. */
  x: Float64Array;
  n: number;
  d: number;
  /** 1 = churned. */
  y: Uint8Array;
  featureNames: readonly string[];
}

export interface LogisticModel {
  kind: 'logistic';
  featureNames: string[];
  means: number[];
  stds: number[];
  intercept: number;
  /** Per standardised feature. */
  coefficients: number[];
  iterations: number;
}

export interface TreeNode {
  /** -1 for a leaf. */
  feature: number;
  /** Rows with x[feature] ≤ threshold go left. */
  threshold: number;
  left: number;
  right: number;
  /** Contribution to the log-odds (already scaled by the learning rate); internal nodes too, for drivers. */
  value: number;
}

export interface BoostedModel {
  kind: 'boosted';
  featureNames: string[];
  /** Starting log-odds: the training churn rate. */
  base: number;
  trees: TreeNode[][];
}

export type ChurnModel = LogisticModel | BoostedModel;

export interface LogisticOptions {
  /** L2 penalty on the standardised coefficients (not the intercept). Default 1. */
  l2?: number;
  maxIterations?: number;
}

/** L2-penalised logistic regression on standardised features, fitted by Newton's method (IRLS). */
export function fitLogistic(data: ChurnData, options: LogisticOptions = {}): LogisticModel {
  const { l2 = 1, maxIterations = 50 } = options;
  checkData(data);
  const { n, d, y } = data;
  const { scaled, means, stds } = standardize(data.x, n, d);
  const p = d + 1; // intercept first
  const beta = new Float64Array(p);
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  const row = new Float64Array(p);
  let iterations = 0;
  let objective = penalisedLogLikelihood(scaled, y, n, d, beta, l2);
  for (; iterations < maxIterations; iterations++) {
    gradient.fill(0);
    hessian.fill(0);
    for (let i = 0; i < n; i++) {
      row[0] = 1;
      for (let j = 0; j < d; j++) row[j + 1] = scaled[i * d + j]!;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += beta[j]! * row[j]!;
      const prob = sigmoid(eta);
      const w = Math.max(prob * (1 - prob), 1e-12);
      const residual = y[i]! - prob;
      for (let j = 0; j < p; j++) {
        gradient[j]! += residual * row[j]!;
        for (let k = 0; k <= j; k++) hessian[j * p + k]! += w * row[j]! * row[k]!;
      }
    }
    for (let j = 1; j < p; j++) {
      gradient[j]! -= l2 * beta[j]!;
      hessian[j * p + j]! += l2;
    }
    const step = choleskySolve(hessian, gradient, p);
    // Newton can overshoot on nearly separable data; halve the step until the objective improves.
    let scale = 1;
    let next = beta.map((b, j) => b + step[j]!);
    let nextObjective = penalisedLogLikelihood(scaled, y, n, d, next, l2);
    while (nextObjective < objective && scale > 1e-6) {
      scale /= 2;
      next = beta.map((b, j) => b + scale * step[j]!);
      nextObjective = penalisedLogLikelihood(scaled, y, n, d, next, l2);
    }
    const change = Math.max(...step.map((s) => Math.abs(s * scale)));
    beta.set(next);
    objective = nextObjective;
    if (change < 1e-9) {
      iterations++;
      break;
    }
  }
  return {
    kind: 'logistic',
    featureNames: [...data.featureNames],
    means: Array.from(means),
    stds: Array.from(stds),
    intercept: beta[0]!,
    coefficients: Array.from(beta.subarray(1)),
    iterations,
  };
}

export interface BoostedOptions {
  trees?: number;
  depth?: number;
  learningRate?: number;
  /** Histogram bins per feature for split search. */
  bins?: number;
  minLeaf?: number;
  l2?: number;
}

/**
 * Gradient-boosted trees on the logistic loss (Newton leaf values, XGBoost-style gain), splits
 * searched over per-feature quantile bins. Small by design: a few features, tens of thousands of
 * rows, and a model a person can still inspect.
 */
export function fitBoosted(data: ChurnData, options: BoostedOptions = {}): BoostedModel {
  const { trees: treeCount = 100, depth = 3, learningRate = 0.1, bins = 32, minLeaf = 20, l2 = 1 } = options;
  checkData(data);
  const { x, n, d, y } = data;
  const edges = Array.from({ length: d }, (_, j) => quantileEdges(x, n, d, j, bins));
  const binned = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) binned[i * d + j] = lowerBound(edges[j]!, x[i * d + j]!);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const rate = Math.min(Math.max(positives / n, 1e-6), 1 - 1e-6);
  const base = Math.log(rate / (1 - rate));
  const logOdds = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees: TreeNode[][] = [];
  const maxBins = bins + 1;
  const histG = new Float64Array(maxBins);
  const histH = new Float64Array(maxBins);
  const histN = new Int32Array(maxBins);

  for (let t = 0; t < treeCount; t++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(logOdds[i]!);
      g[i] = prob - y[i]!;
      h[i] = Math.max(prob * (1 - prob), 1e-12);
    }
    const nodes: TreeNode[] = [];
    const grow = (rows: Int32Array, level: number): number => {
      let sumG = 0;
      let sumH = 0;
      for (let r = 0; r < rows.length; r++) {
        sumG += g[rows[r]!]!;
        sumH += h[rows[r]!]!;
      }
      const index = nodes.length;
      const value = (-sumG / (sumH + l2)) * learningRate;
      nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value });
      let best = { gain: 1e-12, feature: -1, bin: -1 };
      if (level < depth && rows.length >= 2 * minLeaf) {
        const parentScore = (sumG * sumG) / (sumH + l2);
        for (let j = 0; j < d; j++) {
          const nb = edges[j]!.length + 1;
          histG.fill(0, 0, nb);
          histH.fill(0, 0, nb);
          histN.fill(0, 0, nb);
          for (let r = 0; r < rows.length; r++) {
            const i = rows[r]!;
            const b = binned[i * d + j]!;
            histG[b]! += g[i]!;
            histH[b]! += h[i]!;
            histN[b]!++;
          }
          let leftG = 0;
          let leftH = 0;
          let leftN = 0;
          for (let b = 0; b < nb - 1; b++) {
            leftG += histG[b]!;
            leftH += histH[b]!;
            leftN += histN[b]!;
            if (leftN < minLeaf || rows.length - leftN < minLeaf) continue;
            const rightG = sumG - leftG;
            const rightH = sumH - leftH;
            const gain = (leftG * leftG) / (leftH + l2) + (rightG * rightG) / (rightH + l2) - parentScore;
            if (gain > best.gain) best = { gain, feature: j, bin: b };
          }
        }
      }
      if (best.feature < 0) {
        for (let r = 0; r < rows.length; r++) logOdds[rows[r]!]! += value;
        return index;
      }
      const leftRows = rows.filter((i) => binned[i * d + best.feature]! <= best.bin);
      const rightRows = rows.filter((i) => binned[i * d + best.feature]! > best.bin);
      const node = nodes[index]!;
      node.feature = best.feature;
      node.threshold = edges[best.feature]![best.bin]!;
      node.left = grow(leftRows, level + 1);
      node.right = grow(rightRows, level + 1);
      return index;
    };
    grow(Int32Array.from({ length: n }, (_, i) => i), 0);
    trees.push(nodes);
  }
  return { kind: 'boosted', featureNames: [...data.featureNames], base, trees };
}

/** Churn probability for each of n rows. */
export function predictChurn(model: ChurnModel, x: Float64Array, n: number, d: number): Float64Array {
  if (d !== model.featureNames.length) throw new ModelError('bad_input', `model expects ${model.featureNames.length} features, got ${d}`);
  const out = new Float64Array(n);
  if (model.kind === 'logistic') {
    const scaled = applyStandardization(x, n, d, Float64Array.from(model.means), Float64Array.from(model.stds));
    for (let i = 0; i < n; i++) {
      let eta = model.intercept;
      for (let j = 0; j < d; j++) eta += model.coefficients[j]! * scaled[i * d + j]!;
      out[i] = sigmoid(eta);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let eta = model.base;
    for (const tree of model.trees) {
      let node = tree[0]!;
      while (node.feature >= 0) node = tree[x[i * d + node.feature]! <= node.threshold ? node.left : node.right]!;
      eta += node.value;
    }
    out[i] = sigmoid(eta);
  }
  return out;
}

/**
 * Each feature's push on one customer's log-odds of churning. Logistic: coefficient ×
 * standardised value. Trees: along each tree's path, the change in node value at a split is
 * credited to the split's feature (Saabas), so contributions add up to the prediction.
 */
export function featureContributions(model: ChurnModel, row: ArrayLike<number>): number[] {
  const d = model.featureNames.length;
  if (row.length !== d) throw new ModelError('bad_input', `model expects ${d} features, got ${row.length}`);
  if (model.kind === 'logistic') {
    return model.coefficients.map((c, j) => (model.stds[j]! > 0 ? (c * (row[j]! - model.means[j]!)) / model.stds[j]! : 0));
  }
  const contributions = new Array<number>(d).fill(0);
  for (const tree of model.trees) {
    let node = tree[0]!;
    while (node.feature >= 0) {
      const child = tree[row[node.feature]! <= node.threshold ? node.left : node.right]!;
      contributions[node.feature]! += child.value - node.value;
      node = child;
    }
  }
  return contributions;
}

/** The features pushing this customer's churn risk up the most (positive contributions only), largest first. */
export function topDrivers(model: ChurnModel, row: ArrayLike<number>, top = 3): { feature: string; contribution: number }[] {
  return featureContributions(model, row)
    .map((contribution, j) => ({ feature: model.featureNames[j]!, contribution }))
    .filter((c) => c.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, top);
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  /** null for an empty bin. */
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface Evaluation {
  n: number;
  positives: number;
  rocAuc: number;
  /** Average precision (area under the precision–recall curve, step-wise as scikit-learn). */
  prAuc: number;
  brier: number;
  calibration: CalibrationBin[];
}

/** ROC AUC, average precision, Brier score and a calibration table for scores in [0, 1]. */
export function evaluate(scores: ArrayLike<number>, y: ArrayLike<number>, bins = 10): Evaluation {
  const n = scores.length;
  if (y.length !== n) throw new ModelError('bad_input', `scores has ${n} entries, labels ${y.length}`);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]! ? 1 : 0;
  if (positives === 0 || positives === n) throw new ModelError('bad_input', 'evaluation needs both churned and retained customers');
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // ROC AUC by the Mann–Whitney statistic, tied scores sharing their average rank.
  let rankSumPositives = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let t = start; t <= end; t++) if (y[order[t]!]) rankSumPositives += averageRank;
    start = end + 1;
  }
  const negatives = n - positives;
  const rocAuc = (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
  // Average precision: walk thresholds from the highest score down, one step per distinct score.
  let truePositives = 0;
  let seen = 0;
  let prAuc = 0;
  for (let end = n - 1; end >= 0; ) {
    let start = end;
    while (start - 1 >= 0 && scores[order[start - 1]!] === scores[order[end]!]) start--;
    let gained = 0;
    for (let t = start; t <= end; t++) gained += y[order[t]!] ? 1 : 0;
    truePositives += gained;
    seen += end - start + 1;
    prAuc += (truePositives / seen) * (gained / positives);
    end = start - 1;
  }
  let brier = 0;
  const count = new Array<number>(bins).fill(0);
  const predicted = new Array<number>(bins).fill(0);
  const observed = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    brier += (s - (y[i] ? 1 : 0)) ** 2 / n;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(s * bins)));
    count[b]!++;
    predicted[b]! += s;
    observed[b]! += y[i] ? 1 : 0;
  }
  const calibration = count.map((c, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: c,
    meanPredicted: c > 0 ? predicted[b]! / c : null,
    observedRate: c > 0 ? observed[b]! / c : null,
  }));
  return { n, positives, rocAuc, prAuc, brier, calibration };
}

/** The model with the higher ROC AUC on the holdout (the first on a tie), with every model's evaluation. */
export function selectBest(models: readonly ChurnModel[], holdout: ChurnData): { best: ChurnModel; evaluations: (Evaluation & { kind: ChurnModel['kind'] })[] } {
  if (models.length === 0) throw new ModelError('bad_input', 'selectBest needs at least one model');
  const evaluations = models.map((model) => ({ kind: model.kind, ...evaluate(predictChurn(model, holdout.x, holdout.n, holdout.d), holdout.y) }));
  let bestIndex = 0;
  evaluations.forEach((e, i) => {
    if (e.rocAuc > evaluations[bestIndex]!.rocAuc) bestIndex = i;
  });
  return { best: models[bestIndex]!, evaluations };
}

function checkData(data: ChurnData): void {
  const { x, n, d, y, featureNames } = data;
  if (n < 2) throw new ModelError('empty_input', `churn model needs at least 2 rows, got ${n}`);
  if (x.length !== n * d || y.length !== n || featureNames.length !== d) {
    throw new ModelError('bad_input', `churn data shapes disagree: x ${x.length} values, n ${n}, d ${d}, y ${y.length}, ${featureNames.length} feature names`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new ModelError('bad_value', `feature ${featureNames[i % d]} has a non-finite value (${x[i]}) at row ${Math.floor(i / d)}`);
  }
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function penalisedLogLikelihood(scaled: Float64Array, y: Uint8Array, n: number, d: number, beta: Float64Array, l2: number): number {
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let eta = beta[0]!;
    for (let j = 0; j < d; j++) eta += beta[j + 1]! * scaled[i * d + j]!;
    // log σ(η) and log(1 − σ(η)) without overflow.
    ll += y[i] ? -Math.log1p(Math.exp(-Math.abs(eta))) - Math.max(-eta, 0) : -Math.log1p(Math.exp(-Math.abs(eta))) - Math.max(eta, 0);
  }
  let penalty = 0;
  for (let j = 1; j <= d; j++) penalty += beta[j]! * beta[j]!;
  return ll - 0.5 * l2 * penalty;
}

// Solves A x = b for a symmetric positive definite A given by its lower triangle (row-major p × p).
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) l[i * p + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * p + j] = sum / l[j * p + j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * p + k]! * z[k]!;
    z[i] = sum / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i]! * x[k]!;
    x[i] = sum / l[i * p + i]!;
  }
  return x;
}

// Up to bins − 1 distinct cut points at the column's quantiles; a value's bin is the number of cut
// points below it, so "bin ≤ b" is the same as "value ≤ edges[b]".
function quantileEdges(x: Float64Array, n: number, d: number, j: number, bins: number): Float64Array {
  const column = new Float64Array(n);
  for (let i = 0; i < n; i++) column[i] = x[i * d + j]!;
  column.sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const value = column[Math.min(n - 1, Math.floor((b * n) / bins))]!;
    if (edges.length === 0 || value > edges[edges.length - 1]!) edges.push(value);
  }
  // The largest value as a cut point would make an empty right side; drop it.
  if (edges.length > 0 && edges[edges.length - 1]! >= column[n - 1]!) edges.pop();
  return Float64Array.from(edges);
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
