// One customer, all in one place (the 360 view): profile (personal data from PostgreSQL, masked per
// role), RFM, segment history, churn risk with its top drivers, expected value, and one timeline of
// orders, interactions, tickets and campaign events from the snapshot. An unmasked view is audited.
import { notFound } from 'next/navigation';
import { can } from '../../../../../lib/auth-roles.ts';
import { DriverList, Figure, linkClass, RiskBadge, segmentLabel } from '../../../../components/data-ui.tsx';
import { Badge, Card, EmptyState, PageHeader, Subtle, Title } from '../../../../components/ui.tsx';
import { getCustomer360, TIMELINE_LIMIT, type TimelineEvent } from '../../../../lib/data/customers.ts';
import { createFormatters, type Formatters } from '../../../../lib/format.ts';
import { fill, type Dictionary } from '../../../../lib/i18n/index.ts';
import { audit } from '../../../../lib/server/audit.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Customer' };

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { t, locale, session } = await requirePage('page:customers', `/customers/${encodeURIComponent(raw)}`);
  if (!/^\d{1,15}$/.test(raw)) notFound();
  const id = Number(raw);
  const unmasked = can(session.user.role, 'pii:unmasked');
  // Outside the user's owner scope is "not found", like an id that does not exist.
  const c = await getCustomer360(id, { unmasked, scope: session.ownerScope });
  if (!c) notFound();
  if (unmasked && c.person) await audit(session, 'pii_view', `customer:${id}`, 1);
  const { config } = await getServerContext();
  const f = createFormatters(locale, c.reportingCurrency, config.timeZone);
  const name = c.person?.name ?? `#${id}`;
  const p = c.profile;

  return (
    <>
      <PageHeader
        title={name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <a className={linkClass} href="/customers">
              ← {t.customers.back}
            </a>
            <span>· ID {id}</span>
            {c.segment.id !== null ? (
              <a className={linkClass} href={`/segments/${c.segment.id}`} data-testid="customer-segment">
                {segmentLabel(locale, c.segment)}
              </a>
            ) : null}
            <RiskBadge band={c.churn.band} risk={c.churn.risk} t={t} />
          </span>
        }
      />

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card data-testid="profile">
          <Title>{t.customers.profile}</Title>
          {!unmasked ? <Subtle className="mt-1 text-xs">{t.customers.masked}</Subtle> : null}
          <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-tremor-default">
            <Row label={t.customers.email} value={<span data-testid="profile-email">{c.person?.email ?? '–'}</span>} />
            <Row label={t.customers.phone} value={<span data-testid="profile-phone">{c.person?.phone ?? '–'}</span>} />
            <Row label={t.customers.company} value={c.person?.company ?? '–'} />
            <Row label={t.customers.address} value={c.person?.address ?? '–'} />
            <Row label={t.customers.location} value={[p.city, p.region, p.country].filter(Boolean).join(', ') || '–'} />
            <Row label={t.customers.language} value={p.preferredLanguage ? (t.language[p.preferredLanguage as 'en' | 'zh-CN'] ?? p.preferredLanguage) : '–'} />
            <Row label={t.customers.currency} value={p.currency ?? '–'} />
            <Row label={t.customers.customerSince} value={f.date(c.person?.createdAt)} />
            <Row
              label={t.customers.tags}
              value={
                p.tags.length ? (
                  <span className="flex flex-wrap gap-1">
                    {p.tags.map((tag) => (
                      <Badge key={tag} colour="blue">
                        {tag}
                      </Badge>
                    ))}
                  </span>
                ) : (
                  '–'
                )
              }
            />
          </dl>
        </Card>

        <Card data-testid="rfm">
          <Title>{t.customers.rfm}</Title>
          <Subtle className="mt-1 text-xs">{t.customers.rfmHint}</Subtle>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            {c.rfm.group ? <Badge colour="blue">{t.rfmGroups[c.rfm.group] ?? c.rfm.group}</Badge> : null}
          </div>
          <div className="mt-3 grid grid-cols-3 gap-3">
            <Score label={t.customers.recency} score={c.rfm.r} />
            <Score label={t.customers.frequency} score={c.rfm.f} />
            <Score label={t.customers.monetary} score={c.rfm.m} />
          </div>
          <div className="mt-4 grid grid-cols-2 gap-3">
            <Figure label={t.customers.lastOrder} value={f.date(p.lastOrderAt)} hint={c.rfm.recencyDays !== null ? fill(t.customers.daysAgo, { days: f.number(c.rfm.recencyDays) }) : undefined} />
            <Figure label={t.customers.firstOrder} value={f.date(p.firstOrderAt)} />
            <Figure label={t.customers.orders} value={f.number(c.rfm.frequency)} />
            <Figure label={t.customers.revenue} value={f.money(c.rfm.monetary)} hint={`${t.customers.aov}: ${f.money(c.rfm.aov)}`} />
          </div>
        </Card>

        <Card data-testid="churn">
          <Title>{t.customers.churn}</Title>
          <div className="mt-3 grid grid-cols-2 gap-3">
            <Figure label={t.customers.churn} value={c.churn.risk === null ? '–' : `${Math.round(c.churn.risk)} / 100`} hint={c.churn.band ? t.bands[c.churn.band] : undefined} />
            <Figure label={t.customers.probability} value={f.percent(c.churn.probability, 0)} />
            <Figure label={t.customers.pAlive} value={f.percent(c.churn.pAlive, 0)} />
          </div>
          <p className="mt-4 text-xs font-medium text-tremor-content">{t.customers.drivers}</p>
          <div className="mt-1">{c.churn.drivers.length ? <DriverList drivers={c.churn.drivers} t={t} /> : <Subtle>{t.customers.noDrivers}</Subtle>}</div>
          <p className="mt-4 text-xs font-medium text-tremor-content">{t.customers.expectedValue}</p>
          <div className="mt-1 grid grid-cols-2 gap-3" data-testid="expected-value">
            <Figure label={t.customers.expected12m} value={f.money(c.value.expected12m)} />
            <Figure label={t.customers.expectedOrderValue} value={f.money(c.value.expectedOrderValue)} />
            <Figure label={t.customers.expectedOrders30d} value={fmtSmall(f, c.value.expectedOrders30d)} />
            <Figure label={t.customers.expectedOrders90d} value={fmtSmall(f, c.value.expectedOrders90d)} />
          </div>
        </Card>
      </div>

      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card>
          <Title>{t.customers.activity}</Title>
          <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-2">
            <Figure label={t.customers.orders90d} value={f.number(c.activity.orders90d)} />
            <Figure label={t.customers.revenue90d} value={f.money(c.activity.revenue90d)} />
            <Figure label={t.customers.interactions90d} value={f.number(c.activity.interactions90d)} />
            <Figure label={t.customers.openTickets} value={f.number(c.activity.openTickets)} />
            <Figure label={t.customers.opens90d} value={f.number(c.activity.opens90d)} />
            <Figure label={t.customers.clicks90d} value={f.number(c.activity.clicks90d)} />
          </div>
          <Title className="mt-6">{t.customers.segmentHistory}</Title>
          {c.segmentHistory.length === 0 ? (
            <Subtle className="mt-2">{t.customers.noHistory}</Subtle>
          ) : (
            <ol className="mt-2 flex flex-col gap-2 text-tremor-default" data-testid="segment-history">
              {c.segmentHistory.map((h) => (
                <li key={h.runId} className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-medium text-tremor-content-strong">{segmentLabel(locale, { id: h.segmentId, en: h.en, zh: h.zh })}</span>
                  <span className="text-xs text-tremor-content">
                    {fill(t.customers.run, { run: h.runId })} · {f.date(h.runAt)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>

        <Card className="lg:col-span-2">
          <Title>{t.customers.timeline}</Title>
          <Subtle>{fill(t.customers.timelineHint, { limit: TIMELINE_LIMIT })}</Subtle>
          {c.timeline.length === 0 ? (
            <div className="mt-4">
              <EmptyState>{t.customers.noEvents}</EmptyState>
            </div>
          ) : (
            <ol className="mt-4 flex flex-col" data-testid="timeline">
              {c.timeline.map((e, i) => (
                <TimelineItem key={i} event={e} t={t} f={f} />
              ))}
            </ol>
          )}
        </Card>
      </div>
    </>
  );
}

function fmtSmall(f: Formatters, v: number | null): string {
  if (v === null) return '–';
  return new Intl.NumberFormat(f.locale, { maximumFractionDigits: 2 }).format(v);
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <>
      <dt className="text-tremor-content">{label}</dt>
      <dd className="min-w-0 break-words text-tremor-content-strong">{value}</dd>
    </>
  );
}

function Score({ label, score }: { label: string; score: number | null }) {
  return (
    <div className="rounded-tremor-small bg-tremor-background-muted p-2 text-center">
      <p className="text-xs text-tremor-content">{label}</p>
      <p className="text-tremor-metric font-semibold tabular-nums text-tremor-content-strong">{score ?? '–'}</p>
      <div className="mt-1 flex justify-center gap-0.5" aria-hidden>
        {[1, 2, 3, 4, 5].map((n) => (
          <span key={n} className={`h-1.5 w-3 rounded-full ${score !== null && n <= score ? 'bg-blue-500' : 'bg-tremor-background-subtle'}`} />
        ))}
      </div>
    </div>
  );
}

const kindStyle: Record<string, { icon: string; colour: string }> = {
  order: { icon: '🛒', colour: 'bg-emerald-100 text-emerald-700' },
  interaction: { icon: '💬', colour: 'bg-blue-100 text-blue-700' },
  ticket: { icon: '🎫', colour: 'bg-amber-100 text-amber-800' },
  campaign: { icon: '📣', colour: 'bg-violet-100 text-violet-700' },
};

function TimelineItem({ event: e, t, f }: { event: TimelineEvent; t: Dictionary; f: Formatters }) {
  const style = kindStyle[e.kind] ?? kindStyle.order!;
  const money = e.amount !== null && e.currency ? new Intl.NumberFormat(f.locale, { style: 'currency', currency: e.currency, currencyDisplay: 'narrowSymbol' }).format(e.amount) : null;
  return (
    <li className="flex gap-3 border-b border-tremor-border/60 py-2 last:border-0" data-testid="timeline-event" data-kind={e.kind}>
      <span aria-hidden className={`mt-0.5 flex h-7 w-7 shrink-0 items-center justify-center rounded-full text-sm ${style.colour}`}>
        {style.icon}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline justify-between gap-x-3">
          <span className="font-medium text-tremor-content-strong">
            {t.customers.kinds[e.kind] ?? e.kind}
            {e.channel ? <span className="font-normal text-tremor-content"> · {t.channels[e.channel] ?? e.channel}</span> : null}
            <span className="font-normal text-tremor-content"> · {t.customers.details[e.detail] ?? e.detail}</span>
            {e.priority ? <span className="font-normal text-tremor-content"> · {t.customers.priority[e.priority] ?? e.priority}</span> : null}
          </span>
          <span className="text-xs tabular-nums text-tremor-content">{f.dateTime(e.at)}</span>
        </div>
        {e.title || money ? (
          <p className="break-words text-tremor-default text-tremor-content-emphasis">
            {money ? <span className="tabular-nums">{money}</span> : null}
            {money && e.title ? ' · ' : null}
            {e.title}
          </p>
        ) : null}
      </div>
    </li>
  );
}
