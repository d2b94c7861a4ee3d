'use client';
// Revenue per day/week/month of the period, with the previous period drawn behind it.
import { AreaChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function RevenueTrendChart({ data, currency, grain }: { data: { bucket: string; current: number; previous: number | null }[]; currency: string; grain: 'day' | 'week' | 'month' }) {
  const { t } = useI18n();
  const f = useFormatters(currency);
  const rows = data.map((d) => ({
    label: grain === 'month' ? f.month(d.bucket) : f.date(d.bucket),
    [t.overview.current]: d.current,
    [t.overview.previous]: d.previous,
  }));
  return (
    <AreaChart
      className="mt-4 h-64 sm:h-72"
      data={rows}
      index="label"
      categories={[t.overview.current, t.overview.previous]}
      colors={['blue', 'gray']}
      valueFormatter={(v: number) => f.moneyCompact(v)}
      yAxisWidth={64}
      showAnimation={false}
      connectNulls
    />
  );
}
