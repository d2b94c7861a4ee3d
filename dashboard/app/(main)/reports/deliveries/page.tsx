// The delivery log: every e-mailed report with its state, time, recipient and error, filtered by
// state, report, recipient and day (a plain GET form: the filters are in the URL), 50 a page, newest
// first. Admins retry a failed or unknown delivery from here.
import { can } from '../../../../../lib/auth-roles.ts';
import { DELIVERY_STATES, REPORT_NAMES } from '../../../../../reports/index.ts';
import { buttonClass, fieldClass, secondaryButtonClass } from '../../../../components/data-ui.tsx';
import { RetryDeliveryButton } from '../../../../components/reports/retry-delivery-button.tsx';
import { Badge, Card, EmptyState, Notice, PageHeader, ScrollTable, Td, Th } from '../../../../components/ui.tsx';
import { getDeliveryPage, parseDeliveryQuery, type DeliveryQuery } from '../../../../lib/data/deliveries.ts';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Delivery log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const stateColour = { sent: 'green', failed: 'red', unknown: 'amber', pending: 'blue', sending: 'blue' } as const;

function queryString(query: Partial<DeliveryQuery>): string {
  const params = new URLSearchParams();
  for (const key of ['state', 'report', 'subscription', 'recipient', 'from', 'to'] as const) {
    const value = query[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export default async function DeliveriesPage({ searchParams }: { searchParams: SearchParams }) {
  const { t, locale, session } = await requirePage('reports:deliveries', '/reports/deliveries');
  const d = t.reports.deliveries;
  const { config } = await getServerContext();
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const parsed = parseDeliveryQuery(await searchParams);
  const query: Partial<DeliveryQuery> = parsed.ok ? parsed.value : {};
  const result = await getDeliveryPage(parsed.ok ? parsed.value : { page: 1 });
  const filtered = ['state', 'report', 'subscription', 'recipient', 'from', 'to'].some((k) => query[k as keyof DeliveryQuery] !== undefined);
  const mayRetry = can(session.user.role, 'reports:admin');
  const label = 'flex flex-col gap-1 text-xs font-medium text-tremor-content';

  return (
    <>
      <PageHeader title={d.title} subtitle={fill(d.subtitle, { timeZone: config.timeZone })} />
      <Card className="mb-4">
        <form method="get" action="/reports/deliveries" className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6 lg:items-end" data-testid="delivery-filters">
          <label className={label}>
            {d.state}
            <select className={fieldClass} name="state" defaultValue={query.state ?? ''}>
              <option value="">{d.allStates}</option>
              {DELIVERY_STATES.map((s) => (
                <option key={s} value={s}>
                  {d.states[s]}
                </option>
              ))}
            </select>
          </label>
          <label className={label}>
            {d.report}
            <select className={fieldClass} name="report" defaultValue={query.report ?? ''}>
              <option value="">{d.allReports}</option>
              {REPORT_NAMES.map((r) => (
                <option key={r} value={r}>
                  {t.reports.names[r]}
                </option>
              ))}
            </select>
          </label>
          <label className={`${label} col-span-2 sm:col-span-1`}>
            {d.recipient}
            <input className={fieldClass} type="email" name="recipient" defaultValue={query.recipient ?? ''} placeholder={d.recipientPlaceholder} autoComplete="off" />
          </label>
          <label className={label}>
            {d.from}
            <input className={fieldClass} type="date" name="from" defaultValue={query.from ?? ''} />
          </label>
          <label className={label}>
            {d.to}
            <input className={fieldClass} type="date" name="to" defaultValue={query.to ?? ''} />
          </label>
          {query.subscription !== undefined ? <input type="hidden" name="subscription" value={query.subscription} /> : null}
          <div className="col-span-2 flex gap-2 sm:col-span-1">
            <button type="submit" className={buttonClass} data-testid="delivery-filter-submit">
              {d.filter}
            </button>
            <a className={secondaryButtonClass} href="/reports/deliveries">
              {d.reset}
            </a>
          </div>
        </form>
      </Card>

      {!parsed.ok ? (
        <Notice tone="error" className="mb-4">
          {fill(t.filters.invalid, { field: parsed.field, message: parsed.message })}
        </Notice>
      ) : null}
      {query.subscription !== undefined ? <p className="mb-2 text-tremor-default text-tremor-content">{fill(d.bySubscription, { id: query.subscription })}</p> : null}

      {result.rows.length === 0 ? (
        <EmptyState>{filtered ? d.none : d.empty}</EmptyState>
      ) : (
        <Card>
          {/* A table from a small tablet up; on a phone, one block per delivery (all of it readable without sideways scrolling). */}
          <ScrollTable className="hidden sm:block">
            <thead>
              <tr>
                <Th>{d.time}</Th>
                <Th>{d.state}</Th>
                <Th>{d.report}</Th>
                <Th>{d.recipient}</Th>
                <Th>{d.subscription}</Th>
                <Th className="text-right">{d.attempts}</Th>
                <Th>{d.sentAt}</Th>
                <Th>{d.error}</Th>
              </tr>
            </thead>
            <tbody data-testid="deliveries">
              {result.rows.map((row) => (
                <tr key={row.id} data-testid="delivery-row" data-id={row.id} data-state={row.state}>
                  <Td className="tabular-nums">{f.dateTime(row.createdAt)}</Td>
                  <Td>
                    <Badge colour={stateColour[row.state]}>{d.states[row.state] ?? row.state}</Badge>
                  </Td>
                  <Td>
                    {t.reports.names[row.report] ?? row.report}
                    <span className="ml-1 text-xs text-tremor-content-subtle">
                      {row.formats.join('+')} · {row.language}
                    </span>
                  </Td>
                  <Td>
                    <span data-testid="delivery-recipient">{row.recipient}</span>
                  </Td>
                  <Td>{row.subscriptionId === null ? d.oneOff : `#${row.subscriptionId}`}</Td>
                  <Td className="text-right tabular-nums">{row.attempts}</Td>
                  <Td className="tabular-nums">{f.dateTime(row.sentAt)}</Td>
                  <Td className="max-w-[28rem] whitespace-normal break-words text-xs">
                    {row.error ? <span className="text-red-700">{row.error}</span> : <span className="text-tremor-content-subtle">–</span>}
                    {mayRetry && (row.state === 'failed' || row.state === 'unknown') ? (
                      <div className="mt-1">
                        <RetryDeliveryButton id={row.id} />
                      </div>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <ul className="flex flex-col divide-y divide-tremor-border sm:hidden" data-testid="delivery-cards">
            {result.rows.map((row) => (
              <li key={row.id} className="flex flex-col gap-1 py-3 first:pt-0 last:pb-0" data-testid="delivery-card" data-id={row.id} data-state={row.state}>
                <div className="flex items-center justify-between gap-2">
                  <Badge colour={stateColour[row.state]}>{d.states[row.state] ?? row.state}</Badge>
                  <span className="text-xs tabular-nums text-tremor-content">{f.dateTime(row.createdAt)}</span>
                </div>
                <p className="break-all text-tremor-default font-medium text-tremor-content-strong">{row.recipient}</p>
                <p className="text-xs text-tremor-content">
                  {t.reports.names[row.report] ?? row.report} · {row.formats.join('+')} · {row.language} · {row.subscriptionId === null ? d.oneOff : `#${row.subscriptionId}`} · {d.attempts} {row.attempts}
                </p>
                {row.error ? <p className="break-words text-xs text-red-700">{row.error}</p> : null}
                {mayRetry && (row.state === 'failed' || row.state === 'unknown') ? <RetryDeliveryButton id={row.id} /> : null}
              </li>
            ))}
          </ul>
          {result.page > 1 || result.hasNext ? (
            <nav className="mt-4 flex flex-wrap items-center justify-between gap-3 text-tremor-default" aria-label="pagination" data-testid="pager">
              <span className="text-tremor-content">{fill(d.page, { page: result.page })}</span>
              <span className="flex gap-2">
                {result.page > 1 ? (
                  <a className={secondaryButtonClass} href={`/reports/deliveries${queryString({ ...query, page: result.page - 1 })}`} rel="prev">
                    ← {d.previous}
                  </a>
                ) : null}
                {result.hasNext ? (
                  <a className={secondaryButtonClass} href={`/reports/deliveries${queryString({ ...query, page: result.page + 1 })}`} rel="next" data-testid="pager-next">
                    {d.next} →
                  </a>
                ) : null}
              </span>
            </nav>
          ) : null}
        </Card>
      )}
    </>
  );
}
