// Classic RFM: recency, frequency and monetary quintile scores (1–5, 5 best) and the usual named
// groups marketers already know. Transparent and rule-based, it complements the k-means segments.
import { ModelError } from '../lib/errors.ts';
import type { Numbers } from './bgnbd.ts';

export type RfmGroupKey =
  | 'champions'
  | 'loyal'
  | 'potential_loyalist'
  | 'new'
  | 'promising'
  | 'need_attention'
  | 'about_to_sleep'
  | 'at_risk'
  | 'cant_lose_them'
  | 'hibernating'
  | 'lost';

export const RFM_GROUPS: readonly { key: RfmGroupKey; en: string; zh: string }[] = [
  { key: 'champions', en: 'Champions', zh: '冠军客户' },
  { key: 'loyal', en: 'Loyal', zh: '忠诚客户' },
  { key: 'potential_loyalist', en: 'Potential loyalist', zh: '潜在忠诚客户' },
  { key: 'new', en: 'New', zh: '新客户' },
  { key: 'promising', en: 'Promising', zh: '有潜力客户' },
  { key: 'need_attention', en: 'Need attention', zh: '需要关注' },
  { key: 'about_to_sleep', en: 'About to sleep', zh: '即将沉睡' },
  { key: 'at_risk', en: 'At risk', zh: '流失风险客户' },
  { key: 'cant_lose_them', en: "Can't lose them", zh: '不能失去的客户' },
  { key: 'hibernating', en: 'Hibernating', zh: '休眠客户' },
  { key: 'lost', en: 'Lost', zh: '已流失客户' },
];

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** round((F + M) / 2), halves rounded up. */
  fm: Uint8Array;
  /** Index into RFM_GROUPS. */
  group: Uint8Array;
}

/**
 * Quintile scores: a value scores 1 + ⌊5 × (share of customers strictly worse)⌋, so equal values
 * always get equal scores, whatever the row order (pandas' qcut instead fails or splits ties).
 * Recency is days since the last purchase: fewer days is better.
 */
export function rfmScores(recencyDays: Numbers, frequency: Numbers, monetary: Numbers): RfmScores {
  const n = recencyDays.length;
  if (frequency.length !== n || monetary.length !== n) {
    throw new ModelError('bad_input', `RFM inputs differ in length: recency ${n}, frequency ${frequency.length}, monetary ${monetary.length}`);
  }
  if (n === 0) throw new ModelError('empty_input', 'RFM needs at least one customer, got zero rows');
  const r = quintiles(recencyDays, true, 'recency');
  const f = quintiles(frequency, false, 'frequency');
  const m = quintiles(monetary, false, 'monetary');
  const fm = new Uint8Array(n);
  const group = new Uint8Array(n);
  const index = new Map(RFM_GROUPS.map((g, i) => [g.key, i]));
  for (let i = 0; i < n; i++) {
    fm[i] = Math.floor((f[i]! + m[i]! + 1) / 2);
    group[i] = index.get(rfmGroup(r[i]!, fm[i]!))!;
  }
  return { r, f, m, fm, group };
}

/** The named group for an R score and a combined FM score (both 1–5). */
export function rfmGroup(r: number, fm: number): RfmGroupKey {
  if (r <= 2) {
    if (fm === 5) return 'cant_lose_them';
    if (fm >= 3) return 'at_risk';
    return r === 1 && fm === 1 ? 'lost' : 'hibernating';
  }
  if (r === 3) {
    if (fm >= 4) return 'loyal';
    return fm === 3 ? 'need_attention' : 'about_to_sleep';
  }
  if (fm >= 4) return r === 5 ? 'champions' : 'loyal';
  if (fm >= 2) return 'potential_loyalist';
  return r === 5 ? 'new' : 'promising';
}

function quintiles(values: Numbers, lowerIsBetter: boolean, name: string): Uint8Array {
  const n = values.length;
  const sorted = Float64Array.from(values);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(sorted[i]!)) throw new ModelError('bad_value', `RFM ${name} has a missing value at row ${i}`);
  }
  sorted.sort();
  const scores = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // Number of customers strictly worse than this one.
    const below = lowerBound(sorted, values[i]!);
    const worse = lowerIsBetter ? n - upperBound(sorted, values[i]!) : below;
    scores[i] = 1 + Math.min(4, Math.floor((5 * worse) / n));
  }
  return scores;
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

function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
