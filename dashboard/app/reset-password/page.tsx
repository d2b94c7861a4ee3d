// The page an e-mailed link opens (password reset or invitation): a new password, twice, posted as a
// plain form to /api/auth/reset. Looking at the page does not use the link up; a used or expired
// link says so and offers a new one.
import { peekAccountToken } from '../../../lib/account-tokens.ts';
import { passwordRuleNames } from '../../../lib/password-rules.ts';
import { AuthFrame } from '../../components/accounts/auth-frame.tsx';
import { Field, primaryButton } from '../../components/accounts/fields.tsx';
import { Notice } from '../../components/ui.tsx';
import { fill, getDictionary } from '../../lib/i18n/index.ts';
import { getServerContext } from '../../lib/server/context.ts';
import { getLocale } from '../../lib/server/session.ts';

export const metadata = { title: 'Choose a password' };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === 'string' ? params.token.slice(0, 100) : '';
  const { pool } = await getServerContext();
  const owner = await peekAccountToken(pool, token);
  const locale = await getLocale();
  const t = getDictionary(locale);
  const texts = t.accounts.reset;
  if (!owner) {
    return (
      <AuthFrame locale={locale} t={t} title={texts.title}>
        <Notice tone="error" className="mt-4">
          <span data-testid="reset-invalid">{texts.invalidLink}</span>
        </Notice>
        <p className="mt-4 flex flex-wrap justify-between gap-2 text-tremor-default">
          <a href="/sign-in/forgot" className="text-tremor-brand hover:underline">
            {texts.askAgain}
          </a>
          <a href="/sign-in" className="text-tremor-brand hover:underline">
            {t.accounts.signIn.backToSignIn}
          </a>
        </p>
      </AuthFrame>
    );
  }
  const rule = passwordRuleNames.find((r) => r === params.error);
  const error = rule ? t.accounts.rules[rule] : params.error === 'mismatch' ? t.accounts.rules.mismatch : params.error === 'invalid_link' ? texts.invalidLink : null;
  const invite = owner.purpose === 'invite';
  return (
    <AuthFrame
      locale={locale}
      t={t}
      title={invite ? texts.inviteTitle : texts.title}
      subtitle={
        <>
          {invite ? <span className="block">{texts.inviteIntro}</span> : null}
          <span className="block break-all">{fill(texts.forAccount, { email: owner.user.email })}</span>
        </>
      }
    >
      {error ? (
        <Notice tone="error" className="mt-4">
          <span data-testid="reset-error">{error}</span>
        </Notice>
      ) : null}
      <form method="post" action="/api/auth/reset" className="mt-6 flex flex-col gap-4">
        <input type="hidden" name="token" value={token} />
        {/* Lets password managers save the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={owner.user.email} />
        <Field label={texts.password} hint={t.accounts.rules.hint} name="password" type="password" autoComplete="new-password" required minLength={12} maxLength={200} />
        <Field label={texts.confirm} name="confirm" type="password" autoComplete="new-password" required minLength={12} maxLength={200} />
        <button type="submit" data-testid="reset-submit" className={primaryButton}>
          {texts.submit}
        </button>
      </form>
    </AuthFrame>
  );
}
