'use client';
// A saved segment's size on each pipeline run: a bar per run on its page, a sparkline in the list.
import { BarChart, SparkAreaChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function SegmentSizeChart({ sizes, currency }: { sizes: { runId: number; evaluatedAt: string; customers: number | null }[]; currency: string }) {
  const { t } = useI18n();
  const f = useFormatters(currency);
  const rows = sizes.map((s) => ({ run: `#${s.runId} · ${f.date(s.evaluatedAt.slice(0, 10))}`, [t.builder.customers]: s.customers ?? 0 }));
  return (
    <BarChart
      className="mt-4 h-56"
      data={rows}
      index="run"
      categories={[t.builder.customers]}
      colors={['blue']}
      valueFormatter={(v: number) => f.number(v)}
      yAxisWidth={56}
      // A few runs: slim bars rather than one slab across the card.
      barCategoryGap={rows.length < 6 ? '35%' : '10%'}
      showLegend={false}
      showAnimation={false}
    />
  );
}

export function SegmentSparkline({ sizes }: { sizes: { runId: number; customers: number | null }[] }) {
  const points = sizes.filter((s) => s.customers !== null);
  if (points.length < 2) return <span className="text-tremor-content-subtle">–</span>;
  return <SparkAreaChart className="h-8 w-24" data={points.map((s) => ({ run: s.runId, customers: s.customers }))} index="run" categories={['customers']} colors={['blue']} />;
}
