// One segment: its profile against the population (bar chart of feature z-scores), size, revenue,
// movement since the previous run, and its members, paged and sortable; roles with `data:export`
// get CSV and Excel downloads (the export route checks the permission again on the server).
import { notFound } from 'next/navigation';
import { can } from '../../../../../lib/auth-roles.ts';
import { SegmentProfileChart } from '../../../../components/charts/segment-profile-chart.tsx';
import { Figure, linkClass, Pager, RiskBadge, secondaryButtonClass, segmentLabel, SortTh } from '../../../../components/data-ui.tsx';
import { Card, Notice, PageHeader, ScrollTable, Subtle, Td, Th, Title } from '../../../../components/ui.tsx';
import { getSegmentMembers, memberQuerySchema, parseSegmentId, type MemberQuery, type MemberSort } from '../../../../lib/data/segments.ts';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { audit } from '../../../../lib/server/audit.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Segment' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SegmentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { id: raw } = await params;
  const { t, locale, session } = await requirePage('page:segments', `/segments/${encodeURIComponent(raw)}`);
  const id = parseSegmentId(raw);
  if (id === null) notFound();
  const sp = await searchParams;
  const parsed = memberQuerySchema.safeParse({ sort: one(sp.sort), dir: one(sp.dir), page: one(sp.page) });
  const query: MemberQuery = parsed.success ? parsed.data : { sort: 'value', dir: 'desc', page: 1 };
  const unmasked = can(session.user.role, 'pii:unmasked');
  const data = await getSegmentMembers(id, query, { unmasked, scope: session.ownerScope });
  if (!data) notFound();
  if (unmasked && data.rows.length > 0) await audit(session, 'pii_view', `segment:${id}`, data.rows.length, { page: query.page });
  const { config } = await getServerContext();
  const s = data.segment;
  const f = createFormatters(locale, data.reportingCurrency, config.timeZone);
  const href = (q: Partial<MemberQuery>) => {
    const next = { ...query, ...q };
    const params = new URLSearchParams();
    if (next.sort !== 'value') params.set('sort', next.sort);
    if (next.dir !== 'desc') params.set('dir', next.dir);
    if (next.page > 1) params.set('page', String(next.page));
    const qs = params.toString();
    return `/segments/${id}${qs ? `?${qs}` : ''}`;
  };
  const sortHref = (sort: MemberSort) => href({ sort, dir: query.sort === sort && query.dir === 'desc' ? 'asc' : 'desc', page: 1 });
  const canExport = can(session.user.role, 'data:export');

  return (
    <>
      <PageHeader
        title={segmentLabel(locale, s)}
        subtitle={
          <a className={linkClass} href="/segments">
            ← {t.segments.back}
          </a>
        }
      >
        {canExport ? (
          <div className="flex flex-wrap items-center gap-2" data-testid="export">
            <span className="text-tremor-default text-tremor-content">{t.segments.export}:</span>
            <a className={secondaryButtonClass} href={`/api/segments/${id}/export?format=csv`} data-testid="export-csv" download>
              ⬇ {t.segments.exportCsv}
            </a>
            <a className={secondaryButtonClass} href={`/api/segments/${id}/export?format=xlsx`} data-testid="export-xlsx" download>
              ⬇ {t.segments.exportXlsx}
            </a>
            <span className="text-xs text-tremor-content">{t.segments.exportHint}</span>
          </div>
        ) : null}
      </PageHeader>

      {!parsed.success ? (
        <Notice tone="error" className="mb-4">
          {fill(t.filters.invalid, { field: String(parsed.error.issues[0]?.path[0] ?? 'sort'), message: parsed.error.issues[0]?.message ?? '' })}
        </Notice>
      ) : null}

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Title>{t.segments.profile}</Title>
          <Subtle>{t.segments.profileHint}</Subtle>
          <SegmentProfileChart profile={s.profile} />
        </Card>
        <Card>
          <div className="grid grid-cols-2 gap-4">
            <Figure label={t.segments.customers} value={f.number(s.customers)} hint={f.percent(s.customerShare)} testId="segment-size" />
            <Figure label={t.segments.revenue} value={f.moneyCompact(s.revenue)} hint={`${t.segments.revenueShare}: ${f.percent(s.revenueShare)}`} />
            <Figure label={t.segments.avgRisk} value={s.averageChurnRisk === null ? '–' : Math.round(s.averageChurnRisk)} />
            <Figure label={t.segments.value12m} value={f.moneyCompact(s.expectedValue12m)} />
            {s.stayed !== null ? (
              <>
                <Figure label={t.segments.stayed} value={f.number(s.stayed)} />
                <Figure label={t.segments.movedIn} value={<span className="text-emerald-700">+{f.number(s.movedIn)}</span>} />
                <Figure label={t.segments.movedOut} value={<span className="text-red-700">−{f.number(s.movedOut)}</span>} />
              </>
            ) : (
              <Figure label={t.segments.change} value={t.segments.firstRun} />
            )}
          </div>
        </Card>
      </div>

      <Card className="mt-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <Title>{t.segments.members}</Title>
          {!unmasked ? <p className="text-xs text-tremor-content">{t.customers.masked}</p> : null}
        </div>
        <ScrollTable className="mt-3">
          <thead>
            <tr>
              <Th>{t.customers.customer}</Th>
              <Th>{t.customers.contact}</Th>
              <Th>{t.customers.region}</Th>
              <Th>{t.segments.rfmGroup}</Th>
              <SortTh active={query.sort === 'risk'} dir={query.dir} href={sortHref('risk')}>
                {t.customers.risk}
              </SortTh>
              <SortTh active={query.sort === 'frequency'} dir={query.dir} href={sortHref('frequency')} className="text-right">
                {t.segments.orders}
              </SortTh>
              <SortTh active={query.sort === 'monetary'} dir={query.dir} href={sortHref('monetary')} className="text-right">
                {t.customers.revenue}
              </SortTh>
              <SortTh active={query.sort === 'recency'} dir={query.dir} href={sortHref('recency')} className="text-right">
                {t.segments.lastOrderDays}
              </SortTh>
              <SortTh active={query.sort === 'value'} dir={query.dir} href={sortHref('value')} className="text-right">
                {t.customers.value12m}
              </SortTh>
            </tr>
          </thead>
          <tbody data-testid="member-rows">
            {data.rows.map((r) => (
              <tr key={r.id} data-testid="member-row">
                <Td>
                  <a className={linkClass} href={`/customers/${r.id}`}>
                    {r.person?.name ?? `#${r.id}`}
                  </a>
                </Td>
                <Td>
                  <div data-testid="member-email">{r.person?.email ?? '–'}</div>
                  <div className="text-xs text-tremor-content">{r.person?.phone ?? '–'}</div>
                </Td>
                <Td>{r.region ?? '–'}</Td>
                <Td>{r.rfmGroup ? (t.rfmGroups[r.rfmGroup] ?? r.rfmGroup) : '–'}</Td>
                <Td>
                  <RiskBadge band={r.churnBand} risk={r.churnRisk} t={t} />
                </Td>
                <Td className="text-right tabular-nums">{f.number(r.frequency)}</Td>
                <Td className="text-right tabular-nums">{f.money(r.monetary)}</Td>
                <Td className="text-right tabular-nums">{f.number(r.recencyDays)}</Td>
                <Td className="text-right tabular-nums">{f.money(r.expectedValue12m)}</Td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
        <Pager page={data.page} pages={data.pages} href={(page) => href({ page })} t={t} />
      </Card>
    </>
  );
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value || undefined;
}
