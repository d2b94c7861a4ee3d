// One campaign: its attribution window, the funnel, targeted against holdout (conversion rate and
// revenue per customer, the differences with 95% intervals and what they mean), and the same
// measures by today's segment and churn-risk band of its customers; and the saved segment it targeted,
// which roles that build segments can link, change or remove.
import { notFound } from 'next/navigation';
import { can } from '../../../../../lib/auth-roles.ts';
import { listSavedSegments } from '../../../../../lib/saved-segments.ts';
import { TargetSegmentForm } from '../../../../components/campaigns/target-segment-form.tsx';
import { LiftBadge } from '../../../../components/campaigns/lift-badge.tsx';
import { CampaignFunnelChart } from '../../../../components/charts/campaign-funnel-chart.tsx';
import { Figure, linkClass, segmentLabel } from '../../../../components/data-ui.tsx';
import { Card, Notice, PageHeader, ScrollTable, Subtle, Td, Th, Title } from '../../../../components/ui.tsx';
import { formatPoints, liftVerdict } from '../../../../lib/campaign-verdict.ts';
import { getCampaignTarget, type CampaignTarget } from '../../../../lib/data/campaign-segments.ts';
import { getCampaign, parseCampaignId, type CampaignMeasures } from '../../../../lib/data/campaigns.ts';
import { createFormatters, type Formatters } from '../../../../lib/format.ts';
import { fill, type Dictionary, type Locale } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Campaign' };

function Interval({ low, high, format }: { low: number | null; high: number | null; format: (v: number) => string }) {
  if (low === null || high === null) return <span className="text-tremor-content-subtle">–</span>;
  return (
    <span className="tabular-nums">
      [{format(low)}, {format(high)}]
    </span>
  );
}

/** The meaning of a lift's interval, in a sentence. */
function verdictNote(m: CampaignMeasures, kind: 'conversion' | 'revenue', t: Dictionary): string {
  const verdict = liftVerdict(m, kind);
  if (verdict === 'none') return t.campaigns.noHoldout;
  if (verdict === 'small') return t.campaigns.tooSmall;
  return verdict === 'unclear' ? t.campaigns.notSignificant : t.campaigns.significant;
}

