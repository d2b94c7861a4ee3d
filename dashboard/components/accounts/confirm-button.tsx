'use client';
// A button that asks "are you sure?", sends one request and refreshes the page's data: ending a
// session, or all of a user's sessions (admins).
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useI18n } from '../i18n-provider.tsx';
import { secondaryButton } from './fields.tsx';
import { errorText, sendJson } from './post-json.ts';

export function ConfirmButton({ url, method = 'POST', body, question, label, testId }: { url: string; method?: 'POST' | 'DELETE'; body?: Record<string, string>; question: string; label: string; testId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!window.confirm(question)) return;
    setPending(true);
    const answer = await sendJson(url, body, method);
    setPending(false);
    // 404: someone else ended it first; the refreshed list shows that.
    setError(answer.ok || answer.status === 404 ? null : errorText(answer, t.errors.server));
    router.refresh();
  };
  return (
    <span className="flex flex-col items-start gap-1 sm:items-end">
      <button type="button" disabled={pending} onClick={run} data-testid={testId} className={secondaryButton}>
        {label}
      </button>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
