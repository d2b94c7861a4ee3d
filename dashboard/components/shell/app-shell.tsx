// The signed-in page frame: a sidebar on desktop, a top bar with a drawer on a phone, the language
// switch and the user menu. Server component; only the links and the drawer are client code.
import type { ReactNode } from 'react';
import type { Role } from '../../../lib/auth-roles.ts';
import type { Dictionary, Locale } from '../../lib/i18n/index.ts';
import { LanguageSwitch } from './language-switch.tsx';
import { MobileNav } from './mobile-nav.tsx';
import { NavLinks, type NavItem } from './nav-links.tsx';

interface ShellProps {
  items: NavItem[];
  user: { name: string; email: string; role: Role };
  locale: Locale;
  t: Dictionary;
  children: ReactNode;
}

function Brand() {
  return (
    <a href="/overview" className="flex items-center gap-2 text-lg font-semibold text-tremor-content-strong">
      <span aria-hidden className="flex h-7 w-7 items-center justify-center rounded-tremor-small bg-tremor-brand text-sm text-white">
        P
      </span>
      Pulse
    </a>
  );
}

function UserPanel({ user, locale, t }: Pick<ShellProps, 'user' | 'locale' | 't'>) {
  return (
    <div className="flex flex-col gap-3" data-testid="user-panel">
      <LanguageSwitch locale={locale} t={t} />
      <div className="min-w-0">
        <p className="text-xs text-tremor-content">{t.user.signedInAs}</p>
        <p className="truncate text-tremor-default font-medium text-tremor-content-strong">{user.name}</p>
        <p className="truncate text-xs text-tremor-content" title={user.email}>
          {user.email} · <span data-testid="user-role">{t.roles[user.role]}</span>
        </p>
      </div>
      <form method="post" action="/api/auth/sign-out">
        <button type="submit" className="w-full rounded-tremor-small border border-tremor-border px-3 py-1.5 text-tremor-default text-tremor-content-emphasis hover:bg-tremor-background-subtle">
          {t.user.signOut}
        </button>
      </form>
    </div>
  );
}

export function AppShell({ items, user, locale, t, children }: ShellProps) {
  return (
    <div className="min-h-screen bg-tremor-background-muted">
      <aside className="fixed inset-y-0 left-0 z-20 hidden w-60 flex-col gap-6 border-r border-tremor-border bg-tremor-background p-4 lg:flex">
        <Brand />
        <NavLinks items={items} />
        <div className="mt-auto border-t border-tremor-border pt-4">
          <UserPanel user={user} locale={locale} t={t} />
        </div>
      </aside>
      <MobileNav items={items} brand={<Brand />} menuLabel={t.nav.menu} closeLabel={t.nav.close} footer={<UserPanel user={user} locale={locale} t={t} />} />
      <main className="min-w-0 lg:pl-60">
        <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:px-8">{children}</div>
      </main>
    </div>
  );
}
