// Time for the demo data: the three-year period, fast timestamp formatting, the seasonal shopping
// calendar (11.11, 618, Chinese New Year, Black Friday, Christmas) and the daily exchange rates.
import { Random } from './random.ts';

export const DAY = 86_400;
export const HISTORY_YEARS = 3;

/** Times are whole seconds since the Unix epoch, UTC. */
export interface Period {
  /** UTC midnight, three years before the day of asOf. */
  startSec: number;
  /** asOf: every generated time is before this. */
  endSec: number;
  /** Days from startSec to endSec (the last one may be partial). */
  days: number;
}

export function createPeriod(asOf: Date): Period {
  const endSec = Math.floor(asOf.getTime() / 1000);
  const startSec = Date.UTC(asOf.getUTCFullYear() - HISTORY_YEARS, asOf.getUTCMonth(), asOf.getUTCDate()) / 1000;
  return { startSec, endSec, days: Math.ceil((endSec - startSec) / DAY) };
}

/** Chinese New Year (first day of the lunar year), by Gregorian year. */
const CHINESE_NEW_YEAR: Readonly<Record<number, string>> = {
  2015: '02-19', 2016: '02-08', 2017: '01-28', 2018: '02-16', 2019: '02-05', 2020: '01-25', 2021: '02-12',
  2022: '02-01', 2023: '01-22', 2024: '02-10', 2025: '01-29', 2026: '02-17', 2027: '02-06', 2028: '01-26',
  2029: '02-13', 2030: '02-03', 2031: '01-23', 2032: '02-11', 2033: '01-31', 2034: '02-19', 2035: '02-08',
};

export function chineseNewYearSec(year: number): number {
  const monthDay = CHINESE_NEW_YEAR[year] ?? '02-01';
  return Date.parse(`${year}-${monthDay}T00:00:00Z`) / 1000;
}

/** Black Friday: the day after the fourth Thursday of November. */
export function blackFridaySec(year: number): number {
  const novFirst = new Date(Date.UTC(year, 10, 1));
  const firstThursday = 1 + ((4 - novFirst.getUTCDay() + 7) % 7);
  return Date.UTC(year, 10, firstThursday + 21 + 1) / 1000;
}

export type MarketGroup = 'cn' | 'west';

const CN_WEEKDAY = [1.12, 0.95, 0.95, 0.97, 0.97, 1.0, 1.12];
const WEST_WEEKDAY = [0.9, 1.0, 1.0, 1.0, 1.0, 1.02, 1.1];
const CN_MONTH = [0.95, 0.9, 1.0, 1.0, 1.0, 1.1, 0.95, 0.95, 1.0, 1.05, 1.35, 1.1];
const WEST_MONTH = [0.85, 0.9, 1.0, 1.0, 1.0, 0.95, 0.95, 0.95, 1.0, 1.0, 1.2, 1.45];

