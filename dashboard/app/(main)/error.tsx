'use client';
// Any page of the signed-in area that fails to load shows this inside the frame, with a retry.
import { useI18n } from '../../components/i18n-provider.tsx';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  return (
    <div role="alert" className="rounded-tremor-default border border-red-200 bg-red-50 p-6 text-red-800">
      <p className="font-medium">{t.states.error}</p>
      {error.digest ? <p className="mt-1 text-xs text-red-700">ref {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded-tremor-small bg-red-600 px-3 py-1.5 text-tremor-default font-medium text-white">
        {t.states.retry}
      </button>
    </div>
  );
}
