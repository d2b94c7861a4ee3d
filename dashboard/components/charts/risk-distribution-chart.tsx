'use client';
// How many customers have each churn-risk score, in 10-point buckets.
import { BarChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function RiskDistributionChart({ data }: { data: { from: number; to: number; customers: number }[] }) {
  const { t } = useI18n();
  const f = useFormatters('USD');
  const rows = data.map((d) => ({ bucket: `${d.from}–${d.to}`, [t.churn.customers]: d.customers }));
  return (
    <BarChart
      className="mt-4 h-64"
      data={rows}
      index="bucket"
      categories={[t.churn.customers]}
      colors={['rose']}
      valueFormatter={(v: number) => f.number(v)}
      yAxisWidth={56}
      showLegend={false}
      showAnimation={false}
    />
  );
}
