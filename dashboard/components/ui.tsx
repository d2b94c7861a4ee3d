// Basic building blocks (server-safe: no hooks, no 'use client'), styled with Tremor's tokens so they
// sit beside Tremor charts without looking different. Composed pieces live beside them.
import type { ReactNode } from 'react';
import { cx } from '../lib/cx.ts';

export function Card({ children, className, ...rest }: { children: ReactNode; className?: string } & React.HTMLAttributes<HTMLDivElement>) {
  return (
    <div {...rest} className={cx('min-w-0 rounded-tremor-default border border-tremor-border bg-tremor-background p-4 shadow-tremor-card sm:p-5', className)}>
      {children}
    </div>
  );
}

export function Title({ children, className }: { children: ReactNode; className?: string }) {
  return <h2 className={cx('text-tremor-title font-semibold text-tremor-content-strong', className)}>{children}</h2>;
}

export function Subtle({ children, className }: { children: ReactNode; className?: string }) {
  return <p className={cx('text-tremor-default text-tremor-content', className)}>{children}</p>;
}

export function PageHeader({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3">
      <div>
        <h1 className="text-2xl font-semibold text-tremor-content-strong">{title}</h1>
        {subtitle ? <div className="mt-1 text-tremor-default text-tremor-content">{subtitle}</div> : null}
      </div>
      {children}
    </div>
  );
}

const badgeColours = {
  gray: 'bg-gray-100 text-gray-700 ring-gray-200',
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  red: 'bg-red-50 text-red-700 ring-red-200',
  blue: 'bg-blue-50 text-blue-700 ring-blue-200',
  amber: 'bg-amber-50 text-amber-800 ring-amber-200',
} as const;

export function Badge({ children, colour = 'gray', className }: { children: ReactNode; colour?: keyof typeof badgeColours; className?: string }) {
  return <span className={cx('inline-flex items-center gap-1 whitespace-nowrap rounded-tremor-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', badgeColours[colour], className)}>{children}</span>;
}

export function Notice({ children, tone = 'info', className }: { children: ReactNode; tone?: 'info' | 'error' | 'warning'; className?: string }) {
  const tones = { info: 'border-blue-200 bg-blue-50 text-blue-800', error: 'border-red-200 bg-red-50 text-red-800', warning: 'border-amber-200 bg-amber-50 text-amber-900' };
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cx('rounded-tremor-default border px-4 py-3 text-tremor-default', tones[tone], className)}>
      {children}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="flex min-h-[8rem] items-center justify-center rounded-tremor-small border border-dashed border-tremor-border p-6 text-center text-tremor-default text-tremor-content">{children}</div>;
}

/** A table that scrolls sideways inside its card on a narrow screen instead of widening the page. */
export function ScrollTable({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div className={cx('-mx-4 overflow-x-auto sm:mx-0', className)}>
      <table className="w-full min-w-max border-collapse text-left text-tremor-default">{children}</table>
    </div>
  );
}

export function Th({ children, className }: { children?: ReactNode; className?: string }) {
  return <th className={cx('whitespace-nowrap border-b border-tremor-border px-4 py-2 text-xs font-semibold uppercase tracking-wide text-tremor-content sm:px-3', className)}>{children}</th>;
}

export function Td({ children, className }: { children?: ReactNode; className?: string }) {
  return <td className={cx('whitespace-nowrap border-b border-tremor-border/60 px-4 py-2 text-tremor-content-emphasis sm:px-3', className)}>{children}</td>;
}

export function Skeleton({ className }: { className?: string }) {
  return <div className={cx('animate-pulse rounded-tremor-small bg-tremor-background-subtle', className)} />;
}
