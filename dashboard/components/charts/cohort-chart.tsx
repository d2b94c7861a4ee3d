'use client';
// Retention curves of the chosen cohorts: share of each cohort ordering N months after its first order.
import { LineChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';
import { fill } from '../../lib/i18n/index.ts';

const palette = ['blue', 'emerald', 'violet', 'amber', 'rose', 'cyan'];

export function CohortChart({ cohorts, metric, currency }: { cohorts: { label: string; values: number[] }[]; metric: 'customers' | 'revenue'; currency: string }) {
  const { t } = useI18n();
  const f = useFormatters(currency);
  const months = Math.max(0, ...cohorts.map((c) => c.values.length));
  const rows = Array.from({ length: months }, (_, m) => {
    const row: Record<string, string | number | null> = { month: fill(t.retention.month, { n: m }) };
    for (const c of cohorts) row[c.label] = m < c.values.length ? c.values[m]! : null;
    return row;
  });
  return (
    <LineChart
      className="mt-4 h-72"
      data={rows}
      index="month"
      categories={cohorts.map((c) => c.label)}
      colors={palette.slice(0, cohorts.length)}
      valueFormatter={(v: number) => (metric === 'customers' ? f.percent(v, 0) : f.moneyCompact(v))}
      yAxisWidth={56}
      showAnimation={false}
      connectNulls={false}
    />
  );
}
