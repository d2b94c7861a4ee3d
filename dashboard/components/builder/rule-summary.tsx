// A saved segment's rules, read-only, in the chosen language: "All of: Region is any of East, 华东 ·
// NOT Orders at least 3 · Any of: …". Server-safe (no hooks).
import type { RuleNode, SegmentFieldDefinition } from '../../../warehouse/index.ts';
import { cx } from '../../lib/cx.ts';
import type { Dictionary, Locale } from '../../lib/i18n/index.ts';
import { choiceLabel, modelSegmentLabel } from '../../lib/rule-text.ts';

interface SummaryProps {
  node: RuleNode;
  t: Dictionary;
  locale: Locale;
  fields: readonly SegmentFieldDefinition[];
  segments: { id: number; en: string | null; zh: string | null }[];
  root?: boolean;
}

export function RuleSummary({ node, t, locale, fields, segments, root = true }: SummaryProps) {
  if (node.type === 'group') {
    if (node.rules.length === 0) return <p className="text-tremor-default text-tremor-content">{t.builder.everyCustomer}</p>;
    return (
      <div className={cx(!root && 'mt-1')}>
        <p className="text-tremor-default font-medium text-tremor-content-strong">
          {node.not ? <NotBadge t={t} /> : null}
          {node.combinator === 'and' ? t.builder.matchAll : t.builder.matchAny}
        </p>
        <ul className="mt-1 flex flex-col gap-1 border-l-2 border-tremor-brand-muted pl-3" data-testid={root ? 'rule-summary' : undefined}>
          {node.rules.map((child, i) => (
            <li key={i} className="text-tremor-default text-tremor-content-emphasis">
              <RuleSummary node={child} t={t} locale={locale} fields={fields} segments={segments} root={false} />
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const field = fields.find((f) => f.id === node.field);
  const value = describeValue(node.field, field?.type, node.operator, node.value, t, locale, segments);
  return (
    <span className="break-words">
      {node.not ? <NotBadge t={t} /> : null}
      <span className="font-medium">{t.builder.fields[node.field] ?? node.field}</span> {t.builder.operators[node.operator] ?? node.operator}
      {value ? <> {value}</> : null}
    </span>
  );
}

function NotBadge({ t }: { t: Dictionary }) {
  return <span className="mr-1 rounded bg-red-50 px-1 text-xs font-semibold text-red-700 ring-1 ring-inset ring-red-200">{t.builder.not}</span>;
}

function describeValue(fieldId: string, type: string | undefined, operator: string, value: unknown, t: Dictionary, locale: Locale, segments: SummaryProps['segments']): string {
  if (value === undefined || value === null) return '';
  if (operator === 'in_last' || operator === 'not_in_last') return `${String(value)} ${t.builder.days}`;
  const one = (v: unknown): string => {
    if (type === 'segment') {
      const s = segments.find((x) => x.id === Number(v));
      return s ? modelSegmentLabel(locale, s) : `#${String(v)}`;
    }
    return choiceLabel(t, fieldId, String(v));
  };
  if (operator === 'between' && Array.isArray(value)) return `${one(value[0])} ${t.builder.rangeAnd} ${one(value[1])}`;
  if (Array.isArray(value)) return value.map(one).join(locale === 'zh-CN' ? '、' : ', ');
  return one(value);
}
