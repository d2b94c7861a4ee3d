// Overview: KPIs against the previous period, revenue trend, orders by channel, new vs lapsed
// customers and top regions, for the filters in the URL. Data comes from lib/data/overview.ts
// (the warehouse metrics layer); only the charts and the filter bar are client components.
import { ChannelChart } from '../../../components/charts/channel-chart.tsx';
import { NewVsLapsedChart } from '../../../components/charts/new-vs-lapsed-chart.tsx';
import { RevenueTrendChart } from '../../../components/charts/revenue-trend-chart.tsx';
import { FilterBar } from '../../../components/filter-bar.tsx';
import { Badge, Card, EmptyState, Notice, PageHeader, Subtle, Title } from '../../../components/ui.tsx';
import { cx } from '../../../lib/cx.ts';
import { getFilterOptions, getOverview, UnknownCurrencyError, type Kpi } from '../../../lib/data/overview.ts';
import { parseFilters, resolvePeriod } from '../../../lib/filters.ts';
import { createFormatters, type Formatters } from '../../../lib/format.ts';
import { fill, type Dictionary } from '../../../lib/i18n/index.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const metadata = { title: 'Overview' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const { t, locale } = await requirePage('page:overview', '/overview');
  const parsed = parseFilters(await searchParams);
  if (!parsed.ok) {
    return (
      <>
        <PageHeader title={t.overview.title} />
        <Notice tone="error">{fill(t.filters.invalid, { field: parsed.field, message: parsed.message })}</Notice>
        <a className="mt-4 inline-block text-tremor-default text-tremor-brand underline" href="/overview">
          {t.filters.reset}
        </a>
      </>
    );
  }
  const filters = parsed.filters;
  const { config } = await getServerContext();
  let options;
  let data;
  try {
    options = await getFilterOptions();
    data = await getOverview(filters);
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={t.overview.title} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    if (error instanceof UnknownCurrencyError) {
      return (
        <>
          <PageHeader title={t.overview.title} />
          <Notice tone="error">{fill(t.filters.invalid, { field: 'currency', message: error.message })}</Notice>
        </>
      );
    }
    throw error;
  }
  const f = createFormatters(locale, data.currency, config.timeZone);
  const period = resolvePeriod(filters, data.asOf);
  const hasOrders = (data.kpis.orders.value ?? 0) > 0;

  return (
    <>
      <PageHeader
        title={t.overview.title}
        subtitle={
          <span>
            {f.date(period.from)} – {f.date(period.to)} · {fill(t.filters.comparedWith, { from: f.date(period.previousFrom), to: f.date(period.previousTo) })} ·{' '}
            {fill(t.filters.dataThrough, { date: f.date(data.asOf) })}
          </span>
        }
      >
        <FilterBar filters={filters} regions={options.regions} currencies={options.currencies} segments={options.segments} reportingCurrency={options.reportingCurrency} from={period.from} to={period.to} />
      </PageHeader>

      <section className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3" data-testid="kpis">
        <KpiCard label={t.overview.revenue} kpi={data.kpis.revenue} format={f.money} t={t} f={f} />
        <KpiCard label={t.overview.orders} kpi={data.kpis.orders} format={f.number} t={t} f={f} />
        <KpiCard label={t.overview.activeCustomers} kpi={data.kpis.activeCustomers} format={f.number} t={t} f={f} />
        <KpiCard label={t.overview.newCustomers} kpi={data.kpis.newCustomers} format={f.number} t={t} f={f} />
        <KpiCard label={t.overview.aov} kpi={data.kpis.aov} format={f.money} t={t} f={f} />
        <Card>
          <p className="text-tremor-default text-tremor-content">{t.overview.churnRiskRevenue}</p>
          {data.kpis.churnRiskRevenue === null ? (
            <p className="mt-2 text-tremor-default text-tremor-content-subtle">{t.overview.churnRiskUnavailable}</p>
          ) : (
            <p className="mt-1 text-tremor-metric font-semibold tabular-nums text-tremor-content-strong">{f.money(data.kpis.churnRiskRevenue)}</p>
          )}
        </Card>
      </section>

      <Card className="mt-4">
        <Title>{t.overview.revenueTrend}</Title>
        <Subtle>{fill(t.overview.revenueTrendHint, { currency: data.currency })}</Subtle>
        {hasOrders ? <RevenueTrendChart data={data.trend} currency={data.currency} grain={data.trendGrain} /> : <EmptyState>{t.states.empty}</EmptyState>}
      </Card>

      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <Title>{t.overview.ordersByChannel}</Title>
          {data.channels.length ? <ChannelChart data={data.channels} /> : <EmptyState>{t.states.empty}</EmptyState>}
        </Card>
        <Card>
          <Title>{t.overview.newVsLapsed}</Title>
          <Subtle>{t.overview.newVsLapsedHint}</Subtle>
          {data.newVsLapsed.some((r) => r.new || r.lapsed) ? (
            <NewVsLapsedChart data={data.newVsLapsed} grain={data.trendGrain === 'day' ? 'week' : 'month'} />
          ) : (
            <EmptyState>{t.states.empty}</EmptyState>
          )}
        </Card>
      </div>

      <Card className="mt-4">
        <Title>{t.overview.topRegions}</Title>
        {data.regions.length ? (
          <ul className="mt-4 flex flex-col gap-3" data-testid="top-regions">
            {data.regions.map((r) => (
              <li key={r.region ?? '∅'}>
                <div className="flex items-baseline justify-between gap-3 text-tremor-default">
                  <span className="truncate font-medium text-tremor-content-strong">{r.region ?? t.overview.unknownRegion}</span>
                  <span className="whitespace-nowrap tabular-nums text-tremor-content-emphasis">
                    {f.money(r.revenue)} <span className="text-tremor-content">· {f.percent(r.share)}</span>
                  </span>
                </div>
                <div className="mt-1 h-2 rounded-tremor-full bg-tremor-background-subtle">
                  <div className="h-2 rounded-tremor-full bg-blue-500" style={{ width: `${Math.max(1, Math.round(r.share * 100))}%` }} />
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>{t.states.empty}</EmptyState>
        )}
      </Card>
    </>
  );
}

function KpiCard({ label, kpi, format, t, f }: { label: string; kpi: Kpi; format: (v: number | null) => string; t: Dictionary; f: Formatters }) {
  const up = (kpi.change ?? 0) > 0;
  const down = (kpi.change ?? 0) < 0;
  return (
    <Card data-testid="kpi">
      <p className="text-tremor-default text-tremor-content">{label}</p>
      <p className="mt-1 text-tremor-metric font-semibold tabular-nums text-tremor-content-strong">{format(kpi.value)}</p>
      <div className="mt-2 flex flex-wrap items-center gap-2 text-tremor-default">
        {kpi.change === null ? (
          <span className="text-tremor-content-subtle">{t.overview.noPrevious}</span>
        ) : (
          <>
            <Badge colour={up ? 'green' : down ? 'red' : 'gray'} className={cx('tabular-nums')}>
              {up ? '▲' : down ? '▼' : '■'} {f.change(kpi.change)}
            </Badge>
            <span className="text-tremor-content">
              {t.overview.vsPrevious} ({format(kpi.previous)})
            </span>
          </>
        )}
      </div>
    </Card>
  );
}