/** Relative shopping intensity of one calendar day (1 = an ordinary day). */
export function shoppingWeight(group: MarketGroup, daySec: number): number {
  const date = new Date(daySec * 1000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const dayOfMonth = date.getUTCDate();
  if (group === 'cn') {
    let weight = (CN_WEEKDAY[date.getUTCDay()] as number) * (CN_MONTH[month] as number);
    if (month === 10) {
      if (dayOfMonth === 11) weight *= 5;
      else if (dayOfMonth < 11) weight *= 1.4;
      else if (dayOfMonth === 12) weight *= 1.5;
    }
    if (month === 5) {
      if (dayOfMonth === 18) weight *= 3;
      else if (dayOfMonth < 18) weight *= 1.25;
    }
    // Shopping before the Spring Festival, then shops and couriers stop for about two weeks.
    for (const cnyYear of [year, year + 1]) {
      const daysFromNewYear = Math.round((daySec - chineseNewYearSec(cnyYear)) / DAY);
      if (daysFromNewYear >= -21 && daysFromNewYear <= -8) weight *= 1.2;
      else if (daysFromNewYear >= -7 && daysFromNewYear <= 7) weight *= 0.45;
      else if (daysFromNewYear >= 8 && daysFromNewYear <= 14) weight *= 0.8;
    }
    return weight;
  }
  let weight = (WEST_WEEKDAY[date.getUTCDay()] as number) * (WEST_MONTH[month] as number);
  const fromBlackFriday = Math.round((daySec - blackFridaySec(year)) / DAY);
  if (fromBlackFriday === 0) weight *= 3.5;
  else if (fromBlackFriday === -1) weight *= 0.7;
  else if (fromBlackFriday === 1 || fromBlackFriday === 2) weight *= 1.6;
  else if (fromBlackFriday === 3) weight *= 2.5;
  if (month === 11) {
    if (dayOfMonth === 24) weight *= 0.6;
    else if (dayOfMonth === 25) weight *= 0.35;
    else if (dayOfMonth === 26) weight *= 1.5;
    else if (dayOfMonth <= 20) weight *= 1.1;
  }
  return weight;
}

/**
 * Daily shopping intensity over the period, normalised to mean 1, with its running sum. A
 * customer's orders are a Poisson process in "shopping time" (the running sum): mapping back to
 * calendar days puts more orders on 11.11 and fewer over Chinese New Year without rejection loops.
 */
export class Seasonality {
  readonly weight: Float64Array;
  readonly cumulative: Float64Array;

  constructor(
    readonly period: Period,
    group: MarketGroup,
  ) {
    this.weight = new Float64Array(period.days);
    let total = 0;
    for (let d = 0; d < period.days; d++) {
      const w = shoppingWeight(group, period.startSec + d * DAY);
      this.weight[d] = w;
      total += w;
    }
    const scale = period.days / total;
    this.cumulative = new Float64Array(period.days + 1);
    for (let d = 0; d < period.days; d++) {
      this.weight[d] = (this.weight[d] as number) * scale;
      this.cumulative[d + 1] = (this.cumulative[d] as number) + (this.weight[d] as number);
    }
  }

  get total(): number {
    return this.cumulative[this.period.days] as number;
  }

  /** Shopping time at a calendar time. */
  at(sec: number): number {
    const offset = (sec - this.period.startSec) / DAY;
    if (offset <= 0) return 0;
    const day = Math.floor(offset);
    if (day >= this.period.days) return this.total;
    return (this.cumulative[day] as number) + (offset - day) * (this.weight[day] as number);
  }

  /** The day index whose shopping-time interval holds s (0 <= s < total). */
  dayAt(s: number): number {
    const cumulative = this.cumulative;
    let lo = 0;
    let hi = this.period.days - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((cumulative[mid] as number) <= s) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  isSaleDay(day: number): boolean {
    return (this.weight[day] as number) > 1.9;
  }
}

/** Units of currency per US dollar, per day, from one day before the period to one day after it. */
export class FxRates {
  readonly firstDaySec: number;
  readonly days: number;
  readonly series: ReadonlyMap<string, Float64Array>;

  constructor(period: Period, random: Random) {
    this.firstDaySec = period.startSec - DAY;
    const lastDataDaySec = period.startSec + Math.floor((period.endSec - 1 - period.startSec) / DAY) * DAY;
    this.days = (lastDataDaySec + DAY - this.firstDaySec) / DAY + 1;
    const series = new Map<string, Float64Array>();
    series.set('CNY', walk(random, this.days, { start: 7.0 + 0.2 * random.next(), mean: 7.1, pull: 0.01, step: 0.012, min: 6.9, max: 7.3, decimals: 4 }));
    series.set('EUR', walk(random, this.days, { start: 0.88 + 0.04 * random.next(), mean: 0.9, pull: 0.01, step: 0.0035, min: 0.85, max: 0.95, decimals: 5 }));
    series.set('USD', new Float64Array(this.days).fill(1));
    this.series = series;
  }
}

interface WalkShape {
  start: number;
  mean: number;
  pull: number;
  step: number;
  min: number;
  max: number;
  decimals: number;
}

/** A mean-reverting random walk kept inside [min, max] by reflection, rounded like a quoted rate. */
function walk(random: Random, days: number, shape: WalkShape): Float64Array {
  const out = new Float64Array(days);
  const factor = 10 ** shape.decimals;
  let value = shape.start;
  for (let d = 0; d < days; d++) {
    value += shape.pull * (shape.mean - value) + shape.step * random.normal();
    if (value > shape.max) value = 2 * shape.max - value;
    if (value < shape.min) value = 2 * shape.min - value;
    out[d] = Math.round(value * factor) / factor;
  }
  return out;
}
