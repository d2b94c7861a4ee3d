'use client';
// Links a campaign to the saved segment it targeted, changes or removes the link (roles that build
// segments; the server checks again). The choices are the saved segments this user may see.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { fill } from '../../lib/i18n/index.ts';
import { errorText, sendJson } from '../accounts/post-json.ts';
import { buttonClass, fieldClass, secondaryButtonClass } from '../data-ui.tsx';
import { useI18n } from '../i18n-provider.tsx';

export function TargetSegmentForm({ campaignId, linkedId, linked, segments }: { campaignId: number; linkedId: number | null; linked: boolean; segments: { id: number; name: string }[] }) {
  const { t } = useI18n();
  const c = t.campaigns;
  const router = useRouter();
  const [choice, setChoice] = useState<string>(String(linkedId ?? segments[0]?.id ?? ''));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const change = async (method: 'PUT' | 'DELETE') => {
    setBusy(true);
    setMessage(null);
    const answer = await sendJson(`/api/campaigns/${campaignId}/segment`, method === 'PUT' ? { segmentId: Number(choice) } : undefined, method);
    setBusy(false);
    if (answer.ok) router.refresh();
    else setMessage(fill(c.targetFailed, { message: errorText(answer, String(answer.status)) }));
  };

  return (
    <div className="mt-3 flex flex-col gap-2">
      {segments.length === 0 ? (
        <p className="text-tremor-default text-tremor-content">{c.targetNoSegments}</p>
      ) : (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void change('PUT');
          }}
        >
          <label className="flex min-w-0 max-w-full flex-col gap-1 text-tremor-default text-tremor-content">
            {c.targetChoose}
            <select className={`${fieldClass} max-w-full`} value={choice} onChange={(event) => setChoice(event.target.value)} data-testid="target-segment-select">
              {segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={buttonClass} disabled={busy || choice === '' || (linkedId !== null && String(linkedId) === choice)} data-testid="target-segment-link">
            {linked ? c.targetChange : c.targetLink}
          </button>
          {linked ? (
            <button type="button" className={secondaryButtonClass} disabled={busy} onClick={() => void change('DELETE')} data-testid="target-segment-unlink">
              {c.targetUnlink}
            </button>
          ) : null}
        </form>
      )}
      {message ? (
        <p role="alert" className="text-tremor-default text-red-700">
          {message}
        </p>
      ) : null}
    </div>
  );
}
