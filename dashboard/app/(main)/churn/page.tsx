// Churn: the risk distribution, revenue at risk (metrics layer) by band and segment, a watchlist
// ranked by risk × expected value with each customer's top drivers, and the model card: holdout ROC
// AUC against the recency-only baseline, the calibration table and chart, and the data window.
import { can } from '../../../../lib/auth-roles.ts';
import { CalibrationChart } from '../../../components/charts/calibration-chart.tsx';
import { RiskDistributionChart } from '../../../components/charts/risk-distribution-chart.tsx';
import { DriverList, Figure, linkClass, RiskBadge, segmentLabel } from '../../../components/data-ui.tsx';
import { Badge, Card, EmptyState, PageHeader, ScrollTable, Subtle, Td, Th, Title } from '../../../components/ui.tsx';
import { getChurnWithPeople, WATCHLIST_SIZE } from '../../../lib/data/churn.ts';
import { createFormatters } from '../../../lib/format.ts';
import { fill } from '../../../lib/i18n/index.ts';
import { audit } from '../../../lib/server/audit.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const metadata = { title: 'Churn' };

export default async function ChurnPage() {
  const { t, locale, session } = await requirePage('page:churn', '/churn');
  const unmasked = can(session.user.role, 'pii:unmasked');
  let data;
  try {
    data = await getChurnWithPeople({ unmasked, scope: session.ownerScope });
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={t.churn.title} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    throw error;
  }
  if (data.scored === 0) {
    return (
      <>
        <PageHeader title={t.churn.title} />
        <EmptyState>{t.churn.none}</EmptyState>
      </>
    );
  }
  if (unmasked && data.watchlist.length > 0) await audit(session, 'pii_view', 'churn:watchlist', data.watchlist.length);
  const { config } = await getServerContext();
  const f = createFormatters(locale, data.reportingCurrency, config.timeZone);
  const high = data.bands.find((b) => b.band === 'high');
  const card = data.card;
  const maxSegment = Math.max(1, ...data.atRiskBySegment.map((s) => s.atRisk));

  return (
    <>
      <PageHeader title={t.churn.title} subtitle={`${t.churn.subtitle} · ${fill(t.filters.dataThrough, { date: f.date(data.asOf) })}`} />

      <section className="grid grid-cols-1 gap-4 sm:grid-cols-3" data-testid="churn-kpis">
        <Card>
          <Figure label={t.churn.revenueAtRisk} value={f.money(data.revenueAtRisk)} hint={t.churn.revenueAtRiskHint} testId="revenue-at-risk" />
        </Card>
        <Card>
          <Figure label={t.churn.highRisk} value={f.number(high?.customers ?? 0)} hint={f.percent((high?.customers ?? 0) / data.scored)} />
        </Card>
        <Card>
          <Figure label={t.churn.scored} value={f.number(data.scored)} />
        </Card>
      </section>

      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Title>{t.churn.distribution}</Title>
          <Subtle>{t.churn.distributionHint}</Subtle>
          <RiskDistributionChart data={data.distribution} />
        </Card>
        <Card>
          <Title>{t.churn.byBand}</Title>
          <ul className="mt-3 flex flex-col gap-3 text-tremor-default" data-testid="bands">
            {data.bands.map((b) => (
              <li key={b.band} className="flex items-baseline justify-between gap-2">
                <Badge colour={b.band === 'high' ? 'red' : b.band === 'medium' ? 'amber' : 'green'}>{t.bands[b.band] ?? b.band}</Badge>
                <span className="tabular-nums text-tremor-content-emphasis">
                  {f.number(b.customers)} · <span className="font-medium text-tremor-content-strong">{f.money(b.atRisk)}</span>
                </span>
              </li>
            ))}
          </ul>
          <Title className="mt-6">{t.churn.bySegment}</Title>
          <ul className="mt-3 flex flex-col gap-3" data-testid="at-risk-by-segment">
            {data.atRiskBySegment.map((s) => (
              <li key={String(s.segmentId)}>
                <div className="flex items-baseline justify-between gap-3 text-tremor-default">
                  <span className="truncate text-tremor-content-strong">{segmentLabel(locale, { id: s.segmentId, en: s.en, zh: s.zh })}</span>
                  <span className="whitespace-nowrap tabular-nums text-tremor-content-emphasis">{f.moneyCompact(s.atRisk)}</span>
                </div>
                <div className="mt-1 h-2 rounded-tremor-full bg-tremor-background-subtle">
                  <div className="h-2 rounded-tremor-full bg-rose-500" style={{ width: `${Math.max(1, Math.round((s.atRisk / maxSegment) * 100))}%` }} />
                </div>
              </li>
            ))}
          </ul>
        </Card>
      </div>

      <Card className="mt-4">
        <Title>{t.churn.watchlist}</Title>
        <Subtle>{fill(t.churn.watchlistHint, { count: WATCHLIST_SIZE })}</Subtle>
        <ScrollTable className="mt-3">
          <thead>
            <tr>
              <Th>{t.churn.customer}</Th>
              <Th>{t.customers.segment}</Th>
              <Th>{t.churn.risk}</Th>
              <Th className="text-right">{t.churn.value12m}</Th>
              <Th className="text-right">{t.churn.atRisk}</Th>
              <Th>{t.churn.drivers}</Th>
              <Th>{t.churn.lastOrder}</Th>
            </tr>
          </thead>
          <tbody data-testid="watchlist">
            {data.watchlist.map((w) => (
              <tr key={w.id} data-testid="watch-row">
                <Td>
                  <a className={linkClass} href={`/customers/${w.id}`}>
                    {w.person?.name ?? `#${w.id}`}
                  </a>
                  <div className="text-xs text-tremor-content">{w.region ?? ''}</div>
                </Td>
                <Td>{segmentLabel(locale, { en: w.segmentEn, zh: w.segmentZh })}</Td>
                <Td>
                  <RiskBadge band={w.churnBand} risk={w.churnRisk} t={t} />
                </Td>
                <Td className="text-right tabular-nums">{f.money(w.expectedValue12m)}</Td>
                <Td className="text-right font-medium tabular-nums">{f.money(w.atRisk)}</Td>
                <Td>
                  <DriverList drivers={w.drivers} t={t} className="flex-nowrap" />
                </Td>
                <Td className="tabular-nums">{f.date(w.lastOrderAt)}</Td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </Card>

      <Card className="mt-4" data-testid="model-card">
        <Title>{t.churn.modelCard}</Title>
        {card ? (
          <>
            <div className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Figure label={t.churn.model} value={card.model ? (t.churn.models[card.model] ?? card.model) : '–'} />
              <Figure label={t.churn.rocAuc} value={fmt3(card.rocAuc)} hint={`${t.churn.baseline}: ${fmt3(card.baselineRocAuc)}`} testId="roc-auc" />
              <Figure label={t.churn.prAuc} value={fmt3(card.prAuc)} hint={`${t.churn.brier}: ${fmt3(card.brier)}`} />
              <Figure label={t.churn.window} value={f.date(card.dataFrom)} hint={`– ${f.date(card.dataTo)}`} />
            </div>
            <p className="mt-3 text-tremor-default text-tremor-content">
              {card.horizonDays !== null ? fill(t.churn.horizon, { days: card.horizonDays }) : null}
              {card.trainCutoff && card.testCutoff ? ` · ${fill(t.churn.trainedTo, { train: f.date(card.trainCutoff), test: f.date(card.testCutoff) })}` : null}
            </p>
            {card.candidates.length ? (
              <p className="mt-1 text-tremor-default text-tremor-content">
                {t.churn.candidates}: {card.candidates.map((c) => `${t.churn.models[c.kind] ?? c.kind} ${fmt3(c.rocAuc)}`).join(' · ')}
              </p>
            ) : null}
            {card.features.length ? (
              <div className="mt-3">
                <DriverList drivers={card.features} t={t} />
              </div>
            ) : null}
            <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
              <div>
                <Title>{t.churn.calibration}</Title>
                <Subtle>{t.churn.calibrationHint}</Subtle>
                <CalibrationChart data={card.calibration} />
              </div>
              <ScrollTable className="self-start">
                <thead>
                  <tr>
                    <Th>{t.churn.bucket}</Th>
                    <Th className="text-right">{t.churn.count}</Th>
                    <Th className="text-right">{t.churn.predicted}</Th>
                    <Th className="text-right">{t.churn.observed}</Th>
                  </tr>
                </thead>
                <tbody data-testid="calibration">
                  {card.calibration.map((c) => (
                    <tr key={c.from}>
                      <Td className="tabular-nums">
                        {f.percent(c.from, 0)}–{f.percent(c.to, 0)}
                      </Td>
                      <Td className="text-right tabular-nums">{f.number(c.count)}</Td>
                      <Td className="text-right tabular-nums">{f.percent(c.meanPredicted)}</Td>
                      <Td className="text-right tabular-nums">{f.percent(c.observedRate)}</Td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            </div>
            {card.notes ? <p className="mt-3 text-xs text-tremor-content">{card.notes}</p> : null}
          </>
        ) : (
          <div className="mt-3">
            <EmptyState>{t.churn.noCard}</EmptyState>
          </div>
        )}
      </Card>
    </>
  );
}

function fmt3(v: number | null): string {
  return v === null ? '–' : v.toFixed(3);
}
