// Saved segments in PostgreSQL (lib/migrations/010_saved_segments.sql): the definition (a rule tree
// as JSON), dynamic or static, owner and sharing; a static segment's frozen member ids; and the size
// of every segment on every published snapshot. Who may see or change a segment is decided here, in
// one place, for the dashboard, the pipeline and any later API.
//
// The rule tree itself is checked by the warehouse's compiler before it is stored (the callers do
// that: this module stores JSON and does not import the warehouse).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { z } from 'zod';
import type { Role } from './auth-roles.ts';
import { PulseError } from './errors.ts';

export class SegmentError extends PulseError {}

export const segmentKinds = ['dynamic', 'static'] as const;
export type SegmentKind = (typeof segmentKinds)[number];

/** What a user sends to save a segment (the definition is checked by the rule compiler separately). */
export const savedSegmentInputSchema = z.object({
  name: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  description: z.string({ error: 'must be text' }).trim().max(2000, 'must be at most 2000 characters').default(''),
  kind: z.enum(segmentKinds, { error: 'must be dynamic or static' }).default('dynamic'),
  shared: z.boolean({ error: 'must be true or false' }).default(false),
  definition: z.unknown(),
});
export type SavedSegmentInput = z.output<typeof savedSegmentInputSchema>;

export interface SavedSegment {
  id: number;
  name: string;
  description: string;
  definition: unknown;
  kind: SegmentKind;
  shared: boolean;
  ownerId: number;
  ownerName: string;
  ownerEmail: string;
  frozenAt: string | null;
  frozenRunId: number | null;
  frozenCount: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentSize {
  runId: number;
  snapshot: string;
  evaluatedAt: string;
  customers: number | null;
  revenue: number | null;
  revenueShare: number | null;
  error: string | null;
}

export interface SavedSegmentSummary extends SavedSegment {
  /** Sizes on the latest snapshots, newest first (at most 12). */
  recentSizes: SegmentSize[];
}

export interface Viewer {
  userId: number;
  role: Role;
}

type Db = pg.Pool | pg.ClientBase;

interface Sql {
  text: string;
  values: unknown[];
}

// ---------------------------------------------------------------------------------------------
// Who may do what.

/** A private segment is its owner's (and admins'); a shared one everybody's who may see segments. */
export function canViewSegment(segment: Pick<SavedSegment, 'ownerId' | 'shared'>, viewer: Viewer): boolean {
  return segment.shared || segment.ownerId === viewer.userId || viewer.role === 'admin';
}

/** Only the owner (and admins) change or delete a segment, shared or not. */
export function canEditSegment(segment: Pick<SavedSegment, 'ownerId'>, viewer: Viewer): boolean {
  return segment.ownerId === viewer.userId || viewer.role === 'admin';
}

// ---------------------------------------------------------------------------------------------
// Statements (CONVENTIONS 2).

const segmentColumns = `s.id, s.name, s.description, s.definition, s.kind, s.shared, s.owner_id, u.name AS owner_name, u.email AS owner_email,
  s.frozen_at, s.frozen_run_id, s.frozen_count, s.created_at, s.updated_at`;

export function selectSavedSegment(id: number): Sql {
  return { text: `SELECT ${segmentColumns} FROM pulse.saved_segments s JOIN pulse.users u ON u.id = s.owner_id WHERE s.id = $1`, values: [id] };
}

export function selectVisibleSegments(viewer: Viewer): Sql {
  return {
    text: `SELECT ${segmentColumns},
             (SELECT coalesce(json_agg(json_build_object('runId', z.run_id, 'snapshot', z.snapshot, 'evaluatedAt', z.evaluated_at, 'customers', z.customers,
                                                         'revenue', z.revenue, 'revenueShare', z.revenue_share, 'error', z.error) ORDER BY z.run_id DESC), '[]'::json)
              FROM (SELECT * FROM pulse.saved_segment_sizes WHERE segment_id = s.id ORDER BY run_id DESC LIMIT 12) z) AS recent_sizes
           FROM pulse.saved_segments s JOIN pulse.users u ON u.id = s.owner_id
           WHERE $1 OR s.shared OR s.owner_id = $2
           ORDER BY s.updated_at DESC, s.id DESC`,
    values: [viewer.role === 'admin', viewer.userId],
  };
}

export function insertSavedSegment(input: SavedSegmentInput, ownerId: number, frozen: { runId: number; count: number } | null): Sql {
  return {
    text: `INSERT INTO pulse.saved_segments (name, description, definition, kind, owner_id, shared, frozen_at, frozen_run_id, frozen_count)
           VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::bigint IS NULL THEN NULL ELSE now() END, $7, $8) RETURNING id`,
    values: [input.name, input.description, JSON.stringify(input.definition), input.kind, ownerId, input.shared, frozen?.runId ?? null, frozen?.count ?? null],
  };
}

export function updateSavedSegmentRow(id: number, input: SavedSegmentInput, frozen: { runId: number; count: number } | null): Sql {
  return {
    text: `UPDATE pulse.saved_segments SET name = $2, description = $3, definition = $4, kind = $5, shared = $6,
             frozen_at = CASE WHEN $7::bigint IS NULL THEN NULL ELSE now() END, frozen_run_id = $7, frozen_count = $8, updated_at = now()
           WHERE id = $1`,
    values: [id, input.name, input.description, JSON.stringify(input.definition), input.kind, input.shared, frozen?.runId ?? null, frozen?.count ?? null],
  };
}

/** Ids after `afterId`: only the chunks whose range reaches past it are read, at most two for a page. */
export function selectMemberIdsAfter(segmentId: number, afterId: number, limit: number): Sql {
  if (limit > MEMBER_CHUNK) throw new SegmentError('bad_limit', `A page holds at most ${MEMBER_CHUNK} members.`);
  return {
    text: `SELECT id AS customer_id FROM (
             SELECT unnest(customer_ids) AS id FROM (
               SELECT customer_ids FROM pulse.saved_segment_members WHERE segment_id = $1 AND last_id > $2 ORDER BY chunk LIMIT 2
             ) c
           ) m WHERE id > $2 ORDER BY id LIMIT $3`,
    values: [segmentId, afterId, limit],
  };
}

export function upsertSegmentSize(segmentId: number, size: Omit<SegmentSize, 'evaluatedAt'>): Sql {
  return {
    text: `INSERT INTO pulse.saved_segment_sizes (segment_id, run_id, snapshot, customers, revenue, revenue_share, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (segment_id, run_id) DO UPDATE SET snapshot = EXCLUDED.snapshot, evaluated_at = now(), customers = EXCLUDED.customers,
             revenue = EXCLUDED.revenue, revenue_share = EXCLUDED.revenue_share, error = EXCLUDED.error`,
    values: [segmentId, size.runId, size.snapshot, size.customers, size.revenue === null ? null : size.revenue.toFixed(2), size.revenueShare, size.error],
  };
}

export function selectSegmentSizes(segmentId: number, limit: number): Sql {
  return {
    text: `SELECT run_id, snapshot, evaluated_at, customers, revenue, revenue_share, error FROM (
             SELECT * FROM pulse.saved_segment_sizes WHERE segment_id = $1 ORDER BY run_id DESC LIMIT $2
           ) z ORDER BY run_id`,
    values: [segmentId, limit],
  };
}

// ---------------------------------------------------------------------------------------------
// Operations.

interface SegmentRow {
  id: number;
  name: string;
  description: string;
  definition: unknown;
  kind: SegmentKind;
  shared: boolean;
  owner_id: number;
  owner_name: string;
  owner_email: string;
  frozen_at: Date | null;
  frozen_run_id: number | null;
  frozen_count: number | null;
  created_at: Date;
  updated_at: Date;
}

function toSegment(r: SegmentRow): SavedSegment {
  return {
    id: Number(r.id),
    name: r.name,
    description: r.description,
    definition: r.definition,
    kind: r.kind,
    shared: r.shared,
    ownerId: Number(r.owner_id),
    ownerName: r.owner_name,
    ownerEmail: r.owner_email,
    frozenAt: r.frozen_at?.toISOString() ?? null,
    frozenRunId: r.frozen_run_id === null ? null : Number(r.frozen_run_id),
    frozenCount: r.frozen_count === null ? null : Number(r.frozen_count),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function getSavedSegment(db: Db, id: number): Promise<SavedSegment | null> {
  const { text, values } = selectSavedSegment(id);
  const { rows } = await db.query<SegmentRow>(text, values);
  return rows[0] ? toSegment(rows[0]) : null;
}

/** The segments this viewer may see, most recently changed first, each with its recent sizes. */
export async function listSavedSegments(db: Db, viewer: Viewer): Promise<SavedSegmentSummary[]> {
  const { text, values } = selectVisibleSegments(viewer);
  const { rows } = await db.query<SegmentRow & { recent_sizes: (Omit<SegmentSize, 'revenue'> & { revenue: string | number | null })[] }>(text, values);
  return rows.map((r) => ({
    ...toSegment(r),
    recentSizes: r.recent_sizes.map((s) => ({ ...s, revenue: s.revenue === null ? null : Number(s.revenue), evaluatedAt: new Date(s.evaluatedAt).toISOString() })),
  }));
}

/** Every saved segment (the pipeline re-evaluates them all). */
export async function listAllSavedSegments(db: Db): Promise<SavedSegment[]> {
  const { rows } = await db.query<SegmentRow>(`SELECT ${segmentColumns} FROM pulse.saved_segments s JOIN pulse.users u ON u.id = s.owner_id ORDER BY s.id`);
  return rows.map(toSegment);
}

/**
 * Stores a new segment; a static one with its members (from the snapshot of `frozen.runId`), in the
 * same transaction: a failure leaves neither the segment nor part of its members.
 */
export async function createSavedSegment(pool: pg.Pool, input: SavedSegmentInput, ownerId: number, members?: { runId: number; ids: ArrayLike<number> }): Promise<number> {
  if ((input.kind === 'static') !== (members !== undefined)) throw new SegmentError('members_mismatch', 'A static segment is saved with its members, a dynamic one without.');
  return inTransaction(pool, async (client) => {
    const { text, values } = insertSavedSegment(input, ownerId, members ? { runId: members.runId, count: members.ids.length } : null);
    const id = Number((await client.query<{ id: number }>(text, values)).rows[0]!.id);
    if (members) await copyMembers(client, id, members.ids);
    return id;
  });
}

/** Changes a segment. Static: its members are frozen again from `members`; dynamic: any frozen members go. */
export async function updateSavedSegment(pool: pg.Pool, id: number, input: SavedSegmentInput, members?: { runId: number; ids: ArrayLike<number> }): Promise<void> {
  if ((input.kind === 'static') !== (members !== undefined)) throw new SegmentError('members_mismatch', 'A static segment is saved with its members, a dynamic one without.');
  await inTransaction(pool, async (client) => {
    const { text, values } = updateSavedSegmentRow(id, input, members ? { runId: members.runId, count: members.ids.length } : null);
    const updated = await client.query(text, values);
    if (updated.rowCount === 0) throw new SegmentError('unknown_segment', `There is no saved segment ${id}.`);
    await client.query('DELETE FROM pulse.saved_segment_members WHERE segment_id = $1', [id]);
    // Sizes measured under the old rules would draw a false trend.
    await client.query('DELETE FROM pulse.saved_segment_sizes WHERE segment_id = $1', [id]);
    if (members) await copyMembers(client, id, members.ids);
  });
}

export async function deleteSavedSegment(db: Db, id: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM pulse.saved_segments WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

/** A static segment's member ids, ascending. */
export async function getFrozenMemberIds(db: Db, segmentId: number): Promise<number[]> {
  // Each chunk arrives as one text value: 50 rows instead of 500,000.
  const { rows } = await db.query<{ ids: string }>("SELECT array_to_string(customer_ids, ',') AS ids FROM pulse.saved_segment_members WHERE segment_id = $1 ORDER BY chunk", [
    segmentId,
  ]);
  const ids: number[] = [];
  for (const row of rows) for (const id of row.ids.split(',')) ids.push(Number(id));
  return ids;
}

/** What to evaluate for a segment: its rules, or (static) its frozen members. Matches the warehouse's SegmentTarget. */
export async function getSegmentTarget(db: Db, segment: SavedSegment): Promise<{ kind: 'rules'; rules: unknown } | { kind: 'members'; ids: number[] }> {
  return segment.kind === 'static' ? { kind: 'members', ids: await getFrozenMemberIds(db, segment.id) } : { kind: 'rules', rules: segment.definition };
}

export async function getFrozenMemberIdsAfter(db: Db, segmentId: number, afterId: number, limit: number): Promise<number[]> {
  const { text, values } = selectMemberIdsAfter(segmentId, afterId, limit);
  const { rows } = await db.query<{ customer_id: number }>(text, values);
  return rows.map((r) => Number(r.customer_id));
}

export async function recordSegmentSize(db: Db, segmentId: number, size: Omit<SegmentSize, 'evaluatedAt'>): Promise<void> {
  const { text, values } = upsertSegmentSize(segmentId, size);
  await db.query(text, values);
}

/** A segment's sizes on the latest `limit` snapshots, oldest first (the size-over-time chart). */
export async function getSegmentSizes(db: Db, segmentId: number, limit = 90): Promise<SegmentSize[]> {
  const { text, values } = selectSegmentSizes(segmentId, limit);
  const { rows } = await db.query<{ run_id: number; snapshot: string; evaluated_at: Date; customers: number | null; revenue: string | null; revenue_share: number | null; error: string | null }>(text, values);
  return rows.map((r) => ({
    runId: Number(r.run_id),
    snapshot: r.snapshot,
    evaluatedAt: r.evaluated_at.toISOString(),
    customers: r.customers === null ? null : Number(r.customers),
    revenue: r.revenue === null ? null : Number(r.revenue),
    revenueShare: r.revenue_share,
    error: r.error,
  }));
}

/** Ids per row of pulse.saved_segment_members. */
export const MEMBER_CHUNK = 10_000;

/** Member ids, sorted and without repeats, into the members table in chunks, with one COPY. */
async function copyMembers(client: pg.PoolClient, segmentId: number, ids: ArrayLike<number>): Promise<void> {
  const sorted = Float64Array.from(ids).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[unique++] = sorted[i]!;
  const members = sorted.subarray(0, unique);
  async function* lines(): AsyncGenerator<string> {
    for (let i = 0, chunk = 0; i < members.length; i += MEMBER_CHUNK, chunk++) {
      const part = members.subarray(i, i + MEMBER_CHUNK);
      yield `${segmentId}\t${chunk}\t${part[0]}\t${part[part.length - 1]}\t{${part.join(',')}}\n`;
    }
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom('COPY pulse.saved_segment_members (segment_id, chunk, first_id, last_id, customer_ids) FROM STDIN')));
}

async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
