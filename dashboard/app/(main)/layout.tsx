// The signed-in frame. Each page still checks its own permission (requirePage): a layout is not
// re-rendered on every client navigation, so it cannot be the place that protects pages.
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { can } from '../../../lib/auth-roles.ts';
import { I18nProvider } from '../../components/i18n-provider.tsx';
import { AppShell } from '../../components/shell/app-shell.tsx';
import { getDictionary } from '../../lib/i18n/index.ts';
import { pages } from '../../lib/nav.ts';
import { getServerContext } from '../../lib/server/context.ts';
import { getCurrentSession, getLocale } from '../../lib/server/session.ts';

export default async function MainLayout({ children }: { children: ReactNode }) {
  const session = await getCurrentSession();
  if (!session) redirect('/sign-in');
  const locale = await getLocale();
  const t = getDictionary(locale);
  const { config } = await getServerContext();
  const items = pages.filter((p) => can(session.user.role, p.permission)).map((p) => ({ href: p.href, label: p.label(t), icon: p.icon }));
  return (
    <I18nProvider locale={locale} t={t} timeZone={config.timeZone}>
      <AppShell items={items} user={session.user} locale={locale} t={t}>
        {children}
      </AppShell>
    </I18nProvider>
  );
}
