'use client';
// Calibration of the churn model on the holdout: mean predicted probability against the observed
// churn rate per predicted-probability bucket. A well-calibrated model has the two lines together.
import { LineChart } from '@tremor/react';
import { useFormatters, useI18n } from '../i18n-provider.tsx';

export function CalibrationChart({ data }: { data: { from: number; to: number; meanPredicted: number; observedRate: number; count: number }[] }) {
  const { t } = useI18n();
  const f = useFormatters('USD');
  const rows = data
    .filter((d) => d.count > 0)
    .map((d) => ({ bucket: `${f.percent(d.from, 0)}–${f.percent(d.to, 0)}`, [t.churn.predicted]: d.meanPredicted, [t.churn.observed]: d.observedRate }));
  return (
    <LineChart
      className="mt-4 h-64"
      data={rows}
      index="bucket"
      categories={[t.churn.predicted, t.churn.observed]}
      colors={['gray', 'blue']}
      valueFormatter={(v: number) => f.percent(v, 0)}
      yAxisWidth={48}
      minValue={0}
      maxValue={1}
      showAnimation={false}
    />
  );
}
