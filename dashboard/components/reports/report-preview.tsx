'use client';
// The report chooser and its preview. The preview is an <iframe> of the report file route, so what is
// shown is byte for byte the PDF recipients get; the browser's own PDF viewer draws it. When the route
// answers with an error (JSON) instead of a PDF, its message is shown in place of the frame.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReportChoice } from '../../lib/data/report-files.ts';
import { fill } from '../../lib/i18n/index.ts';
import { buttonClass, fieldClass, linkClass, secondaryButtonClass } from '../data-ui.tsx';
import { Card, Notice } from '../ui.tsx';
import { useI18n } from '../i18n-provider.tsx';

type PeriodChoice = 'week' | 'month' | 'quarter' | 'custom';

export function ReportPreview({ choices, segments, roleLabel }: { choices: ReportChoice[]; segments: { id: number; name: string }[]; roleLabel: string }) {
  const { t, locale } = useI18n();
  const [report, setReport] = useState(choices[0]!.name);
  const [period, setPeriod] = useState<PeriodChoice>('week');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [segment, setSegment] = useState('');
  const [lang, setLang] = useState<string>(locale);
  const [state, setState] = useState<{ url: string; status: 'loading' | 'loaded' | 'error'; message?: string }>({ url: '', status: 'loading' });
  const frame = useRef<HTMLIFrameElement>(null);
  const choice = choices.find((c) => c.name === report) ?? choices[0]!;
  const customInvalid = period === 'custom' && (!from || !to || from > to);

  const query = useMemo(() => {
    const params = new URLSearchParams({ lang, period });
    if (period === 'custom') {
      params.set('from', from);
      params.set('to', to);
    }
    if (report === 'segment' && segment) params.set('segment', segment);
    return params.toString();
  }, [lang, period, from, to, report, segment]);
  const base = `/api/reports/${report}/file?${query}`;
  const previewUrl = customInvalid ? null : `${base}&format=pdf`;

  useEffect(() => {
    if (previewUrl) setState({ url: previewUrl, status: 'loading' });
  }, [previewUrl]);

  // The frame's document is same-origin: a PDF shows as application/pdf; an error as the route's JSON.
  const onLoad = () => {
    const doc = frame.current?.contentDocument;
    if (doc && doc.contentType && doc.contentType !== 'application/pdf') {
      let message = doc.body?.textContent ?? '';
      try {
        message = (JSON.parse(message) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // Not JSON: show the text as it is.
      }
      setState((s) => ({ ...s, status: 'error', message }));
      return;
    }
    setState((s) => ({ ...s, status: 'loaded' }));
  };

  const label = 'flex flex-col gap-1 text-xs font-medium text-tremor-content';
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="report-controls">
          <label className={label}>
            {t.reports.report}
            <select className={fieldClass} value={report} onChange={(e) => setReport(e.target.value as typeof report)} data-testid="report-select">
              {choices.map((c) => (
                <option key={c.name} value={c.name}>
                  {t.reports.names[c.name] ?? c.name}
                </option>
              ))}
            </select>
          </label>
          <label className={label}>
            {t.reports.period}
            <select className={fieldClass} value={period} onChange={(e) => setPeriod(e.target.value as PeriodChoice)} data-testid="period-select">
              {(['week', 'month', 'quarter', 'custom'] as const).map((p) => (
                <option key={p} value={p}>
                  {t.reports.periods[p]}
                </option>
              ))}
            </select>
          </label>
          {period === 'custom' ? (
            <div className="grid grid-cols-2 gap-2">
              <label className={label}>
                {t.reports.from}
                <input className={fieldClass} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} data-testid="period-from" />
              </label>
              <label className={label}>
                {t.reports.to}
                <input className={fieldClass} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} data-testid="period-to" />
              </label>
            </div>
          ) : null}
          {report === 'segment' ? (
            <label className={label}>
              {t.reports.segment}
              <select className={fieldClass} value={segment} onChange={(e) => setSegment(e.target.value)} data-testid="segment-select">
                <option value="">{t.reports.topSegment}</option>
                {segments.map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label className={label}>
            {t.reports.language}
            <select className={fieldClass} value={lang} onChange={(e) => setLang(e.target.value)} data-testid="language-select">
              {(['zh-CN', 'en'] as const).map((l) => (
                <option key={l} value={l}>
                  {t.reports.languages[l]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="mt-3 text-xs text-tremor-content">{t.reports.descriptions[report]}</p>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <a className={buttonClass} href={customInvalid ? undefined : `${base}&format=pdf&download=1`} aria-disabled={customInvalid} data-testid="download-pdf">
            ↓ {t.reports.downloadPdf}
          </a>
          {choice.xlsx ? (
            <a className={secondaryButtonClass} href={customInvalid ? undefined : `${base}&format=xlsx&download=1`} aria-disabled={customInvalid} data-testid="download-xlsx">
              ↓ {t.reports.downloadXlsx}
            </a>
          ) : (
            <span className="text-xs text-tremor-content" data-testid="xlsx-refused">
              {t.reports.xlsxNeedsExport}
            </span>
          )}
          {/* Phones' browsers often show no PDF inside a frame: the same file in a tab of its own. */}
          {previewUrl ? (
            <a className={`${linkClass} text-tremor-default`} href={previewUrl} target="_blank" rel="noopener" data-testid="open-pdf">
              {t.reports.openPdf} ↗
            </a>
          ) : null}
          <span className="basis-full text-xs text-tremor-content-subtle">{fill(t.reports.viewerRole, { role: roleLabel })}</span>
        </div>
      </Card>

      {customInvalid ? <Notice tone="warning">{t.reports.fixPeriod}</Notice> : null}
      {state.status === 'error' ? (
        <Notice tone="error">
          <span data-testid="preview-error">{fill(t.reports.previewFailed, { message: state.message ?? '' })}</span>
        </Notice>
      ) : null}
      {previewUrl ? (
        <div className="relative overflow-hidden rounded-tremor-default border border-tremor-border bg-tremor-background-subtle shadow-tremor-card">
          {state.status === 'loading' ? (
            <div role="status" className="absolute inset-0 z-10 flex items-center justify-center bg-tremor-background/80 text-tremor-default text-tremor-content" data-testid="preview-loading">
              <span className="animate-pulse">{t.reports.rendering}</span>
            </div>
          ) : null}
          {/* The frame appears once the effect above has run: a server-rendered frame could finish loading
              before hydration attached onLoad, and the "rendering" overlay would never go away. */}
          {state.url === previewUrl ? (
            <iframe
              key={previewUrl}
              ref={frame}
              src={previewUrl}
              onLoad={onLoad}
              title={fill(t.reports.previewTitle, { report: t.reports.names[report] ?? report })}
              className={state.status === 'error' ? 'hidden' : 'block h-[70vh] w-full lg:h-[80vh]'}
              data-testid="report-preview"
            />
          ) : (
            <div className="h-[70vh] w-full lg:h-[80vh]" />
          )}
        </div>
      ) : null}
    </div>
  );
}
