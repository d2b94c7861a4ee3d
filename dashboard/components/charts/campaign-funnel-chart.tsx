'use client';
// A campaign's funnel: targeted customers sent, opened, clicked, converted.
import { BarChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function CampaignFunnelChart({ steps }: { steps: { step: string; customers: number }[] }) {
  const { t } = useI18n();
  const f = useFormatters('USD');
  const label = t.campaigns.audience;
  return (
    <BarChart
      className="mt-4 h-56"
      data={steps.map((s) => ({ step: s.step, [label]: s.customers }))}
      index="step"
      categories={[label]}
      colors={['indigo']}
      valueFormatter={(v: number) => f.number(v)}
      yAxisWidth={48}
      showLegend={false}
      showAnimation={false}
    />
  );
}
