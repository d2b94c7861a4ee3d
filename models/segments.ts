// Turning clusters into segments people can act on: a profile per cluster, a name derived from
// that profile (English and Simplified Chinese), and a stable id across monthly re-runs so a
// dashboard's "Hibernating" of March is the same segment in April.
import { ModelError } from '../lib/errors.ts';
import type { Numbers } from './bgnbd.ts';
import type { FeatureRole } from './features.ts';
import { SEGMENT_FEATURES } from './features.ts';

export interface SegmentProfile {
  cluster: number;
  size: number;
  /** Share of customers. */
  share: number;
  revenue: number;
  /** Share of total revenue (0 when there is no revenue at all). */
  revenueShare: number;
  /** Per-feature mean within the cluster. */
  means: number[];
  /** (cluster mean − population mean) / population std, per feature; 0 for a constant feature. */
  zScores: number[];
}

/** Profiles of k clusters over the feature matrix used for clustering (or any matrix with the same rows). */
export function profileSegments(data: Float64Array, n: number, d: number, labels: Int32Array, k: number, revenue?: Numbers): SegmentProfile[] {
  if (labels.length !== n) throw new ModelError('bad_input', `labels has ${labels.length} entries, expected ${n}`);
  if (revenue && revenue.length !== n) throw new ModelError('bad_input', `revenue has ${revenue.length} entries, expected ${n}`);
  const sums = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  const revenues = new Float64Array(k);
  const popMean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!(c >= 0 && c < k)) throw new ModelError('bad_input', `label ${c} at row ${i} is outside 0..${k - 1}`);
    sizes[c]!++;
    if (revenue) revenues[c]! += revenue[i]!;
    for (let j = 0; j < d; j++) {
      sums[c * d + j]! += data[i * d + j]!;
      popMean[j]! += data[i * d + j]! / n;
    }
  }
  const popStd = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) popStd[j]! += (data[i * d + j]! - popMean[j]!) ** 2 / n;
  }
  for (let j = 0; j < d; j++) popStd[j] = Math.sqrt(popStd[j]!);
  const totalRevenue = revenues.reduce((a, b) => a + b, 0);
  return Array.from({ length: k }, (_, c) => {
    const means = Array.from({ length: d }, (_, j) => (sizes[c]! > 0 ? sums[c * d + j]! / sizes[c]! : popMean[j]!));
    return {
      cluster: c,
      size: sizes[c]!,
      share: sizes[c]! / n,
      revenue: revenues[c]!,
      revenueShare: totalRevenue > 0 ? revenues[c]! / totalRevenue : 0,
      means,
      zScores: means.map((m, j) => (popStd[j]! > 1e-12 ? (m - popMean[j]!) / popStd[j]! : 0)),
    };
  });
}

export interface SegmentName {
  /** Stable machine key of the base name, e.g. 'hibernating'. */
  key: string;
  en: string;
  zh: string;
}

interface NameRule {
  key: string;
  en: string;
  zh: string;
  roles: FeatureRole[];
  test: (z: Record<FeatureRole, number>) => boolean;
}

// First matching rule wins. Thresholds are in population standard deviations; recency is "days
// since last order", so a high z means lapsed. The order puts value first, because a big spender
// who is lapsing matters more than the fact that they are also new, say.
const NAME_RULES: NameRule[] = [
  { key: 'high_value_loyal', en: 'High-value loyal', zh: '高价值忠诚客户', roles: ['monetary', 'frequency', 'recency'], test: (z) => z.monetary >= 0.5 && z.frequency >= 0.5 && z.recency <= 0 },
  { key: 'big_spenders_at_risk', en: 'Big spenders at risk', zh: '高消费流失风险客户', roles: ['monetary', 'recency'], test: (z) => z.monetary >= 0.5 && z.recency > 0.5 },
  { key: 'new_customers', en: 'New customers', zh: '新客户', roles: ['tenure', 'recency'], test: (z) => z.tenure <= -0.5 && z.recency <= 0 },
  { key: 'loyal_regulars', en: 'Loyal regulars', zh: '忠诚常客', roles: ['frequency', 'recency'], test: (z) => z.frequency >= 0.5 && z.recency <= 0 },
  { key: 'hibernating', en: 'Hibernating', zh: '休眠客户', roles: ['recency', 'frequency'], test: (z) => z.recency >= 0.5 && z.frequency <= 0 },
  { key: 'promising', en: 'Promising', zh: '潜力客户', roles: ['recency', 'frequency'], test: (z) => z.recency <= -0.3 && z.frequency > -0.5 },
  { key: 'occasional_buyers', en: 'Occasional buyers', zh: '偶尔购买客户', roles: ['frequency'], test: (z) => z.frequency <= -0.3 },
  { key: 'needs_attention', en: 'Needs attention', zh: '需要关注', roles: [], test: () => true },
];

