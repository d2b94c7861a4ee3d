'use client';
// The export of a saved segment's members: a column chooser, the format, and a download link to the
// export route (which checks `data:export` again, masks personal data per role and audits the export).
import { useMemo, useState } from 'react';
import { cx } from '../../lib/cx.ts';
import { buttonClass, secondaryButtonClass } from '../data-ui.tsx';
import { useI18n } from '../i18n-provider.tsx';
import { Title } from '../ui.tsx';

const formats = ['csv', 'xlsx', 'arrow'] as const;

export function ExportPanel({ segmentId, columns, defaults, personal, masked }: { segmentId: number; columns: string[]; defaults: string[]; personal: string[]; masked: boolean }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(defaults));
  const [format, setFormat] = useState<(typeof formats)[number]>('csv');
  const href = useMemo(() => {
    const ordered = columns.filter((c) => chosen.has(c));
    return `/api/saved-segments/${segmentId}/export?format=${format}&columns=${encodeURIComponent(ordered.join(','))}`;
  }, [chosen, columns, format, segmentId]);
  const toggle = (c: string) =>
    setChosen((old) => {
      const next = new Set(old);
      if (next.has(c)) next.delete(c);
      else next.add(c);
      return next;
    });
  return (
    <div data-testid="export-panel">
      <Title>{t.builder.export}</Title>
      <fieldset className="mt-3">
        <legend className="text-tremor-default font-medium text-tremor-content-emphasis">{t.builder.format}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {formats.map((x) => (
            <label key={x} className="flex items-center gap-1.5 text-tremor-default">
              <input type="radio" name="export-format" value={x} checked={format === x} onChange={() => setFormat(x)} data-testid={`export-format-${x}`} />
              {t.builder.formats[x]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="mt-3">
        <legend className="flex flex-wrap items-center gap-2 text-tremor-default font-medium text-tremor-content-emphasis">
          {t.builder.columns}
          <button type="button" className="text-xs font-normal text-tremor-brand hover:underline" onClick={() => setChosen(new Set(columns))}>
            {t.builder.selectAll}
          </button>
          <button type="button" className="text-xs font-normal text-tremor-brand hover:underline" onClick={() => setChosen(new Set())}>
            {t.builder.selectNone}
          </button>
        </legend>
        <div className="mt-1 grid grid-cols-2 gap-x-4 gap-y-1 md:grid-cols-3 xl:grid-cols-4">
          {columns.map((c) => (
            <label key={c} className="flex min-w-0 items-center gap-1.5 text-tremor-default">
              <input type="checkbox" checked={chosen.has(c)} onChange={() => toggle(c)} data-testid={`export-column-${c}`} />
              <span className="truncate">{t.builder.columnLabels[c] ?? c}</span>
              {personal.includes(c) && masked && (c === 'email' || c === 'phone') ? <span className="text-xs text-amber-700">•••</span> : null}
            </label>
          ))}
        </div>
      </fieldset>
      {masked ? <p className="mt-2 text-xs text-tremor-content">{t.builder.personalNote}</p> : null}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {chosen.size > 0 ? (
          <a className={buttonClass} href={href} download data-testid="export-download">
            ⬇ {t.builder.download}
          </a>
        ) : (
          <span className={cx(secondaryButtonClass, 'cursor-not-allowed opacity-60')}>{t.builder.noColumns}</span>
        )}
        <span className="text-xs text-tremor-content">{t.builder.exportHint}</span>
      </div>
    </div>
  );
}
