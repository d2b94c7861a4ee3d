'use client';
// Gives client components (charts, inputs, error boundaries) the dictionary and formatting settings
// the server chose, so they never pick a language of their own.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
// Every signed-in page's client code passes through here: Zod is set up for the CSP first.
import '../lib/zod-browser.ts';
import { createFormatters, type Formatters } from '../lib/format.ts';
import type { Dictionary, Locale } from '../lib/i18n/index.ts';

interface I18n {
  locale: Locale;
  t: Dictionary;
  timeZone: string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, t, timeZone, children }: I18n & { children: ReactNode }) {
  const value = useMemo(() => ({ locale, t, timeZone }), [locale, t, timeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n() outside <I18nProvider>');
  return value;
}

export function useFormatters(currency: string): Formatters {
  const { locale, timeZone } = useI18n();
  return useMemo(() => createFormatters(locale, currency, timeZone), [locale, currency, timeZone]);
}
