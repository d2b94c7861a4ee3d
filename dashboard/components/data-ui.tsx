// Composed, server-safe pieces the data pages share: paging links, sortable column headers, the risk
// badge, a labelled figure and the select/input styles of the plain GET forms (they work before any
// script has loaded, and keep the state in the URL like the global filters).
import type { ReactNode } from 'react';
import { cx } from '../lib/cx.ts';
import { fill, type Dictionary, type Locale } from '../lib/i18n/index.ts';
import { Badge, Th } from './ui.tsx';

export const fieldClass =
  'w-full min-w-0 rounded-tremor-small border border-tremor-border bg-tremor-background px-2.5 py-1.5 text-tremor-default text-tremor-content-strong shadow-tremor-input outline-none focus:border-tremor-brand focus:ring-2 focus:ring-tremor-brand-muted';
export const buttonClass = 'inline-flex items-center justify-center gap-1 rounded-tremor-small bg-tremor-brand px-3 py-1.5 text-tremor-default font-medium text-white hover:bg-tremor-brand-emphasis';
export const secondaryButtonClass =
  'inline-flex items-center justify-center gap-1 rounded-tremor-small border border-tremor-border bg-tremor-background px-3 py-1.5 text-tremor-default font-medium text-tremor-content-emphasis hover:bg-tremor-background-subtle';
export const linkClass = 'font-medium text-tremor-brand hover:underline';

/** A segment's name in the chosen language (the model names every segment in both). */
export function segmentLabel(locale: Locale, s: { id?: number | null; en: string | null; zh: string | null }): string {
  return (locale === 'zh-CN' ? s.zh : s.en) ?? s.en ?? (s.id === null || s.id === undefined ? '–' : `#${s.id}`);
}

export function RiskBadge({ band, risk, t }: { band: string | null; risk: number | null; t: Dictionary }) {
  if (risk === null) return <span className="text-tremor-content-subtle">–</span>;
  const colour = band === 'high' ? 'red' : band === 'medium' ? 'amber' : 'green';
  return (
    <Badge colour={colour} className="tabular-nums">
      {Math.round(risk)} · {t.bands[band ?? ''] ?? band}
    </Badge>
  );
}

export function Pager({ page, pages, href, t }: { page: number; pages: number; href: (page: number) => string; t: Dictionary }) {
  if (pages <= 1) return null;
  return (
    <nav className="mt-4 flex flex-wrap items-center justify-between gap-3 text-tremor-default" aria-label="pagination" data-testid="pager">
      <span className="text-tremor-content">{fill(t.customers.page, { page, pages })}</span>
      <span className="flex gap-2">
        {page > 1 ? (
          <a className={secondaryButtonClass} href={href(page - 1)} rel="prev">
            ← {t.customers.previous}
          </a>
        ) : null}
        {page < pages ? (
          <a className={secondaryButtonClass} href={href(page + 1)} rel="next" data-testid="pager-next">
            {t.customers.next} →
          </a>
        ) : null}
      </span>
    </nav>
  );
}

/** A column header that links to the same table sorted by it (clicking the current sort flips it). */
export function SortTh({ children, active, dir, href, className }: { children: ReactNode; active: boolean; dir: 'asc' | 'desc'; href: string; className?: string }) {
  return (
    <Th className={className}>
      <a href={href} className={cx('inline-flex items-center gap-1 hover:text-tremor-content-strong', active && 'text-tremor-content-strong')} aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        {children}
        <span aria-hidden className={active ? '' : 'opacity-30'}>
          {active && dir === 'asc' ? '▲' : '▼'}
        </span>
      </a>
    </Th>
  );
}

export function Figure({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <p className="text-xs text-tremor-content">{label}</p>
      <p className="mt-0.5 truncate text-tremor-title font-semibold tabular-nums text-tremor-content-strong">{value}</p>
      {hint ? <p className="text-xs text-tremor-content-subtle">{hint}</p> : null}
    </div>
  );
}

/** The drivers of a churn score as readable labels, in the chosen language. */
export function DriverList({ drivers, t, className }: { drivers: string[]; t: Dictionary; className?: string }) {
  if (drivers.length === 0) return <span className="text-tremor-content-subtle">–</span>;
  return (
    <span className={cx('flex flex-wrap gap-1', className)} data-testid="drivers">
      {drivers.map((d) => (
        <Badge key={d} colour="gray">
          {t.drivers[d] ?? d}
        </Badge>
      ))}
    </span>
  );
}