const ROLE_PHRASES: Record<FeatureRole, { high: [string, string]; low: [string, string] }> = {
  recency: { high: ['longer since last order', '距上次购买较久'], low: ['ordered more recently', '近期有购买'] },
  frequency: { high: ['more frequent', '购买较频繁'], low: ['less frequent', '购买较少'] },
  monetary: { high: ['higher spend', '消费较高'], low: ['lower spend', '消费较低'] },
  tenure: { high: ['longer tenure', '客户时间较长'], low: ['shorter tenure', '客户时间较短'] },
  engagement: { high: ['more engaged', '互动较多'], low: ['less engaged', '互动较少'] },
  support: { high: ['more support tickets', '工单较多'], low: ['fewer support tickets', '工单较少'] },
};

/**
 * Deterministic English and Chinese names for profiles. `roles[j]` says what feature j measures
 * (defaults to SEGMENT_FEATURES' roles). Two clusters that land on the same name get a suffix
 * naming the feature that sets each apart, e.g. "Hibernating (more engaged)", then a number.
 */
export function nameSegments(profiles: readonly SegmentProfile[], roles: readonly (FeatureRole | null)[] = SEGMENT_FEATURES.map((f) => f.role)): SegmentName[] {
  const zByRole = profiles.map((p) => {
    const z: Record<FeatureRole, number> = { recency: 0, frequency: 0, monetary: 0, tenure: 0, engagement: 0, support: 0 };
    p.zScores.forEach((value, j) => {
      const role = roles[j];
      if (role) z[role] = value;
    });
    return z;
  });
  const names: SegmentName[] = zByRole.map((z) => {
    const rule = NAME_RULES.find((r) => r.test(z))!;
    return { key: rule.key, en: rule.en, zh: rule.zh };
  });
  const groups = new Map<string, number[]>();
  names.forEach((name, i) => groups.set(name.key, [...(groups.get(name.key) ?? []), i]));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    for (const i of members) {
      // The role where this cluster differs most from the others sharing its name.
      let bestRole: FeatureRole | null = null;
      let bestGap = 0;
      for (const role of Object.keys(ROLE_PHRASES) as FeatureRole[]) {
        const others = members.filter((o) => o !== i);
        const gap = zByRole[i]![role] - others.reduce((sum, o) => sum + zByRole[o]![role], 0) / others.length;
        if (Math.abs(gap) > Math.abs(bestGap) + 1e-12) {
          bestGap = gap;
          bestRole = role;
        }
      }
      if (bestRole) {
        const [en, zh] = ROLE_PHRASES[bestRole][bestGap > 0 ? 'high' : 'low'];
        names[i] = { key: names[i]!.key, en: `${names[i]!.en} (${en})`, zh: `${names[i]!.zh}（${zh}）` };
      }
    }
  }
  // Still equal (identical profiles, or the same distinguishing phrase): number them by size.
  const seen = new Map<string, number[]>();
  names.forEach((name, i) => seen.set(name.en, [...(seen.get(name.en) ?? []), i]));
  for (const members of seen.values()) {
    if (members.length < 2) continue;
    members.sort((i, j) => profiles[j]!.size - profiles[i]!.size || i - j);
    members.forEach((i, rank) => {
      if (rank > 0) names[i] = { key: names[i]!.key, en: `${names[i]!.en} ${rank + 1}`, zh: `${names[i]!.zh} ${rank + 1}` };
    });
  }
  return names;
}

