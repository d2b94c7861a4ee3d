'use client';
// The global filters. They live in the URL (router.push), so the server renders the page for them
// and a copied link shows the same view.
import { usePathname, useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { filtersToQuery, rangePresets, type Filters, type RangePreset } from '../lib/filters.ts';
import { useI18n } from './i18n-provider.tsx';

export interface FilterBarProps {
  filters: Filters;
  regions: string[];
  currencies: string[];
  segments: { id: number; en: string | null; zh: string | null }[];
  reportingCurrency: string;
  /** The dates the chosen preset resolved to, to prefill a custom range. */
  from: string;
  to: string;
}

const selectClass =
  'w-full min-w-0 rounded-tremor-small border border-tremor-border bg-tremor-background px-2.5 py-1.5 text-tremor-default text-tremor-content-strong shadow-tremor-input outline-none focus:border-tremor-brand focus:ring-2 focus:ring-tremor-brand-muted';

export function FilterBar({ filters, regions, currencies, segments, reportingCurrency, from, to }: FilterBarProps) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [custom, setCustom] = useState({ from: filters.from ?? from, to: filters.to ?? to });
  const go = (next: Partial<Filters>) => startTransition(() => router.push(`${pathname}${filtersToQuery({ ...filters, ...next })}`));

  return (
    <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:flex lg:flex-wrap lg:items-end" data-testid="filter-bar" aria-busy={pending}>
      <label className="col-span-2 flex flex-col gap-1 text-xs font-medium text-tremor-content sm:col-span-1 lg:w-44">
        {t.filters.period}
        <select
          className={selectClass}
          value={filters.range}
          name="range"
          onChange={(e) => {
            const range = e.target.value as RangePreset;
            if (range === 'custom') go({ range, from: custom.from, to: custom.to });
            else go({ range, from: undefined, to: undefined });
          }}
        >
          {rangePresets.map((p) => (
            <option key={p} value={p}>
              {t.filters.presets[p]}
            </option>
          ))}
        </select>
      </label>
      {filters.range === 'custom' ? (
        <div className="col-span-2 flex items-end gap-2">
          <label className="flex min-w-0 flex-1 flex-col gap-1 text-xs font-medium text-tremor-content">
            {t.filters.from}
            <input type="date" className={selectClass} value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
          </label>
          <label className="flex min-w-0 flex-1 flex-col gap-1 text-xs font-medium text-tremor-content">
            {t.filters.to}
            <input type="date" className={selectClass} value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          </label>
          <button type="button" onClick={() => go({ range: 'custom', ...custom })} className="rounded-tremor-small bg-tremor-brand px-3 py-1.5 text-tremor-default font-medium text-white">
            {t.filters.apply}
          </button>
        </div>
      ) : null}
      <label className="flex flex-col gap-1 text-xs font-medium text-tremor-content lg:w-44">
        {t.filters.region}
        <select className={selectClass} name="region" value={filters.region ?? ''} onChange={(e) => go({ region: e.target.value || undefined })}>
          <option value="">{t.filters.allRegions}</option>
          {regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-tremor-content lg:w-32">
        {t.filters.currency}
        <select className={selectClass} name="currency" value={filters.currency ?? reportingCurrency} onChange={(e) => go({ currency: e.target.value === reportingCurrency ? undefined : e.target.value })}>
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="col-span-2 flex flex-col gap-1 text-xs font-medium text-tremor-content sm:col-span-1 lg:w-48">
        {t.filters.segment}
        <select
          className={selectClass}
          name="segment"
          value={filters.segment ?? ''}
          disabled={segments.length === 0}
          title={segments.length === 0 ? t.filters.segmentsUnavailable : undefined}
          onChange={(e) => go({ segment: e.target.value ? Number(e.target.value) : undefined })}
        >
          <option value="">{t.filters.allSegments}</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {(locale === 'zh-CN' ? s.zh : s.en) ?? s.en ?? `#${s.id}`}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
