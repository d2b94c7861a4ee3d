// Sign-in: a plain form POST to /api/auth/sign-in (no script needed). Errors come back as ?error=.
import { redirect } from 'next/navigation';
import { LanguageSwitch } from '../../components/shell/language-switch.tsx';
import { Notice } from '../../components/ui.tsx';
import { getDictionary } from '../../lib/i18n/index.ts';
import { getCurrentSession, getLocale, safeReturnPath } from '../../lib/server/session.ts';

export const metadata = { title: 'Sign in' };

const errorKeys = ['invalid', 'locked', 'missing', 'expired'] as const;

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(typeof params.next === 'string' ? params.next : undefined);
  if (await getCurrentSession()) redirect(next);
  const locale = await getLocale();
  const t = getDictionary(locale);
  const error = errorKeys.find((k) => k === params.error);
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-tremor-background-muted px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-between">
          <span className="flex items-center gap-2 text-lg font-semibold text-tremor-content-strong">
            <span aria-hidden className="flex h-7 w-7 items-center justify-center rounded-tremor-small bg-tremor-brand text-sm text-white">
              P
            </span>
            Pulse
          </span>
          <LanguageSwitch locale={locale} t={t} />
        </div>
        <div className="rounded-tremor-default border border-tremor-border bg-tremor-background p-6 shadow-tremor-card">
          <h1 className="text-xl font-semibold text-tremor-content-strong">{t.signIn.title}</h1>
          <p className="mt-1 text-tremor-default text-tremor-content">{t.signIn.subtitle}</p>
          {error ? (
            <Notice tone="error" className="mt-4">
              {t.signIn[error]}
            </Notice>
          ) : null}
          <form method="post" action="/api/auth/sign-in" className="mt-6 flex flex-col gap-4">
            <input type="hidden" name="next" value={next} />
            <label className="flex flex-col gap-1 text-tremor-default font-medium text-tremor-content-emphasis">
              {t.signIn.email}
              <input
                name="email"
                type="email"
                autoComplete="username"
                required
                maxLength={254}
                className="rounded-tremor-small border border-tremor-border px-3 py-2 font-normal text-tremor-content-strong shadow-tremor-input outline-none focus:border-tremor-brand focus:ring-2 focus:ring-tremor-brand-muted"
              />
            </label>
            <label className="flex flex-col gap-1 text-tremor-default font-medium text-tremor-content-emphasis">
              {t.signIn.password}
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                required
                maxLength={200}
                className="rounded-tremor-small border border-tremor-border px-3 py-2 font-normal text-tremor-content-strong shadow-tremor-input outline-none focus:border-tremor-brand focus:ring-2 focus:ring-tremor-brand-muted"
              />
            </label>
            <button type="submit" data-testid="sign-in-submit" className="rounded-tremor-small bg-tremor-brand px-4 py-2 font-medium text-white hover:bg-tremor-brand-emphasis">
              {t.signIn.submit}
            </button>
          </form>
        </div>
      </div>
    </div>
  );
}
