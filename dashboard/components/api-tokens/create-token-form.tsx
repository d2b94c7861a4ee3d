'use client';
// Creates an API token and shows its text once (the server keeps only its hash). Scopes and the
// personal-data option the role may not use are disabled; the server refuses them anyway.
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { fill } from '../../lib/i18n/index.ts';
import { buttonClass, fieldClass, secondaryButtonClass } from '../data-ui.tsx';
import { useI18n } from '../i18n-provider.tsx';
import { Notice } from '../ui.tsx';

const scopes = ['segments:read', 'members:read'] as const;
const expiryChoices = [30, 90, 180, 365] as const;

export function CreateTokenForm({ allowed }: { allowed: Record<(typeof scopes)[number] | 'pii', boolean> }) {
  const { t } = useI18n();
  const a = t.builder.api;
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Kept before the await: React clears currentTarget once the event has been handled.
    const element = event.currentTarget;
    const form = new FormData(element);
    const body = {
      name: String(form.get('name') ?? ''),
      scopes: scopes.filter((s) => form.get(`scope:${s}`) === 'on'),
      pii: form.get('pii') === 'on',
      expiresInDays: Number(form.get('days')),
    };
    setBusy(true);
    setError(null);
    const response = await fetch('/api/api-tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
    setBusy(false);
    if (response?.ok) {
      const answer = (await response.json()) as { token: string };
      setCreated(answer.token);
      setCopied(false);
      element.reset();
      router.refresh();
      return;
    }
    const answer = (await response?.json().catch(() => ({}))) as { error?: { message?: string } } | undefined;
    setError(fill(a.createFailed, { message: answer?.error?.message ?? response?.statusText ?? t.states.error }));
  };

  const copy = async () => {
    if (!created) return;
    await navigator.clipboard?.writeText(created).catch(() => undefined);
    setCopied(true);
  };

  return (
    <div className="flex flex-col gap-4">
      {created ? (
        <div className="rounded-tremor-default border border-emerald-200 bg-emerald-50 p-4 text-emerald-900" role="status" data-testid="created-token">
          <p className="font-medium">{a.createdTitle}</p>
          <p className="mt-1 text-tremor-default">{a.createdHint}</p>
          <code className="mt-3 block break-all rounded-tremor-small bg-white p-2 font-mono text-xs text-tremor-content-strong" data-testid="token-text">
            {created}
          </code>
          <div className="mt-3 flex flex-wrap gap-2">
            <button type="button" className={buttonClass} onClick={() => void copy()}>
              {copied ? a.copied : a.copy}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setCreated(null)}>
              {a.done}
            </button>
          </div>
        </div>
      ) : null}
      <form className="flex flex-col gap-4" onSubmit={(e) => void submit(e)} data-testid="create-token-form">
        <label className="flex flex-col gap-1 text-tremor-default text-tremor-content-emphasis">
          {a.name}
          <input name="name" required maxLength={80} className={fieldClass} placeholder={a.namePlaceholder} />
        </label>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-tremor-default text-tremor-content-emphasis">{a.scopes}</legend>
          {scopes.map((scope) => (
            <label key={scope} className={`flex items-start gap-2 text-tremor-default ${allowed[scope] ? 'text-tremor-content-strong' : 'text-tremor-content-subtle'}`}>
              <input type="checkbox" name={`scope:${scope}`} defaultChecked={allowed[scope]} disabled={!allowed[scope]} className="mt-1" />
              <span className="min-w-0">
                {a.scopeLabels[scope]} <code className="break-all text-xs text-tremor-content">{scope}</code>
              </span>
            </label>
          ))}
        </fieldset>
        <label className={`flex items-start gap-2 text-tremor-default ${allowed.pii ? 'text-tremor-content-strong' : 'text-tremor-content-subtle'}`}>
          <input type="checkbox" name="pii" disabled={!allowed.pii} className="mt-1" />
          <span className="min-w-0">
            {a.pii}
            <span className="block text-xs text-tremor-content">{allowed.pii ? a.piiHint : a.piiNotAllowed}</span>
          </span>
        </label>
        <label className="flex flex-col gap-1 text-tremor-default text-tremor-content-emphasis">
          {a.expiry}
          <select name="days" defaultValue="90" className={fieldClass}>
            {expiryChoices.map((days) => (
              <option key={days} value={days}>
                {fill(a.days, { days })}
              </option>
            ))}
          </select>
        </label>
        {error ? <Notice tone="error">{error}</Notice> : null}
        <div>
          <button type="submit" className={buttonClass} disabled={busy} data-testid="create-token-submit">
            {busy ? a.creating : a.create}
          </button>
        </div>
      </form>
    </div>
  );
}
