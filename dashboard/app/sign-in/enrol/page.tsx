// Enrolment during sign-in: the user's role requires MFA and they have none. The password step set
// an enrolment challenge cookie; this page shows the QR code and key (the secret is stored encrypted,
// not yet in effect) and the first valid code turns MFA on and opens the session.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { startEnrolmentForChallenge } from '../../../../lib/mfa.ts';
import { AuthFrame } from '../../../components/accounts/auth-frame.tsx';
import { MfaEnrolment } from '../../../components/accounts/mfa-enrolment.tsx';
import { I18nProvider } from '../../../components/i18n-provider.tsx';
import { Notice } from '../../../components/ui.tsx';
import { getDictionary } from '../../../lib/i18n/index.ts';
import { CHALLENGE_COOKIE } from '../../../lib/server/account-request.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { getKeyring } from '../../../lib/server/keyring.ts';
import { getLocale, safeReturnPath } from '../../../lib/server/session.ts';

export const metadata = { title: 'Set up two-step sign-in' };

export default async function EnrolPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(typeof params.next === 'string' ? params.next : undefined);
  const { pool, config } = await getServerContext();
  const started = await startEnrolmentForChallenge(pool, await getKeyring(), (await cookies()).get(CHALLENGE_COOKIE)?.value);
  if (!started) redirect(`/sign-in?error=mfa_expired&next=${encodeURIComponent(next)}`);
  const locale = await getLocale();
  const t = getDictionary(locale);
  return (
    <AuthFrame locale={locale} t={t} title={t.accounts.enrol.title} subtitle={<span className="break-all">{started.user.email}</span>} wide>
      <Notice tone="warning" className="mt-4">
        {t.accounts.enrol.required}
      </Notice>
      <div className="mt-4">
        <I18nProvider locale={locale} t={t} timeZone={config.timeZone}>
          <MfaEnrolment qrSvg={started.material.qrSvg} manualKey={started.material.manualKey} confirmUrl="/api/auth/enrol" continueHref={next} />
        </I18nProvider>
      </div>
    </AuthFrame>
  );
}
