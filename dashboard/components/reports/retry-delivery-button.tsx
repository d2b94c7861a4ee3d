'use client';
// An admin's retry of a failed or unknown delivery (the server checks `reports:admin`; the button is
// only shown to admins). The row then reloads from the server with its new state.
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { fill } from '../../lib/i18n/index.ts';
import { secondaryButtonClass } from '../data-ui.tsx';
import { useI18n } from '../i18n-provider.tsx';

export function RetryDeliveryButton({ id }: { id: number }) {
  const { t } = useI18n();
  const d = t.reports.deliveries;
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [, startTransition] = useTransition();
  const retry = async () => {
    setBusy(true);
    try {
      const response = await fetch(`/api/reports/deliveries/${id}/retry`, { method: 'POST' });
      const body = (await response.json().catch(() => ({}))) as { delivery?: { state: string }; error?: { message?: string } };
      setMessage(
        response.ok && body.delivery
          ? { ok: body.delivery.state === 'sent', text: fill(d.retried, { id, state: d.states[body.delivery.state] ?? body.delivery.state }) }
          : { ok: false, text: fill(d.retryFailed, { message: body.error?.message ?? response.statusText }) },
      );
      startTransition(() => router.refresh());
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={`${secondaryButtonClass} px-2 py-1 text-xs`} disabled={busy} onClick={retry} data-testid="delivery-retry">
        {busy ? d.retrying : `↻ ${d.retry}`}
      </button>
      {message ? (
        <span role="status" className={message.ok ? 'text-xs text-emerald-700' : 'text-xs text-red-700'}>
          {message.text}
        </span>
      ) : null}
    </span>
  );
}
