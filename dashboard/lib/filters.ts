// The global filters (period, region, currency view, segment) live in the URL so a link shows exactly
// what its sender saw. Every page and data route parses them here with zod; a bad value is reported
// by field, and nothing unparsed ever reaches SQL.
import { z } from 'zod';

export const rangePresets = ['7d', '30d', '90d', '12m', 'ytd', 'custom'] as const;
export type RangePreset = (typeof rangePresets)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2024-03-31')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real date');

export const filterSchema = z
  .object({
    range: z.enum(rangePresets, { error: `must be one of ${rangePresets.join(', ')}` }).default('90d'),
    from: isoDate.optional(),
    to: isoDate.optional(),
    // Region names come from the data (any language); letters, digits and a few separators only.
    region: z
      .string()
      .max(100, 'is too long')
      .regex(/^[\p{L}\p{N} _.,'()&-]+$/u, 'has characters a region name does not have')
      .optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code such as CNY').optional(),
    segment: z
      .string()
      .regex(/^\d{1,9}$/, 'must be a segment number')
      .transform(Number)
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.range !== 'custom') return;
    if (!value.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required for a custom period' });
    if (!value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required for a custom period' });
    if (value.from && value.to && value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before the start date' });
  });

export type Filters = z.output<typeof filterSchema>;
export type FilterResult = { ok: true; filters: Filters } | { ok: false; field: string; message: string };

const filterKeys = ['range', 'from', 'to', 'region', 'currency', 'segment'] as const;

/** Parses Next.js searchParams (or URLSearchParams). Unknown keys are ignored; a key given twice is an error. */
export function parseFilters(params: Record<string, string | string[] | undefined> | URLSearchParams): FilterResult {
  const raw: Record<string, string> = {};
  for (const key of filterKeys) {
    const values = params instanceof URLSearchParams ? params.getAll(key) : ([] as string[]).concat(params[key] ?? []);
    if (values.length > 1) return { ok: false, field: key, message: 'must be given once' };
    // An empty value means "not set" (a form submitting an empty select).
    if (values[0]) raw[key] = values[0];
  }
  const parsed = filterSchema.safeParse(raw);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, field: String(issue.path[0] ?? 'filters'), message: issue.message };
}

/** The query string for a set of filters, leaving out defaults, so links stay short. */
export function filtersToQuery(filters: Partial<Filters>): string {
  const params = new URLSearchParams();
  if (filters.range && filters.range !== '90d') params.set('range', filters.range);
  if (filters.range === 'custom') {
    if (filters.from) params.set('from', filters.from);
    if (filters.to) params.set('to', filters.to);
  }
  if (filters.region) params.set('region', filters.region);
  if (filters.currency) params.set('currency', filters.currency);
  if (filters.segment !== undefined) params.set('segment', String(filters.segment));
  const query = params.toString();
  return query ? `?${query}` : '';
}

export interface Period {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  days: number;
}

/**
 * Turns a preset into dates. Presets end at `anchor`: the last day with data or today, whichever is
 * earlier, so "last 30 days" of a warehouse synced last night is not half empty.
 */
export function resolvePeriod(filters: Filters, anchor: string): Period {
  let from: string;
  let to = anchor;
  switch (filters.range) {
    case '7d':
      from = addDays(anchor, -6);
      break;
    case '30d':
      from = addDays(anchor, -29);
      break;
    case '90d':
      from = addDays(anchor, -89);
      break;
    case '12m':
      from = addDays(anchor, -364);
      break;
    case 'ytd':
      from = `${anchor.slice(0, 4)}-01-01`;
      break;
    case 'custom':
      from = filters.from!;
      to = filters.to!;
      break;
  }
  const days = daysBetween(from, to) + 1;
  const previousTo = addDays(from, -1);
  return { from, to, previousFrom: addDays(previousTo, -(days - 1)), previousTo, days };
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
