'use client';
// Revokes one API token after a confirmation; the server checks it is the user's own.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { fill } from '../../lib/i18n/index.ts';
import { secondaryButtonClass } from '../data-ui.tsx';
import { useI18n } from '../i18n-provider.tsx';

export function RevokeTokenButton({ id, name }: { id: number; name: string }) {
  const { t } = useI18n();
  const a = t.builder.api;
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    if (!window.confirm(fill(a.confirmRevoke, { name }))) return;
    setBusy(true);
    const response = await fetch(`/api/api-tokens/${id}`, { method: 'DELETE' }).catch(() => null);
    setBusy(false);
    if (response?.ok) {
      router.refresh();
      return;
    }
    const body = (await response?.json().catch(() => ({}))) as { error?: { message?: string } } | undefined;
    setMessage(fill(a.revokeFailed, { message: body?.error?.message ?? response?.statusText ?? t.states.error }));
  };
  return (
    <span className="inline-flex shrink-0 flex-wrap items-center gap-2">
      <button type="button" className={`${secondaryButtonClass} text-red-700`} onClick={() => void revoke()} disabled={busy} data-testid="revoke-token">
        {a.revoke}
      </button>
      {message ? (
        <span role="alert" className="text-tremor-default text-red-700">
          {message}
        </span>
      ) : null}
    </span>
  );
}
