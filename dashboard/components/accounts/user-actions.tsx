'use client';
// What an admin can do to one user: change the role, disable or enable, reset MFA, sign them out
// everywhere. Each asks for confirmation (they all end sessions or remove protection), then refreshes.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { roles, type Role } from '../../../lib/auth-roles.ts';
import { fill } from '../../lib/i18n/index.ts';
import { useI18n } from '../i18n-provider.tsx';
import { dangerButton, secondaryButton, selectClass } from './fields.tsx';
import { errorText, sendJson } from './post-json.ts';

interface UserSummary {
  id: number;
  email: string;
  role: Role;
  disabled: boolean;
  mfaEnabled: boolean;
  sessions: number;
}

export function UserActions({ user }: { user: UserSummary }) {
  const { t } = useI18n();
  const texts = t.accounts.users;
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const act = async (body: Record<string, string>, question: string) => {
    if (!window.confirm(question)) return false;
    setPending(true);
    const answer = await sendJson(`/api/admin/users/${user.id}`, body);
    setPending(false);
    setMessage(answer.ok ? { ok: true, text: texts.saved } : { ok: false, text: fill(texts.failed, { message: errorText(answer, t.errors.server) }) });
    router.refresh();
    return answer.ok;
  };

  return (
    <div className="flex min-w-0 flex-col gap-2 sm:items-end">
      <div className="flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor={`role-${user.id}`}>
          {texts.changeRole}
        </label>
        <select
          id={`role-${user.id}`}
          data-testid="role-select"
          value={user.role}
          disabled={pending}
          onChange={async (event) => {
            const role = event.target.value as Role;
            await act({ action: 'role', role }, fill(texts.confirmRole, { email: user.email, role: t.roles[role] }));
          }}
          className={`${selectClass} w-36 py-1.5`}
        >
          {roles.map((role) => (
            <option key={role} value={role}>
              {t.roles[role]}
            </option>
          ))}
        </select>
        {user.disabled ? (
          <button type="button" disabled={pending} className={secondaryButton} data-testid="enable-user" onClick={() => act({ action: 'enable' }, user.email)}>
            {texts.enable}
          </button>
        ) : (
          <button type="button" disabled={pending} className={dangerButton} data-testid="disable-user" onClick={() => act({ action: 'disable' }, fill(texts.confirmDisable, { email: user.email }))}>
            {texts.disable}
          </button>
        )}
        {user.mfaEnabled ? (
          <button type="button" disabled={pending} className={secondaryButton} data-testid="reset-mfa" onClick={() => act({ action: 'reset_mfa' }, fill(texts.confirmResetMfa, { email: user.email }))}>
            {texts.resetMfa}
          </button>
        ) : null}
        {user.sessions > 0 ? (
          <button type="button" disabled={pending} className={secondaryButton} data-testid="revoke-user-sessions" onClick={() => act({ action: 'revoke_sessions' }, fill(texts.confirmRevokeAll, { email: user.email }))}>
            {texts.revokeAll}
          </button>
        ) : null}
      </div>
      {message ? (
        <p role="status" className={message.ok ? 'text-xs text-emerald-700' : 'text-xs text-red-700'}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
