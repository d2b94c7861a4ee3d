// Campaigns: every campaign in the operational data with its audience, funnel rates, revenue
// attributed within the window, and its conversion lift over the holdout with a verdict from the
// 95% interval, and the saved segment it targeted where one is linked. Each opens its detail with the
// breakdowns by segment and churn risk.
import type { ReactNode } from 'react';
import { Figure, linkClass } from '../../../../components/data-ui.tsx';
import { LiftBadge } from '../../../../components/campaigns/lift-badge.tsx';
import { Card, EmptyState, PageHeader, ScrollTable, Td, Th } from '../../../../components/ui.tsx';
import { getCampaignTargets, type CampaignTarget } from '../../../../lib/data/campaign-segments.ts';
import { getCampaigns, type CampaignsData } from '../../../../lib/data/campaigns.ts';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../lib/server/warehouse.ts';

export const metadata = { title: 'Campaigns' };

/** "Segment: <name>" under a campaign's name; nothing when it is not linked, no name for someone else's private segment. */
function TargetLine({ target, label, hidden }: { target: CampaignTarget | undefined; label: string; hidden: string }): ReactNode {
  if (!target) return null;
  return (
    <span className="block text-xs text-tremor-content" data-testid="campaign-target">
      {label}:{' '}
      {target.segmentId === null ? (
        hidden
      ) : (
        <a className={linkClass} href={`/saved-segments/${target.segmentId}`}>
          {target.segmentName}
        </a>
      )}
    </span>
  );
}

export default async function CampaignsPage() {
  const { t, locale, session } = await requirePage('page:campaigns', '/campaigns');
  const c = t.campaigns;
  const { config } = await getServerContext();
  let data: CampaignsData;
  try {
    data = await getCampaigns();
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={c.title} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    throw error;
  }
  const days = data.campaigns[0]?.attributionDays ?? config.attributionDays;
  const header = <PageHeader title={c.title} subtitle={<>{fill(c.subtitle, { days })}{data.asOf ? <span className="block text-xs">{fill(c.dataThrough, { date: data.asOf })}</span> : null}</>} />;
  if (!data.available || data.campaigns.length === 0) {
    return (
      <>
        {header}
        <EmptyState>{data.available ? c.none : c.unavailable}</EmptyState>
      </>
    );
  }
  const f = createFormatters(locale, data.reportingCurrency, config.timeZone);
  const targets = await getCampaignTargets(session);
  const target = (id: number) => <TargetLine target={targets.get(id)} label={c.targetColumn} hidden={c.targetPrivate} />;
  const campaigns = data.campaigns;
  const sum = (pick: (x: (typeof campaigns)[number]) => number) => campaigns.reduce((a, x) => a + pick(x), 0);

  return (
    <>
      {header}
      <Card className="mb-4">
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          <Figure label={c.totals.campaigns} value={f.number(data.campaigns.length)} />
          <Figure label={c.totals.targeted} value={f.number(sum((x) => x.audience))} />
          <Figure label={c.totals.converted} value={f.number(sum((x) => x.converted))} />
          <Figure label={c.totals.revenue} value={f.moneyCompact(sum((x) => x.revenue))} />
        </div>
      </Card>

      <Card>
        {/* A table from a small tablet up; on a phone, one block per campaign. */}
        <ScrollTable className="hidden sm:block">
          <thead>
            <tr>
              <Th>{c.campaign}</Th>
              <Th>{c.started}</Th>
              <Th className="text-right">{c.audience}</Th>
              <Th className="text-right">{c.holdout}</Th>
              <Th className="text-right">{c.openRate}</Th>
              <Th className="text-right">{c.clickRate}</Th>
              <Th className="text-right">{c.conversionRate}</Th>
              <Th className="text-right">{c.revenue}</Th>
              <Th>{c.lift}</Th>
            </tr>
          </thead>
          <tbody>
            {data.campaigns.map((x) => (
              <tr key={x.id} data-testid="campaign-row" data-id={x.id}>
                <Td className="max-w-[16rem] whitespace-normal">
                  <a className={linkClass} href={`/campaigns/${x.id}`} data-testid="campaign-name">
                    {x.name}
                  </a>
                  <span className="block text-xs text-tremor-content-subtle">{c.channels[x.channel ?? ''] ?? x.channel}</span>
                  {target(x.id)}
                </Td>
                <Td className="tabular-nums">{f.date(x.startedAt)}</Td>
                <Td className="text-right tabular-nums">{f.number(x.audience)}</Td>
                <Td className="text-right tabular-nums">{f.number(x.holdout)}</Td>
                <Td className="text-right tabular-nums">{f.percent(x.openRate)}</Td>
                <Td className="text-right tabular-nums">{f.percent(x.clickRate)}</Td>
                <Td className="text-right tabular-nums">{f.percent(x.conversionRate)}</Td>
                <Td className="text-right tabular-nums">{f.money(x.revenue)}</Td>
                <Td className="whitespace-normal">
                  <LiftBadge m={x} t={t} locale={locale} />
                </Td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
        <ul className="flex flex-col divide-y divide-tremor-border sm:hidden">
          {data.campaigns.map((x) => (
            <li key={x.id} className="flex flex-col gap-1 py-3 first:pt-0 last:pb-0" data-testid="campaign-card" data-id={x.id}>
              <a className={`${linkClass} break-words`} href={`/campaigns/${x.id}`}>
                {x.name}
              </a>
              <p className="text-xs text-tremor-content">
                {c.channels[x.channel ?? ''] ?? x.channel} · {f.date(x.startedAt)} · {c.audience} {f.number(x.audience)} · {c.holdout} {f.number(x.holdout)}
              </p>
              <p className="text-xs text-tremor-content">
                {c.conversionRate} {f.percent(x.conversionRate)} · {c.revenue} {f.money(x.revenue)}
              </p>
              {target(x.id)}
              <LiftBadge m={x} t={t} locale={locale} />
            </li>
          ))}
        </ul>
        <p className="mt-4 text-xs text-tremor-content-subtle">{fill(c.definitions, { currency: data.reportingCurrency })}</p>
      </Card>
    </>
  );
}
