import { describe, expect, it } from 'vitest';
import {
  MAX_DEPTH,
  MAX_LIST_VALUES,
  MAX_NODES,
  compileSegmentRules,
  englishMessage,
  operatorsByType,
  ruleErrorCodes,
  segmentFields,
  todayIn,
  type RuleGroup,
  type RuleNode,
} from './segment-rules.ts';

const today = '2026-06-30';
const rule = (field: string, operator: string, value?: unknown, not?: boolean): RuleNode => ({ type: 'rule', field, operator, value, ...(not ? { not } : {}) });
const and = (...rules: RuleNode[]): RuleGroup => ({ type: 'group', combinator: 'and', rules });
const or = (...rules: RuleNode[]): RuleGroup => ({ type: 'group', combinator: 'or', rules });

function compiled(tree: unknown) {
  const result = compileSegmentRules(tree, { today });
  if (!result.ok) throw new Error(`expected to compile, got ${JSON.stringify(result.errors)}`);
  return result.condition;
}

function errorsOf(tree: unknown, columns?: Set<string>) {
  const result = compileSegmentRules(tree, { today, columns });
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

/** A valid value for each operator of each field type. */
function sampleValue(type: string, operator: string, max = 100): unknown {
  if (operator === 'is_empty' || operator === 'is_not_empty') return undefined;
  switch (type) {
    case 'number':
      return max < 5 ? (operator === 'between' ? [0.2, 0.8] : 0.5) : operator === 'between' ? [1, 5] : 3;
    case 'choice':
      return operator === 'contains' ? 'an' : ['a', 'b'];
    case 'segment':
      return [1, 2];
    case 'tags':
      return ['vip'];
    default:
      return operator === 'in_last' || operator === 'not_in_last' ? 30 : operator === 'between' ? ['2026-01-01', '2026-03-31'] : '2026-02-01';
  }
}

describe('compileSegmentRules', () => {
  it('compiles every operator of every field, with values only as placeholders', () => {
    let checked = 0;
    for (const field of segmentFields) {
      for (const operator of operatorsByType[field.type]) {
        const value = sampleValue(field.type, operator, field.max);
        const { where, values } = compiled(and(rule(field.id, operator, value)));
        expect(where, `${field.id} ${operator}`).toContain(`"${field.column}"`);
        expect(where.split('?').length - 1, `${field.id} ${operator} placeholders`).toBe(values.length);
        for (const v of values) if (typeof v === 'string' && v.length > 2) expect(where).not.toContain(v);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('treats an empty root group as every customer', () => {
    expect(compiled(and())).toEqual({ where: 'true', values: [] });
  });

  it('joins nested AND/OR groups and negations in the order written', () => {
    const tree: RuleGroup = {
      type: 'group',
      combinator: 'and',
      rules: [rule('region', 'in', ['East']), { type: 'group', combinator: 'or', not: true, rules: [rule('orders', 'gte', 3), rule('tags', 'has_any', ['vip'], true)] }],
    };
    const { where, values } = compiled(tree);
    expect(where).toBe(
      '(coalesce("region" IN (?), false) AND (NOT (coalesce("frequency" >= ?, false) OR (NOT coalesce(list_contains("tags", ?), false)))))',
    );
    expect(values).toEqual(['East', 3, 'vip']);
  });

  it('counts relative dates back from the injected clock, in whole days', () => {
    expect(compiled(and(rule('last_order_at', 'in_last', 90))).values).toEqual(['2026-04-02', '2026-07-01']);
    expect(compiled(and(rule('last_order_at', 'in_last', 1))).values).toEqual(['2026-06-30', '2026-07-01']);
    expect(compileSegmentRules(and(rule('last_order_at', 'in_last', 7)), { today: '2026-03-02' })).toMatchObject({ ok: true, condition: { values: ['2026-02-24', '2026-03-03'] } });
    const notIn = compiled(and(rule('last_campaign_open_at', 'not_in_last', 30)));
    expect(notIn.where.startsWith('(NOT ')).toBe(true);
    expect(notIn.values).toEqual(['2026-06-01', '2026-07-01']);
    // Absolute dates: "after" starts the day after; "between" includes both days.
    expect(compiled(and(rule('first_order_at', 'after', '2026-01-31'))).values).toEqual(['2026-02-01']);
    expect(compiled(and(rule('first_order_at', 'between', ['2026-01-01', '2026-01-31']))).values).toEqual(['2026-01-01', '2026-02-01']);
  });

  it('keeps hostile text as bound values, never in the SQL text', () => {
    const hostile = ["O'Brien", "x'); DROP TABLE marts.customer_360; --", '"; SELECT 1; --', '华东 😀', '%_\\', '?'];
    const { where, values } = compiled(or(rule('city', 'in', hostile), rule('region', 'contains', "'; DELETE FROM x; --"), rule('tags', 'has_all', hostile)));
    expect(values).toEqual([...hostile, "'; DELETE FROM x; --", ...hostile]);
    for (const text of ['DROP', 'DELETE', "O'Brien", '华东', 'SELECT 1']) expect(where).not.toContain(text);
    // Only the placeholders we wrote: one per value.
    expect(where.split('?').length - 1).toBe(values.length);
  });

  it('accepts numbers typed as text and de-duplicates list values', () => {
    expect(compiled(and(rule('spend', 'gte', '1500.50'))).values).toEqual([1500.5]);
    expect(compiled(and(rule('segment', 'in', [2, '2', 3]))).values).toEqual([2, 3]);
  });

  it('reports every bad rule at once, each at its path', () => {
    const errors = errorsOf(
      and(
        rule('region', 'in', []),
        or(rule('orders', 'gt', 'many'), rule('nope', 'eq', 1)),
        rule('churn_risk', 'between', [80, 20]),
        rule('p_alive', 'gt', 2),
        rule('orders', 'eq', 2.5),
        rule('last_order_at', 'in_last', 0),
        rule('first_order_at', 'before', '2026-02-30'),
        rule('tags', 'gt', 1),
        and(),
        rule('region', 'is_empty', 'East'),
        rule('city', 'contains', 'x'.repeat(101)),
        rule('spend', 'eq'),
      ),
    );
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['0', 'empty_list'],
      ['1.0', 'bad_number'],
      ['1.1', 'unknown_field'],
      ['2', 'bad_range'],
      ['3', 'out_of_range'],
      ['4', 'not_integer'],
      ['5', 'bad_days'],
      ['6', 'bad_date'],
      ['7', 'bad_operator'],
      ['8', 'empty_group'],
      ['9', 'unexpected_value'],
      ['10', 'text_too_long'],
      ['11', 'missing_value'],
    ]);
    expect(errors[4]!.message).toBe('Enter a number between 0 and 1.');
    expect(errors[3]!.message).toContain('first value');
  });

  it('reports a malformed tree as bad_shape at the rule it is in', () => {
    const errors = errorsOf({ type: 'group', combinator: 'and', rules: [rule('region', 'in', ['x']), { type: 'group', combinator: 'xor', rules: [] }, { type: 'rule', field: 3 }] });
    expect(errors.map((e) => e.path)).toEqual(['1', '2']);
    expect(errors.every((e) => e.code === 'bad_shape')).toBe(true);
    expect(errorsOf('DROP TABLE x')[0]).toMatchObject({ path: '', code: 'bad_shape' });
    expect(errorsOf(null)[0]).toMatchObject({ path: '', code: 'bad_shape' });
  });

  it('refuses trees that are too deep, too big, or lists that are too long', () => {
    let deep: RuleGroup = and(rule('orders', 'gt', 1));
    for (let i = 0; i < MAX_DEPTH; i++) deep = and(deep);
    expect(errorsOf(deep).map((e) => e.code)).toContain('too_deep');
    const many = and(...Array.from({ length: MAX_NODES }, () => rule('orders', 'gt', 1)));
    expect(compileSegmentRules(many, { today }).ok).toBe(true);
    expect(errorsOf(and(...Array.from({ length: MAX_NODES - 1 }, () => rule('orders', 'gt', 1)), and(rule('orders', 'gt', 1), rule('orders', 'gt', 1))))[0]!.code).toBe('too_many_rules');
    expect(errorsOf(and(rule('city', 'in', Array.from({ length: MAX_LIST_VALUES + 1 }, (_, i) => `c${i}`))))[0]!.code).toBe('too_many_values');
  });

  it('refuses a hostile tree nested thousands of levels deep without walking it recursively', () => {
    let hostile: unknown = { type: 'rule', field: 'orders', operator: 'gt', value: 1 };
    for (let i = 0; i < 20_000; i++) hostile = { type: 'group', combinator: 'and', rules: [hostile] };
    expect(errorsOf(hostile)).toEqual([expect.objectContaining({ path: '', code: 'too_deep' })]);
    const wide = and(...Array.from({ length: 50 }, () => and(...Array.from({ length: 50 }, () => rule('orders', 'gt', 1)))));
    expect(errorsOf(wide)[0]!.code).toBe('too_many_rules');
  });

  it('names a field the snapshot does not have yet instead of failing in the database', () => {
    const columns = new Set(segmentFields.map((f) => f.column).filter((c) => c !== 'last_campaign_open_at'));
    expect(errorsOf(and(rule('last_campaign_open_at', 'in_last', 30)), columns)).toEqual([
      expect.objectContaining({ path: '0', code: 'field_unavailable', message: expect.stringContaining('next pipeline run') }),
    ]);
  });

  it('has an English message for every error code', () => {
    for (const code of ruleErrorCodes) expect(englishMessage(code, { field: 'f', operator: 'o', min: 0, max: 1, detail: 'd' }).length).toBeGreaterThan(5);
  });
});

describe('todayIn', () => {
  it('gives the calendar day in the time zone', () => {
    const instant = new Date('2026-06-30T20:00:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-06-30');
    expect(todayIn('Asia/Shanghai', instant)).toBe('2026-07-01');
  });
});
