'use client';
// Which roles must use two-step sign-in (admins). Each switch saves at once; the server audits it.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { roles, type Role } from '../../../lib/auth-roles.ts';
import { fill } from '../../lib/i18n/index.ts';
import { useI18n } from '../i18n-provider.tsx';
import { errorText, sendJson } from './post-json.ts';

export function MfaPolicyForm({ policy }: { policy: Record<Role, boolean> }) {
  const { t } = useI18n();
  const texts = t.accounts.users;
  const router = useRouter();
  const [current, setCurrent] = useState(policy);
  const [pending, setPending] = useState<Role | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const toggle = async (role: Role, required: boolean) => {
    setPending(role);
    const answer = await sendJson<{ policy: Record<Role, boolean> }>('/api/admin/mfa-policy', { role, required });
    setPending(null);
    if (answer.ok) setCurrent(answer.body.policy);
    setMessage(answer.ok ? { ok: true, text: texts.saved } : { ok: false, text: fill(texts.failed, { message: errorText(answer, t.errors.server) }) });
    router.refresh();
  };
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-wrap gap-2" data-testid="mfa-policy">
        {roles.map((role) => (
          <li key={role}>
            <label className="flex cursor-pointer items-center gap-2 rounded-tremor-small border border-tremor-border px-3 py-2 text-tremor-default text-tremor-content-emphasis has-[:checked]:border-tremor-brand has-[:checked]:bg-tremor-brand-faint">
              <input
                type="checkbox"
                data-testid={`mfa-required-${role}`}
                checked={current[role]}
                disabled={pending !== null}
                onChange={(event) => toggle(role, event.target.checked)}
                className="h-4 w-4 accent-blue-600"
              />
              <span className="font-medium">{t.roles[role]}</span>
              {current[role] ? <span className="sr-only">{texts.required}</span> : null}
            </label>
          </li>
        ))}
      </ul>
      {message ? (
        <p role="status" className={message.ok ? 'text-xs text-emerald-700' : 'text-xs text-red-700'}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
