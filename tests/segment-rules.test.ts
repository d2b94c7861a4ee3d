// Rule-built segments on a real DuckDB file: every field and operator, nested groups and random
// trees counted by the compiled SQL and by an independent JavaScript evaluation of the same rows (and
// a few hand-written SQL counts); hostile values stay data; frozen member lists, paging, export
// batches, overlap and profiles agree with the same rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DuckDb,
  compileForSnapshot,
  compileSegmentRules,
  countOverlap,
  countSegment,
  getFieldOptions,
  listMemberIds,
  operatorsByType,
  profileSegment,
  quoteLiteral,
  isoFromEpochMs,
  openMemberColumns,
  readMembersAfter,
  segmentFields,
  withSegmentCondition,
  type CompiledCondition,
  type RuleGroup,
  type RuleNode,
  type SegmentFieldDefinition,
} from '../warehouse/index.ts';

const today = '2026-06-30';
const N = 3000;
const HOSTILE_REGION = "x'); DROP TABLE marts.customer_360; --";

type Value = string | number | string[] | null;
type Customer = Record<string, Value>;

let dir: string;
let db: DuckDb;
let customers: Customer[];

// A small seeded generator, so a failure can be reproduced.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayMs = 86_400_000;
const todayMs = Date.parse(`${today}T00:00:00Z`);

function makeCustomers(): Customer[] {
  const r = rng(11);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T,>(p: number, f: () => T): T | null => (r() < p ? null : f());
  // Instants from two and a half years back to ten days after "today" (the window's upper bound matters).
  const instant = () => new Date(todayMs - Math.floor(r() * 900 * dayMs) + 10 * dayMs + Math.floor(r() * dayMs)).toISOString();
  const out: Customer[] = [];
  for (let i = 0; i < N; i++) {
    const frequency = Math.floor(r() * 12);
    const monetary = frequency === 0 ? 0 : Math.round(r() * 500_000) / 100;
    out.push({
      customer_id: 1 + i * 3 + (i % 7), // gaps, so batches cannot rely on dense ids
      country: maybe(0.1, () => pick(['CN', 'US', 'DE'])),
      region: maybe(0.1, () => pick(['华东', '华南', 'East', 'West', "O'Brien", HOSTILE_REGION, ''])),
      city: maybe(0.1, () => pick(['上海', 'Shanghai', '100%_done', 'back\\slash', '😀 city', 'Hangzhou'])),
      preferred_language: maybe(0.05, () => pick(['zh-CN', 'en'])),
      currency: pick(['CNY', 'USD', 'EUR']),
      tags: r() < 0.05 ? null : ['vip', 'newsletter', '会员', "it's", 'a;b', '%'].filter(() => r() < 0.3),
      tenure_days: Math.floor(r() * 1500),
      first_order_at: frequency === 0 ? null : instant(),
      last_order_at: frequency === 0 ? null : instant(),
      frequency,
      monetary,
      average_order_value: frequency === 0 ? null : Math.round((monetary / frequency) * 100) / 100,
      orders_last_90d: Math.floor(r() * 4),
      revenue_last_90d: Math.round(r() * 100_000) / 100,
      recency_days: frequency === 0 ? null : Math.floor(r() * 900),
      segment_id: maybe(0.1, () => 1 + Math.floor(r() * 5)),
      segment_name_en: null,
      segment_name_zh: null,
      rfm_segment: maybe(0.1, () => pick(['champions', 'loyal', 'at_risk', 'lost'])),
      churn_band: maybe(0.1, () => pick(['high', 'medium', 'low'])),
      churn_risk: maybe(0.1, () => Math.round(r() * 10_000) / 100),
      p_alive: maybe(0.1, () => r()),
      expected_value_12m: maybe(0.1, () => Math.round(r() * 300_000) / 100),
      last_campaign_open_at: maybe(0.4, instant),
      last_campaign_click_at: maybe(0.6, instant),
      campaign_opens_90d: Math.floor(r() * 5),
      campaign_clicks_90d: Math.floor(r() * 3),
      campaigns_received: Math.floor(r() * 8),
      last_email_at: maybe(0.5, instant),
      last_phone_at: maybe(0.5, instant),
      last_wechat_at: maybe(0.5, instant),
      last_web_chat_at: maybe(0.5, instant),
      last_social_at: maybe(0.5, instant),
      last_visit_at: maybe(0.5, instant),
      interactions_90d: Math.floor(r() * 6),
      open_tickets: Math.floor(r() * 3),
    });
  }
  return out;
}

