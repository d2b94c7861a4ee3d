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
