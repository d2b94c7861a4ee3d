// Rule errors in the user's language. Pure (no server imports): the builder page (client) and the
// API routes (server) both use it, so a message reads the same wherever it is shown.
import { fill, type Dictionary } from './i18n/index.ts';

export interface RuleErrorLike {
  path: string;
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

/** The translated text of a rule error; the compiler's English message if the code is new to the dictionary. */
export function ruleErrorText(t: Dictionary, error: RuleErrorLike): string {
  const template = t.builder.ruleErrors[error.code];
  return template ? fill(template, Object.fromEntries(Object.entries(error.params ?? {}).map(([k, v]) => [k, t.builder.fields[String(v)] ?? v]))) : error.message;
}

/** How a picked value reads: risk bands, RFM groups and languages in words; other values as they are. */
export function choiceLabel(t: Dictionary, fieldId: string, value: string): string {
  if (fieldId === 'churn_band') return t.bands[value] ?? value;
  if (fieldId === 'rfm_group') return t.rfmGroups[value] ?? value;
  if (fieldId === 'language') return (t.language as Record<string, string>)[value] ?? value;
  return value;
}

/** A model segment's name in the chosen language. */
export function modelSegmentLabel(locale: string, s: { id: number; en: string | null; zh: string | null }): string {
  return (locale === 'zh-CN' ? s.zh : s.en) ?? s.en ?? `#${s.id}`;
}
