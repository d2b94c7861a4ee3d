// Evaluating rule-built and frozen segments on a warehouse snapshot: the live count and revenue
// share, the profile, the overlap of two segments, member pages and export batches, the member ids
// to freeze, and the values the rule pickers offer. Callers pass an open snapshot (read-only is
// enough: a frozen segment's ids go into a temp table, which DuckDB keeps in memory).
import crypto from 'node:crypto';
import { PulseError } from '../../lib/errors.ts';
import type { DuckDb, Row } from '../duckdb.ts';
import { compileSegmentRules, type CompiledCondition, type RuleError } from './segment-rules.ts';
import {
  createMemberTable,
  dropMemberTable,
  insertMemberIds,
  memberTableCondition,
  profileMeasures,
  selectChoiceOptions,
  selectCustomer360Columns,
  selectHasModelSegments,
  createDictionary,
  dropDictionary,
  memberColumnKind,
  selectCustomerTotal,
  selectCustomerTotals,
  selectDictionary,
  selectIdCuts,
  selectMemberColumnsInRange,
  selectMemberIds,
  selectMembersAfter,
  selectModelSegments,
  selectOverlap,
  selectSegmentCount,
  selectSegmentProfile,
  selectTagOptions,
  selectTopValues,
  type MemberColumn,
  type ProfileMeasure,
  type SqlStatement,
} from './segment.queries.ts';

/** A segment to evaluate: rules (compiled against this snapshot) or a frozen list of customer ids. */
export type SegmentTarget = { kind: 'rules'; rules: unknown } | { kind: 'members'; ids: readonly number[] };

/** Raised when a saved definition no longer compiles on this snapshot (the caller shows `errors`). */
export class SegmentRulesError extends PulseError {
  constructor(readonly errors: RuleError[]) {
    super('invalid_rules', `The segment's rules are not valid: ${errors.map((e) => `${e.path || 'root'}: ${e.message}`).join('; ')}`);
  }
}

export interface SegmentCount {
  customers: number;
  revenue: number;
  totalCustomers: number;
  totalRevenue: number;
  customerShare: number;
  revenueShare: number;
}

export interface SegmentProfile {
  customers: number;
  revenue: number;
  /** Sum of expected value over the next 12 months (BG/NBD + Gamma-Gamma). */
  expectedValue: number;
  highRisk: number;
  means: Record<ProfileMeasure, number | null>;
}

export interface EvaluateOptions {
  /** Today as YYYY-MM-DD: relative dates in rules count back from it. */
  today: string;
}

const columnsCache = new Map<string, Promise<Set<string>>>();

/** The columns of customer_360 in this snapshot, remembered per file (a published snapshot never changes). */
export function getCustomer360Columns(db: DuckDb): Promise<Set<string>> {
  let hit = columnsCache.get(db.path);
  if (!hit) {
    hit = all<{ name: string }>(db, selectCustomer360Columns()).then((rows) => new Set(rows.map((r) => r.name)));
    hit.catch(() => columnsCache.delete(db.path));
    columnsCache.set(db.path, hit);
    if (columnsCache.size > 20) columnsCache.delete(columnsCache.keys().next().value!);
  }
  return hit;
}

/** Compiles rules against this snapshot's columns: the errors, each with its rule's path, or the condition. */
export async function compileForSnapshot(db: DuckDb, rules: unknown, options: EvaluateOptions): Promise<{ ok: true; condition: CompiledCondition } | { ok: false; errors: RuleError[] }> {
  const result = compileSegmentRules(rules, { today: options.today, columns: await getCustomer360Columns(db) });
  return result.ok ? { ok: true, condition: result.condition } : result;
}

/**
 * Runs `fn` with the segment's condition. Rules that do not compile throw SegmentRulesError; frozen
 * ids live in a temp table for the duration of `fn` only.
 */
export async function withSegmentCondition<T>(db: DuckDb, target: SegmentTarget, options: EvaluateOptions, fn: (condition: CompiledCondition) => Promise<T>): Promise<T> {
  if (target.kind === 'rules') {
    const compiled = await compileForSnapshot(db, target.rules, options);
    if (!compiled.ok) throw new SegmentRulesError(compiled.errors);
    return fn(compiled.condition);
  }
  const table = `segment_members_${crypto.randomBytes(6).toString('hex')}`;
  await run(db, createMemberTable(table));
  try {
    // Ids go in as text chunks of 50,000 (one bound value each): far fewer round trips than rows.
    for (let i = 0; i < target.ids.length; i += 50_000) {
      await run(db, insertMemberIds(table, target.ids.slice(i, i + 50_000).join(',')));
    }
    return await fn(memberTableCondition(table));
  } finally {
    await run(db, dropMemberTable(table)).catch(() => undefined);
  }
}