function BreakdownTable({ rows, label, t, f, locale, testId }: { rows: (CampaignMeasures & { key: string; name: string })[]; label: string; t: Dictionary; f: Formatters; locale: Locale; testId: string }) {
  const c = t.campaigns;
  return (
    <>
      {/* A table from a small tablet up; on a phone, one block per group. */}
      <ScrollTable className="mt-3 hidden sm:block">
        <thead>
          <tr>
            <Th>{label}</Th>
            <Th className="text-right">{c.members}</Th>
            <Th className="whitespace-normal text-right">{c.conversionRate}</Th>
            <Th>{c.lift}</Th>
            <Th className="whitespace-normal text-right">{c.revenuePerCustomer}</Th>
            <Th className="whitespace-normal text-right">{c.revenueLift}</Th>
          </tr>
        </thead>
        <tbody data-testid={testId}>
          {rows.map((r) => (
            <tr key={r.key} data-testid="breakdown-row">
              <Td className="max-w-[14rem] whitespace-normal font-medium">{r.name}</Td>
              <Td className="text-right tabular-nums">
                {f.number(r.audience)} / {f.number(r.holdout)}
              </Td>
              <Td className="text-right tabular-nums">
                {f.percent(r.conversionRate)}
                <span className="block text-xs text-tremor-content-subtle">{f.percent(r.holdoutConversionRate)}</span>
              </Td>
              <Td className="whitespace-normal">
                <LiftBadge m={r} t={t} locale={locale} />
              </Td>
              <Td className="text-right tabular-nums">
                {f.money(r.revenuePerCustomer)}
                <span className="block text-xs text-tremor-content-subtle">{f.money(r.holdoutRevenuePerCustomer)}</span>
              </Td>
              <Td className="text-right tabular-nums">{r.revenueLift === null ? '–' : f.money(r.revenueLift)}</Td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <ul className="mt-3 flex flex-col divide-y divide-tremor-border sm:hidden" data-testid={`${testId}-cards`}>
        {rows.map((r) => (
          <li key={r.key} className="flex flex-col gap-1 py-3 text-tremor-default first:pt-0 last:pb-0" data-testid="breakdown-card">
            <p className="flex justify-between gap-2 font-medium text-tremor-content-strong">
              <span className="min-w-0 break-words">{r.name}</span>
              <span className="shrink-0 tabular-nums text-tremor-content">
                {f.number(r.audience)} / {f.number(r.holdout)}
              </span>
            </p>
            <p className="text-xs text-tremor-content">
              {c.conversionRate}: {f.percent(r.conversionRate)} / {f.percent(r.holdoutConversionRate)} · {c.revenuePerCustomer}: {f.money(r.revenuePerCustomer)} / {f.money(r.holdoutRevenuePerCustomer)}
            </p>
            <LiftBadge m={r} t={t} locale={locale} />
          </li>
        ))}
      </ul>
    </>
  );
}

function TargetSegmentText({ target, t, f }: { target: CampaignTarget | null; t: Dictionary; f: Formatters }) {
  const c = t.campaigns;
  if (!target) return <p className="mt-3 text-tremor-default text-tremor-content">{c.targetNone}</p>;
  if (target.segmentId === null) return <p className="mt-3 text-tremor-default text-tremor-content">{c.targetPrivate}</p>;
  return (
    <p className="mt-3 flex flex-wrap items-baseline gap-x-2 text-tremor-default">
      <a className={linkClass} href={`/saved-segments/${target.segmentId}`} data-testid="target-segment-name">
        {target.segmentName}
      </a>
      <span className="text-xs text-tremor-content">{fill(c.targetLinked, { who: target.linkedBy ?? '–', date: f.dateTime(target.linkedAt) })}</span>
    </p>
  );
}

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { t, locale, session } = await requirePage('page:campaigns', `/campaigns/${encodeURIComponent(raw)}`);
  const id = parseCampaignId(raw);
  if (id === null) notFound();
  const data = await getCampaign(id);
  if (!data) notFound();
  const { config, pool } = await getServerContext();
  const canLink = can(session.user.role, 'segments:build');
  const [target, segments] = await Promise.all([
    getCampaignTarget(id, session),
    canLink ? listSavedSegments(pool, { userId: session.user.id, role: session.user.role }) : Promise.resolve([]),
  ]);
  const f = createFormatters(locale, data.reportingCurrency, config.timeZone);
  const c = t.campaigns;
  const x = data.campaign;
  const points = (v: number) => fill(c.points, { value: formatPoints(v, locale) });
  const money = (v: number) => f.money(v);
  const hasHoldout = x.holdout > 0 && x.audience > 0;

  return (
    <>
      <a className={`${linkClass} mb-3 inline-block text-tremor-default`} href="/campaigns">
        ← {c.back}
      </a>
      <PageHeader
        title={x.name}
        subtitle={
          <>
            {c.channels[x.channel ?? ''] ?? x.channel} · {f.dateTime(x.startedAt)}
            <span className="block">{fill(c.window, { from: f.dateTime(x.startedAt), to: f.dateTime(x.windowEnd), days: x.attributionDays })}</span>
          </>
        }
      />
      {!x.windowComplete ? (
        <Notice tone="warning" className="mb-4">
          {fill(c.windowPartial, { date: f.dateTime(x.windowEnd) })}
        </Notice>
      ) : null}

      <Card className="mb-4">
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-7" data-testid="campaign-figures">
          <Figure label={c.audience} value={f.number(x.audience)} hint={`${c.holdout}: ${f.number(x.holdout)}`} />
          <Figure label={c.sent} value={f.number(x.sent)} />
          <Figure label={c.openRate} value={f.percent(x.openRate)} hint={`${c.opened}: ${f.number(x.opened)}`} />
          <Figure label={c.clickRate} value={f.percent(x.clickRate)} hint={`${c.clicked}: ${f.number(x.clicked)}`} />
          <Figure label={c.conversionRate} value={f.percent(x.conversionRate)} hint={`${c.converted}: ${f.number(x.converted)}`} testId="conversion-rate" />
          <Figure label={c.revenue} value={f.money(x.revenue)} hint={`${c.buyers}: ${f.number(x.buyers)}`} />
          <Figure label={c.revenuePerCustomer} value={f.money(x.revenuePerCustomer)} />
        </div>
      </Card>

      <Card className="mb-4" data-testid="target-segment">
        <Title>{c.target}</Title>
        <Subtle>{c.targetHint}</Subtle>
        <TargetSegmentText target={target} t={t} f={f} />
        {canLink ? <TargetSegmentForm campaignId={x.id} linkedId={target?.segmentId ?? null} linked={target !== null} segments={segments.map((s) => ({ id: s.id, name: s.name }))} /> : null}
      </Card>

      <div className="grid grid-cols-1 gap-4 2xl:grid-cols-2">
        <Card>
          <Title>{c.funnel}</Title>
          <Subtle>{c.funnelHint}</Subtle>
          <CampaignFunnelChart
            steps={[
              { step: c.sent, customers: x.sent },
              { step: c.opened, customers: x.opened },
              { step: c.clicked, customers: x.clicked },
              { step: c.converted, customers: x.converted },
            ]}
          />
        </Card>
        <Card data-testid="comparison">
          <Title>{c.comparison}</Title>
          <Subtle>{c.comparisonHint}</Subtle>
          {hasHoldout ? (
            <>
              <ScrollTable className="mt-3">
                <thead>
                  <tr>
                    <Th className="whitespace-normal">{c.group}</Th>
                    <Th className="whitespace-normal text-right">{c.audience}</Th>
                    <Th className="whitespace-normal text-right">{c.conversionRate}</Th>
                    <Th className="whitespace-normal text-right">{c.revenuePerCustomer}</Th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <Td>{c.targetedGroup}</Td>
                    <Td className="text-right tabular-nums">{f.number(x.audience)}</Td>
                    <Td className="text-right tabular-nums">{f.percent(x.conversionRate)}</Td>
                    <Td className="text-right tabular-nums">{f.money(x.revenuePerCustomer)}</Td>
                  </tr>
                  <tr>
                    <Td>{c.holdoutGroup}</Td>
                    <Td className="text-right tabular-nums">{f.number(x.holdout)}</Td>
                    <Td className="text-right tabular-nums">{f.percent(x.holdoutConversionRate)}</Td>
                    <Td className="text-right tabular-nums">{f.money(x.holdoutRevenuePerCustomer)}</Td>
                  </tr>
                  <tr className="font-semibold">
                    <Td>{c.difference}</Td>
                    <Td />
                    <Td className="text-right tabular-nums">{x.conversionLift === null ? '–' : points(x.conversionLift)}</Td>
                    <Td className="text-right tabular-nums">{x.revenueLift === null ? '–' : f.money(x.revenueLift)}</Td>
                  </tr>
                  <tr>
                    <Td className="text-xs">{c.interval}</Td>
                    <Td />
                    <Td className="text-right text-xs">
                      <Interval low={x.conversionLiftLow} high={x.conversionLiftHigh} format={points} />
                    </Td>
                    <Td className="text-right text-xs">
                      <Interval low={x.revenueLiftLow} high={x.revenueLiftHigh} format={money} />
                    </Td>
                  </tr>
                </tbody>
              </ScrollTable>
              <dl className="mt-3 flex flex-col gap-2 text-tremor-default">
                <div data-testid="conversion-verdict" data-verdict={liftVerdict(x, 'conversion')}>
                  <dt className="font-medium text-tremor-content-strong">
                    {c.conversionLift}: <LiftBadge m={x} t={t} locale={locale} />
                  </dt>
                  <dd className="text-tremor-content">
                    {verdictNote(x, 'conversion', t)}
                    {x.conversionLiftRelative !== null ? ` ${fill(c.relative, { value: f.change(x.conversionLiftRelative) })}` : ''}
                  </dd>
                </div>
                <div data-testid="revenue-verdict" data-verdict={liftVerdict(x, 'revenue')}>
                  <dt className="font-medium text-tremor-content-strong">
                    {c.revenueLift}: {x.revenueLift === null ? '–' : f.money(x.revenueLift)}
                  </dt>
                  <dd className="text-tremor-content">{verdictNote(x, 'revenue', t)}</dd>
                </div>
              </dl>
            </>
          ) : (
            <Notice className="mt-3">{c.noHoldout}</Notice>
          )}
        </Card>
      </div>

      <Card className="mt-4">
        <Title>{c.byBand}</Title>
        <Subtle>{c.breakdownHint}</Subtle>
        <BreakdownTable
          rows={data.byBand.map((b) => ({ ...b, key: b.band ?? 'none', name: b.band ? (t.bands[b.band] ?? b.band) : c.unscored }))}
          label={c.band}
          t={t}
          f={f}
          locale={locale}
          testId="by-band"
        />
      </Card>
      <Card className="mt-4">
        <Title>{c.bySegment}</Title>
        <Subtle>{c.breakdownHint}</Subtle>
        <BreakdownTable
          rows={data.bySegment.map((s) => ({ ...s, key: String(s.segmentId ?? 'none'), name: s.segmentId === null ? c.unscored : segmentLabel(locale, { id: s.segmentId, en: s.en, zh: s.zh }) }))}
          label={c.segment}
          t={t}
          f={f}
          locale={locale}
          testId="by-segment"
        />
        <p className="mt-4 text-xs text-tremor-content-subtle">{fill(c.definitions, { currency: data.reportingCurrency })}</p>
      </Card>
    </>
  );
}
