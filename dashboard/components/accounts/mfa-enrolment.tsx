'use client';
// Setting up an authenticator: the QR code (SVG made on the server, shown as markup: no script, so a
// strict CSP allows it) and the manual key, a field for the first code, then the recovery codes,
// shown once. Used at sign-in (role requires MFA) and on the account page.
import { useState } from 'react';
import { useI18n } from '../i18n-provider.tsx';
import { Notice } from '../ui.tsx';
import { Field, RecoveryCodeList, primaryButton } from './fields.tsx';
import { errorText, sendJson } from './post-json.ts';

export function MfaEnrolment({ qrSvg, manualKey, confirmUrl, extraBody, continueHref }: { qrSvg: string; manualKey: string; confirmUrl: string; extraBody?: Record<string, string>; continueHref: string }) {
  const { t } = useI18n();
  const texts = t.accounts.enrol;
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes) {
    return (
      <div className="flex flex-col gap-4" data-testid="enrolment-done">
        <Notice tone="info">{texts.done}</Notice>
        <div>
          <h2 className="text-tremor-default font-semibold text-tremor-content-strong">{texts.recoveryTitle}</h2>
          <p className="mt-1 text-tremor-default text-tremor-content">{texts.recoveryHint}</p>
        </div>
        <RecoveryCodeList codes={codes} />
        {/* A full page load, so the signed-in frame and navigation are built for the new session. */}
        <a href={continueHref} data-testid="enrolment-continue" className={`${primaryButton} text-center`}>
          {texts.continue}
        </a>
      </div>
    );
  }

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    const answer = await sendJson<{ recoveryCodes: string[] }>(confirmUrl, { ...extraBody, code: code.replace(/\s/g, '') });
    setPending(false);
    if (answer.ok && answer.body.recoveryCodes) setCodes(answer.body.recoveryCodes);
    else setError(errorText(answer, texts.invalid));
  };

  return (
    <div className="flex flex-col gap-4">
      <p className="text-tremor-default text-tremor-content">{texts.intro}</p>
      <div>
        <h2 className="text-tremor-default font-semibold text-tremor-content-strong">{texts.scan}</h2>
        <div
          role="img"
          aria-label={texts.qrAlt}
          data-testid="totp-qr"
          className="mx-auto mt-2 w-48 max-w-full rounded-tremor-small border border-tremor-border bg-white p-1 [&>svg]:h-auto [&>svg]:w-full"
          // The SVG comes from the qrcode library on the server, built from our own otpauth:// URI.
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        <p className="mt-3 text-tremor-default text-tremor-content">{texts.manual}</p>
        <code data-testid="totp-key" className="mt-1 block break-words rounded-tremor-small bg-tremor-background-muted px-3 py-2 text-center font-mono text-sm tracking-wide text-tremor-content-strong">
          {manualKey}
        </code>
      </div>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <Field
          label={texts.enterCode}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\s*(\d\s*){6}"
          maxLength={9}
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        {error ? (
          <Notice tone="error">
            <span data-testid="enrol-error">{error}</span>
          </Notice>
        ) : null}
        <button type="submit" disabled={pending} data-testid="enrol-submit" className={primaryButton}>
          {texts.confirm}
        </button>
      </form>
    </div>
  );
}
