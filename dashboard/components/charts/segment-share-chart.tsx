'use client';
// Share of customers against share of revenue per segment: which groups carry the business.
import { BarChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function SegmentShareChart({ data }: { data: { name: string; customerShare: number; revenueShare: number }[] }) {
  const { t } = useI18n();
  const f = useFormatters('USD');
  const rows = data.map((d) => ({ name: d.name, [t.segments.customerShare]: d.customerShare, [t.segments.revenueShare]: d.revenueShare }));
  return (
    <BarChart
      className="mt-4 h-72"
      data={rows}
      index="name"
      categories={[t.segments.customerShare, t.segments.revenueShare]}
      colors={['blue', 'emerald']}
      valueFormatter={(v: number) => f.percent(v, 0)}
      yAxisWidth={48}
      showAnimation={false}
    />
  );
}
