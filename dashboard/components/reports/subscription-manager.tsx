'use client';
// The subscriptions list and its form. Every change goes through the API (which checks the role and
// the report again, saves, schedules and audits in one transaction); the list then reloads from the
// server, so what is shown is what is stored.
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { Role } from '../../../lib/auth-roles.ts';
import type { SubscriptionView } from '../../lib/data/subscriptions.ts';
import { fill } from '../../lib/i18n/index.ts';
import { buttonClass, fieldClass, linkClass, secondaryButtonClass } from '../data-ui.tsx';
import { useI18n } from '../i18n-provider.tsx';
import { Badge, Card, EmptyState, Notice } from '../ui.tsx';

const PRESETS = { daily: '0 8 * * *', weekdays: '0 8 * * 1-5', monday: '0 8 * * 1', monthly: '0 8 1 * *' } as const;
type Preset = keyof typeof PRESETS | 'custom';

interface FormValues {
  name: string;
  report: string;
  formats: string[];
  recipients: string;
  preset: Preset;
  cron: string;
  timeZone: string;
  language: string;
  role: Role;
  period: string;
  segmentId: string;
  paused: boolean;
}

interface Props {
  subscriptions: SubscriptionView[];
  roles: Role[];
  defaultRole: Role;
  reportsByRole: Record<string, string[]>;
  segments: { id: number; name: string }[];
  defaultTimeZone: string;
  showDeliveries: boolean;
}

type ApiAnswer = { ok: true; data: Record<string, unknown> } | { ok: false; message: string; code?: string; field?: string };

async function callApi(method: string, url: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown> & { error?: { message?: string; code?: string; field?: string } };
  if (response.ok) return { ok: true, data };
  return { ok: false, message: data.error?.message ?? response.statusText, ...(data.error?.code ? { code: data.error.code } : {}), ...(data.error?.field ? { field: data.error.field } : {}) };
}

function presetOf(cron: string): Preset {
  return (Object.entries(PRESETS).find(([, value]) => value === cron)?.[0] as Preset | undefined) ?? 'custom';
}

