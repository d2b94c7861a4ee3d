'use client';
// A segment's profile: each feature's mean against all customers, in standard deviations.
import { BarChart } from '@tremor/react';
import { useI18n } from '../i18n-provider.tsx';

export function SegmentProfileChart({ profile }: { profile: { feature: string; z: number }[] }) {
  const { t, locale } = useI18n();
  const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const rows = profile.map((p) => ({ feature: t.features[p.feature] ?? p.feature, [t.segments.zScore]: Math.round(p.z * 100) / 100 }));
  return (
    <BarChart
      className="mt-4 h-64"
      data={rows}
      index="feature"
      categories={[t.segments.zScore]}
      colors={['violet']}
      layout="vertical"
      valueFormatter={(v: number) => fmt.format(v)}
      yAxisWidth={120}
      showLegend={false}
      showAnimation={false}
    />
  );
}
