'use client';
// Deletes a saved segment after a confirmation (owner or admin: the server checks again).
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { fill } from '../../lib/i18n/index.ts';
import { secondaryButtonClass } from '../data-ui.tsx';
import { useI18n } from '../i18n-provider.tsx';

export function DeleteSegmentButton({ id, name }: { id: number; name: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    if (!window.confirm(fill(t.builder.confirmDelete, { name }))) return;
    setBusy(true);
    const response = await fetch(`/api/saved-segments/${id}`, { method: 'DELETE' });
    setBusy(false);
    if (response.ok) {
      router.push('/saved-segments');
      router.refresh();
    } else {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      setMessage(fill(t.builder.deleteFailed, { message: body.error?.message ?? response.statusText }));
    }
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={`${secondaryButtonClass} text-red-700`} onClick={() => void remove()} disabled={busy} data-testid="delete-segment">
        {t.builder.delete}
      </button>
      {message ? (
        <span role="alert" className="text-tremor-default text-red-700">
          {message}
        </span>
      ) : null}
    </span>
  );
}
