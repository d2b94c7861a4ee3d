// The one set of formatters: numbers, money, percentages and dates for the chosen language, via Intl.
// Server components and client charts both build theirs here, so a figure reads the same everywhere.
import type { Locale } from './i18n/index.ts';

export interface Formatters {
  locale: Locale;
  currency: string;
  number(value: number | null | undefined): string;
  compact(value: number | null | undefined): string;
  money(value: number | null | undefined): string;
  moneyCompact(value: number | null | undefined): string;
  percent(value: number | null | undefined, digits?: number): string;
  /** A change ratio with its sign: +12.3 % */
  change(value: number | null | undefined): string;
  /** A calendar date given as YYYY-MM-DD (no time zone shift). */
  date(isoDate: string | null | undefined): string;
  /** A month given as YYYY-MM or YYYY-MM-DD. */
  month(isoDate: string | null | undefined): string;
  /** An instant (ISO timestamp), shown in the given time zone. */
  dateTime(iso: string | null | undefined): string;
  duration(seconds: number | null | undefined): string;
}

const DASH = '–';

export function createFormatters(locale: Locale, currency: string, timeZone = 'UTC'): Formatters {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 });
  const moneyExact = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const moneyCompact = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', notation: 'compact', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone });
  const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  return {
    locale,
    currency,
    number: (v) => (ok(v) ? number.format(v) : DASH),
    compact: (v) => (ok(v) ? compact.format(v) : DASH),
    // Small amounts keep their cents (an average order of ¥12.50); large ones do not need them.
    money: (v) => (ok(v) ? (Math.abs(v) < 1000 ? moneyExact : money).format(v) : DASH),
    moneyCompact: (v) => (ok(v) ? moneyCompact.format(v) : DASH),
    percent: (v, digits = 1) => (ok(v) ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(v) : DASH),
    change: (v) => (ok(v) ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(v) : DASH),
    date: (d) => (d ? date.format(new Date(`${d.slice(0, 10)}T00:00:00Z`)) : DASH),
    month: (d) => (d ? month.format(new Date(`${d.slice(0, 7)}-01T00:00:00Z`)) : DASH),
    dateTime: (d) => (d ? dateTime.format(new Date(d)) : DASH),
    duration: (s) => {
      if (!ok(s)) return DASH;
      if (s < 60) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(s)} s`;
      const m = Math.floor(s / 60);
      return `${m} min ${Math.round(s % 60)} s`;
    },
  };
}
