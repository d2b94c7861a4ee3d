// Segments: every segment of the latest run with its size, revenue share, average churn risk and
// expected value, a chart of customer share against revenue share, and the movement matrix since
// the previous run (models.segment_transitions). Each segment opens its profile and members.
import { linkClass, segmentLabel } from '../../../components/data-ui.tsx';
import { SegmentShareChart } from '../../../components/charts/segment-share-chart.tsx';
import { Card, EmptyState, PageHeader, ScrollTable, Subtle, Td, Th, Title } from '../../../components/ui.tsx';
import { cx } from '../../../lib/cx.ts';
import { getSegments } from '../../../lib/data/segments.ts';
import { createFormatters } from '../../../lib/format.ts';
import { fill } from '../../../lib/i18n/index.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const metadata = { title: 'Segments' };

export default async function SegmentsPage() {
  const { t, locale } = await requirePage('page:segments', '/segments');
  let data;
  try {
    data = await getSegments();
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={t.segments.title} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    throw error;
  }
  if (data.segments.length === 0) {
    return (
      <>
        <PageHeader title={t.segments.title} />
        <EmptyState>{t.segments.none}</EmptyState>
      </>
    );
  }
  const { config } = await getServerContext();
  const f = createFormatters(locale, data.reportingCurrency, config.timeZone);
  const ids = data.segments.map((s) => s.id);
  const cell = (from: number | null, to: number | null) => data.transitions.filter((x) => x.from === from && x.to === to).reduce((a, x) => a + x.customers, 0);
  const hasNew = data.transitions.some((x) => x.from === null);
  const hasGone = data.transitions.some((x) => x.to === null);
  const fromRows: (number | null)[] = [...ids, ...(hasNew ? [null] : [])];
  const toCols: (number | null)[] = [...ids, ...(hasGone ? [null] : [])];

  return (
    <>
      <PageHeader title={t.segments.title} subtitle={fill(t.segments.subtitle, { run: data.runId ?? '–' })} />

      <Card>
        <Title>{t.segments.sizes}</Title>
        <SegmentShareChart data={data.segments.map((s) => ({ name: segmentLabel(locale, s), customerShare: s.customerShare, revenueShare: s.revenueShare }))} />
      </Card>

      <Card className="mt-4">
        <ScrollTable>
          <thead>
            <tr>
              <Th>{t.segments.segment}</Th>
              <Th className="text-right">{t.segments.customers}</Th>
              <Th className="text-right">{t.segments.customerShare}</Th>
              <Th className="text-right">{t.segments.revenueShare}</Th>
              <Th className="text-right">{t.segments.revenue}</Th>
              <Th className="text-right">{t.segments.avgRisk}</Th>
              <Th className="text-right">{t.segments.value12m}</Th>
              <Th className="text-right">{t.segments.change}</Th>
            </tr>
          </thead>
          <tbody data-testid="segment-rows">
            {data.segments.map((s) => (
              <tr key={s.id} data-testid="segment-row">
                <Td>
                  <a className={linkClass} href={`/segments/${s.id}`} data-testid="segment-name">
                    {segmentLabel(locale, s)}
                  </a>
                </Td>
                <Td className="text-right tabular-nums">{f.number(s.customers)}</Td>
                <Td className="text-right tabular-nums">{f.percent(s.customerShare)}</Td>
                <Td className="text-right tabular-nums">{f.percent(s.revenueShare)}</Td>
                <Td className="text-right tabular-nums">{f.moneyCompact(s.revenue)}</Td>
                <Td className="text-right tabular-nums">{s.averageChurnRisk === null ? '–' : Math.round(s.averageChurnRisk)}</Td>
                <Td className="text-right tabular-nums">{f.moneyCompact(s.expectedValue12m)}</Td>
                <Td className="text-right tabular-nums">
                  {s.movedIn === null ? (
                    <span className="text-tremor-content-subtle">{t.segments.firstRun}</span>
                  ) : (
                    <span>
                      <span className="text-emerald-700">+{f.number(s.movedIn)}</span> / <span className="text-red-700">−{f.number(s.movedOut)}</span>
                    </span>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </Card>

      <Card className="mt-4">
        <Title>{t.segments.movement}</Title>
        {data.hasPrevious ? (
          <>
            <Subtle>{t.segments.movementHint}</Subtle>
            <ScrollTable className="mt-3">
              <thead>
                <tr>
                  <Th>{t.segments.fromTo}</Th>
                  {toCols.map((to) => (
                    <Th key={String(to)} className="text-right">
                      {to === null ? t.segments.gone : segmentLabel(locale, data.segments.find((s) => s.id === to)!)}
                    </Th>
                  ))}
                </tr>
              </thead>
              <tbody data-testid="transitions">
                {fromRows.map((from) => (
                  <tr key={String(from)}>
                    <Th className="normal-case tracking-normal">{from === null ? t.segments.newCustomers : segmentLabel(locale, data.segments.find((s) => s.id === from)!)}</Th>
                    {toCols.map((to) => {
                      const n = cell(from, to);
                      return (
                        <Td key={String(to)} className={cx('text-right tabular-nums', from === to ? 'bg-blue-50 font-semibold' : n === 0 && 'text-tremor-content-subtle')}>
                          {f.number(n)}
                        </Td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          </>
        ) : (
          <div className="mt-3">
            <EmptyState>{t.segments.noMovement}</EmptyState>
          </div>
        )}
      </Card>
    </>
  );
}
