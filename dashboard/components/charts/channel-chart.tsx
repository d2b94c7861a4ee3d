'use client';
// Orders per sales channel in the period.
import { BarChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function ChannelChart({ data }: { data: { channel: string; orders: number }[] }) {
  const { t } = useI18n();
  const f = useFormatters('USD');
  const rows = data.map((d) => ({ channel: t.channels[d.channel] ?? d.channel, [t.overview.orders]: d.orders }));
  return (
    <BarChart
      className="mt-4 h-64"
      data={rows}
      index="channel"
      categories={[t.overview.orders]}
      colors={['indigo']}
      valueFormatter={(v: number) => f.number(v)}
      yAxisWidth={56}
      showLegend={false}
      showAnimation={false}
    />
  );
}