// The column types customer_360 has in a real snapshot.
const columnTypes: Record<string, string> = {
  customer_id: 'BIGINT', country: 'VARCHAR', region: 'VARCHAR', city: 'VARCHAR', preferred_language: 'VARCHAR', currency: 'VARCHAR', tags: 'VARCHAR[]',
  tenure_days: 'INTEGER', first_order_at: 'TIMESTAMPTZ', last_order_at: 'TIMESTAMPTZ', frequency: 'BIGINT', monetary: 'DECIMAL(18,2)',
  average_order_value: 'DECIMAL(18,2)', orders_last_90d: 'BIGINT', revenue_last_90d: 'DECIMAL(18,2)', recency_days: 'INTEGER', segment_id: 'INTEGER',
  segment_name_en: 'VARCHAR', segment_name_zh: 'VARCHAR', rfm_segment: 'VARCHAR', churn_band: 'VARCHAR', churn_risk: 'DOUBLE', p_alive: 'DOUBLE',
  expected_value_12m: 'DOUBLE', last_campaign_open_at: 'TIMESTAMPTZ', last_campaign_click_at: 'TIMESTAMPTZ', campaign_opens_90d: 'BIGINT',
  campaign_clicks_90d: 'BIGINT', campaigns_received: 'BIGINT', last_email_at: 'TIMESTAMPTZ', last_phone_at: 'TIMESTAMPTZ', last_wechat_at: 'TIMESTAMPTZ',
  last_web_chat_at: 'TIMESTAMPTZ', last_social_at: 'TIMESTAMPTZ', last_visit_at: 'TIMESTAMPTZ', interactions_90d: 'BIGINT', open_tickets: 'BIGINT',
};

async function writeWarehouse(file: string, rows: Customer[], drop: string[] = []): Promise<void> {
  const json = path.join(dir, `${path.basename(file)}.ndjson`);
  fs.writeFileSync(json, rows.map((row) => JSON.stringify(row)).join('\n'));
  const columns = Object.entries(columnTypes)
    .filter(([name]) => !drop.includes(name))
    .map(([name, type]) => `${name}: '${type}'`)
    .join(', ');
  const w = await DuckDb.open(file);
  try {
    await w.run("SET TimeZone = 'UTC'");
    await w.run('CREATE SCHEMA marts');
    await w.run(`CREATE TABLE marts.customer_360 AS SELECT * FROM read_json(${quoteLiteral(json)}, format = 'newline_delimited', columns = {${columns}}) ORDER BY customer_id`);
  } finally {
    w.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-segment-rules-'));
  customers = makeCustomers();
  const file = path.join(dir, 'snapshot.duckdb');
  await writeWarehouse(file, customers);
  db = await DuckDb.open(file, { readOnly: true });
  // The JavaScript evaluation below counts whole days in UTC, like a UTC deployment.
  await db.run("SET TimeZone = 'UTC'");
});

