// Sessions (admins): everyone signed in now, grouped by user: when they signed in, last activity,
// device and address; end one session or all of a user's. Ending is audited as session_revoke.
import { listSessions, type SessionEntry } from '../../../../../lib/auth.ts';
import { ConfirmButton } from '../../../../components/accounts/confirm-button.tsx';
import { Badge, Card, EmptyState, PageHeader } from '../../../../components/ui.tsx';
import { Hint } from '../../../../components/accounts/fields.tsx';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Sessions' };

const browsers: [RegExp, string][] = [
  [/Edg\/(\d+)/, 'Edge'],
  [/(?:Chrome|Chromium)\/(\d+)/, 'Chrome'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/Version\/(\d+).*Safari/, 'Safari'],
];
const systems: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad/, 'iOS'],
  [/Android/, 'Android'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome 131 · Windows" is enough to recognise a device; the full user agent is in the title. */
function describeDevice(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = browsers.map(([pattern, name]) => [pattern.exec(userAgent), name] as const).find(([match]) => match);
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  const browserText = browser ? `${browser[1]} ${browser[0]![1]}` : undefined;
  return browserText && system ? `${browserText} · ${system}` : (browserText ?? system ?? userAgent.slice(0, 60));
}

export default async function SessionsPage() {
  const { t, locale, session } = await requirePage('users:manage', '/admin/sessions');
  const { pool, config } = await getServerContext();
  const sessions = await listSessions(pool);
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const texts = t.accounts.sessions;
  const byUser = new Map<number, SessionEntry[]>();
  for (const s of sessions) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  return (
    <>
      <PageHeader title={texts.title} subtitle={texts.subtitle} />
      {sessions.length === 0 ? (
        <EmptyState>{texts.none}</EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          <Hint>{fill(texts.count, { count: sessions.length })}</Hint>
          {[...byUser.values()].map((own) => {
            const first = own[0]!;
            return (
              <Card key={first.userId} data-testid="session-user" data-email={first.email}>
                <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
                  <div className="min-w-0">
                    <p className="break-all font-medium text-tremor-content-strong">{first.email}</p>
                    <p className="text-xs text-tremor-content">
                      {first.name} · {t.roles[first.role]}
                    </p>
                  </div>
                  {own.length > 1 || first.userId !== session.user.id ? (
                    <ConfirmButton
                      url={`/api/admin/users/${first.userId}`}
                      body={{ action: 'revoke_sessions' }}
                      question={fill(t.accounts.users.confirmRevokeAll, { email: first.email })}
                      label={texts.revokeAll}
                      testId="revoke-user-sessions"
                    />
                  ) : null}
                </div>
                <ul className="mt-3 divide-y divide-tremor-border">
                  {own.map((s) => (
                    <li key={s.id} data-testid="session-row" data-session={s.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                      <dl className="grid min-w-0 grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-tremor-default sm:grid-cols-[auto_1fr_auto_1fr]">
                        <dt className="text-tremor-content">{texts.signedIn}</dt>
                        <dd className="text-tremor-content-emphasis">{f.dateTime(s.createdAt)}</dd>
                        <dt className="text-tremor-content">{texts.lastSeen}</dt>
                        <dd className="text-tremor-content-emphasis">{f.dateTime(s.lastSeenAt)}</dd>
                        <dt className="text-tremor-content">{texts.device}</dt>
                        <dd className="min-w-0 truncate text-tremor-content-emphasis" title={s.userAgent ?? undefined}>
                          {describeDevice(s.userAgent) ?? texts.unknown}
                        </dd>
                        <dt className="text-tremor-content">{texts.address}</dt>
                        <dd className="break-all font-mono text-xs leading-5 text-tremor-content-emphasis" data-testid="session-address">
                          {s.address ?? texts.unknown}
                        </dd>
                      </dl>
                      {s.id === session.id ? (
                        <Badge colour="blue">{texts.current}</Badge>
                      ) : (
                        <ConfirmButton url={`/api/admin/sessions/${s.id}`} method="DELETE" question={fill(texts.confirmRevoke, { email: s.email })} label={texts.revoke} testId="revoke-session" />
                      )}
                    </li>
                  ))}
                </ul>
              </Card>
            );
          })}
        </div>
      )}
    </>
  );
}
