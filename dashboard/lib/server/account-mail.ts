// The account e-mails: a password-reset link and an invitation link, in the recipient's language.
// They go through the same transport as reports (reports/transport.ts): SMTP_URL, or the local
// capture into <dataDir>/outbox that `pulse outbox` lists. Links point at PULSE_PUBLIC_URL, never at
// the Host header of the request (a forged Host would put an attacker's site in the link).
import 'server-only';
import crypto from 'node:crypto';
import type { User } from '../../../lib/auth.ts';
import { createMailTransport } from '../../../reports/index.ts';
import { fill, getDictionary, isLocale, type Locale } from '../i18n/index.ts';
import { getServerContext } from './context.ts';

const FROM = 'Pulse <accounts@pulse.local>';

export type AccountMailKind = 'reset' | 'invite';

export function accountLink(publicUrl: string, token: string): string {
  return `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
}

/** Sends one account e-mail; throws when the mail server refuses it. */
export async function sendAccountMail(kind: AccountMailKind, user: User, token: string, options: { fallbackLocale: Locale; inviter?: string }): Promise<void> {
  const { config } = await getServerContext();
  const locale: Locale = isLocale(user.language) ? user.language : options.fallbackLocale;
  const t = getDictionary(locale).accounts.mail;
  const link = accountLink(config.publicUrl, token);
  const values = { email: user.email, link, inviter: options.inviter ?? 'Pulse', role: getDictionary(locale).roles[user.role] };
  const transport = await createMailTransport({ smtpUrl: config.smtpUrl, dataDir: config.dataDir });
  try {
    await transport.send({
      from: FROM,
      to: user.email,
      subject: kind === 'reset' ? t.resetSubject : t.inviteSubject,
      text: fill(kind === 'reset' ? t.resetBody : t.inviteBody, values),
      messageId: `<${crypto.randomUUID()}@pulse.local>`,
      language: locale,
      attachments: [],
    });
  } finally {
    await transport.close();
  }
}