afterAll(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The same rules, evaluated in JavaScript over the same rows.

function addDays(day: string, days: number): number {
  return Date.parse(`${day}T00:00:00Z`) + days * dayMs;
}

function positiveMatch(c: Customer, field: SegmentFieldDefinition, operator: string, value: unknown): boolean {
  const v = c[field.column];
  if (operator === 'is_empty') return v === null || v === '' || (Array.isArray(v) && v.length === 0);
  if (operator === 'is_not_empty') return !positiveMatch(c, field, 'is_empty', undefined);
  if (v === null || v === undefined) return false;
  switch (operator) {
    case 'eq':
      return v === Number(value);
    case 'gt':
      return (v as number) > Number(value);
    case 'gte':
      return (v as number) >= Number(value);
    case 'lt':
      return (v as number) < Number(value);
    case 'lte':
      return (v as number) <= Number(value);
    case 'in':
      return (value as unknown[]).map((x) => (field.type === 'segment' ? Number(x) : x)).includes(v);
    case 'contains':
      return (v as string).toLowerCase().includes((value as string).toLowerCase());
    case 'has_any':
      return (value as string[]).some((x) => (v as string[]).includes(x));
    case 'has_all':
      return (value as string[]).every((x) => (v as string[]).includes(x));
    case 'in_last': {
      const t = Date.parse(v as string);
      return t >= addDays(today, -(Number(value) - 1)) && t < addDays(today, 1);
    }
    case 'before':
      return Date.parse(v as string) < addDays(value as string, 0);
    case 'after':
      return Date.parse(v as string) >= addDays(value as string, 1);
    case 'between': {
      const [a, b] = value as [string | number, string | number];
      if (field.type === 'date') {
        const t = Date.parse(v as string);
        return t >= addDays(a as string, 0) && t < addDays(b as string, 1);
      }
      return (v as number) >= Number(a) && (v as number) <= Number(b);
    }
  }
  throw new Error(`no oracle for ${operator}`);
}

const negativeOf: Record<string, string> = { neq: 'eq', not_in: 'in', has_none: 'has_any', not_in_last: 'in_last' };

function matches(c: Customer, node: RuleNode): boolean {
  if (node.type === 'group') {
    const result = node.rules.length === 0 ? true : node.combinator === 'and' ? node.rules.every((n) => matches(c, n)) : node.rules.some((n) => matches(c, n));
    return node.not ? !result : result;
  }
  const field = segmentFields.find((f) => f.id === node.field)!;
  const negative = negativeOf[node.operator];
  const result = negative ? !positiveMatch(c, field, negative, node.value) : positiveMatch(c, field, node.operator, node.value);
  return node.not ? !result : result;
}

function expectedCount(tree: RuleGroup): number {
  return customers.filter((c) => matches(c, tree)).length;
}

async function sqlCount(tree: RuleGroup): Promise<number> {
  const compiled = await compileForSnapshot(db, tree, { today });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return (await countSegment(db, compiled.condition)).customers;
}

/** Values worth testing for one field and operator, taken from the data so counts are not all zero. */
function valuesFor(field: SegmentFieldDefinition, operator: string): unknown[] {
  const present = customers.map((c) => c[field.column]).filter((v) => v !== null && v !== '');
  const sorted = field.type === 'number' ? (present as number[]).slice().sort((a, b) => a - b) : [];
  const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]!;
  if (operator === 'is_empty' || operator === 'is_not_empty') return [undefined];
  switch (field.type) {
    case 'number':
      if (operator === 'between') return [[q(0.2), q(0.6)], [q(0.5), q(0.5)]];
      return [q(0.3), q(0.5), q(0.9)];
    case 'choice': {
      const distinct = [...new Set(present as string[])];
      if (operator === 'contains') return ['an', "'", '%', '_', '\\', '😀', 'SHANG'];
      return [[distinct[0]!], distinct.slice(0, 3), [HOSTILE_REGION, "O'Brien"], ['nobody has this']];
    }
    case 'segment':
      return [[1], [2, 4], ['3']];
    case 'tags':
      return [['vip'], ['vip', "it's"], ['a;b', '%', '会员']];
    default:
      if (operator === 'in_last' || operator === 'not_in_last') return [1, 7, 30, 90, 365];
      if (operator === 'between') return [['2025-01-01', '2025-12-31'], ['2026-06-30', '2026-06-30']];
      return ['2025-06-15', '2026-06-29'];
  }
}

