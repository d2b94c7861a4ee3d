'use client';
// Navigation links with the current page highlighted (needs the pathname, hence a client component).
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cx } from '../../lib/cx.ts';

export interface NavItem {
  href: string;
  label: string;
  icon: string;
}

export function NavLinks({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav className="flex flex-col gap-1" aria-label="Main">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={onNavigate}
            aria-current={active ? 'page' : undefined}
            className={cx(
              'flex items-center gap-3 rounded-tremor-small px-3 py-2 text-tremor-default font-medium transition-colors',
              active ? 'bg-tremor-brand-faint text-tremor-brand-emphasis' : 'text-tremor-content-emphasis hover:bg-tremor-background-subtle',
            )}
          >
            <span aria-hidden className="w-5 text-center text-base">
              {item.icon}
            </span>
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
