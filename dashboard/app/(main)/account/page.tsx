// My account (every signed-in user): two-step sign-in (set up, turn off, new recovery codes) and the
// password. Each change goes through /api/account/* and is audited.
import { getMfaStatus } from '../../../../lib/mfa.ts';
import { CodeActionForm } from '../../../components/accounts/code-action-form.tsx';
import { Hint, primaryButton } from '../../../components/accounts/fields.tsx';
import { PasswordChangeForm } from '../../../components/accounts/password-change-form.tsx';
import { Badge, Card, Notice, PageHeader, Title } from '../../../components/ui.tsx';
import { createFormatters } from '../../../lib/format.ts';
import { fill } from '../../../lib/i18n/index.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';

export const metadata = { title: 'My account' };

export default async function AccountPage() {
  const { session, t, locale } = await requirePage('account:self', '/account');
  const { pool, config } = await getServerContext();
  const mfa = await getMfaStatus(pool, session.user.id);
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const texts = t.accounts.account;
  return (
    <>
      <PageHeader title={texts.title} subtitle={<span className="break-all">{`${session.user.email} · ${t.roles[session.user.role]}`}</span>} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card data-testid="mfa-card">
          <div className="flex flex-wrap items-center gap-2">
            <Title>{texts.mfaTitle}</Title>
            <Badge colour={mfa.enabled ? 'green' : mfa.required ? 'amber' : 'gray'}>
              <span data-testid="mfa-state">{mfa.enabled ? fill(texts.mfaOn, { date: f.date(mfa.enabledAt) }) : texts.mfaOff}</span>
            </Badge>
            {mfa.required ? <Badge colour="blue">{texts.mfaRequired}</Badge> : null}
          </div>
          {mfa.enabled ? (
            <div className="mt-4 flex flex-col gap-6">
              <Hint>{fill(texts.recoveryLeft, { count: mfa.recoveryCodesLeft })}</Hint>
              {mfa.recoveryCodesLeft <= 3 ? <Notice tone="warning">{texts.recoveryLow}</Notice> : null}
              <CodeActionForm action="recovery_codes" title={texts.regenerateTitle} hint={texts.regenerateHint} submit={texts.regenerate} testId="regenerate-form" />
              {mfa.required ? (
                <Hint>{texts.requiredNoDisable}</Hint>
              ) : (
                <CodeActionForm action="disable" title={texts.disableTitle} hint={texts.disableHint} submit={texts.disable} testId="disable-form" />
              )}
            </div>
          ) : (
            <div className="mt-4 flex flex-col items-start gap-4">
              <Hint>{mfa.required ? texts.mfaRequiredHint : texts.mfaOffHint}</Hint>
              <a href="/account/mfa" data-testid="mfa-set-up" className={primaryButton}>
                {texts.setUp}
              </a>
            </div>
          )}
        </Card>
        <Card>
          <Title>{texts.passwordTitle}</Title>
          <Hint className="mb-4">{texts.passwordHint}</Hint>
          <PasswordChangeForm email={session.user.email} />
        </Card>
      </div>
    </>
  );
}