describe('compiled segment rules on DuckDB', () => {
  it('count the same customers as JavaScript for every field, operator and negation', async () => {
    let cases = 0;
    let nonZero = 0;
    for (const field of segmentFields) {
      for (const operator of operatorsByType[field.type]) {
        for (const value of valuesFor(field, operator)) {
          const rule: RuleNode = { type: 'rule', field: field.id, operator, value };
          const tree: RuleGroup = { type: 'group', combinator: 'and', rules: [rule] };
          const expected = expectedCount(tree);
          expect(await sqlCount(tree), `${field.id} ${operator} ${JSON.stringify(value)}`).toBe(expected);
          // A rule and its negation split the customers in two, whatever is missing.
          const negated: RuleGroup = { type: 'group', combinator: 'and', rules: [{ ...rule, not: true }] };
          expect(await sqlCount(negated), `NOT ${field.id} ${operator} ${JSON.stringify(value)}`).toBe(N - expected);
          cases++;
          if (expected > 0 && expected < N) nonZero++;
        }
      }
    }
    expect(cases).toBeGreaterThan(300);
    // Most cases select part of the customers, so a wrong comparison would show.
    expect(nonZero / cases).toBeGreaterThan(0.7);
  });

  it('count the same customers as JavaScript for 150 random nested AND/OR/NOT trees', async () => {
    const r = rng(99);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const randomNode = (depth: number): RuleNode => {
      if (depth < 3 && r() < 0.3) {
        return { type: 'group', combinator: pick(['and', 'or'] as const), not: r() < 0.3, rules: Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomNode(depth + 1)) };
      }
      const field = pick(segmentFields);
      const operator = pick(operatorsByType[field.type]);
      return { type: 'rule', field: field.id, operator, value: pick(valuesFor(field, operator)), not: r() < 0.2 };
    };
    for (let i = 0; i < 150; i++) {
      const tree: RuleGroup = { type: 'group', combinator: pick(['and', 'or'] as const), rules: Array.from({ length: 1 + Math.floor(r() * 5) }, () => randomNode(2)) };
      expect(await sqlCount(tree), JSON.stringify(tree)).toBe(expectedCount(tree));
    }
  });

  it('equal hand-written SQL counts on the same warehouse', async () => {
    const direct = async (sql: string) => Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM marts.customer_360 WHERE ${sql}`)).n);
    const tree: RuleGroup = {
      type: 'group',
      combinator: 'and',
      rules: [
        { type: 'rule', field: 'region', operator: 'in', value: ['华东', 'East'] },
        { type: 'rule', field: 'orders', operator: 'gte', value: 3 },
        { type: 'rule', field: 'last_order_at', operator: 'in_last', value: 365 },
        {
          type: 'group',
          combinator: 'or',
          rules: [
            { type: 'rule', field: 'tags', operator: 'has_any', value: ['vip'] },
            { type: 'rule', field: 'churn_band', operator: 'in', value: ['high'] },
          ],
        },
        { type: 'rule', field: 'last_campaign_open_at', operator: 'in_last', value: 90 },
      ],
    };
    const expected = await direct(`region IN ('华东', 'East') AND frequency >= 3
      AND last_order_at >= TIMESTAMPTZ '2025-07-01 00:00:00+00' AND last_order_at < TIMESTAMPTZ '2026-07-01 00:00:00+00'
      AND (list_contains(tags, 'vip') OR churn_band = 'high')
      AND last_campaign_open_at >= TIMESTAMPTZ '2026-04-02 00:00:00+00' AND last_campaign_open_at < TIMESTAMPTZ '2026-07-01 00:00:00+00'`);
    expect(expected).toBeGreaterThan(0);
    expect(await sqlCount(tree)).toBe(expected);
    const notVip: RuleGroup = { type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'tags', operator: 'has_none', value: ['vip'] }] };
    expect(await sqlCount(notVip)).toBe(await direct("tags IS NULL OR NOT list_contains(tags, 'vip')"));
  });

  it('treat quotes, semicolons, wildcards and unicode as data, never as SQL', async () => {
    const hostile: RuleGroup = { type: 'group', combinator: 'or', rules: [{ type: 'rule', field: 'region', operator: 'in', value: [HOSTILE_REGION] }] };
    const withHostileRegion = customers.filter((c) => c.region === HOSTILE_REGION).length;
    expect(withHostileRegion).toBeGreaterThan(0);
    expect(await sqlCount(hostile)).toBe(withHostileRegion);
    // `%` and `_` match only themselves, not any text.
    const percent: RuleGroup = { type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'city', operator: 'contains', value: '%_' }] };
    expect(await sqlCount(percent)).toBe(customers.filter((c) => c.city === '100%_done').length);
    // Nothing was dropped or changed.
    expect(Number((await db.one<{ n: number }>('SELECT count(*) AS n FROM marts.customer_360')).n)).toBe(N);
  });
});

/** Every member through the export reader, text looked up in its dictionary and times as ISO text. */
async function readAllColumns(condition: CompiledCondition, columns: ('region' | 'tags' | 'monetary' | 'last_order_at')[], rowsPerRange?: number) {
  const reader = await openMemberColumns(db, condition, columns, { rowsPerRange });
  const rows: { id: number; region?: string | null; tags?: string | null; monetary?: number; last_order_at?: string | null }[] = [];
  try {
    for (const range of reader.ranges) {
      const batch = await reader.read(range);
      for (let i = 0; i < batch.rowCount; i++) {
        const row: (typeof rows)[number] = { id: batch.ids[i]! };
        for (const c of columns) {
          const v = batch.values[c]![i]!;
          if (c === 'region' || c === 'tags') row[c] = Number.isNaN(v) ? null : reader.dictionaries.get(c)![v - 1]!;
          else if (c === 'last_order_at') row[c] = isoFromEpochMs(v);
          else row[c] = v;
        }
        rows.push(row);
      }
    }
  } finally {
    await reader.close();
  }
  return rows;
}

describe('segment evaluation', () => {
  const compile = (tree: RuleGroup): CompiledCondition => {
    const result = compileSegmentRules(tree, { today });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.condition;
  };
  const vip: RuleGroup = { type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'tags', operator: 'has_any', value: ['vip'] }] };
  const east: RuleGroup = { type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'region', operator: 'in', value: ['East', '华东'] }] };

  it('gives the revenue share of the members', async () => {
    const count = await countSegment(db, compile(vip));
    const members = customers.filter((c) => matches(c, vip));
    const total = customers.reduce((a, c) => a + (c.monetary as number), 0);
    expect(count.customers).toBe(members.length);
    expect(count.totalCustomers).toBe(N);
    expect(count.revenue).toBeCloseTo(members.reduce((a, c) => a + (c.monetary as number), 0), 2);
    expect(count.revenueShare).toBeCloseTo(count.revenue / total, 10);
  });

  it('pages and batches every member once, in id order, for rules and for a frozen list', async () => {
    const expected = customers.filter((c) => matches(c, east)).map((c) => c.customer_id as number).sort((a, b) => a - b);
    const ids = Array.from(await listMemberIds(db, compile(east)));
    expect(ids).toEqual(expected);
    // Export batches: every member once, in order, with text, money and times as they are stored.
    const exported = await readAllColumns(compile(east), ['region', 'tags', 'monetary', 'last_order_at'], 250);
    expect(exported.map((r) => r.id)).toEqual(expected);
    const byId = new Map(customers.map((c) => [c.customer_id as number, c]));
    for (const r of exported) {
      const c = byId.get(r.id)!;
      expect(r.region).toBe(c.region);
      expect(r.tags).toBe(c.tags === null ? null : (c.tags as string[]).join('; '));
      expect(r.monetary).toBeCloseTo(c.monetary as number, 2);
      expect(r.last_order_at).toBe(c.last_order_at === null ? null : `${(c.last_order_at as string).slice(0, 19)}Z`);
    }
    const paged: number[] = [];
    for (let after = 0; ; ) {
      const page = await readMembersAfter(db, compile(east), ['city'], after, 100);
      if (page.length === 0) break;
      paged.push(...page.map((r) => Number(r.customer_id)));
      after = Number(page[page.length - 1]!.customer_id);
    }
    expect(paged).toEqual(expected);
    // A frozen list (plus an id that is no longer in the warehouse) evaluates the same way.
    const frozen = await withSegmentCondition(db, { kind: 'members', ids: [...ids, 999_999_999] }, { today }, async (condition) => ({
      count: await countSegment(db, condition),
      batched: (await readAllColumns(condition, ['region'])).map((r) => r.id),
    }));
    expect(frozen.count.customers).toBe(expected.length);
    expect(frozen.batched).toEqual(expected);
    // The temp tables (frozen ids, dictionaries) are gone afterwards.
    expect(await db.all("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'segment_%'")).toEqual([]);
  });

  it('counts the overlap of two segments and profiles each', async () => {
    const overlap = await countOverlap(db, compile(vip), compile(east));
    expect(overlap.both).toBe(customers.filter((c) => matches(c, vip) && matches(c, east)).length);
    expect(overlap.either).toBe(customers.filter((c) => matches(c, vip) || matches(c, east)).length);
    const profile = await profileSegment(db, compile(east));
    const members = customers.filter((c) => matches(c, east));
    const risks = members.map((c) => c.churn_risk).filter((v): v is number => v !== null);
    expect(profile.customers).toBe(members.length);
    expect(profile.means.churn_risk).toBeCloseTo(risks.reduce((a, b) => a + b, 0) / risks.length, 8);
    expect(profile.highRisk).toBe(members.filter((c) => c.churn_band === 'high').length);
  });

  it('offers the values present, hostile ones as plain data', async () => {
    const options = await getFieldOptions(db);
    expect(options.choices.region!.map((o) => o.value)).toContain(HOSTILE_REGION);
    expect(options.tags.map((o) => o.value).sort()).toEqual(['%', 'a;b', "it's", 'newsletter', 'vip', '会员'].sort());
    expect(options.segments).toEqual([]); // no models.segments in this warehouse
  });

  it('reports a field an older snapshot lacks next to its rule instead of failing', async () => {
    const older = path.join(dir, 'older.duckdb');
    await writeWarehouse(older, customers.slice(0, 50), ['last_campaign_open_at', 'last_campaign_click_at']);
    const oldDb = await DuckDb.open(older, { readOnly: true });
    try {
      const result = await compileForSnapshot(oldDb, { type: 'group', combinator: 'and', rules: [{ type: 'rule', field: 'orders', operator: 'gt', value: 1 }, { type: 'rule', field: 'last_campaign_open_at', operator: 'in_last', value: 30 }] }, { today });
      expect(result).toMatchObject({ ok: false, errors: [{ path: '1', code: 'field_unavailable' }] });
    } finally {
      oldDb.close();
    }
  });
});
