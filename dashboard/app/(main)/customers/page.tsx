// Customers: search by name, e-mail, phone or company (PostgreSQL, where personal data lives) with
// warehouse filters (segment, risk band, region, tag), paged. A plain GET form: the search is in the
// URL, works before scripts load, and a link shows the same results. Personal data is masked unless
// the role has `pii:unmasked`; an unmasked list is written to the audit log.
import { can } from '../../../../lib/auth-roles.ts';
import { fieldClass, buttonClass, linkClass, Pager, RiskBadge, secondaryButtonClass, segmentLabel } from '../../../components/data-ui.tsx';
import { Card, EmptyState, Notice, PageHeader, ScrollTable, Td, Th } from '../../../components/ui.tsx';
import { customerQueryToString, customerSorts, getCustomerFilterOptions, parseCustomerQuery, riskBands, searchCustomers, type CustomerQuery } from '../../../lib/data/customers.ts';
import { getFilterOptions } from '../../../lib/data/overview.ts';
import { createFormatters } from '../../../lib/format.ts';
import { fill } from '../../../lib/i18n/index.ts';
import { audit } from '../../../lib/server/audit.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const metadata = { title: 'Customers' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CustomersPage({ searchParams }: { searchParams: SearchParams }) {
  const { t, locale, session } = await requirePage('page:customers', '/customers');
  const parsed = parseCustomerQuery(await searchParams);
  let options;
  let tags;
  try {
    options = await getFilterOptions();
    tags = (await getCustomerFilterOptions()).tags;
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={t.customers.title} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    throw error;
  }
  const query: Partial<CustomerQuery> = parsed.ok ? parsed.value : {};
  const unknownSegment = parsed.ok && parsed.value.segment !== undefined && !options.segments.some((s) => s.id === parsed.value.segment);
  const unmasked = can(session.user.role, 'pii:unmasked');
  const result = parsed.ok && !unknownSegment ? await searchCustomers(parsed.value, { unmasked, scope: session.ownerScope }) : null;
  if (result && unmasked && result.rows.length > 0) {
    await audit(session, 'pii_view', 'customers:search', result.rows.length, { q: parsed.ok ? (parsed.value.q ?? null) : null, page: result.page });
  }
  const { config } = await getServerContext();
  const f = createFormatters(locale, options.reportingCurrency, config.timeZone);
  const pageHref = (page: number) => `/customers${customerQueryToString({ ...query, page })}`;

  return (
    <>
      <PageHeader title={t.customers.title} subtitle={t.customers.subtitle} />
      <Card className="mb-4">
        <form method="get" action="/customers" role="search" className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6 lg:items-end" data-testid="customer-search">
          <label className="col-span-2 flex flex-col gap-1 text-xs font-medium text-tremor-content sm:col-span-3 lg:col-span-2">
            {t.customers.search}
            <input className={fieldClass} type="search" name="q" defaultValue={query.q ?? ''} placeholder={t.customers.searchPlaceholder} maxLength={100} autoComplete="off" />
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-tremor-content">
            {t.customers.segment}
            <select className={fieldClass} name="segment" defaultValue={query.segment ?? ''}>
              <option value="">{t.customers.allSegments}</option>
              {options.segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {segmentLabel(locale, s)}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-tremor-content">
            {t.customers.band}
            <select className={fieldClass} name="band" defaultValue={query.band ?? ''}>
              <option value="">{t.customers.allBands}</option>
              {riskBands.map((b) => (
                <option key={b} value={b}>
                  {t.bands[b]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-tremor-content">
            {t.customers.region}
            <select className={fieldClass} name="region" defaultValue={query.region ?? ''}>
              <option value="">{t.customers.allRegions}</option>
              {options.regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-tremor-content">
            {t.customers.tag}
            <select className={fieldClass} name="tag" defaultValue={query.tag ?? ''}>
              <option value="">{t.customers.allTags}</option>
              {tags.map((tag) => (
                <option key={tag} value={tag}>
                  {tag}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-tremor-content">
            {t.customers.sort}
            <select className={fieldClass} name="sort" defaultValue={query.sort ?? ''}>
              <option value="">{query.q ? t.customers.relevance : t.customers.sorts.value}</option>
              {customerSorts.map((s) => (
                <option key={s} value={s}>
                  {t.customers.sorts[s]}
                </option>
              ))}
            </select>
          </label>
          <div className="col-span-2 flex gap-2 sm:col-span-1 lg:col-span-1">
            <button type="submit" className={buttonClass} data-testid="customer-search-submit">
              {t.customers.submit}
            </button>
            <a href="/customers" className={secondaryButtonClass}>
              {t.customers.clear}
            </a>
          </div>
        </form>
      </Card>

      {!parsed.ok ? <Notice tone="error">{fill(t.filters.invalid, { field: parsed.field, message: parsed.message })}</Notice> : null}
      {unknownSegment ? <Notice tone="error">{fill(t.filters.invalid, { field: 'segment', message: fill(t.segments.notFound, { id: String(query.segment) }) })}</Notice> : null}
      {result?.capped ? (
        <Notice tone="warning" className="mb-4">
          {fill(t.customers.capped, { cap: f.number(result.cap) })}
        </Notice>
      ) : null}

      {result ? (
        <Card>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className="text-tremor-default font-medium text-tremor-content-strong" data-testid="result-count">
              {fill(t.customers.results, { count: f.number(result.total) })}
            </p>
            {!unmasked ? <p className="text-xs text-tremor-content">{t.customers.masked}</p> : null}
          </div>
          {result.rows.length === 0 ? (
            <div className="mt-4">
              <EmptyState>{t.customers.none}</EmptyState>
            </div>
          ) : (
            <>
              <ScrollTable className="mt-3">
                <thead>
                  <tr>
                    <Th>{t.customers.customer}</Th>
                    <Th>{t.customers.contact}</Th>
                    <Th>{t.customers.segment}</Th>
                    <Th>{t.customers.region}</Th>
                    <Th>{t.customers.risk}</Th>
                    <Th className="text-right">{t.customers.revenue}</Th>
                    <Th className="text-right">{t.customers.value12m}</Th>
                    <Th>{t.customers.lastOrder}</Th>
                  </tr>
                </thead>
                <tbody data-testid="customer-rows">
                  {result.rows.map((r) => (
                    <tr key={r.id} data-testid="customer-row">
                      <Td>
                        <a className={linkClass} href={`/customers/${r.id}`} data-testid="customer-name">
                          {r.person?.name ?? `#${r.id}`}
                        </a>
                        {r.person?.company ? <div className="max-w-[16rem] truncate text-xs text-tremor-content">{r.person.company}</div> : null}
                      </Td>
                      <Td>
                        <div data-testid="customer-email">{r.person?.email ?? '–'}</div>
                        <div className="text-xs text-tremor-content" data-testid="customer-phone">
                          {r.person?.phone ?? '–'}
                        </div>
                      </Td>
                      <Td>{segmentLabel(locale, { id: r.segmentId, en: r.segmentEn, zh: r.segmentZh })}</Td>
                      <Td>
                        {r.region ?? '–'}
                        {r.city ? <span className="text-tremor-content"> · {r.city}</span> : null}
                      </Td>
                      <Td>
                        <RiskBadge band={r.churnBand} risk={r.churnRisk} t={t} />
                      </Td>
                      <Td className="text-right tabular-nums">{f.money(r.monetary)}</Td>
                      <Td className="text-right tabular-nums">{f.money(r.expectedValue12m)}</Td>
                      <Td className="tabular-nums">{f.date(r.lastOrderAt)}</Td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
              <Pager page={result.page} pages={result.pages} href={pageHref} t={t} />
            </>
          )}
        </Card>
      ) : null}
    </>
  );
}
