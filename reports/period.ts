// The period a report covers. Scheduled reports describe the days up to the published snapshot's
// as-of day (the pipeline runs before the reports), compared with the equally long period before.
import { z } from 'zod';

export const PERIOD_KINDS = ['week', 'month', 'quarter'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

const PERIOD_DAYS: Record<PeriodKind, number> = { week: 7, month: 30, quarter: 91 };

const isoDate = z.string().refine(isCalendarDate, 'must be a date as YYYY-MM-DD');
export const periodSchema = z.union([
  z.enum(PERIOD_KINDS),
  z.strictObject({ from: isoDate, to: isoDate }).refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['from'] }),
]);
export type PeriodInput = z.infer<typeof periodSchema>;

export interface Period {
  from: string;
  to: string;
}

/** `week`: the 7 days ending on the as-of day; explicit ranges are taken as given. */
export function resolvePeriod(input: PeriodInput | undefined, asOf: string): Period {
  const chosen = input ?? 'week';
  if (typeof chosen !== 'string') return { from: chosen.from, to: chosen.to };
  return { from: addDays(asOf, -(PERIOD_DAYS[chosen] - 1)), to: asOf };
}

// Calendar-day arithmetic on YYYY-MM-DD strings (UTC, so no time zone shifts a day).
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}
