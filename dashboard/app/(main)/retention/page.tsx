// Retention: the monthly cohort grid (share of each first-order cohort ordering N months later, or
// its revenue — a toggle in the URL), each cohort's size, and retention curves for chosen cohorts
// (a GET form of checkboxes, so the choice is in the link too).
import { CohortChart } from '../../../components/charts/cohort-chart.tsx';
import { buttonClass, secondaryButtonClass } from '../../../components/data-ui.tsx';
import { Card, EmptyState, PageHeader, ScrollTable, Subtle, Td, Th, Title } from '../../../components/ui.tsx';
import { cx } from '../../../lib/cx.ts';
import { getRetention } from '../../../lib/data/retention.ts';
import { createFormatters } from '../../../lib/format.ts';
import { fill } from '../../../lib/i18n/index.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const metadata = { title: 'Retention' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Cell colour by retention: darker blue for a higher share (month 0 is always 100 %). */
function heat(share: number): string {
  if (share >= 0.6) return 'bg-blue-600 text-white';
  if (share >= 0.4) return 'bg-blue-500 text-white';
  if (share >= 0.25) return 'bg-blue-300 text-blue-950';
  if (share >= 0.15) return 'bg-blue-200 text-blue-950';
  if (share >= 0.05) return 'bg-blue-100 text-blue-900';
  if (share > 0) return 'bg-blue-50 text-blue-900';
  return 'text-tremor-content-subtle';
}

export default async function RetentionPage({ searchParams }: { searchParams: SearchParams }) {
  const { t, locale } = await requirePage('page:retention', '/retention');
  const sp = await searchParams;
  const metric = sp.show === 'revenue' ? 'revenue' : 'customers';
  let data;
  try {
    data = await getRetention();
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={t.retention.title} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    throw error;
  }
  if (data.cohorts.length === 0) {
    return (
      <>
        <PageHeader title={t.retention.title} />
        <EmptyState>{t.retention.none}</EmptyState>
      </>
    );
  }
  const { config } = await getServerContext();
  const f = createFormatters(locale, data.reportingCurrency, config.timeZone);
  // Chosen cohorts: only months that exist are kept, so nothing from the URL is used unchecked.
  const requested = ([] as string[]).concat(sp.cohort ?? []).filter((m) => data.cohorts.some((c) => c.month === m));
  // By default four cohorts spread over the grid (oldest to youngest with at least 4 months), so
  // the chart shows long curves as well as recent ones.
  const candidates = data.cohorts.filter((c) => c.cells.length >= 4);
  const spread = candidates.length <= 4 ? candidates : [0, 1, 2, 3].map((i) => candidates[Math.round((i * (candidates.length - 1)) / 3)]!);
  const chosen = requested.length ? requested.slice(0, 6) : spread.map((c) => c.month);
  const chartCohorts = data.cohorts
    .filter((c) => chosen.includes(c.month))
    .map((c) => ({ label: f.month(c.month), values: c.cells.map((cell) => (metric === 'customers' ? cell.retention : cell.revenue)) }));
  const months = Array.from({ length: data.maxMonths }, (_, i) => i);
  const toggle = (show: 'customers' | 'revenue') => {
    const params = new URLSearchParams();
    if (show === 'revenue') params.set('show', 'revenue');
    for (const c of requested) params.append('cohort', c);
    const qs = params.toString();
    return `/retention${qs ? `?${qs}` : ''}`;
  };

  return (
    <>
      <PageHeader title={t.retention.title} subtitle={t.retention.subtitle}>
        <div className="flex items-center gap-2 text-tremor-default" data-testid="metric-toggle">
          <span className="text-tremor-content">{t.retention.show}:</span>
          <div className="flex overflow-hidden rounded-tremor-small border border-tremor-border">
            {(['customers', 'revenue'] as const).map((m) => (
              <a
                key={m}
                href={toggle(m)}
                aria-current={metric === m ? 'true' : undefined}
                className={cx('px-3 py-1 text-xs font-medium', metric === m ? 'bg-tremor-brand text-white' : 'bg-tremor-background text-tremor-content-emphasis hover:bg-tremor-background-subtle')}
              >
                {t.retention[m]}
              </a>
            ))}
          </div>
        </div>
      </PageHeader>

      <Card>
        <Title>{t.retention.grid}</Title>
        <Subtle>{metric === 'customers' ? t.retention.hint : fill(t.retention.revenueHint, { currency: data.reportingCurrency })}</Subtle>
        <ScrollTable className="mt-3">
          <thead>
            <tr>
              <Th className="sticky left-0 bg-tremor-background">{t.retention.cohort}</Th>
              <Th className="text-right">{t.retention.size}</Th>
              {months.map((m) => (
                <Th key={m} className="px-2 text-center sm:px-2">
                  {fill(t.retention.month, { n: m })}
                </Th>
              ))}
            </tr>
          </thead>
          <tbody data-testid="cohort-grid">
            {data.cohorts.map((c) => (
              <tr key={c.month} data-testid="cohort-row">
                <Td className="sticky left-0 bg-tremor-background font-medium">{f.month(c.month)}</Td>
                <Td className="text-right tabular-nums">{f.number(c.size)}</Td>
                {months.map((m) => {
                  const cell = c.cells[m];
                  if (!cell) return <Td key={m} className="px-2 sm:px-2" />;
                  return (
                    <Td key={m} className={cx('px-2 text-center text-xs tabular-nums sm:px-2', heat(cell.retention))}>
                      {/* The other figure in a tooltip: the share when revenue is shown and the reverse. */}
                      <span title={metric === 'customers' ? `${f.number(cell.active)} · ${f.money(cell.revenue)}` : f.percent(cell.retention)}>
                        {metric === 'customers' ? f.percent(cell.retention, 0) : f.moneyCompact(cell.revenue)}
                      </span>
                    </Td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </Card>

      <Card className="mt-4">
        <Title>{t.retention.chart}</Title>
        <Subtle>{t.retention.chartHint}</Subtle>
        {chartCohorts.length ? <CohortChart cohorts={chartCohorts} metric={metric} currency={data.reportingCurrency} /> : null}
        <form method="get" action="/retention" className="mt-4 flex flex-wrap items-center gap-x-4 gap-y-2" data-testid="cohort-picker">
          {metric === 'revenue' ? <input type="hidden" name="show" value="revenue" /> : null}
          {data.cohorts.map((c) => (
            <label key={c.month} className="flex items-center gap-1.5 text-tremor-default text-tremor-content-emphasis">
              <input type="checkbox" name="cohort" value={c.month} defaultChecked={chosen.includes(c.month)} className="h-4 w-4 rounded border-tremor-border" />
              {f.month(c.month)}
            </label>
          ))}
          <button type="submit" className={buttonClass}>
            {t.retention.compare}
          </button>
          <a href={toggle(metric)} className={secondaryButtonClass}>
            {t.filters.reset}
          </a>
        </form>
      </Card>
    </>
  );
}
