'use client';
// A change to your own two-step sign-in that needs a current code: turning it off, or making new
// recovery codes (shown once, here). Refreshes the page's data afterwards.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useI18n } from '../i18n-provider.tsx';
import { Notice } from '../ui.tsx';
import { Field, Hint, RecoveryCodeList, dangerButton, secondaryButton } from './fields.tsx';
import { errorText, sendJson } from './post-json.ts';

export function CodeActionForm({ action, title, hint, submit, testId }: { action: 'disable' | 'recovery_codes'; title: string; hint: string; submit: string; testId: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; codes?: string[] } | null>(null);
  const send = async (event: React.FormEvent) => {
    event.preventDefault();
    setPending(true);
    const answer = await sendJson<{ recoveryCodes?: string[] }>('/api/account/mfa', { action, code });
    setPending(false);
    setCode('');
    if (!answer.ok) {
      setResult({ ok: false, text: errorText(answer, t.errors.server) });
      return;
    }
    setResult({ ok: true, text: action === 'disable' ? t.accounts.account.disabled : t.accounts.enrol.recoveryHint, codes: answer.body.recoveryCodes });
    router.refresh();
  };
  return (
    <form onSubmit={send} className="flex flex-col gap-3" data-testid={testId}>
      <div>
        <h3 className="text-tremor-default font-semibold text-tremor-content-strong">{title}</h3>
        <Hint>{hint}</Hint>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <Field label={t.accounts.account.code} name="code" autoComplete="one-time-code" autoCapitalize="none" spellCheck={false} required maxLength={64} value={code} onChange={(e) => setCode(e.target.value)} className="w-full sm:w-56" />
        <button type="submit" disabled={pending} className={action === 'disable' ? dangerButton : secondaryButton}>
          {submit}
        </button>
      </div>
      {result ? <Notice tone={result.ok ? 'info' : 'error'}>{result.text}</Notice> : null}
      {result?.codes ? <RecoveryCodeList codes={result.codes} /> : null}
    </form>
  );
}
