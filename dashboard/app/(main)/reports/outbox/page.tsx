// Outbox (admins; only while mail goes to the local capture, i.e. no SMTP_URL): the captured
// messages, newest first, with their attachments to download. Links name the message by the
// capture's id and the attachment by its position, never by a file name.
import { linkClass } from '../../../../components/data-ui.tsx';
import { Card, EmptyState, Notice, PageHeader } from '../../../../components/ui.tsx';
import { getOutboxMessages, isOutboxActive, OUTBOX_LIMIT } from '../../../../lib/data/outbox.ts';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Outbox' };

function size(bytes: number, locale: string): string {
  const kb = bytes / 1024;
  return kb < 1024 ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.max(1, kb))} KB` : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(kb / 1024)} MB`;
}

/** "PDF", "XLSX": the file's kind in a word (the full MIME type of a workbook is a line long). */
function formatOf(filename: string | null, contentType: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(filename ?? '')?.[1];
  return (ext ?? contentType.split(';')[0]!.split('/').pop() ?? '').toUpperCase();
}

export default async function OutboxPage() {
  const { t, locale } = await requirePage('reports:admin', '/reports/outbox');
  const o = t.reports.outbox;
  const header = <PageHeader title={o.title} subtitle={fill(o.subtitle, { limit: OUTBOX_LIMIT })} />;
  if (!(await isOutboxActive())) {
    return (
      <>
        {header}
        <Notice>{o.smtpConfigured}</Notice>
      </>
    );
  }
  const { config } = await getServerContext();
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const messages = await getOutboxMessages();
  return (
    <>
      {header}
      {messages.length === 0 ? <EmptyState>{o.none}</EmptyState> : null}
      <div className="flex flex-col gap-3" data-testid="outbox">
        {messages.map((m) => (
          <Card key={m.id} data-testid="outbox-message" data-id={m.id}>
            <p className="break-words font-semibold text-tremor-content-strong" data-testid="outbox-subject">
              {m.subject ?? '–'}
            </p>
            <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 text-tremor-default sm:grid-cols-[8rem_1fr]">
              <dt className="text-xs text-tremor-content sm:text-tremor-default">{o.to}</dt>
              <dd className="break-all text-tremor-content-emphasis" data-testid="outbox-to">
                {m.to ?? '–'}
              </dd>
              <dt className="text-xs text-tremor-content sm:text-tremor-default">{o.received}</dt>
              <dd className="tabular-nums text-tremor-content-emphasis">{f.dateTime(m.receivedAt)}</dd>
              <dt className="text-xs text-tremor-content sm:text-tremor-default">{o.attachments}</dt>
              <dd>
                {m.attachments.length === 0 ? (
                  <span className="text-tremor-content-subtle">{o.noAttachments}</span>
                ) : (
                  <ul className="flex flex-col gap-1">
                    {m.attachments.map((a) => (
                      <li key={a.index} className="break-all">
                        <a className={linkClass} href={`/api/reports/outbox/${m.id}/attachments/${a.index}`} data-testid="outbox-attachment">
                          ↓ {a.filename ?? `#${a.index + 1}`}
                        </a>
                        <span className="ml-2 text-xs text-tremor-content-subtle">
                          {formatOf(a.filename, a.contentType)} · {size(a.size, locale)}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </dl>
          </Card>
        ))}
      </div>
    </>
  );
}