export interface SegmentIdentity {
  id: number;
  centroid: ArrayLike<number>;
}

export interface SegmentMatch {
  /** Index of the new centroid. */
  index: number;
  id: number;
  /** The previous segment it continues, or null for a new segment. */
  previousId: number | null;
  /** Distance to that previous centroid (null for a new segment). */
  distance: number | null;
}

/**
 * Gives each new centroid an id: the id of a previous centroid when the minimum-cost one-to-one
 * matching (Hungarian algorithm on Euclidean distance) pairs them within `threshold`; otherwise a
 * fresh id above every previous one. Distances are in the clustering's feature units (z-scores
 * when the features were standardised), so a threshold around 0.5–1 suits monthly drift.
 */
export function matchSegments(previous: readonly SegmentIdentity[], next: readonly ArrayLike<number>[], threshold: number): SegmentMatch[] {
  const distance = next.map((c) => previous.map((p) => euclidean(c, p.centroid)));
  // Pairs beyond the threshold cost the same as staying unmatched (2 × threshold), so the matching
  // never gives up two close pairs for one: each close pair costs less than leaving it open.
  const openCost = 2 * threshold + 1;
  const size = Math.max(next.length, previous.length);
  const cost = Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => {
    const dist = distance[i]?.[j];
    return dist !== undefined && dist <= threshold ? dist : openCost;
  }));
  const assignment = hungarian(cost);
  let nextId = previous.reduce((max, p) => Math.max(max, p.id), -1) + 1;
  return next.map((_, i) => {
    const j = assignment[i]!;
    const dist = distance[i]![j];
    if (dist !== undefined && dist <= threshold) return { index: i, id: previous[j]!.id, previousId: previous[j]!.id, distance: dist };
    return { index: i, id: nextId++, previousId: null, distance: null };
  });
}

/** Rows of a flat k × d centroid array as views, for matchSegments. */
export function centroidRows(centroids: Float64Array, d: number): Float64Array[] {
  return Array.from({ length: centroids.length / d }, (_, c) => centroids.subarray(c * d, c * d + d));
}

function euclidean(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length !== v.length) throw new ModelError('bad_input', `centroids differ in dimension: ${u.length} vs ${v.length}`);
  let sum = 0;
  for (let j = 0; j < u.length; j++) sum += (u[j]! - v[j]!) ** 2;
  return Math.sqrt(sum);
}

// Hungarian algorithm (Kuhn–Munkres with potentials, O(n³)) for a square cost matrix; returns the
// column assigned to each row. Segment counts are small, so clarity beats cleverness here.
function hungarian(cost: number[][]): number[] {
  const size = cost.length;
  const u = new Float64Array(size + 1);
  const v = new Float64Array(size + 1);
  const rowOfColumn = new Int32Array(size + 1); // 1-based; 0 = unassigned
  const way = new Int32Array(size + 1);
  for (let row = 1; row <= size; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    const minSlack = new Float64Array(size + 1).fill(Infinity);
    const used = new Uint8Array(size + 1);
    do {
      used[column] = 1;
      const r = rowOfColumn[column]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let j = 1; j <= size; j++) {
        if (used[j]) continue;
        const slack = cost[r - 1]![j - 1]! - u[r]! - v[j]!;
        if (slack < minSlack[j]!) {
          minSlack[j] = slack;
          way[j] = column;
        }
        if (minSlack[j]! < delta) {
          delta = minSlack[j]!;
          nextColumn = j;
        }
      }
      for (let j = 0; j <= size; j++) {
        if (used[j]) {
          u[rowOfColumn[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minSlack[j]! -= delta;
        }
      }
      column = nextColumn;
    } while (rowOfColumn[column] !== 0);
    do {
      const previousColumn = way[column]!;
      rowOfColumn[column] = rowOfColumn[previousColumn]!;
      column = previousColumn;
    } while (column !== 0);
  }
  const assignment = new Array<number>(size).fill(-1);
  for (let j = 1; j <= size; j++) if (rowOfColumn[j]! > 0) assignment[rowOfColumn[j]! - 1] = j - 1;
  return assignment;
}
