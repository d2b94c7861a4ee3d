// Setting up two-step sign-in from the account page. Opening the page stores a new secret (encrypted,
// not in effect until a valid code confirms it); opening it again within 30 minutes shows the same one.
import { redirect } from 'next/navigation';
import { getMfaStatus, startTotpEnrolment } from '../../../../../lib/mfa.ts';
import { MfaEnrolment } from '../../../../components/accounts/mfa-enrolment.tsx';
import { Card, PageHeader } from '../../../../components/ui.tsx';
import { getServerContext } from '../../../../lib/server/context.ts';
import { getKeyring } from '../../../../lib/server/keyring.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Set up two-step sign-in' };

export default async function AccountMfaPage() {
  const { session, t } = await requirePage('account:self', '/account/mfa');
  const { pool } = await getServerContext();
  if ((await getMfaStatus(pool, session.user.id)).enabled) redirect('/account');
  const material = await startTotpEnrolment(pool, await getKeyring(), session.user);
  return (
    <>
      <PageHeader title={t.accounts.enrol.title} subtitle={<a href="/account" className="text-tremor-brand hover:underline">{t.accounts.account.backToAccount}</a>} />
      <Card className="max-w-lg">
        <MfaEnrolment qrSvg={material.qrSvg} manualKey={material.manualKey} confirmUrl="/api/account/mfa" extraBody={{ action: 'confirm' }} continueHref="/account" />
      </Card>
    </>
  );
}
