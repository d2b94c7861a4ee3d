// The password rules, in one function used everywhere a password is set: `pulse user add`, an
// invitation being accepted, a reset, a change. Length and a list of common passwords, as NIST SP
// 800-63B asks, rather than composition rules (which push people to "Password1!").
// The list: @zxcvbn-ts/language-common's 49k common passwords, loaded on first use.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
/** A local part this long or longer may not appear anywhere in the password. */
const LOCAL_PART_MIN_CHECKED = 4;

export const passwordRuleNames = ['too_short', 'too_long', 'common', 'email'] as const;
export type PasswordRule = (typeof passwordRuleNames)[number];

export interface PasswordProblem {
  rule: PasswordRule;
  /** English, naming the rule; the dashboard shows its own translation of `rule`. */
  message: string;
}

export const passwordRuleMessages: Record<PasswordRule, string> = {
  too_short: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  common: 'is on the list of commonly used passwords: choose another',
  email: 'must not be or contain your e-mail address or its name part',
};

let commonPasswords: Promise<Set<string>> | undefined;
function getCommonPasswords(): Promise<Set<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase())));
  return commonPasswords;
}

/** The first rule the password breaks, or null when it may be used. `email` is the account's e-mail. */
export async function checkPassword(password: string, email?: string | null): Promise<PasswordProblem | null> {
  // Characters, not UTF-16 units: a Chinese passphrase counts each character once.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return problem('too_short');
  if (length > PASSWORD_MAX_LENGTH) return problem('too_long');
  const lower = password.toLowerCase();
  if ((await getCommonPasswords()).has(lower)) return problem('common');
  if (email) {
    const address = email.trim().toLowerCase();
    const localPart = address.split('@')[0] ?? '';
    if (lower.includes(address) || lower === localPart || (localPart.length >= LOCAL_PART_MIN_CHECKED && lower.includes(localPart))) return problem('email');
  }
  return null;
}

function problem(rule: PasswordRule): PasswordProblem {
  return { rule, message: passwordRuleMessages[rule] };
}
