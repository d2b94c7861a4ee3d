// Sign-in: a plain form POST to /api/auth/sign-in (no script needed). Errors and notices come back as
// ?error= / ?notice=. With MFA, the route continues at /sign-in/mfa or /sign-in/enrol.
import { redirect } from 'next/navigation';
import { AuthFrame } from '../../components/accounts/auth-frame.tsx';
import { Field, primaryButton } from '../../components/accounts/fields.tsx';
import { Notice } from '../../components/ui.tsx';
import { fill, getDictionary } from '../../lib/i18n/index.ts';
import { getCurrentSession, getLocale, safeReturnPath } from '../../lib/server/session.ts';

export const metadata = { title: 'Sign in' };

const errorKeys = ['invalid', 'locked', 'missing', 'expired', 'throttled', 'mfa_expired'] as const;

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(typeof params.next === 'string' ? params.next : undefined);
  if (await getCurrentSession()) redirect(next);
  const locale = await getLocale();
  const t = getDictionary(locale);
  const error = errorKeys.find((k) => k === params.error);
  const minutes = Math.max(1, Math.min(60, Number(params.minutes) || 15));
  const errorText =
    error === 'throttled' ? fill(t.accounts.signIn.throttled, { minutes }) : error === 'mfa_expired' ? t.accounts.mfa.expired : error ? t.signIn[error] : null;
  return (
    <AuthFrame locale={locale} t={t} title={t.signIn.title} subtitle={t.signIn.subtitle}>
      {params.notice === 'password_set' ? (
        <Notice tone="info" className="mt-4">
          {t.accounts.signIn.passwordSet}
        </Notice>
      ) : null}
      {errorText ? (
        <Notice tone="error" className="mt-4">
          {errorText}
        </Notice>
      ) : null}
      <form method="post" action="/api/auth/sign-in" className="mt-6 flex flex-col gap-4">
        <input type="hidden" name="next" value={next} />
        <Field label={t.signIn.email} name="email" type="email" autoComplete="username" required maxLength={254} />
        <Field label={t.signIn.password} name="password" type="password" autoComplete="current-password" required maxLength={200} />
        <button type="submit" data-testid="sign-in-submit" className={primaryButton}>
          {t.signIn.submit}
        </button>
      </form>
      <p className="mt-4 text-center text-tremor-default">
        <a href="/sign-in/forgot" data-testid="forgot-link" className="text-tremor-brand hover:underline">
          {t.accounts.signIn.forgot}
        </a>
      </p>
    </AuthFrame>
  );
}