export function SubscriptionManager({ subscriptions, roles, defaultRole, reportsByRole, segments, defaultTimeZone, showDeliveries }: Props) {
  const { t } = useI18n();
  const s = t.reports.subscriptions;
  const router = useRouter();
  const [editing, setEditing] = useState<'new' | number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  const refresh = (text: { ok: boolean; text: string }) => {
    setMessage(text);
    startTransition(() => router.refresh());
  };

  const act = async (key: string, method: string, url: string, body: unknown, done: (data: Record<string, unknown>) => string) => {
    setBusy(key);
    setMessage(null);
    try {
      const answer = await callApi(method, url, body);
      if (answer.ok) refresh({ ok: true, text: done(answer.data) });
      else setMessage({ ok: false, text: fill(s.actionFailed, { message: answer.message }) });
    } finally {
      setBusy(null);
    }
  };

  const editingSubscription = typeof editing === 'number' ? subscriptions.find((x) => x.id === editing) : undefined;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        {editing === null ? (
          <button type="button" className={buttonClass} onClick={() => setEditing('new')} data-testid="subscription-new">
            + {s.add}
          </button>
        ) : null}
        {message ? (
          <span role="status" className={message.ok ? 'text-tremor-default text-emerald-700' : 'text-tremor-default text-red-700'} data-testid="subscription-message">
            {message.text}
          </span>
        ) : null}
      </div>

      {editing !== null ? (
        <SubscriptionForm
          key={String(editing)}
          initial={editingSubscription}
          roles={roles}
          defaultRole={defaultRole}
          reportsByRole={reportsByRole}
          segments={segments}
          defaultTimeZone={defaultTimeZone}
          onCancel={() => setEditing(null)}
          onSaved={(saved, scheduled) => {
            setEditing(null);
            const text = saved.nextRunLocal ? fill(s.saved, { next: saved.nextRunLocal }) : s.savedPaused;
            refresh({ ok: true, text: scheduled ? text : `${text} ${s.notScheduledYet}` });
          }}
        />
      ) : null}

      {subscriptions.length === 0 && editing === null ? <EmptyState>{s.none}</EmptyState> : null}
      <div className="grid grid-cols-1 gap-3 xl:grid-cols-2" data-testid="subscriptions">
        {subscriptions.map((sub) => (
          <Card key={sub.id} data-testid="subscription" data-id={sub.id} data-paused={sub.paused}>
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="min-w-0">
                <p className="break-words font-semibold text-tremor-content-strong" data-testid="subscription-name">
                  {sub.name}
                </p>
                <p className="text-tremor-default text-tremor-content">
                  {t.reports.names[sub.report] ?? sub.report} · {sub.formats.map((f) => t.reports.formats[f] ?? f).join(' + ')} · {t.reports.languages[sub.language]}
                </p>
              </div>
              <Badge colour={sub.paused ? 'amber' : 'green'}>{sub.paused ? s.paused : s.active}</Badge>
            </div>
            <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-2 text-tremor-default sm:grid-cols-2">
              <div className="min-w-0 sm:col-span-2">
                <dt className="text-xs text-tremor-content">{s.nextRun}</dt>
                <dd className="font-medium tabular-nums text-tremor-content-strong" data-testid="next-run">
                  {sub.nextRunLocal ?? s.noNextRun}
                </dd>
                <dd className="text-xs text-tremor-content-subtle">
                  <code>{sub.cron}</code> · {sub.timeZone}
                </dd>
              </div>
              <div className="min-w-0 sm:col-span-2">
                <dt className="text-xs text-tremor-content">{s.recipients}</dt>
                {/* One address a line; a long list shows its first three and how many there are. */}
                {sub.recipients.slice(0, 3).map((r) => (
                  <dd key={r} className="break-words text-tremor-content-emphasis">
                    {r}
                  </dd>
                ))}
                {sub.recipients.length > 3 ? (
                  <dd className="text-xs text-tremor-content-subtle" title={sub.recipients.join(', ')}>
                    {fill(s.everyone, { count: sub.recipients.length })}
                  </dd>
                ) : null}
              </div>
              <div>
                <dt className="text-xs text-tremor-content">{s.role}</dt>
                <dd className="text-tremor-content-emphasis">{t.roles[sub.role]}</dd>
              </div>
              <div>
                <dt className="text-xs text-tremor-content">{s.period}</dt>
                <dd className="text-tremor-content-emphasis">{t.reports.periods[sub.period]}</dd>
              </div>
            </dl>
            {sub.editable ? (
              <div className="mt-4 flex flex-wrap gap-2">
                <button type="button" className={secondaryButtonClass} onClick={() => setEditing(sub.id)} data-testid="subscription-edit">
                  {s.edit}
                </button>
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={busy !== null}
                  onClick={() => act(`pause-${sub.id}`, 'PATCH', `/api/reports/subscriptions/${sub.id}`, { paused: !sub.paused }, () => (sub.paused ? s.resume : s.pause) + ' ✓')}
                  data-testid="subscription-pause"
                >
                  {sub.paused ? s.resume : s.pause}
                </button>
                <button
                  type="button"
                  className={buttonClass}
                  disabled={busy !== null}
                  onClick={() =>
                    act(`send-${sub.id}`, 'POST', `/api/reports/subscriptions/${sub.id}/send`, undefined, (data) => {
                      const summary = data.summary as { sent: number; failed: number; unknown: number };
                      const total = sub.recipients.length;
                      return summary.failed + summary.unknown > 0 ? fill(s.sentWithErrors, { sent: summary.sent, total, failed: summary.failed + summary.unknown }) : fill(s.sentResult, { sent: summary.sent, total });
                    })
                  }
                  data-testid="subscription-send"
                >
                  {busy === `send-${sub.id}` ? s.sending : `✉ ${s.sendNow}`}
                </button>
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={busy !== null}
                  onClick={() => {
                    if (window.confirm(fill(s.confirmDelete, { name: sub.name }))) void act(`delete-${sub.id}`, 'DELETE', `/api/reports/subscriptions/${sub.id}`, undefined, () => s.deleted);
                  }}
                  data-testid="subscription-delete"
                >
                  {s.delete}
                </button>
                {showDeliveries ? (
                  <a className={`${linkClass} self-center text-tremor-default`} href={`/reports/deliveries?subscription=${sub.id}`}>
                    {s.deliveries} →
                  </a>
                ) : null}
              </div>
            ) : (
              <p className="mt-3 text-xs text-tremor-content-subtle">{s.readOnly}</p>
            )}
          </Card>
        ))}
      </div>
    </div>
  );
}

