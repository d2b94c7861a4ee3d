// The segment builder and saved segments for the dashboard: the live count of a rule tree, what the
// rule pickers offer, saving (freezing a static segment's members from the current snapshot), a
// saved segment's figures, size over time, member pages and the comparison of two segments.
// Server-only. Who may see or change a segment is decided in lib/saved-segments.ts.
import 'server-only';
import { scopeCondition, type OwnerScope } from './owner-scope.ts';
import type { Session } from '../../../lib/auth.ts';
import {
  canViewSegment,
  createSavedSegment,
  getSavedSegment,
  getSegmentSizes,
  getSegmentTarget,
  recordSegmentSize,
  updateSavedSegment,
  type SavedSegment,
  type SavedSegmentInput,
  type SegmentSize,
} from '../../../lib/saved-segments.ts';
import {
  compileForSnapshot,
  countOverlap,
  countSegment,
  getFieldOptions,
  listMemberIds,
  profileSegment,
  readMembersAfter,
  todayIn,
  topValues,
  withSegmentCondition,
  type CompiledCondition,
  type DuckDb,
  type FieldOptions,
  type MemberColumn,
  type RuleError,
  type SegmentCount,
  type SegmentProfile,
  type SegmentTarget,
  type SnapshotInfo,
} from '../../../warehouse/index.ts';
import { getServerContext } from '../server/context.ts';
import { cachedFromSnapshot, withSnapshot } from '../server/warehouse.ts';
import { getPeople, type Person } from './people.ts';

/** The clock rules are evaluated with: today in the configured time zone. */
export async function getToday(): Promise<string> {
  const { config } = await getServerContext();
  return todayIn(config.timeZone);
}

export type CountResult = { ok: true; count: SegmentCount; runId: number } | { ok: false; errors: RuleError[] };

/**
 * The live count of a rule tree on the published snapshot: members and revenue share, or the rules'
 * errors (each with its path). Remembered per snapshot, day and tree, so toggling back is instant.
 */
export async function countRules(rules: unknown): Promise<CountResult> {
  const today = await getToday();
  const count = async (db: DuckDb, info: SnapshotInfo): Promise<CountResult> => {
    const compiled = await compileForSnapshot(db, rules, { today });
    if (!compiled.ok) return compiled;
    return { ok: true, count: await countSegment(db, compiled.condition), runId: info.runId };
  };
  const key = JSON.stringify(rules);
  // Large trees are not remembered: 500 of them would hold a lot of memory for little gain.
  return key.length <= 4096 ? cachedFromSnapshot(`rule-count|${today}|${key}`, count) : withSnapshot(count);
}

export interface BuilderOptions extends FieldOptions {
  reportingCurrency: string;
  runId: number;
}

/** What the pickers offer (values present in the snapshot), remembered per snapshot. */
export function getBuilderOptions(): Promise<BuilderOptions> {
  return cachedFromSnapshot('builder-options', async (db, info) => {
    const meta = await db.one<{ currency: string }>('SELECT reporting_currency AS currency FROM meta.snapshot_info');
    return { ...(await getFieldOptions(db)), reportingCurrency: meta.currency, runId: info.runId };
  });
}

export type SaveResult = { ok: true; id: number } | { ok: false; errors: RuleError[] };

/**
 * Checks the rules on the published snapshot, then creates or changes the segment. A static segment
 * is frozen with the members it has on that snapshot. The first point of its size history is written
 * at once, so the chart has something to show before the next pipeline run.
 */
export async function saveSegment(input: SavedSegmentInput, owner: Session['user'], existingId?: number): Promise<SaveResult> {
  const { pool } = await getServerContext();
  const today = await getToday();
  return withSnapshot(async (db, info) => {
    const compiled = await compileForSnapshot(db, input.definition, { today });
    if (!compiled.ok) return compiled;
    const members = input.kind === 'static' ? { runId: info.runId, ids: await listMemberIds(db, compiled.condition) } : undefined;
    const count = await countSegment(db, compiled.condition);
    let id: number;
    if (existingId === undefined) id = await createSavedSegment(pool, input, owner.id, members);
    else {
      await updateSavedSegment(pool, existingId, input, members);
      id = existingId;
    }
    await recordSegmentSize(pool, id, { runId: info.runId, snapshot: info.file, customers: count.customers, revenue: count.revenue, revenueShare: count.revenueShare, error: null });
    return { ok: true, id };
  });
}

/** A saved segment if this user may see it; null when it does not exist or is someone else's private one. */
export async function getVisibleSegment(id: number, session: Pick<Session, 'user'>): Promise<SavedSegment | null> {
  const { pool } = await getServerContext();
  const segment = await getSavedSegment(pool, id);
  return segment && canViewSegment(segment, { userId: session.user.id, role: session.user.role }) ? segment : null;
}

