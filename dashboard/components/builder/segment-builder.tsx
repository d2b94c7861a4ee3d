'use client';
// The segment builder: a tree of rules and groups (AND/OR, NOT) with pickers that fit each field's
// type, the live count and revenue share (asked from the server a moment after each change; an older
// answer never overwrites a newer one), each rule's error shown next to it, and the save form.
// The server checks everything again: this component only helps the user get it right.
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { RuleGroup, RuleNode, SegmentFieldDefinition } from '../../../warehouse/index.ts';
import { cx } from '../../lib/cx.ts';
import { fill } from '../../lib/i18n/index.ts';
import { choiceLabel, modelSegmentLabel, ruleErrorText, type RuleErrorLike } from '../../lib/rule-text.ts';
import { buttonClass, fieldClass, secondaryButtonClass } from '../data-ui.tsx';
import { useFormatters, useI18n } from '../i18n-provider.tsx';
import { Card, Title } from '../ui.tsx';

interface Option {
  value: string;
  customers: number;
}

export interface BuilderOptions {
  choices: Record<string, Option[]>;
  tags: Option[];
  segments: { id: number; en: string | null; zh: string | null; customers: number }[];
}

export interface BuilderInitial {
  id: number;
  name: string;
  description: string;
  kind: 'dynamic' | 'static';
  shared: boolean;
  definition: RuleGroup;
}

interface Props {
  fields: SegmentFieldDefinition[];
  operators: Record<string, readonly string[]>;
  options: BuilderOptions;
  currency: string;
  initial?: BuilderInitial;
}

// The tree as edited: every node carries a key for React, removed before it is sent.
type UiRule = { key: string; type: 'rule'; field: string; operator: string; value?: unknown; not?: boolean };
type UiGroup = { key: string; type: 'group'; combinator: 'and' | 'or'; not?: boolean; rules: UiNode[] };
type UiNode = UiRule | UiGroup;

let nextKey = 0;
const newKey = () => `n${++nextKey}`;

function withKeys(node: RuleNode): UiNode {
  return node.type === 'group' ? { ...node, key: newKey(), rules: node.rules.map(withKeys) } : { ...node, key: newKey() };
}

function withoutKeys(node: UiNode): RuleNode {
  if (node.type === 'group') return { type: 'group', combinator: node.combinator, ...(node.not ? { not: true } : {}), rules: node.rules.map(withoutKeys) };
  return { type: 'rule', field: node.field, operator: node.operator, ...(node.value !== undefined ? { value: node.value } : {}), ...(node.not ? { not: true } : {}) };
}

const defaultOperator: Record<string, string> = { number: 'gte', choice: 'in', segment: 'in', tags: 'has_any', date: 'in_last' };
const listOperators = new Set(['in', 'not_in', 'has_any', 'has_all', 'has_none']);
const noValue = new Set(['is_empty', 'is_not_empty']);
/** Errors of a rule not finished yet: shown as a hint, not as a mistake. */
const unfinished = new Set(['missing_value', 'empty_list', 'empty_group']);

function shapeOf(operator: string): 'none' | 'list' | 'pair' | 'one' {
  if (noValue.has(operator)) return 'none';
  if (listOperators.has(operator)) return 'list';
  if (operator === 'between') return 'pair';
  return 'one';
}

function newRule(): UiRule {
  return { key: newKey(), type: 'rule', field: 'last_order_at', operator: 'in_last', value: '90' };
}

/** Replaces the node at `path` (indices from the root) with what `change` returns; null removes it. */
function updateAt(root: UiGroup, path: number[], change: (node: UiNode) => UiNode | null): UiGroup {
  if (path.length === 0) return change(root) as UiGroup;
  const [head, ...rest] = path;
  const rules = root.rules.flatMap((child, i) => {
    if (i !== head) return [child];
    const next = rest.length === 0 ? change(child) : child.type === 'group' ? updateAt(child, rest, change) : child;
    return next ? [next] : [];
  });
  return { ...root, rules };
}

type CountState = { state: 'idle' } | { state: 'loading' } | { state: 'ok'; customers: number; customerShare: number; revenue: number; totalRevenue: number; revenueShare: number; runId: number } | { state: 'invalid' } | { state: 'error'; message: string };

