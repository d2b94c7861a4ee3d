// What a metrics query may ask for, checked with zod before any SQL is written (DESIGN: every input
// that crosses a boundary is validated). A bad query is a `BadQueryError` (code 'bad_query') that
// names the field, e.g. `groupBy.1` or `filters.segment_id.0`.
import { z } from 'zod';
import { WarehouseError } from '../../lib/errors.ts';
import { DIMENSIONS, DIMENSION_NAMES, METRICS, METRIC_NAMES, type Dimension, type MetricName } from './metric-definitions.ts';

export const COMPARE_TO = ['previous_period', 'previous_year'] as const;
export type CompareTo = (typeof COMPARE_TO)[number];

/** Longest range one query may cover (about ten years of days). */
export const MAX_RANGE_DAYS = 3700;
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 100_000;
const MAX_FILTER_VALUES = 1000;

export type FilterValue = string | number;

export interface MetricQuery<M extends MetricName = MetricName> {
  metrics: M[];
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD, included. */
  to: string;
  groupBy?: Dimension[];
  filters?: Partial<Record<Dimension, FilterValue[]>>;
  compareTo?: CompareTo;
  /** Most rows returned (default 1000); `truncated` says when more existed. */
  limit?: number;
}

/** A query after validation: defaults filled in, filter values typed for their dimension. */
export interface ValidatedMetricQuery<M extends MetricName = MetricName> {
  metrics: M[];
  from: string;
  to: string;
  groupBy: Dimension[];
  filters: Partial<Record<Dimension, FilterValue[]>>;
  compareTo: CompareTo | undefined;
  limit: number;
}

export class BadQueryError extends WarehouseError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super('bad_query', `Bad metrics query: ${field}: ${detail}`);
  }
}

export type ParseResult<M extends MetricName> = { ok: true; query: ValidatedMetricQuery<M> } | { ok: false; error: BadQueryError };

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => isCalendarDate(value), 'is not a calendar date');

const filterValue = z.union([z.string().max(200, 'filter values are at most 200 characters'), z.number().finite()]);

const querySchema = z
  .strictObject({
    metrics: z
      .array(z.enum(METRIC_NAMES, { error: (issue) => `unknown metric ${JSON.stringify(issue.input)}` }))
      .min(1, 'name at least one metric')
      .max(METRIC_NAMES.length),
    from: isoDate,
    to: isoDate,
    groupBy: z
      .array(z.enum(DIMENSION_NAMES, { error: (issue) => `unknown dimension ${JSON.stringify(issue.input)}` }))
      .max(4, 'group by at most 4 dimensions')
      .optional(),
    filters: z
      .partialRecord(
        z.enum(DIMENSION_NAMES, { error: (issue) => `unknown dimension ${JSON.stringify(issue.input)}` }),
        z.array(filterValue).min(1, 'give at least one value').max(MAX_FILTER_VALUES),
      )
      .optional(),
    compareTo: z.enum(COMPARE_TO).optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: `must not be after to (${q.to})` });
    else if (daysBetween(q.from, q.to) + 1 > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may cover at most ${MAX_RANGE_DAYS} days` });
    const seenMetrics = new Set<string>();
    q.metrics.forEach((m, i) => {
      if (seenMetrics.has(m)) ctx.addIssue({ code: 'custom', path: ['metrics', i], message: `${m} is named twice` });
      seenMetrics.add(m);
    });
    const groupBy = q.groupBy ?? [];
    groupBy.forEach((d, i) => {
      if (groupBy.indexOf(d) !== i) ctx.addIssue({ code: 'custom', path: ['groupBy', i], message: `${d} is named twice` });
      const metric = q.metrics.find((m) => !METRICS[m].dimensions.includes(d));
      if (metric) ctx.addIssue({ code: 'custom', path: ['groupBy', i], message: `dimension ${d} is not available for metric ${metric}` });
    });
    if (groupBy.filter((d) => DIMENSIONS[d].valueType === 'time').length > 1) {
      ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'group by at most one of day, week, month' });
    }
    for (const [d, values] of Object.entries(q.filters ?? {}) as [Dimension, FilterValue[] | undefined][]) {
      if (!values) continue;
      const dimension = DIMENSIONS[d];
      if (dimension.valueType === 'time') {
        ctx.addIssue({ code: 'custom', path: ['filters', d], message: `${d} cannot be filtered: use from and to` });
        continue;
      }
      const metric = q.metrics.find((m) => !METRICS[m].dimensions.includes(d));
      if (metric) ctx.addIssue({ code: 'custom', path: ['filters', d], message: `dimension ${d} is not available for metric ${metric}` });
      if (dimension.valueType === 'integer') {
        values.forEach((v, i) => {
          if (!Number.isSafeInteger(typeof v === 'number' ? v : /^-?\d{1,15}$/.test(v) ? Number(v) : Number.NaN)) {
            ctx.addIssue({ code: 'custom', path: ['filters', d, i], message: `${d} values must be whole numbers` });
          }
        });
      }
    }
  });

/** Validates a metrics query; a mistake comes back as an error naming the field, never thrown. */
export function parseMetricQuery<M extends MetricName>(input: MetricQuery<M> | unknown): ParseResult<M> {
  const parsed = querySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: new BadQueryError(fieldOf(issue), messageOf(issue)) };
  }
  const q = parsed.data;
  const filters: Partial<Record<Dimension, FilterValue[]>> = {};
  for (const [d, values] of Object.entries(q.filters ?? {}) as [Dimension, FilterValue[] | undefined][]) {
    if (!values) continue;
    // Bound as the dimension's type: text as VARCHAR, integers as numbers (so IN (...) never mixes types).
    filters[d] = DIMENSIONS[d].valueType === 'integer' ? values.map((v) => Number(v)) : values.map((v) => String(v));
  }
  return {
    ok: true,
    query: {
      metrics: q.metrics as M[],
      from: q.from,
      to: q.to,
      groupBy: q.groupBy ?? [],
      filters,
      compareTo: q.compareTo,
      limit: q.limit ?? DEFAULT_LIMIT,
    },
  };
}

/** The dotted path of the offending field; for an unknown key, the key itself (`filters.colour`, `orderBy`). */
function fieldOf(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]!);
  return path.length > 0 ? path.join('.') : 'query';
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const key = JSON.stringify(issue.keys[0]);
  return issue.path.length > 0 && issue.path[0] === 'filters' ? `unknown dimension ${key}` : `unknown field ${key}`;
}

export function isCalendarDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The same day a year earlier; 29 February becomes 28 February. */
export function subtractYear(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const candidate = `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isCalendarDate(candidate) ? candidate : `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-28`;
}