const totalsCache = new Map<string, Promise<{ customers: number; revenue: number }>>();

/** All customers and all revenue of this snapshot, remembered per file (a published snapshot never changes). */
function getTotals(db: DuckDb): Promise<{ customers: number; revenue: number }> {
  let hit = totalsCache.get(db.path);
  if (!hit) {
    hit = one<{ customers: number; revenue: number }>(db, selectCustomerTotals()).then((r) => ({ customers: Number(r.customers), revenue: Number(r.revenue) }));
    hit.catch(() => totalsCache.delete(db.path));
    totalsCache.set(db.path, hit);
    if (totalsCache.size > 20) totalsCache.delete(totalsCache.keys().next().value!);
  }
  return hit;
}

/** Members, their revenue, and their shares of all customers and all revenue. */
export async function countSegment(db: DuckDb, condition: CompiledCondition): Promise<SegmentCount> {
  const totals = await getTotals(db);
  const r = await one<{ customers: number; revenue: number }>(db, selectSegmentCount(condition));
  return {
    customers: Number(r.customers),
    revenue: Number(r.revenue),
    totalCustomers: totals.customers,
    totalRevenue: totals.revenue,
    customerShare: totals.customers > 0 ? Number(r.customers) / totals.customers : 0,
    revenueShare: totals.revenue > 0 ? Number(r.revenue) / totals.revenue : 0,
  };
}

export async function profileSegment(db: DuckDb, condition: CompiledCondition): Promise<SegmentProfile> {
  const r = await one<Row>(db, selectSegmentProfile(condition));
  const means = Object.fromEntries(profileMeasures.map((m) => [m, r[m] === null || r[m] === undefined ? null : Number(r[m])])) as Record<ProfileMeasure, number | null>;
  return { customers: Number(r.customers), revenue: Number(r.revenue), expectedValue: Number(r.expected_value), highRisk: Number(r.high_risk), means };
}

export async function countOverlap(db: DuckDb, a: CompiledCondition, b: CompiledCondition): Promise<{ both: number; either: number }> {
  const r = await one<{ both_segments: number; either_segment: number }>(db, selectOverlap(a, b));
  return { both: Number(r.both_segments), either: Number(r.either_segment) };
}

export async function topValues(db: DuckDb, condition: CompiledCondition, columnName: MemberColumn, limit = 5): Promise<{ value: string | null; customers: number }[]> {
  const rows = await all<{ value: string | null; customers: number }>(db, selectTopValues(condition, columnName, limit));
  return rows.map((r) => ({ value: r.value, customers: Number(r.customers) }));
}

/** Every member's customer id, ascending, as a typed array (500,000 ids are 4 MB, not 500,000 objects). */
export async function listMemberIds(db: DuckDb, condition: CompiledCondition): Promise<Float64Array> {
  const { text, values } = selectMemberIds(condition);
  const { columns } = await db.numericColumns(text, values);
  return columns.customer_id ?? new Float64Array(0);
}

/** Members after `afterId`, in id order: the stable page an API or the page's table walks. Timestamps come back as ISO text. */
export async function readMembersAfter(db: DuckDb, condition: CompiledCondition, columns: readonly MemberColumn[], afterId: number, limit: number): Promise<Row[]> {
  const rows = await all<Row>(db, selectMembersAfter(condition, columns, afterId, limit));
  const timestamps = columns.filter((c) => memberColumnKind(c) === 'timestamp');
  for (const row of rows) for (const c of timestamps) row[c] = isoFromEpochMs(row[c] as number | null);
  return rows;
}

const DAY_MS = 86_400_000;
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayTexts = new Map<number, string>();

/**
 * An epoch-milliseconds value as ISO text in UTC (to the second); null stays null. An export formats
 * one per row and time column, so the day part is remembered (a few thousand days) and the time is
 * put together from a table: a quarter of the cost of Date#toISOString and far less garbage.
 */
export function isoFromEpochMs(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return null;
  const day = Math.floor(ms / DAY_MS);
  let date = dayTexts.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayTexts.size > 100_000) dayTexts.clear();
    dayTexts.set(day, date);
  }
  const seconds = Math.floor((ms - day * DAY_MS) / 1000);
  return `${date}${twoDigits[Math.floor(seconds / 3600)]}:${twoDigits[Math.floor(seconds / 60) % 60]}:${twoDigits[seconds % 60]}Z`;
}

/** One batch of members as columns: ids, and per column numbers (NaN = empty) — text as its number in the dictionary. */
export interface MemberColumnBatch {
  rowCount: number;
  ids: Float64Array;
  values: Record<string, Float64Array>;
}

