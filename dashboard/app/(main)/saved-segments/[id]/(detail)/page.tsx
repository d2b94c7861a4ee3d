// One saved segment: its figures on the published snapshot (size, revenue share, expected value,
// risk), its rules, its size on each pipeline run, the export with a column chooser (roles with
// data:export; the route checks again), the campaigns that targeted it with their results, and its
// members in customer-id order (keyset pages).
import { notFound } from 'next/navigation';
import { can } from '../../../../../../lib/auth-roles.ts';
import { canEditSegment } from '../../../../../../lib/saved-segments.ts';
import { LiftBadge } from '../../../../../components/campaigns/lift-badge.tsx';
import { DeleteSegmentButton } from '../../../../../components/builder/delete-button.tsx';
import { ExportPanel } from '../../../../../components/builder/export-panel.tsx';
import { RuleSummary } from '../../../../../components/builder/rule-summary.tsx';
import { SegmentSizeChart } from '../../../../../components/builder/size-charts.tsx';
import { Figure, linkClass, RiskBadge, secondaryButtonClass } from '../../../../../components/data-ui.tsx';
import { Badge, Card, EmptyState, Notice, PageHeader, ScrollTable, Subtle, Td, Th, Title } from '../../../../../components/ui.tsx';
import { getSegmentCampaigns } from '../../../../../lib/data/campaign-segments.ts';
import { getBuilderOptions, getSavedSegmentMembers, getSegmentDetail, getVisibleSegment, MEMBER_PAGE_SIZE, parseSavedSegmentId } from '../../../../../lib/data/saved-segments.ts';
import { defaultExportColumns, exportColumns } from '../../../../../lib/data/segment-export.ts';
import { createFormatters } from '../../../../../lib/format.ts';
import { fill } from '../../../../../lib/i18n/index.ts';
import { ruleErrorText } from '../../../../../lib/rule-text.ts';
import { audit } from '../../../../../lib/server/audit.ts';
import { getServerContext } from '../../../../../lib/server/context.ts';
import { requirePage } from '../../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../../lib/server/warehouse.ts';
import { SegmentRulesError, ruleTreeSchema, segmentFields } from '../../../../../../warehouse/index.ts';

