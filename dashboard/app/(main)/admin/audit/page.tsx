// The audit log (admins: audit:view). A plain GET form of filters (user, action, outcome, dates,
// target) keeps the view in the URL; newest first, paged by entry id (older/newer links); the CSV
// export carries the same filters. A table on wide screens, one card per entry on a phone.
import { auditActions } from '../../../../../lib/audit.ts';
import { auditOutcomes, parseAuditFilters, type AuditFilters, type AuditRow } from '../../../../../lib/audit-log.ts';
import { buttonClass, fieldClass, secondaryButtonClass } from '../../../../components/data-ui.tsx';
import { Badge, Card, EmptyState, Notice, PageHeader, Td, Th } from '../../../../components/ui.tsx';
import { getAuditPage } from '../../../../lib/data/audit.ts';
import { createFormatters, type Formatters } from '../../../../lib/format.ts';
import { fill, type Dictionary } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type FilterField = 'user' | 'action' | 'outcome' | 'from' | 'to' | 'target';
const filterFields: FilterField[] = ['user', 'action', 'outcome', 'from', 'to', 'target'];

/** The filters as a query string, with one page cursor at most. */
function query(filters: Partial<AuditFilters>, cursor: { before?: number; after?: number } = {}): string {
  const params = new URLSearchParams();
  for (const field of filterFields) {
    const value = filters[field];
    if (value) params.set(field, String(value));
  }
  if (cursor.before !== undefined) params.set('before', String(cursor.before));
  if (cursor.after !== undefined) params.set('after', String(cursor.after));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function outcomeBadge(outcome: AuditRow['outcome'], t: Dictionary) {
  const colour = outcome === 'success' ? 'green' : outcome === 'denied' ? 'amber' : 'red';
  return <Badge colour={colour}>{t.security.audit.outcomes[outcome]}</Badge>;
}

function actionLabel(action: string, t: Dictionary): string {
  return (t.security.audit.actions as Record<string, string>)[action] ?? action;
}

function who(r: AuditRow, t: Dictionary): { name: string; role: string } {
  if (r.userEmail.startsWith('cli:')) return { name: fill(t.security.audit.cli, { account: r.userEmail.slice(4) }), role: '' };
  const role = (t.roles as Record<string, string>)[r.role] ?? r.role;
  return { name: r.userEmail || t.security.audit.nobody, role: r.userId === null && !r.role ? t.security.audit.nobody : role };
}

/** `mode: full · queued: true`: easier to scan than JSON; nested values stay JSON. Plain text (React escapes it). */
function detailsText(r: AuditRow): string {
  return Object.entries(r.details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const { t, locale } = await requirePage('audit:view', '/admin/audit');
  const a = t.security.audit;
  const parsed = parseAuditFilters(await searchParams);
  const filters: Partial<AuditFilters> = parsed.ok ? parsed.filters : {};
  const { config } = await getServerContext();
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const data = parsed.ok ? await getAuditPage(parsed.filters) : null;
  const filtered = filterFields.some((field) => filters[field]);
  const fieldLabel = (field: string) => (a.filters as Record<string, string>)[field] ?? field;

  return (
    <>
      <PageHeader
        title={a.title}
        subtitle={
          <>
            <p>{a.subtitle}</p>
            {data?.head ? (
              <p className="mt-1 break-words font-mono text-xs text-tremor-content-subtle" data-testid="audit-head">
                {fill(a.head, { id: data.head.id, hash: data.head.hash })} · {a.verifyHint.split('{command}')[0]}
                <code className="whitespace-nowrap rounded bg-tremor-background-subtle px-1">pulse audit verify</code>
                {a.verifyHint.split('{command}')[1]}
              </p>
            ) : null}
          </>
        }
      />
      <Card className="mb-4">
        <form method="get" action="/admin/audit" role="search" className="grid grid-cols-2 gap-2 lg:grid-cols-6 lg:items-end" data-testid="audit-filters">
          <label className="col-span-2 flex min-w-0 flex-col gap-1 text-xs font-medium text-tremor-content">
            {a.filters.user}
            <input className={fieldClass} type="search" name="user" defaultValue={filters.user ?? ''} placeholder={a.filters.userPlaceholder} maxLength={254} autoComplete="off" />
          </label>
          <label className="col-span-2 flex min-w-0 flex-col gap-1 text-xs font-medium text-tremor-content">
            {a.filters.action}
            <select className={fieldClass} name="action" defaultValue={filters.action ?? ''}>
              <option value="">{a.filters.anyAction}</option>
              {auditActions.map((action) => (
                <option key={action} value={action}>
                  {actionLabel(action, t)}
                </option>
              ))}
            </select>
          </label>
          <label className="col-span-2 flex min-w-0 flex-col gap-1 text-xs font-medium text-tremor-content">
            {a.filters.outcome}
            <select className={fieldClass} name="outcome" defaultValue={filters.outcome ?? ''}>
              <option value="">{a.filters.anyOutcome}</option>
              {auditOutcomes.map((o) => (
                <option key={o} value={o}>
                  {a.outcomes[o]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex min-w-0 flex-col gap-1 text-xs font-medium text-tremor-content">
            {a.filters.from}
            <input className={fieldClass} type="date" name="from" defaultValue={filters.from ?? ''} />
          </label>
          <label className="flex min-w-0 flex-col gap-1 text-xs font-medium text-tremor-content">
            {a.filters.to}
            <input className={fieldClass} type="date" name="to" defaultValue={filters.to ?? ''} />
          </label>
          <label className="col-span-2 flex min-w-0 flex-col gap-1 text-xs font-medium text-tremor-content">
            {a.filters.target}
            <input className={fieldClass} type="search" name="target" defaultValue={filters.target ?? ''} placeholder={a.filters.targetPlaceholder} maxLength={200} autoComplete="off" />
          </label>
          <div className="col-span-2 flex gap-2">
            <button type="submit" className={`${buttonClass} flex-1`} data-testid="audit-apply">
              {a.filters.apply}
            </button>
            <a href="/admin/audit" className={`${secondaryButtonClass} flex-1`}>
              {a.filters.reset}
            </a>
          </div>
        </form>
      </Card>

      {!parsed.ok ? (
        <Notice tone="error" className="mb-4">
          {fill(a.invalid, { field: fieldLabel(parsed.field), message: parsed.message })}
        </Notice>
      ) : null}

      {data ? (
        <Card>
          <div className="mb-3 flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-tremor-default text-tremor-content" data-testid="audit-count">
              {fill(a.shown, { count: f.number(data.page.rows.length) })}
            </p>
            <a href={`/api/admin/audit/export${query(filters)}`} className={secondaryButtonClass} title={a.exportHint} data-testid="audit-export" download>
              ↓ {a.export}
            </a>
          </div>
          {data.page.rows.length === 0 ? (
            <EmptyState>{filtered || filters.before || filters.after ? a.empty : a.emptyAll}</EmptyState>
          ) : (
            <>
              <EntryTable rows={data.page.rows} t={t} f={f} />
              <EntryCards rows={data.page.rows} t={t} f={f} />
            </>
          )}
          <nav className="mt-4 flex items-center justify-between gap-2 text-tremor-default" aria-label="pagination" data-testid="audit-pager">
            {data.page.newerThan !== null ? (
              <a className={secondaryButtonClass} href={`/admin/audit${query(filters, { after: data.page.newerThan })}`} rel="prev">
                ← {a.newer}
              </a>
            ) : (
              <span />
            )}
            {data.page.olderThan !== null ? (
              <a className={secondaryButtonClass} href={`/admin/audit${query(filters, { before: data.page.olderThan })}`} rel="next" data-testid="audit-older">
                {a.older} →
              </a>
            ) : null}
          </nav>
        </Card>
      ) : null}
    </>
  );
}

/** Wide screens: one row per entry; details go under the action, wrapping rather than widening the page. */
function EntryTable({ rows, t, f }: { rows: AuditRow[]; t: Dictionary; f: Formatters }) {
  const a = t.security.audit;
  return (
    <div className="hidden md:block">
      <table className="w-full table-fixed border-collapse text-left text-tremor-default" data-testid="audit-table">
        <colgroup>
          <col className="w-14" />
          <col className="w-40" />
          <col className="w-56" />
          <col />
          <col className="w-44" />
          <col className="w-24" />
        </colgroup>
        <thead>
          <tr>
            <Th>{a.columns.id}</Th>
            <Th>{a.columns.at}</Th>
            <Th>{a.columns.user}</Th>
            <Th>{a.columns.action}</Th>
            <Th>{a.columns.target}</Th>
            <Th>{a.columns.outcome}</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const actor = who(r, t);
            const details = detailsText(r);
            return (
              <tr key={r.id} data-testid="audit-row" className="align-top">
                <Td className="tabular-nums text-tremor-content">{r.id}</Td>
                <Td className="whitespace-normal tabular-nums">{f.dateTime(r.at)}</Td>
                <Td className="whitespace-normal">
                  <span className="block break-all font-medium">{actor.name}</span>
                  <span className="block break-all text-xs text-tremor-content">
                    {actor.role}
                    {actor.role && r.address ? ' · ' : ''}
                    {r.address ?? ''}
                  </span>
                </Td>
                <Td className="whitespace-normal">
                  <span className="block">{actionLabel(r.action, t)}</span>
                  {details ? <span className="mt-0.5 block break-all font-mono text-xs text-tremor-content" data-testid="audit-details">{details}</span> : null}
                </Td>
                <Td className="whitespace-normal">
                  <span className="block break-all font-mono text-xs">{r.target}</span>
                  {r.rowCount !== null ? <span className="block text-xs text-tremor-content">{`${a.columns.rows}: ${f.number(r.rowCount)}`}</span> : null}
                </Td>
                <Td>{outcomeBadge(r.outcome, t)}</Td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Phones: one card per entry, every field on its own line, nothing wider than the screen. */
function EntryCards({ rows, t, f }: { rows: AuditRow[]; t: Dictionary; f: Formatters }) {
  const a = t.security.audit;
  return (
    <ul className="flex flex-col divide-y divide-tremor-border md:hidden" data-testid="audit-cards">
      {rows.map((r) => {
        const actor = who(r, t);
        return (
          <li key={r.id} className="min-w-0 py-3" data-testid="audit-card">
            <div className="flex items-start justify-between gap-2">
              <span className="min-w-0 font-medium text-tremor-content-strong">{actionLabel(r.action, t)}</span>
              {outcomeBadge(r.outcome, t)}
            </div>
            <p className="mt-1 break-all text-tremor-default text-tremor-content-emphasis">
              {actor.name}
              {actor.role ? <span className="text-tremor-content"> · {actor.role}</span> : null}
            </p>
            <p className="mt-1 break-all font-mono text-xs text-tremor-content">
              {r.target}
              {r.rowCount !== null ? ` · ${a.columns.rows}: ${f.number(r.rowCount)}` : ''}
            </p>
            <p className="mt-1 text-xs text-tremor-content-subtle">
              #{r.id} · {f.dateTime(r.at)}
              {r.address ? ` · ${r.address}` : ''}
            </p>
            {detailsText(r) ? <p className="mt-1 break-all font-mono text-xs text-tremor-content">{detailsText(r)}</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
