// Users (admins): invite people, change roles, disable or enable accounts, reset two-step sign-in,
// sign people out; and which roles must use two-step sign-in. Changes go through /api/admin/* and
// are audited; a changed role or a disabled account ends that user's sessions.
import { listUsers } from '../../../../../lib/auth.ts';
import { getMfaPolicy } from '../../../../../lib/mfa.ts';
import { listUserScopes } from '../../../../../lib/user-scopes.ts';
import { InviteForm } from '../../../../components/accounts/invite-form.tsx';
import { MfaPolicyForm } from '../../../../components/accounts/mfa-policy-form.tsx';
import { UserActions } from '../../../../components/accounts/user-actions.tsx';
import { Badge, Card, EmptyState, PageHeader, Title } from '../../../../components/ui.tsx';
import { Hint } from '../../../../components/accounts/fields.tsx';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Users' };

export default async function UsersPage() {
  const { t, locale, session } = await requirePage('page:admin', '/admin/users');
  const { pool, config } = await getServerContext();
  const [users, policy, scopes] = await Promise.all([listUsers(pool), getMfaPolicy(pool), listUserScopes(pool)]);
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const texts = t.accounts.users;
  return (
    <>
      <PageHeader title={t.admin.title} subtitle={texts.subtitle} />
      <div className="grid gap-4 xl:grid-cols-2">
        <Card>
          <Title>{texts.inviteTitle}</Title>
          <Hint className="mb-4">{texts.inviteHint}</Hint>
          <InviteForm />
        </Card>
        <Card>
          <Title>{texts.policyTitle}</Title>
          <Hint className="mb-4">{texts.policyHint}</Hint>
          <MfaPolicyForm policy={policy} />
        </Card>
      </div>
      <Card className="mt-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <Title>{texts.listTitle}</Title>
          <Hint>{fill(texts.count, { count: users.length })}</Hint>
        </div>
        {users.length === 0 ? (
          <div className="mt-4">
            <EmptyState>{texts.none}</EmptyState>
          </div>
        ) : (
          <ul className="mt-2 divide-y divide-tremor-border">
            {users.map((u) => {
              const self = u.id === session.user.id;
              const mfaMissing = !u.mfaEnabled && policy[u.role];
              return (
                <li key={u.id} data-testid="user-row" data-email={u.email} className="flex flex-col gap-3 py-4 sm:flex-row sm:items-start sm:justify-between">
                  <div className="min-w-0">
                    <p className="break-all font-medium text-tremor-content-strong">
                      {u.email} {self ? <span className="text-xs font-normal text-tremor-content">({texts.you})</span> : null}
                    </p>
                    <p className="text-xs text-tremor-content">
                      {u.name} · {fill(texts.lastSignIn, { when: u.lastSignInAt ? f.dateTime(u.lastSignInAt) : texts.never })} · {fill(texts.sessions, { count: u.sessions })}
                    </p>
                    <div className="mt-2 flex flex-wrap gap-1" data-testid="user-badges">
                      <Badge colour={u.role === 'admin' ? 'blue' : 'gray'}>{t.roles[u.role]}</Badge>
                      {u.disabled ? <Badge colour="red">{t.admin.disabled}</Badge> : null}
                      {u.invitePending ? <Badge colour="amber">{texts.invitePending}</Badge> : null}
                      {u.lockedUntil ? <Badge colour="red">{texts.locked}</Badge> : null}
                      <Badge colour={u.mfaEnabled ? 'green' : mfaMissing ? 'amber' : 'gray'}>{u.mfaEnabled ? texts.mfaOn : mfaMissing ? texts.mfaMissing : texts.mfaOff}</Badge>
                    </div>
                    <p className="mt-1 text-xs text-tremor-content">
                      {t.backups.scope.column}:{' '}
                      <span data-testid="user-scope">{scopes.has(u.id) ? fill(t.backups.scope.owners, { ids: scopes.get(u.id)!.join(', ') }) : t.backups.scope.all}</span>
                    </p>
                  </div>
                  {/* Your own account is changed on "My account": no demoting or disabling yourself by a slip. */}
                  {self ? null : <UserActions user={{ id: u.id, email: u.email, role: u.role, disabled: u.disabled, mfaEnabled: u.mfaEnabled, sessions: u.sessions }} />}
                </li>
              );
            })}
          </ul>
        )}
        <Hint className="mt-3">{t.backups.scope.hint}</Hint>
      </Card>
    </>
  );
}