export interface MemberColumnReader {
  /** Per text column, its values by number (number 1 is index 0). */
  dictionaries: Map<MemberColumn, string[]>;
  /** The customer-id ranges (from, to] that together cover every customer, about `rowsPerRange` customers each. */
  ranges: [number, number][];
  /** The members in one range, in id order. */
  read(range: [number, number]): Promise<MemberColumnBatch>;
  /** Drops the dictionaries (closing the database drops them too). */
  close(): Promise<void>;
}

/**
 * Reads a segment's members for an export: columns of numbers (the Node binding turns numbers into
 * JavaScript a few times faster than text), range by range, so memory stays flat whatever the size.
 */
export async function openMemberColumns(db: DuckDb, condition: CompiledCondition, columns: readonly MemberColumn[], options: { rowsPerRange?: number } = {}): Promise<MemberColumnReader> {
  const token = crypto.randomBytes(6).toString('hex');
  const tables = new Map<MemberColumn, string>();
  const dictionaries = new Map<MemberColumn, string[]>();
  const close = async () => {
    for (const table of tables.values()) await run(db, dropDictionary(table)).catch(() => undefined);
  };
  try {
    for (const name of columns) {
      if (memberColumnKind(name) !== 'text' || tables.has(name)) continue;
      const table = `segment_dict_${token}_${tables.size}`;
      await run(db, createDictionary(table, name));
      tables.set(name, table);
      dictionaries.set(name, (await all<{ value: string }>(db, selectDictionary(table))).map((r) => r.value));
    }
    const total = await one<{ n: number; min_id: number }>(db, selectCustomerTotal());
    const ranges: [number, number][] = [];
    if (Number(total.n) > 0) {
      const parts = Math.max(1, Math.ceil(Number(total.n) / (options.rowsPerRange ?? 20_000)));
      const cuts = (await one<{ cuts: number[] }>(db, selectIdCuts(parts))).cuts.map(Number);
      let from = Number(total.min_id) - 1;
      for (const to of cuts) {
        if (to > from) ranges.push([from, to]);
        from = Math.max(from, to);
      }
    }
    const read = async ([from, to]: [number, number]): Promise<MemberColumnBatch> => {
      const { text, values } = selectMemberColumnsInRange(condition, columns, tables, from, to);
      const { n, columns: read } = await db.numericColumns(text, values);
      return { rowCount: n, ids: read.customer_id ?? new Float64Array(0), values: read };
    };
    return { dictionaries, ranges, read, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface FieldOptions {
  /** Values of each choice field, most common first. */
  choices: Record<string, { value: string; customers: number }[]>;
  tags: { value: string; customers: number }[];
  segments: { id: number; en: string | null; zh: string | null; customers: number }[];
}

const choiceColumns: Record<string, MemberColumn> = {
  region: 'region',
  city: 'city',
  country: 'country',
  language: 'preferred_language',
  currency: 'currency',
  rfm_group: 'rfm_segment',
  churn_band: 'churn_band',
};

/** What the pickers offer: each choice field's values, the tags, and the model's segments. */
export async function getFieldOptions(db: DuckDb, limit = 300): Promise<FieldOptions> {
  const columns = await getCustomer360Columns(db);
  const choices: FieldOptions['choices'] = {};
  for (const [field, name] of Object.entries(choiceColumns)) {
    choices[field] = columns.has(name) ? (await all<{ value: string; customers: number }>(db, selectChoiceOptions(name, limit))).map((r) => ({ value: r.value, customers: Number(r.customers) })) : [];
  }
  const tags = columns.has('tags') ? (await all<{ value: string; customers: number }>(db, selectTagOptions(limit))).map((r) => ({ value: r.value, customers: Number(r.customers) })) : [];
  const hasSegments = Number((await one<{ n: number }>(db, selectHasModelSegments())).n) > 0;
  const segments = hasSegments
    ? (await all<{ id: number; en: string | null; zh: string | null; customers: number }>(db, selectModelSegments())).map((r) => ({ id: Number(r.id), en: r.en, zh: r.zh, customers: Number(r.customers) }))
    : [];
  return { choices, tags, segments };
}

function all<T extends Row>(db: DuckDb, statement: SqlStatement): Promise<T[]> {
  return db.all<T>(statement.text, statement.values);
}

function one<T extends Row>(db: DuckDb, statement: SqlStatement): Promise<T> {
  return db.one<T>(statement.text, statement.values);
}

function run(db: DuckDb, statement: SqlStatement): Promise<void> {
  return db.run(statement.text, statement.values.length > 0 ? statement.values : undefined);
}