/** Parses a saved segment id from a path; null when it is not a whole number. */
export function parseSavedSegmentId(value: string | null | undefined): number | null {
  return value && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/** Runs `fn` with the segment's condition on the published snapshot (frozen ids loaded for a static one). */
async function withSavedSegment<T>(segment: SavedSegment, fn: (db: DuckDb, condition: CompiledCondition, info: SnapshotInfo) => Promise<T>): Promise<T> {
  const { pool } = await getServerContext();
  const today = await getToday();
  const target: SegmentTarget = await getSegmentTarget(pool, segment);
  return withSnapshot((db, info) => withSegmentCondition(db, target, { today }, (condition) => fn(db, condition, info)));
}

export interface SegmentDetail {
  count: SegmentCount;
  profile: SegmentProfile;
  sizes: SegmentSize[];
  runId: number;
  reportingCurrency: string;
}

export async function getSegmentDetail(segment: SavedSegment): Promise<SegmentDetail> {
  const { pool } = await getServerContext();
  const [figures, sizes] = await Promise.all([
    withSavedSegment(segment, async (db, condition, info) => {
      const meta = await db.one<{ currency: string }>('SELECT reporting_currency AS currency FROM meta.snapshot_info');
      return { count: await countSegment(db, condition), profile: await profileSegment(db, condition), runId: info.runId, reportingCurrency: meta.currency };
    }),
    getSegmentSizes(pool, segment.id),
  ]);
  return { ...figures, sizes };
}

export const MEMBER_PAGE_SIZE = 25;
export const MAX_MEMBER_PAGE_SIZE = 1000;

/** Columns of a member page. */
const pageColumns: MemberColumn[] = ['region', 'city', 'segment_id', 'segment_name_en', 'segment_name_zh', 'rfm_segment', 'churn_risk', 'churn_band', 'frequency', 'monetary', 'last_order_at', 'expected_value_12m'];

export interface SavedMemberRow {
  id: number;
  person: Person | null;
  region: string | null;
  city: string | null;
  segmentEn: string | null;
  segmentZh: string | null;
  rfmGroup: string | null;
  churnRisk: number | null;
  churnBand: string | null;
  orders: number | null;
  revenue: number | null;
  lastOrderAt: string | null;
  expectedValue12m: number | null;
}

export interface SavedMembersPage {
  rows: SavedMemberRow[];
  /** The customer id to ask for the next page with (`after`); null on the last page. */
  nextAfter: number | null;
  /** The snapshot the page was read from: keyset pages are stable within one snapshot. */
  runId: number;
}

/** Raised when a client paging through members asks for the run it started on and a newer one is published. */
export class SnapshotChangedError extends Error {
  constructor(readonly expected: number, readonly current: number) {
    super(`The data changed (run ${expected} → ${current}) while paging: start again from the first page.`);
  }
}

/**
 * Members after a customer id, in id order, personal data masked unless `unmasked`. With `runId`, the
 * page must come from that run's snapshot (SnapshotChangedError otherwise), so a client walking all
 * members never mixes two snapshots.
 */
/** `options.scope`: the reader's owner scope; a scoped manager pages through their team's members only. */
export async function getSavedSegmentMembers(segment: SavedSegment, afterId: number, limit: number, options: { unmasked: boolean; runId?: number; scope: OwnerScope }): Promise<SavedMembersPage> {
  const { rows, runId } = await withSavedSegment(segment, async (db, condition, info) => {
    if (options.runId !== undefined && options.runId !== info.runId) throw new SnapshotChangedError(options.runId, info.runId);
    return { rows: await readMembersAfter(db, scopeCondition(condition, options.scope), pageColumns, afterId, limit + 1), runId: info.runId };
  });
  const page = rows.slice(0, limit);
  const people = await getPeople(
    page.map((r) => Number(r.customer_id)),
    { unmasked: options.unmasked },
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    rows: page.map((r) => ({
      id: Number(r.customer_id),
      person: people.get(Number(r.customer_id)) ?? null,
      region: str(r.region),
      city: str(r.city),
      segmentEn: str(r.segment_name_en),
      segmentZh: str(r.segment_name_zh),
      rfmGroup: str(r.rfm_segment),
      churnRisk: num(r.churn_risk),
      churnBand: str(r.churn_band),
      orders: num(r.frequency),
      revenue: num(r.monetary),
      lastOrderAt: str(r.last_order_at),
      expectedValue12m: num(r.expected_value_12m),
    })),
    nextAfter: rows.length > limit ? Number(page[page.length - 1]!.customer_id) : null,
    runId,
  };
}

export interface ComparedSegment {
  segment: SavedSegment;
  count: SegmentCount;
  profile: SegmentProfile;
  regions: { value: string | null; customers: number }[];
}

export interface Comparison {
  a: ComparedSegment;
  b: ComparedSegment;
  /** Customers in both, and in at least one. */
  overlap: { both: number; either: number };
  runId: number;
  reportingCurrency: string;
}

/** Two segments side by side on one snapshot: size, revenue, value, profile means, top regions and overlap. */
export async function compareSegments(a: SavedSegment, b: SavedSegment): Promise<Comparison> {
  const { pool } = await getServerContext();
  const today = await getToday();
  const [targetA, targetB] = await Promise.all([getSegmentTarget(pool, a), getSegmentTarget(pool, b)]);
  return withSnapshot((db, info) =>
    withSegmentCondition(db, targetA, { today }, (conditionA) =>
      withSegmentCondition(db, targetB, { today }, async (conditionB) => {
        const meta = await db.one<{ currency: string }>('SELECT reporting_currency AS currency FROM meta.snapshot_info');
        const side = async (segment: SavedSegment, condition: CompiledCondition): Promise<ComparedSegment> => ({
          segment,
          count: await countSegment(db, condition),
          profile: await profileSegment(db, condition),
          regions: await topValues(db, condition, 'region', 5),
        });
        return { a: await side(a, conditionA), b: await side(b, conditionB), overlap: await countOverlap(db, conditionA, conditionB), runId: info.runId, reportingCurrency: meta.currency };
      }),
    ),
  );
}
