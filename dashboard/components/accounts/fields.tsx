// Form pieces of the account pages, in Tremor's look (server-safe: no hooks). A label wraps its input
// so a click on the text focuses the field and screen readers name it.
import type { InputHTMLAttributes, ReactNode } from 'react';

export const inputClass =
  'w-full min-w-0 rounded-tremor-small border border-tremor-border bg-tremor-background px-3 py-2 font-normal text-tremor-content-strong shadow-tremor-input outline-none focus:border-tremor-brand focus:ring-2 focus:ring-tremor-brand-muted';
export const primaryButton = 'rounded-tremor-small bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-white hover:bg-tremor-brand-emphasis disabled:opacity-60';
export const secondaryButton =
  'rounded-tremor-small border border-tremor-border bg-tremor-background px-3 py-1.5 text-tremor-default font-medium text-tremor-content-emphasis hover:bg-tremor-background-subtle disabled:opacity-60';
export const dangerButton = 'rounded-tremor-small border border-red-200 bg-red-50 px-3 py-1.5 text-tremor-default font-medium text-red-700 hover:bg-red-100 disabled:opacity-60';

// Class names are joined, not passed through cx(): tailwind-merge takes text-tremor-default (a size)
// and text-tremor-content-* (a colour) for the same utility and would drop the size.
const labelClass = 'flex min-w-0 flex-col gap-1 text-tremor-default font-medium text-tremor-content-emphasis';
export const selectClass =
  'rounded-tremor-small border border-tremor-border bg-tremor-background px-3 py-2 font-normal text-tremor-content-strong shadow-tremor-input outline-none focus:border-tremor-brand focus:ring-2 focus:ring-tremor-brand-muted';

export function Field({ label, hint, className, ...input }: { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className={`${labelClass} ${className ?? ''}`}>
      {label}
      <input {...input} className={inputClass} />
      {hint ? <span className="text-xs font-normal text-tremor-content">{hint}</span> : null}
    </label>
  );
}

export function FieldLabel({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className={labelClass}>
      {label}
      {children}
    </label>
  );
}

/** Secondary text under a title (ui.tsx's Subtle loses its size to tailwind-merge, see above). */
export function Hint({ children, className }: { children: ReactNode; className?: string }) {
  return <p className={`text-tremor-default text-tremor-content ${className ?? ''}`}>{children}</p>;
}

/** Ten recovery codes in two columns, monospace, selectable as one block. */
export function RecoveryCodeList({ codes }: { codes: string[] }) {
  return (
    <ol data-testid="recovery-codes" className="grid grid-cols-2 gap-x-4 gap-y-1 rounded-tremor-small border border-tremor-border bg-tremor-background-muted p-3 font-mono text-sm text-tremor-content-strong">
      {codes.map((code) => (
        <li key={code} data-testid="recovery-code">
          {code}
        </li>
      ))}
    </ol>
  );
}
