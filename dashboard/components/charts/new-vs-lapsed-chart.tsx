'use client';
// Customers won (first order) and lost (90 days without an order) per week or month.
import { BarChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function NewVsLapsedChart({ data, grain }: { data: { bucket: string; new: number; lapsed: number }[]; grain: 'week' | 'month' }) {
  const { t } = useI18n();
  const f = useFormatters('USD');
  const rows = data.map((d) => ({
    label: grain === 'month' ? f.month(d.bucket) : f.date(d.bucket),
    [t.overview.new]: d.new,
    [t.overview.lapsed]: d.lapsed,
  }));
  return (
    <BarChart
      className="mt-4 h-64"
      data={rows}
      index="label"
      categories={[t.overview.new, t.overview.lapsed]}
      colors={['emerald', 'rose']}
      valueFormatter={(v: number) => f.number(v)}
      yAxisWidth={48}
      showAnimation={false}
    />
  );
}
