// Feature preparation for clustering and classification. Customer features are heavy-tailed
// (a few customers buy 100× the median), so they are log-scaled, then standardised so that no
// column dominates Euclidean distance just by its unit.
import { ModelError } from '../lib/errors.ts';
import type { Numbers } from './bgnbd.ts';

export interface Standardized {
  scaled: Float64Array;
  means: Float64Array;
  /** Population standard deviations; 0 for a constant column. */
  stds: Float64Array;
  /** Columns with zero variance: left at 0 after scaling (never NaN) and listed here. */
  constantColumns: number[];
}

/** Column-wise z-scores of a row-major n × d matrix. */
export function standardize(data: Float64Array, n: number, d: number): Standardized {
  if (n < 1) throw new ModelError('empty_input', 'standardize needs at least one row, got zero');
  if (data.length !== n * d) throw new ModelError('bad_input', `data has ${data.length} values, expected ${n} × ${d}`);
  const means = new Float64Array(d);
  const stds = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) means[j]! /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const diff = data[i * d + j]! - means[j]!;
      stds[j]! += diff * diff;
    }
  }
  const constantColumns: number[] = [];
  for (let j = 0; j < d; j++) {
    stds[j] = Math.sqrt(stds[j]! / n);
    // Rounding leaves a tiny variance for a column of one repeated value: treat it as constant.
    if (!(stds[j]! > 1e-12 * Math.max(1, Math.abs(means[j]!)))) {
      stds[j] = 0;
      constantColumns.push(j);
    }
  }
  return { scaled: applyStandardization(data, n, d, means, stds), means, stds, constantColumns };
}

/** Scales new rows with a fitted mean and std (e.g. scoring with last month's scaler); std 0 gives 0. */
export function applyStandardization(data: Float64Array, n: number, d: number, means: Float64Array, stds: Float64Array): Float64Array {
  const scaled = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const std = stds[j]!;
      scaled[i * d + j] = std > 0 ? (data[i * d + j]! - means[j]!) / std : 0;
    }
  }
  return scaled;
}

/** ln(1 + v) of the chosen columns (all by default), in a copy. Values below 0 are rejected: counts, days and money are never negative here. */
export function log1pColumns(data: Float64Array, n: number, d: number, columns?: readonly number[]): Float64Array {
  const out = data.slice();
  for (const j of columns ?? Array.from({ length: d }, (_, c) => c)) {
    for (let i = 0; i < n; i++) {
      const v = out[i * d + j]!;
      if (!(v >= 0)) throw new ModelError('bad_value', `log1p scaling needs values ≥ 0; row ${i}, column ${j} has ${v}`);
      out[i * d + j] = Math.log1p(v);
    }
  }
  return out;
}

export type FeatureRole = 'recency' | 'frequency' | 'monetary' | 'tenure' | 'engagement' | 'support';

export interface FeatureDefinition {
  name: string;
  role: FeatureRole;
  description: string;
}

/**
 * The customer-segmentation feature set, in column order. Every column is ln(1 + raw value):
 * - log_recency_days: days since the last order (high = lapsed)
 * - log_frequency: number of orders
 * - log_monetary: total revenue
 * - log_tenure_days: days since the first order (low = new customer)
 * - log_engagement: campaign opens + clicks
 * - log_support_load: support tickets
 */
export const SEGMENT_FEATURES: readonly FeatureDefinition[] = [
  { name: 'log_recency_days', role: 'recency', description: 'ln(1 + days since the last order)' },
  { name: 'log_frequency', role: 'frequency', description: 'ln(1 + number of orders)' },
  { name: 'log_monetary', role: 'monetary', description: 'ln(1 + total revenue)' },
  { name: 'log_tenure_days', role: 'tenure', description: 'ln(1 + days since the first order)' },
  { name: 'log_engagement', role: 'engagement', description: 'ln(1 + campaign opens + clicks)' },
  { name: 'log_support_load', role: 'support', description: 'ln(1 + support tickets)' },
];

export interface SegmentColumns {
  recencyDays: Numbers;
  orders: Numbers;
  revenue: Numbers;
  tenureDays: Numbers;
  campaignOpens: Numbers;
  campaignClicks: Numbers;
  tickets: Numbers;
}

/** The n × 6 SEGMENT_FEATURES matrix (log-scaled, not yet standardised) from per-customer columns. */
export function buildSegmentFeatures(columns: SegmentColumns): { data: Float64Array; n: number; d: number; names: string[] } {
  const n = columns.recencyDays.length;
  const d = SEGMENT_FEATURES.length;
  const data = new Float64Array(n * d);
  const sources: ((i: number) => number)[] = [
    (i) => columns.recencyDays[i]!,
    (i) => columns.orders[i]!,
    (i) => columns.revenue[i]!,
    (i) => columns.tenureDays[i]!,
    (i) => columns.campaignOpens[i]! + columns.campaignClicks[i]!,
    (i) => columns.tickets[i]!,
  ];
  for (const [name, values] of Object.entries(columns)) {
    if (values.length !== n) throw new ModelError('bad_input', `segment feature column ${name} has ${values.length} values, expected ${n}`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = sources[j]!(i);
      if (!(v >= 0)) throw new ModelError('bad_value', `${SEGMENT_FEATURES[j]!.name} needs a value ≥ 0; customer row ${i} has ${v}`);
      data[i * d + j] = Math.log1p(v);
    }
  }
  return { data, n, d, names: SEGMENT_FEATURES.map((f) => f.name) };
}
