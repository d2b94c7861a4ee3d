// The frame of the pages before sign-in (sign-in, code, enrolment, forgotten password, reset): the
// brand and the language switch above one centred card. Server component.
import type { ReactNode } from 'react';
import type { Dictionary, Locale } from '../../lib/i18n/index.ts';
import { cx } from '../../lib/cx.ts';
import { LanguageSwitch } from '../shell/language-switch.tsx';

export function AuthFrame({ locale, t, title, subtitle, wide, children }: { locale: Locale; t: Dictionary; title: string; subtitle?: ReactNode; wide?: boolean; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-tremor-background-muted px-4 py-10">
      <div className={cx('w-full', wide ? 'max-w-lg' : 'max-w-sm')}>
        <div className="mb-6 flex items-center justify-between gap-3">
          <span className="flex items-center gap-2 text-lg font-semibold text-tremor-content-strong">
            <span aria-hidden className="flex h-7 w-7 items-center justify-center rounded-tremor-small bg-tremor-brand text-sm text-white">
              P
            </span>
            Pulse
          </span>
          <LanguageSwitch locale={locale} t={t} />
        </div>
        <div className="rounded-tremor-default border border-tremor-border bg-tremor-background p-6 shadow-tremor-card">
          <h1 className="text-xl font-semibold text-tremor-content-strong">{title}</h1>
          {subtitle ? <div className="mt-1 text-tremor-default text-tremor-content">{subtitle}</div> : null}
          {children}
        </div>
      </div>
    </div>
  );
}
