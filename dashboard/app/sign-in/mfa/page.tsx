// The second sign-in step: a code from the authenticator app or a recovery code, posted as a plain
// form to /api/auth/mfa with the challenge cookie the password step set. Without a live challenge
// (expired, used, never started) the user goes back to the password.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getChallengeUser } from '../../../../lib/mfa.ts';
import { AuthFrame } from '../../../components/accounts/auth-frame.tsx';
import { Field, primaryButton } from '../../../components/accounts/fields.tsx';
import { Notice } from '../../../components/ui.tsx';
import { fill, getDictionary } from '../../../lib/i18n/index.ts';
import { CHALLENGE_COOKIE } from '../../../lib/server/account-request.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { getLocale, safeReturnPath } from '../../../lib/server/session.ts';

export const metadata = { title: 'Two-step sign-in' };

export default async function MfaPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(typeof params.next === 'string' ? params.next : undefined);
  const { pool } = await getServerContext();
  const user = await getChallengeUser(pool, (await cookies()).get(CHALLENGE_COOKIE)?.value, 'mfa');
  if (!user) redirect(`/sign-in?error=mfa_expired&next=${encodeURIComponent(next)}`);
  const locale = await getLocale();
  const t = getDictionary(locale);
  const texts = t.accounts.mfa;
  const minutes = Math.max(1, Math.min(60, Number(params.minutes) || 15));
  const error = params.error === 'invalid' ? texts.invalid : params.error === 'missing' ? texts.missing : params.error === 'throttled' ? fill(t.accounts.errors.throttled, { minutes }) : null;
  return (
    <AuthFrame locale={locale} t={t} title={texts.title} subtitle={<span className="break-all">{user.email}</span>}>
      {error ? (
        <Notice tone="error" className="mt-4">
          <span data-testid="mfa-error">{error}</span>
        </Notice>
      ) : null}
      <form method="post" action="/api/auth/mfa" className="mt-6 flex flex-col gap-4">
        <input type="hidden" name="next" value={next} />
        <Field label={texts.code} hint={texts.prompt} name="code" autoComplete="one-time-code" autoCapitalize="none" spellCheck={false} required maxLength={64} autoFocus />
        <button type="submit" data-testid="mfa-submit" className={primaryButton}>
          {texts.submit}
        </button>
      </form>
      <p className="mt-4 text-center text-tremor-default">
        <a href={`/sign-in?next=${encodeURIComponent(next)}`} className="text-tremor-brand hover:underline">
          {t.accounts.signIn.backToSignIn}
        </a>
      </p>
    </AuthFrame>
  );
}
