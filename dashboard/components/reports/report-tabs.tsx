'use client';
// The Reports area's sub-pages as tabs (the current one highlighted: needs the pathname, hence a
// client component). Only the tabs the role may open are passed in.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cx } from '../../lib/cx.ts';

export function ReportTabs({ tabs }: { tabs: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav className="mb-4 flex flex-wrap gap-1 border-b border-tremor-border" aria-label="Reports" data-testid="report-tabs">
      {tabs.map((tab) => {
        const active = tab.href === '/reports' ? pathname === '/reports' : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? 'page' : undefined}
            className={cx(
              '-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-tremor-default font-medium',
              active ? 'border-tremor-brand text-tremor-brand-emphasis' : 'border-transparent text-tremor-content hover:text-tremor-content-strong',
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
