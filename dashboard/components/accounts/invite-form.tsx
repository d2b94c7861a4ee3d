'use client';
// Inviting someone (admins): e-mail, optional name, role and language. The server creates the account
// and e-mails a 72-hour link to choose a password; the list below refreshes.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { roles } from '../../../lib/auth-roles.ts';
import { locales } from '../../lib/i18n/index.ts';
import { useI18n } from '../i18n-provider.tsx';
import { Notice } from '../ui.tsx';
import { Field, FieldLabel, inputClass, primaryButton } from './fields.tsx';
import { errorText, sendJson } from './post-json.ts';

export function InviteForm() {
  const { t } = useI18n();
  const texts = t.accounts.users;
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const send = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form).entries());
    setPending(true);
    const answer = await sendJson<{ message: string; mailed: boolean }>('/api/admin/users', data);
    setPending(false);
    if (answer.ok) {
      form.reset();
      router.refresh();
    }
    setResult(answer.ok ? { ok: answer.body.mailed, text: answer.body.message } : { ok: false, text: errorText(answer, t.errors.server) });
  };
  return (
    <form onSubmit={send} className="flex flex-col gap-3" data-testid="invite-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={texts.email} name="email" type="email" required maxLength={254} autoComplete="off" />
        <Field label={texts.name} name="name" maxLength={200} autoComplete="off" />
        <FieldLabel label={texts.role}>
          <select name="role" defaultValue="analyst" className={inputClass}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {t.roles[role]}
              </option>
            ))}
          </select>
        </FieldLabel>
        <FieldLabel label={texts.language}>
          <select name="language" defaultValue="" className={inputClass}>
            <option value="">{texts.languageAuto}</option>
            {locales.map((l) => (
              <option key={l} value={l}>
                {t.language[l]}
              </option>
            ))}
          </select>
        </FieldLabel>
      </div>
      {result ? (
        <Notice tone={result.ok ? 'info' : 'error'}>
          <span data-testid="invite-result">{result.text}</span>
        </Notice>
      ) : null}
      <div>
        <button type="submit" disabled={pending} data-testid="invite-submit" className={primaryButton}>
          {texts.invite}
        </button>
      </div>
    </form>
  );
}