export const metadata = { title: 'Saved segment' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SavedSegmentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { id: raw } = await params;
  const { t, locale, session } = await requirePage('page:segments', `/saved-segments/${encodeURIComponent(raw)}`);
  const id = parseSavedSegmentId(raw);
  if (id === null) notFound();
  const segment = await getVisibleSegment(id, session);
  if (!segment) notFound();
  const sp = await searchParams;
  const afterRaw = Array.isArray(sp.after) ? sp.after[0] : sp.after;
  const after = afterRaw && /^\d{1,15}$/.test(afterRaw) ? Number(afterRaw) : 0;
  const { config } = await getServerContext();
  const unmasked = can(session.user.role, 'pii:unmasked');
  const canExport = can(session.user.role, 'data:export');
  const canEdit = can(session.user.role, 'segments:build') && canEditSegment(segment, { userId: session.user.id, role: session.user.role });

  let detail;
  let members;
  let problem: string | null = null;
  try {
    [detail, members] = await Promise.all([getSegmentDetail(segment), getSavedSegmentMembers(segment, after, MEMBER_PAGE_SIZE, { unmasked, scope: session.ownerScope })]);
  } catch (error) {
    if (error instanceof NoSnapshotError) problem = t.states.noSnapshot;
    else if (error instanceof SegmentRulesError) problem = fill(t.builder.evaluationFailed, { message: error.errors.map((e) => ruleErrorText(t, e)).join(' ') });
    else throw error;
  }
  if (members && unmasked && members.rows.length > 0) await audit(session, 'pii_view', `saved_segment:${segment.id}`, members.rows.length, { after });
  const [options, campaigns] = await Promise.all([getBuilderOptions().catch(() => null), getSegmentCampaigns(segment.id)]);
  const f = createFormatters(locale, detail?.reportingCurrency ?? config.reportingCurrency, config.timeZone);
  const tree = ruleTreeSchema.safeParse(segment.definition);

  return (
    <>
      <PageHeader
        title={segment.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <a className={linkClass} href="/saved-segments">
              ← {t.builder.back}
            </a>
            <span>·</span>
            <span>{fill(t.builder.ownerInfo, { owner: segment.ownerName })}</span>
            <Badge colour={segment.kind === 'static' ? 'amber' : 'blue'}>{t.builder.kinds[segment.kind]}</Badge>
            <Badge colour={segment.shared ? 'green' : 'gray'}>{segment.shared ? t.builder.shared : t.builder.private}</Badge>
          </span>
        }
      >
        <div className="flex flex-wrap items-center gap-2">
          {canEdit ? (
            <a className={secondaryButtonClass} href={`/saved-segments/${segment.id}/edit`} data-testid="edit-segment">
              ✎ {t.builder.edit}
            </a>
          ) : null}
          <a className={secondaryButtonClass} href={`/saved-segments/compare?a=${segment.id}`}>
            ⇄ {t.builder.compare}
          </a>
          {canEdit ? <DeleteSegmentButton id={segment.id} name={segment.name} /> : null}
        </div>
      </PageHeader>
      {segment.description ? <p className="-mt-3 mb-4 max-w-3xl text-tremor-default text-tremor-content">{segment.description}</p> : null}
      {problem ? (
        <Notice tone="error" className="mb-4">
          {problem}
        </Notice>
      ) : null}

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Title>{t.builder.rules}</Title>
          <div className="mt-3">
            {tree.success ? <RuleSummary node={tree.data} t={t} locale={locale} fields={segmentFields} segments={options?.segments ?? []} /> : <Subtle>–</Subtle>}
          </div>
          {segment.kind === 'static' && segment.frozenAt ? (
            <p className="mt-3 text-xs text-tremor-content">{fill(t.builder.frozenInfo, { date: f.dateTime(segment.frozenAt), run: segment.frozenRunId ?? '–', count: f.number(segment.frozenCount) })}</p>
          ) : null}
        </Card>
        <Card>
          <div className="grid grid-cols-2 gap-4">
            <Figure label={t.builder.customers} value={f.number(detail?.count.customers)} hint={detail ? fill(t.builder.ofAll, { share: f.percent(detail.count.customerShare) }) : undefined} testId="saved-segment-count" />
            <Figure label={t.builder.revenueShare} value={f.percent(detail?.count.revenueShare)} hint={detail ? f.moneyCompact(detail.count.revenue) : undefined} />
            <Figure label={t.builder.expectedValue} value={f.moneyCompact(detail?.profile.expectedValue)} />
            <Figure label={t.builder.avgRisk} value={detail?.profile.means.churn_risk == null ? '–' : Math.round(detail.profile.means.churn_risk)} />
            <Figure label={t.builder.highRisk} value={f.number(detail?.profile.highRisk)} />
          </div>
        </Card>
      </div>

      <Card className="mt-4">
        <Title>{t.builder.sizeOverTime}</Title>
        <Subtle>{t.builder.sizeHint}</Subtle>
        {detail && detail.sizes.length > 0 ? <SegmentSizeChart sizes={detail.sizes} currency={detail.reportingCurrency} /> : null}
        {detail && detail.sizes.length < 2 ? <p className="mt-2 text-xs text-tremor-content">{t.builder.noSizes}</p> : null}
      </Card>

      <Card className="mt-4" data-testid="segment-campaigns">
        <Title>{t.builder.campaignsTitle}</Title>
        <Subtle>{t.builder.campaignsHint}</Subtle>
        {campaigns.length === 0 ? (
          <p className="mt-3 text-tremor-default text-tremor-content">{t.builder.campaignsNone}</p>
        ) : (
          <ScrollTable className="mt-3">
            <thead>
              <tr>
                <Th>{t.campaigns.campaign}</Th>
                <Th>{t.campaigns.started}</Th>
                <Th className="text-right">{t.campaigns.audience}</Th>
                <Th className="text-right">{t.campaigns.conversionRate}</Th>
                <Th className="text-right">{t.campaigns.revenue}</Th>
                <Th>{t.campaigns.lift}</Th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map(({ campaignId, linkedAt, campaign: x }) => (
                <tr key={campaignId} data-testid="segment-campaign-row">
                  <Td className="max-w-[16rem] whitespace-normal">
                    {x ? (
                      <a className={linkClass} href={`/campaigns/${campaignId}`}>
                        {x.name}
                      </a>
                    ) : (
                      fill(t.builder.campaignMissing, { id: campaignId })
                    )}
                    <span className="block text-xs text-tremor-content-subtle">{fill(t.builder.linkedOn, { date: f.date(linkedAt.slice(0, 10)) })}</span>
                  </Td>
                  <Td>{x ? f.date(x.startedAt.slice(0, 10)) : '–'}</Td>
                  <Td className="text-right tabular-nums">{x ? f.number(x.audience) : '–'}</Td>
                  <Td className="text-right tabular-nums">{x ? f.percent(x.conversionRate) : '–'}</Td>
                  <Td className="text-right tabular-nums">{x ? f.money(x.revenue) : '–'}</Td>
                  <Td className="whitespace-normal">{x ? <LiftBadge m={x} t={t} locale={locale} /> : '–'}</Td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
      </Card>

      {canExport ? (
        <Card className="mt-4">
          <ExportPanel
            segmentId={segment.id}
            columns={exportColumns.map((c) => c.key)}
            defaults={defaultExportColumns}
            personal={exportColumns.filter((c) => c.personal).map((c) => c.key)}
            masked={!unmasked}
          />
        </Card>
      ) : null}

      <Card className="mt-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <Title>{t.builder.members}</Title>
          {!unmasked ? <p className="text-xs text-tremor-content">{t.builder.masked}</p> : null}
        </div>
        {members ? <Subtle>{fill(t.builder.membersHint, { run: members.runId })}</Subtle> : null}
        {members && members.rows.length === 0 ? (
          <div className="mt-3">
            <EmptyState>{t.builder.noMembers}</EmptyState>
          </div>
        ) : null}
        {members && members.rows.length > 0 ? (
          <ScrollTable className="mt-3">
            <thead>
              <tr>
                <Th>{t.builder.customer}</Th>
                <Th>{t.builder.contact}</Th>
                <Th>{t.customers.region}</Th>
                <Th>{t.builder.fields.segment}</Th>
                <Th>{t.builder.risk}</Th>
                <Th className="text-right">{t.builder.fields.orders}</Th>
                <Th className="text-right">{t.builder.fields.spend}</Th>
                <Th>{t.builder.lastOrder}</Th>
                <Th className="text-right">{t.customers.value12m}</Th>
              </tr>
            </thead>
            <tbody data-testid="saved-member-rows">
              {members.rows.map((r) => (
                <tr key={r.id} data-testid="saved-member-row">
                  <Td>
                    <a className={linkClass} href={`/customers/${r.id}`}>
                      {r.person?.name ?? `#${r.id}`}
                    </a>
                  </Td>
                  <Td>
                    <div>{r.person?.email ?? '–'}</div>
                    <div className="text-xs text-tremor-content">{r.person?.phone ?? '–'}</div>
                  </Td>
                  <Td>{[r.region, r.city].filter(Boolean).join(' · ') || '–'}</Td>
                  <Td>{(locale === 'zh-CN' ? r.segmentZh : r.segmentEn) ?? r.segmentEn ?? '–'}</Td>
                  <Td>
                    <RiskBadge band={r.churnBand} risk={r.churnRisk} t={t} />
                  </Td>
                  <Td className="text-right tabular-nums">{f.number(r.orders)}</Td>
                  <Td className="text-right tabular-nums">{f.money(r.revenue)}</Td>
                  <Td>{f.date(r.lastOrderAt?.slice(0, 10))}</Td>
                  <Td className="text-right tabular-nums">{f.money(r.expectedValue12m)}</Td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        ) : null}
        {members && (after > 0 || members.nextAfter !== null) ? (
          <nav className="mt-4 flex flex-wrap justify-end gap-2" aria-label="pagination">
            {after > 0 ? (
              <a className={secondaryButtonClass} href={`/saved-segments/${segment.id}`}>
                ⇤ {t.builder.firstPage}
              </a>
            ) : null}
            {members.nextAfter !== null ? (
              <a className={secondaryButtonClass} href={`/saved-segments/${segment.id}?after=${members.nextAfter}`} rel="next" data-testid="members-next">
                {t.builder.nextPage} →
              </a>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}
