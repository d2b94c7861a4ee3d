'use client';
// Changing your own password: the current one, the new one twice. The server checks the rules and
// signs out every other session; the message says how many.
import { useState } from 'react';
import { fill } from '../../lib/i18n/index.ts';
import { useI18n } from '../i18n-provider.tsx';
import { Notice } from '../ui.tsx';
import { Field, primaryButton } from './fields.tsx';
import { errorText, sendJson } from './post-json.ts';

export function PasswordChangeForm({ email }: { email: string }) {
  const { t } = useI18n();
  const texts = t.accounts.account;
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const send = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body = { currentPassword: String(data.get('currentPassword') ?? ''), newPassword: String(data.get('newPassword') ?? ''), confirm: String(data.get('confirm') ?? '') };
    if (body.newPassword !== body.confirm) {
      setResult({ ok: false, text: t.accounts.rules.mismatch });
      return;
    }
    setPending(true);
    const answer = await sendJson<{ sessionsEnded: number }>('/api/account/password', body);
    setPending(false);
    if (answer.ok) form.reset();
    setResult(answer.ok ? { ok: true, text: fill(texts.changed, { count: answer.body.sessionsEnded }) } : { ok: false, text: errorText(answer, t.errors.server) });
  };
  return (
    <form onSubmit={send} className="flex flex-col gap-4" data-testid="password-form">
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <Field label={texts.currentPassword} name="currentPassword" type="password" autoComplete="current-password" required maxLength={200} />
      <Field label={texts.newPassword} hint={t.accounts.rules.hint} name="newPassword" type="password" autoComplete="new-password" required maxLength={200} />
      <Field label={texts.confirmPassword} name="confirm" type="password" autoComplete="new-password" required maxLength={200} />
      {result ? (
        <Notice tone={result.ok ? 'info' : 'error'}>
          <span data-testid="password-result">{result.text}</span>
        </Notice>
      ) : null}
      <div>
        <button type="submit" disabled={pending} data-testid="password-submit" className={primaryButton}>
          {texts.change}
        </button>
      </div>
    </form>
  );
}
