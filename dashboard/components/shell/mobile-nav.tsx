'use client';
// The phone layout's top bar and slide-in drawer. Closes itself after a link is followed.
import { useEffect, useState, type ReactNode } from 'react';
import { usePathname } from 'next/navigation';
import { NavLinks, type NavItem } from './nav-links.tsx';

export function MobileNav({ items, brand, menuLabel, closeLabel, footer }: { items: NavItem[]; brand: ReactNode; menuLabel: string; closeLabel: string; footer: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]);
  return (
    <div className="lg:hidden">
      <div className="sticky top-0 z-30 flex h-14 items-center justify-between border-b border-tremor-border bg-tremor-background px-4">
        {brand}
        <button
          type="button"
          onClick={() => setOpen(true)}
          aria-expanded={open}
          aria-controls="mobile-drawer"
          className="rounded-tremor-small border border-tremor-border px-3 py-1.5 text-tremor-default font-medium text-tremor-content-emphasis"
        >
          ☰ {menuLabel}
        </button>
      </div>
      {open ? (
        <div className="fixed inset-0 z-40" role="dialog" aria-modal="true" id="mobile-drawer">
          <button type="button" aria-label={closeLabel} className="absolute inset-0 bg-gray-900/40" onClick={() => setOpen(false)} />
          <div className="absolute inset-y-0 left-0 flex w-72 max-w-[85vw] flex-col gap-4 overflow-y-auto bg-tremor-background p-4 shadow-tremor-dropdown">
            <div className="flex items-center justify-between">
              {brand}
              <button type="button" onClick={() => setOpen(false)} className="rounded-tremor-small px-2 py-1 text-tremor-content-emphasis">
                ✕ <span className="sr-only">{closeLabel}</span>
              </button>
            </div>
            <NavLinks items={items} onNavigate={() => setOpen(false)} />
            <div className="mt-auto border-t border-tremor-border pt-4">{footer}</div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
