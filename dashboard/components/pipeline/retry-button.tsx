'use client';
// Queues a pipeline run (admins only: the server checks `jobs:run`; this button is only shown to them).
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { fill } from '../../lib/i18n/index.ts';
import { useI18n } from '../i18n-provider.tsx';

export function RetryButton() {
  const { t } = useI18n();
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const queue = (mode: 'incremental' | 'full') =>
    startTransition(async () => {
      const response = await fetch('/api/pipeline/retry', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      setMessage(response.ok ? { ok: true, text: t.pipeline.retryQueued } : { ok: false, text: fill(t.pipeline.retryFailed, { message: body.error?.message ?? response.statusText }) });
      router.refresh();
    });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" disabled={pending} onClick={() => queue('incremental')} data-testid="retry-run" className="rounded-tremor-small bg-tremor-brand px-3 py-1.5 text-tremor-default font-medium text-white disabled:opacity-60">
        ↻ {t.pipeline.retry}
      </button>
      <button type="button" disabled={pending} onClick={() => queue('full')} className="rounded-tremor-small border border-tremor-border bg-tremor-background px-3 py-1.5 text-tremor-default font-medium text-tremor-content-emphasis disabled:opacity-60">
        {t.pipeline.retryFull}
      </button>
      {message ? (
        <span role="status" className={message.ok ? 'text-tremor-default text-emerald-700' : 'text-tremor-default text-red-700'}>
          {message.text}
        </span>
      ) : null}
    </div>
  );
}
