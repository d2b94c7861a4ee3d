// "Forgot password": one e-mail field posted as a plain form to /api/auth/forgot. The answer never
// says whether the address has an account.
import { AuthFrame } from '../../../components/accounts/auth-frame.tsx';
import { Field, primaryButton } from '../../../components/accounts/fields.tsx';
import { Notice } from '../../../components/ui.tsx';
import { fill, getDictionary } from '../../../lib/i18n/index.ts';
import { getLocale } from '../../../lib/server/session.ts';

export const metadata = { title: 'Reset your password' };

export default async function ForgotPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const locale = await getLocale();
  const t = getDictionary(locale);
  const texts = t.accounts.forgot;
  const minutes = Math.max(1, Math.min(60, Number(params.minutes) || 15));
  const error = params.error === 'throttled' ? fill(texts.throttled, { minutes }) : params.error === 'missing' ? texts.missing : null;
  return (
    <AuthFrame locale={locale} t={t} title={texts.title} subtitle={texts.intro}>
      {params.sent ? (
        <Notice tone="info" className="mt-4">
          <span data-testid="forgot-sent">{texts.sent}</span>
        </Notice>
      ) : null}
      {error ? (
        <Notice tone="error" className="mt-4">
          {error}
        </Notice>
      ) : null}
      <form method="post" action="/api/auth/forgot" className="mt-6 flex flex-col gap-4">
        <Field label={texts.email} name="email" type="email" autoComplete="username" required maxLength={254} />
        <button type="submit" data-testid="forgot-submit" className={primaryButton}>
          {texts.submit}
        </button>
      </form>
      <p className="mt-4 text-center text-tremor-default">
        <a href="/sign-in" className="text-tremor-brand hover:underline">
          {t.accounts.signIn.backToSignIn}
        </a>
      </p>
    </AuthFrame>
  );
}