function SubscriptionForm({
  initial,
  roles,
  defaultRole,
  reportsByRole,
  segments,
  defaultTimeZone,
  onCancel,
  onSaved,
}: Pick<Props, 'roles' | 'defaultRole' | 'reportsByRole' | 'segments' | 'defaultTimeZone'> & {
  initial: SubscriptionView | undefined;
  onCancel: () => void;
  onSaved: (saved: SubscriptionView, scheduled: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const s = t.reports.subscriptions;
  const [values, setValues] = useState<FormValues>(() => ({
    name: initial?.name ?? '',
    report: initial?.report ?? reportsByRole[defaultRole]?.[0] ?? 'executive',
    formats: initial?.formats ?? ['pdf', 'xlsx'],
    recipients: initial?.recipients.join('\n') ?? '',
    preset: initial ? presetOf(initial.cron) : 'monday',
    cron: initial?.cron ?? PRESETS.monday,
    timeZone: initial?.timeZone ?? defaultTimeZone,
    language: initial?.language ?? locale,
    role: initial?.role ?? defaultRole,
    period: initial?.period ?? 'week',
    segmentId: initial?.segmentId === null || initial?.segmentId === undefined ? '' : String(initial.segmentId),
    paused: initial?.paused ?? false,
  }));
  const [error, setError] = useState<{ message: string; code?: string; field?: string } | null>(null);
  const [saving, setSaving] = useState(false);
  // Built once per form (the browser's list of IANA zones), with the saved and the default zone in it.
  const [timeZones] = useState(() => {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return [...new Set([initial?.timeZone ?? defaultTimeZone, defaultTimeZone, 'UTC', 'Asia/Shanghai', ...all])];
  });
  const allowedReports = reportsByRole[values.role] ?? [];
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    const body = {
      name: values.name,
      report: values.report,
      formats: values.formats,
      recipients: values.recipients.split(/[\s,;]+/).filter(Boolean),
      cron: values.preset === 'custom' ? values.cron : PRESETS[values.preset],
      timeZone: values.timeZone,
      language: values.language,
      role: values.role,
      period: values.period,
      segmentId: values.report === 'segment' && values.segmentId ? Number(values.segmentId) : null,
      paused: values.paused,
    };
    try {
      const answer = await callApi(initial ? 'PUT' : 'POST', initial ? `/api/reports/subscriptions/${initial.id}` : '/api/reports/subscriptions', body);
      if (answer.ok) onSaved(answer.data.subscription as SubscriptionView, answer.data.scheduled === true);
      else setError({ message: answer.message, ...(answer.code ? { code: answer.code } : {}), ...(answer.field ? { field: answer.field } : {}) });
    } finally {
      setSaving(false);
    }
  };

  const label = 'flex flex-col gap-1 text-xs font-medium text-tremor-content';
  const invalid = (field: string) => (error?.field === field || error?.field?.startsWith(`${field}.`) ? 'border-red-400 ring-2 ring-red-100' : '');
  return (
    <Card>
      <form onSubmit={submit} className="grid grid-cols-1 gap-3 sm:grid-cols-2" data-testid="subscription-form" noValidate>
        <label className={label}>
          {s.name}
          <input className={`${fieldClass} ${invalid('name')}`} name="name" value={values.name} maxLength={200} onChange={(e) => set('name', e.target.value)} required />
        </label>
        <label className={label}>
          {s.role}
          <select className={`${fieldClass} ${invalid('role')}`} name="role" value={values.role} onChange={(e) => set('role', e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t.roles[r]}
              </option>
            ))}
          </select>
          <span className="font-normal text-tremor-content-subtle">{s.roleHint}</span>
        </label>
        <label className={label}>
          {s.report}
          <select className={`${fieldClass} ${invalid('report')}`} name="report" value={values.report} onChange={(e) => set('report', e.target.value)}>
            {/* Reports the chosen role may not see are listed but disabled: the reason is visible. */}
            {(['executive', 'segment', 'sales', 'service'] as const).map((r) => (
              <option key={r} value={r} disabled={!allowedReports.includes(r)}>
                {t.reports.names[r]}
              </option>
            ))}
          </select>
        </label>
        {values.report === 'segment' ? (
          <label className={label}>
            {s.segment}
            <select className={`${fieldClass} ${invalid('segmentId')}`} name="segmentId" value={values.segmentId} onChange={(e) => set('segmentId', e.target.value)}>
              <option value="">{t.reports.topSegment}</option>
              {segments.map((seg) => (
                <option key={seg.id} value={String(seg.id)}>
                  {seg.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <fieldset className={`${label} ${invalid('formats')}`}>
          <legend className="mb-1">{s.formats}</legend>
          <div className="flex gap-4 text-tremor-default font-normal text-tremor-content-emphasis">
            {(['pdf', 'xlsx'] as const).map((f) => (
              <label key={f} className="inline-flex items-center gap-1.5">
                <input
                  type="checkbox"
                  name={`format-${f}`}
                  checked={values.formats.includes(f)}
                  onChange={(e) => set('formats', e.target.checked ? [...values.formats, f] : values.formats.filter((x) => x !== f))}
                />
                {t.reports.formats[f]}
              </label>
            ))}
          </div>
        </fieldset>
        <label className={`${label} sm:col-span-2`}>
          {s.recipients}
          <textarea className={`${fieldClass} ${invalid('recipients')}`} name="recipients" rows={3} value={values.recipients} onChange={(e) => set('recipients', e.target.value)} placeholder="name@example.com" />
          <span className="font-normal text-tremor-content-subtle">{s.recipientsHint}</span>
        </label>
        <label className={label}>
          {s.preset}
          <select className={fieldClass} name="preset" value={values.preset} onChange={(e) => set('preset', e.target.value as Preset)}>
            {(['daily', 'weekdays', 'monday', 'monthly', 'custom'] as const).map((p) => (
              <option key={p} value={p}>
                {s.presets[p]}
              </option>
            ))}
          </select>
        </label>
        {values.preset === 'custom' ? (
          <label className={label}>
            {s.cron}
            <input className={`${fieldClass} font-mono ${invalid('cron')}`} name="cron" value={values.cron} onChange={(e) => set('cron', e.target.value)} spellCheck={false} />
            <span className="font-normal text-tremor-content-subtle">{s.cronHint}</span>
          </label>
        ) : null}
        <label className={label}>
          {s.timeZone}
          <select className={`${fieldClass} ${invalid('timeZone')}`} name="timeZone" value={values.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
            {timeZones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {s.language}
          <select className={fieldClass} name="language" value={values.language} onChange={(e) => set('language', e.target.value)}>
            {(['zh-CN', 'en'] as const).map((l) => (
              <option key={l} value={l}>
                {t.reports.languages[l]}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {s.period}
          <select className={fieldClass} name="period" value={values.period} onChange={(e) => set('period', e.target.value)}>
            {(['week', 'month', 'quarter'] as const).map((p) => (
              <option key={p} value={p}>
                {t.reports.periods[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-flex items-center gap-2 self-end text-tremor-default text-tremor-content-emphasis">
          <input type="checkbox" name="paused" checked={values.paused} onChange={(e) => set('paused', e.target.checked)} />
          {s.paused}
        </label>
        {error ? (
          <div className="sm:col-span-2">
            <Notice tone="error">
              <span data-testid="subscription-error" data-field={error.field ?? ''}>
                {/* The refusals a person can act on get a sentence in their language; the server's message follows. */}
                {error.code && s.errors[error.code] ? <strong className="block">{s.errors[error.code]}</strong> : null}
                {fill(s.failed, { message: error.message })}
              </span>
            </Notice>
          </div>
        ) : null}
        <div className="flex flex-wrap gap-2 sm:col-span-2">
          <button type="submit" className={buttonClass} disabled={saving} data-testid="subscription-save">
            {initial ? s.save : s.create}
          </button>
          <button type="button" className={secondaryButtonClass} onClick={onCancel}>
            {s.cancel}
          </button>
        </div>
      </form>
    </Card>
  );
}