export function SegmentBuilder({ fields, operators, options, currency, initial }: Props) {
  const { t } = useI18n();
  const f = useFormatters(currency);
  const router = useRouter();
  const [tree, setTree] = useState<UiGroup>(() => (initial ? (withKeys(initial.definition) as UiGroup) : { key: newKey(), type: 'group', combinator: 'and', rules: [newRule()] }));
  const [errors, setErrors] = useState<Map<string, RuleErrorLike>>(new Map());
  const [count, setCount] = useState<CountState>({ state: 'idle' });
  const [lastOk, setLastOk] = useState<Extract<CountState, { state: 'ok' }> | null>(null);
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [kind, setKind] = useState<'dynamic' | 'static'>(initial?.kind ?? 'dynamic');
  const [shared, setShared] = useState(initial?.shared ?? false);
  const [saving, setSaving] = useState(false);
  const [saveMessage, setSaveMessage] = useState<string | null>(null);
  const sequence = useRef(0);
  const fieldById = useMemo(() => new Map(fields.map((x) => [x.id, x])), [fields]);
  const definition = useMemo(() => withoutKeys(tree) as RuleGroup, [tree]);
  const body = JSON.stringify(definition);

  // The live count: 250 ms after the last change; a newer request aborts the older one.
  useEffect(() => {
    const controller = new AbortController();
    const id = ++sequence.current;
    const timer = setTimeout(async () => {
      setCount({ state: 'loading' });
      try {
        const response = await fetch('/api/segment-builder/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: JSON.parse(body) }), signal: controller.signal });
        const data = (await response.json().catch(() => ({}))) as { customers?: number; customerShare?: number; revenue?: number; totalRevenue?: number; revenueShare?: number; runId?: number; error?: { code?: string; message?: string; rules?: RuleErrorLike[] } };
        if (id !== sequence.current) return;
        if (response.ok) {
          const ok = { state: 'ok' as const, customers: data.customers!, customerShare: data.customerShare!, revenue: data.revenue!, totalRevenue: data.totalRevenue!, revenueShare: data.revenueShare!, runId: data.runId! };
          setErrors(new Map());
          setCount(ok);
          setLastOk(ok);
        } else if (data.error?.code === 'invalid_rules') {
          setErrors(new Map((data.error.rules ?? []).map((e) => [e.path, e])));
          setCount({ state: 'invalid' });
        } else {
          setCount({ state: 'error', message: data.error?.message ?? response.statusText });
        }
      } catch (error) {
        if ((error as Error).name !== 'AbortError' && id === sequence.current) setCount({ state: 'error', message: (error as Error).message });
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body]);

  const change = (path: number[], fn: (node: UiNode) => UiNode | null) => setTree((root) => updateAt(root, path, fn));

  const save = async () => {
    setSaveMessage(null);
    if (!name.trim()) {
      setSaveMessage(t.builder.nameRequired);
      return;
    }
    setSaving(true);
    try {
      const response = await fetch(initial ? `/api/saved-segments/${initial.id}` : '/api/saved-segments', {
        method: initial ? 'PUT' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, description, kind, shared, definition }),
      });
      const data = (await response.json().catch(() => ({}))) as { id?: number; error?: { code?: string; message?: string; rules?: RuleErrorLike[] } };
      if (response.ok && data.id) {
        router.push(`/saved-segments/${data.id}`);
        router.refresh();
        return;
      }
      if (data.error?.code === 'invalid_rules') setErrors(new Map((data.error.rules ?? []).map((e) => [e.path, e])));
      setSaveMessage(fill(t.builder.saveFailed, { message: data.error?.message ?? response.statusText }));
    } catch (error) {
      setSaveMessage(fill(t.builder.saveFailed, { message: (error as Error).message }));
    } finally {
      setSaving(false);
    }
  };

  const shown = count.state === 'ok' ? count : count.state === 'loading' ? lastOk : null;
  const rootError = errors.get('');

  return (
    <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-3">
      {/* Live count: first on a phone, beside the rules on a desktop. */}
      <Card className="lg:col-start-3 lg:row-start-1" data-testid="live-count">
        <p className="text-tremor-default text-tremor-content">{t.builder.matching}</p>
        <p className={cx('mt-1 text-3xl font-semibold tabular-nums text-tremor-content-strong transition-opacity', count.state === 'loading' && 'opacity-50')} data-testid="live-count-value" aria-live="polite">
          {shown ? f.number(shown.customers) : '–'}
        </p>
        {shown ? (
          <>
            <p className="text-xs text-tremor-content">{fill(t.builder.ofAll, { share: f.percent(shown.customerShare) })}</p>
            <div className="mt-4">
              <div className="flex items-baseline justify-between gap-2 text-tremor-default">
                <span className="text-tremor-content">{t.builder.revenueShare}</span>
                <span className="font-semibold tabular-nums text-tremor-content-strong" data-testid="live-revenue-share">
                  {f.percent(shown.revenueShare)}
                </span>
              </div>
              <div className="mt-1 h-2 overflow-hidden rounded-full bg-tremor-background-subtle" aria-hidden>
                <div className="h-full rounded-full bg-emerald-500" style={{ width: `${Math.min(100, Math.max(0, shown.revenueShare * 100))}%` }} />
              </div>
              <p className="mt-1 text-xs text-tremor-content">{fill(t.builder.revenueOf, { revenue: f.moneyCompact(shown.revenue), total: f.moneyCompact(shown.totalRevenue) })}</p>
            </div>
            <p className="mt-3 text-xs text-tremor-content-subtle">{fill(t.builder.onSnapshot, { run: shown.runId })}</p>
          </>
        ) : null}
        <p className="mt-2 min-h-[1.25rem] text-xs" role="status">
          {count.state === 'loading' ? <span className="text-tremor-content">{t.builder.counting}</span> : null}
          {count.state === 'invalid' ? <span className="text-amber-800">{t.builder.fixErrors}</span> : null}
          {count.state === 'error' ? <span className="text-red-700">{fill(t.builder.countFailed, { message: count.message })}</span> : null}
        </p>
      </Card>

      <Card className="lg:col-span-2 lg:col-start-1 lg:row-span-2 lg:row-start-1">
        <Title>{t.builder.rules}</Title>
        {rootError ? <RuleMessage error={rootError} /> : null}
        <div className="mt-3">
          <GroupEditor group={tree} path={[]} depth={1} fieldById={fieldById} fields={fields} operators={operators} options={options} errors={errors} change={change} />
        </div>
        {tree.rules.length === 0 ? <p className="mt-3 text-tremor-default text-tremor-content">{t.builder.everyone}</p> : null}
      </Card>

      <Card className="lg:col-start-3 lg:row-start-2">
        <form
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <label className="flex flex-col gap-1 text-tremor-default text-tremor-content-emphasis">
            {t.builder.name}
            <input className={fieldClass} value={name} maxLength={120} onChange={(e) => setName(e.target.value)} data-testid="segment-name-input" required />
          </label>
          <label className="flex flex-col gap-1 text-tremor-default text-tremor-content-emphasis">
            {t.builder.description}
            <textarea className={cx(fieldClass, 'min-h-[4rem]')} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-tremor-default text-tremor-content-emphasis">{t.builder.kind}</legend>
            {(['dynamic', 'static'] as const).map((k) => (
              <label key={k} className="flex items-start gap-2 text-tremor-default">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-1" data-testid={`kind-${k}`} />
                <span>
                  <span className="font-medium text-tremor-content-strong">{t.builder.kinds[k]}</span>
                  <span className="block text-xs text-tremor-content">{t.builder.kindHints[k]}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label className="flex items-start gap-2 text-tremor-default">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} className="mt-1" data-testid="shared-input" />
            <span>
              <span className="font-medium text-tremor-content-strong">{t.builder.shareWithTeam}</span>
              <span className="block text-xs text-tremor-content">{t.builder.shareHint}</span>
            </span>
          </label>
          {saveMessage ? (
            <p role="alert" className="text-tremor-default text-red-700" data-testid="save-message">
              {saveMessage}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <button type="submit" className={cx(buttonClass, 'disabled:opacity-60')} disabled={saving} data-testid="save-segment">
              {saving ? t.builder.saving : initial ? t.builder.saveChanges : t.builder.save}
            </button>
            <a className={secondaryButtonClass} href={initial ? `/saved-segments/${initial.id}` : '/saved-segments'}>
              {t.builder.cancel}
            </a>
          </div>
        </form>
      </Card>
    </div>
  );
}

interface EditorProps {
  path: number[];
  depth: number;
  fieldById: Map<string, SegmentFieldDefinition>;
  fields: SegmentFieldDefinition[];
  operators: Record<string, readonly string[]>;
  options: BuilderOptions;
  errors: Map<string, RuleErrorLike>;
  change: (path: number[], fn: (node: UiNode) => UiNode | null) => void;
}

function GroupEditor({ group, ...props }: EditorProps & { group: UiGroup }) {
  const { t } = useI18n();
  const { path, depth, change, errors } = props;
  const error = path.length > 0 ? errors.get(path.join('.')) : undefined;
  const setGroup = (patch: Partial<UiGroup>) => change(path, (node) => ({ ...(node as UiGroup), ...patch }));
  return (
    <div className={cx(path.length > 0 && 'rounded-tremor-small border border-tremor-border bg-tremor-background-muted/40 p-2 sm:p-3')} data-testid="rule-group">
      <div className="flex flex-wrap items-center gap-2">
        <NotToggle checked={!!group.not} onChange={(not) => setGroup({ not })} />
        <select className={cx(fieldClass, 'w-auto')} value={group.combinator} onChange={(e) => setGroup({ combinator: e.target.value as 'and' | 'or' })} aria-label={t.builder.matchAll} data-testid="group-combinator">
          <option value="and">{t.builder.matchAll}</option>
          <option value="or">{t.builder.matchAny}</option>
        </select>
        <button type="button" className={secondaryButtonClass} onClick={() => setGroup({ rules: [...group.rules, newRule()] })} data-testid="add-rule">
          {t.builder.addRule}
        </button>
        {depth < 4 ? (
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => setGroup({ rules: [...group.rules, { key: newKey(), type: 'group', combinator: group.combinator === 'and' ? 'or' : 'and', rules: [newRule()] }] })}
            data-testid="add-group"
          >
            {t.builder.addGroup}
          </button>
        ) : null}
        {path.length > 0 ? (
          <button type="button" className={cx(secondaryButtonClass, 'ml-auto text-red-700')} onClick={() => change(path, () => null)} aria-label={t.builder.remove}>
            ✕ <span className="sr-only sm:not-sr-only">{t.builder.remove}</span>
          </button>
        ) : null}
      </div>
      {error ? <RuleMessage error={error} /> : null}
      <ol className="mt-2 flex flex-col gap-2 border-l-2 border-tremor-brand-muted pl-2 sm:pl-3">
        {group.rules.map((node, i) => (
          <li key={node.key}>
            {node.type === 'group' ? <GroupEditor {...props} group={node} path={[...path, i]} depth={depth + 1} /> : <RuleEditor {...props} rule={node} path={[...path, i]} />}
          </li>
        ))}
      </ol>
    </div>
  );
}

function NotToggle({ checked, onChange, className }: { checked: boolean; onChange: (value: boolean) => void; className?: string }) {
  const { t } = useI18n();
  return (
    <label className={cx(className, 'inline-flex cursor-pointer items-center gap-1 rounded-tremor-small border px-2 py-1 text-xs font-semibold', checked ? 'border-red-300 bg-red-50 text-red-700' : 'border-tremor-border text-tremor-content')} title={t.builder.notHint}>
      <input type="checkbox" className="sr-only" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="not-toggle" />
      {t.builder.not}
    </label>
  );
}

function RuleMessage({ error }: { error: RuleErrorLike }) {
  const { t } = useI18n();
  const soft = unfinished.has(error.code);
  return (
    <p role={soft ? 'status' : 'alert'} className={cx('mt-1 text-xs', soft ? 'text-amber-800' : 'text-red-700')} data-testid="rule-error">
      {ruleErrorText(t, error)}
    </p>
  );
}

function RuleEditor({ rule, path, fieldById, fields, operators, options, errors, change }: EditorProps & { rule: UiRule }) {
  const { t } = useI18n();
  const field = fieldById.get(rule.field);
  const error = errors.get(path.join('.'));
  const setRule = (patch: Partial<UiRule>) => change(path, (node) => ({ ...(node as UiRule), ...patch }));
  const byCategory = useMemo(() => {
    const groups = new Map<string, SegmentFieldDefinition[]>();
    for (const x of fields) groups.set(x.category, [...(groups.get(x.category) ?? []), x]);
    return [...groups];
  }, [fields]);

  const chooseField = (id: string) => {
    const next = fieldById.get(id);
    if (!next) return;
    if (next.type === field?.type) return setRule({ field: id, value: next.type === 'choice' || next.type === 'tags' || next.type === 'segment' ? undefined : rule.value });
    const operator = defaultOperator[next.type]!;
    setRule({ field: id, operator, value: operator === 'in_last' ? '90' : undefined });
  };
  const chooseOperator = (operator: string) => {
    const keep = shapeOf(operator) === shapeOf(rule.operator) && !(field?.type === 'date' && (operator === 'in_last' || operator === 'not_in_last') !== (rule.operator === 'in_last' || rule.operator === 'not_in_last'));
    setRule({ operator, value: keep ? rule.value : operator === 'in_last' || operator === 'not_in_last' ? '90' : undefined });
  };

  return (
    <div className={cx('relative rounded-tremor-small border bg-tremor-background p-2 pr-11', error && !unfinished.has(error.code) ? 'border-red-300' : 'border-tremor-border')} data-testid="rule">
      {/* Remove sits in the corner; the rest is one row on wider screens (a list of values gets its own
          line, it grows with the chips) and one control per line on a phone. */}
      <button type="button" className={cx(secondaryButtonClass, 'absolute right-2 top-2 px-2 text-red-700')} onClick={() => change(path, () => null)} aria-label={t.builder.remove} data-testid="remove-rule">
        ✕
      </button>
      <div className="flex flex-wrap items-center gap-2">
        <NotToggle className="order-1" checked={!!rule.not} onChange={(not) => setRule({ not })} />
        <select className={cx(fieldClass, 'order-3 w-full sm:order-2 sm:w-52')} value={rule.field} onChange={(e) => chooseField(e.target.value)} aria-label={t.builder.field} data-testid="rule-field">
          {!field ? <option value={rule.field}>{rule.field}</option> : null}
          {byCategory.map(([category, list]) => (
            <optgroup key={category} label={t.builder.categories[category as keyof typeof t.builder.categories] ?? category}>
              {list.map((x) => (
                <option key={x.id} value={x.id}>
                  {t.builder.fields[x.id] ?? x.id}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <select className={cx(fieldClass, 'order-4 w-full sm:order-3 sm:w-36')} value={rule.operator} onChange={(e) => chooseOperator(e.target.value)} aria-label={t.builder.operator} data-testid="rule-operator">
          {(field ? operators[field.type] ?? [] : [rule.operator]).map((op) => (
            <option key={op} value={op}>
              {t.builder.operators[op] ?? op}
            </option>
          ))}
        </select>
        {field && shapeOf(rule.operator) !== 'none' ? (
          <div className={cx('order-5 w-full', shapeOf(rule.operator) === 'list' ? 'sm:order-6' : 'sm:order-4 sm:w-auto sm:min-w-[6rem] sm:flex-1')}>
            <ValueInput field={field} operator={rule.operator} value={rule.value} options={options} onChange={(value) => setRule({ value })} />
          </div>
        ) : null}
      </div>
      {error ? <RuleMessage error={error} /> : null}
    </div>
  );
}

function ValueInput({ field, operator, value, options, onChange }: { field: SegmentFieldDefinition; operator: string; value: unknown; options: BuilderOptions; onChange: (value: unknown) => void }) {
  const { t, locale } = useI18n();
  const shape = shapeOf(operator);
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const pair = Array.isArray(value) && value.length === 2 ? (value as unknown[]) : ['', ''];

  if (field.type === 'date') {
    if (operator === 'in_last' || operator === 'not_in_last') {
      return (
        <span className="inline-flex items-center gap-2">
          <input className={cx(fieldClass, 'w-16')} type="number" inputMode="numeric" min={1} max={3660} step={1} value={text(value)} onChange={(e) => onChange(e.target.value)} aria-label={t.builder.days} data-testid="rule-value" />
          <span className="text-tremor-default text-tremor-content">{t.builder.days}</span>
        </span>
      );
    }
    if (shape === 'pair') return <Pair type="date" pair={pair} onChange={onChange} />;
    return <input className={cx(fieldClass, 'w-full')} type="date" value={text(value)} onChange={(e) => onChange(e.target.value)} aria-label={t.builder.value} data-testid="rule-value" />;
  }
  if (field.type === 'number') {
    const step = field.integer ? 1 : field.unit === 'probability' ? 0.01 : 'any';
    if (shape === 'pair') return <Pair type="number" step={step} pair={pair} onChange={onChange} />;
    return <input className={cx(fieldClass, 'w-full')} type="number" inputMode="decimal" step={step} min={field.min} max={field.max} value={text(value)} onChange={(e) => onChange(e.target.value)} aria-label={t.builder.value} data-testid="rule-value" />;
  }
  if (shape === 'one') {
    return <input className={cx(fieldClass, 'w-full')} type="text" maxLength={100} value={text(value)} placeholder={t.builder.typeValue} onChange={(e) => onChange(e.target.value)} aria-label={t.builder.value} data-testid="rule-value" />;
  }
  // Lists: region, city, tags, segments… — chips of the chosen values and a picker of the others.
  const chosen = Array.isArray(value) ? (value as unknown[]).map(String) : [];
  const available: { value: string; label: string }[] =
    field.type === 'segment'
      ? options.segments.map((s) => ({ value: String(s.id), label: modelSegmentLabel(locale, s) }))
      : (field.type === 'tags' ? options.tags : (options.choices[field.id] ?? [])).map((o) => ({ value: o.value, label: choiceLabel(t, field.id, o.value) }));
  const labelOf = (v: string) => available.find((a) => a.value === v)?.label ?? v;
  return (
    <ChipPicker
      chosen={chosen}
      available={available.filter((a) => !chosen.includes(a.value))}
      labelOf={labelOf}
      allowTyping={field.type !== 'segment'}
      onChange={(next) => onChange(next)}
    />
  );
}

function Pair({ type, step, pair, onChange }: { type: 'date' | 'number'; step?: number | 'any'; pair: unknown[]; onChange: (value: unknown) => void }) {
  const { t } = useI18n();
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return (
    <span className="flex flex-wrap items-center gap-2">
      <input className={cx(fieldClass, 'w-36')} type={type} step={step} value={text(pair[0])} onChange={(e) => onChange([e.target.value, pair[1] ?? ''])} aria-label={t.builder.value} data-testid="rule-value" />
      <span className="text-tremor-default text-tremor-content">{t.builder.rangeAnd}</span>
      <input className={cx(fieldClass, 'w-36')} type={type} step={step} value={text(pair[1])} onChange={(e) => onChange([pair[0] ?? '', e.target.value])} aria-label={t.builder.value} data-testid="rule-value-2" />
    </span>
  );
}

function ChipPicker({ chosen, available, labelOf, allowTyping, onChange }: { chosen: string[]; available: { value: string; label: string }[]; labelOf: (v: string) => string; allowTyping: boolean; onChange: (values: string[]) => void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const add = (v: string) => {
    const value = v.trim() === '' ? '' : v;
    if (value && !chosen.includes(value)) onChange([...chosen, value]);
  };
  return (
    <div className="flex flex-col gap-2">
      {chosen.length > 0 ? (
        <ul className="flex flex-wrap gap-1" data-testid="rule-chips">
          {chosen.map((v) => (
            <li key={v}>
              <Chip label={labelOf(v)} onRemove={() => onChange(chosen.filter((c) => c !== v))} removeLabel={fill(t.builder.removeValue, { value: labelOf(v) })} />
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        {available.length > 0 ? (
          <select
            className={cx(fieldClass, 'w-full sm:w-56')}
            value=""
            onChange={(e) => {
              add(e.target.value);
              e.target.value = '';
            }}
            aria-label={t.builder.choose}
            data-testid="rule-value-picker"
          >
            <option value="">{t.builder.choose}</option>
            {available.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        ) : null}
        {allowTyping ? (
          <span className="flex w-full gap-2 sm:w-auto">
            <input
              className={cx(fieldClass, 'min-w-0 flex-1 sm:w-40')}
              value={typed}
              maxLength={100}
              placeholder={t.builder.typeValue}
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add(typed);
                  setTyped('');
                }
              }}
              aria-label={t.builder.typeValue}
              data-testid="rule-value-typed"
            />
            <button
              type="button"
              className={secondaryButtonClass}
              onClick={() => {
                add(typed);
                setTyped('');
              }}
            >
              {t.builder.add}
            </button>
          </span>
        ) : null}
      </div>
    </div>
  );
}

function Chip({ label, onRemove, removeLabel }: { label: ReactNode; onRemove: () => void; removeLabel: string }) {
  return (
    <span className="inline-flex max-w-full items-center gap-1 rounded-tremor-full bg-blue-50 py-0.5 pl-2 pr-1 text-xs font-medium text-blue-800 ring-1 ring-inset ring-blue-200">
      <span className="truncate">{label}</span>
      <button type="button" onClick={onRemove} className="rounded-full px-1 hover:bg-blue-100" aria-label={removeLabel}>
        ×
      </button>
    </span>
  );
}
