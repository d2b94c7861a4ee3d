// What the public segment API v1 reads: the segments a token's owner may see (their visible saved
// segments and the model segments of the published snapshot) and member pages in customer-id order.
// Reuses the dashboard's saved-segment and segment readers; this module only names segments for the
// API ('saved-12', 'model-3'), shapes rows and encodes the paging cursor. Server-only.
import 'server-only';
import { z } from 'zod';
import type { ApiPrincipal } from '../../../lib/api-tokens.ts';
import { listSavedSegments, type SavedSegment } from '../../../lib/saved-segments.ts';
import { getUserScope } from '../../../lib/user-scopes.ts';
import { getServerContext } from '../server/context.ts';
import { withSnapshot } from '../server/warehouse.ts';
import { getSavedSegmentMembers, getSegmentDetail, getVisibleSegment, SnapshotChangedError } from './saved-segments.ts';
import { getSegments, readMemberBatch, type Segment } from './segments.ts';

export const API_PAGE_SIZE = 100;
export const API_MAX_PAGE_SIZE = 1000;

export type ApiSegmentRef = { kind: 'saved'; id: number } | { kind: 'model'; id: number };

/** `saved-12` / `model-3` → a reference; null for anything else. */
export function parseApiSegmentId(value: string): ApiSegmentRef | null {
  const match = /^(saved|model)-(\d{1,15})$/.exec(value);
  return match ? { kind: match[1] as 'saved' | 'model', id: Number(match[2]) } : null;
}

export function formatApiSegmentId(ref: ApiSegmentRef): string {
  return `${ref.kind}-${ref.id}`;
}

export interface ApiSegment {
  id: string;
  /** 'saved' (built from rules in Pulse) or 'model' (a k-means segment of the latest model run). */
  kind: 'saved' | 'model';
  name: string;
  nameZh: string | null;
  description: string;
  /** For saved segments: 'dynamic' (re-evaluated on every snapshot) or 'static' (frozen members). */
  membership: 'dynamic' | 'static' | 'model';
  shared: boolean | null;
  /** Members on `sizeRunId`'s snapshot; null when not evaluated yet. */
  size: number | null;
  sizeRunId: number | null;
  updatedAt: string | null;
}

function savedToApi(segment: SavedSegment, size: number | null, sizeRunId: number | null): ApiSegment {
  return {
    id: formatApiSegmentId({ kind: 'saved', id: segment.id }),
    kind: 'saved',
    name: segment.name,
    nameZh: null,
    description: segment.description,
    membership: segment.kind,
    shared: segment.shared,
    size,
    sizeRunId,
    updatedAt: segment.updatedAt,
  };
}

function modelToApi(segment: Segment, runId: number): ApiSegment {
  return {
    id: formatApiSegmentId({ kind: 'model', id: segment.id }),
    kind: 'model',
    name: segment.en ?? `Segment ${segment.id}`,
    nameZh: segment.zh,
    description: '',
    membership: 'model',
    shared: null,
    size: segment.customers,
    sizeRunId: runId,
    updatedAt: null,
  };
}

function publishedRunId(): Promise<number> {
  return withSnapshot(async (_db, info) => info.runId);
}

/** Saved segments the owner may see (sizes from the latest evaluation), then the model segments. */
export async function listApiSegments(principal: ApiPrincipal): Promise<{ segments: ApiSegment[]; runId: number }> {
  const { pool } = await getServerContext();
  const [saved, models, runId] = await Promise.all([listSavedSegments(pool, { userId: principal.user.id, role: principal.user.role }), getSegments(), publishedRunId()]);
  return {
    segments: [
      ...saved.map((s) => savedToApi(s, s.recentSizes[0]?.customers ?? null, s.recentSizes[0]?.runId ?? null)),
      ...models.segments.map((s) => modelToApi(s, runId)),
    ],
    runId,
  };
}

/** A segment the owner may see, sized on the published snapshot; null when unknown or someone else's private one. */
export async function getApiSegment(ref: ApiSegmentRef, principal: ApiPrincipal): Promise<ApiSegment | null> {
  if (ref.kind === 'saved') {
    const segment = await getVisibleSegment(ref.id, { user: principal.user });
    if (!segment) return null;
    const detail = await getSegmentDetail(segment);
    return savedToApi(segment, detail.count.customers, detail.runId);
  }
  const [models, runId] = await Promise.all([getSegments(), publishedRunId()]);
  const segment = models.segments.find((s) => s.id === ref.id);
  return segment ? modelToApi(segment, runId) : null;
}

// ---------------------------------------------------------------------------------------------
// Member pages.

/** The opaque cursor: which segment, the snapshot run the walk is pinned to and the last id served. */
const cursorSchema = z.object({ v: z.literal(1), s: z.string(), r: z.number().int().positive(), a: z.number().int().nonnegative() });
export type Cursor = z.output<typeof cursorSchema>;

export function encodeCursor(cursor: Omit<Cursor, 'v'>): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString('base64url');
}

/** The cursor's content, or null when it is not one this API handed out. */
export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface ApiMember {
  id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  region: string | null;
  city: string | null;
  churnRisk: number | null;
  churnBand: string | null;
  orders: number | null;
  revenue: number | null;
  expectedValue12m: number | null;
}

export interface ApiMembersPage {
  members: ApiMember[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** The snapshot run every page of this walk comes from. */
  runId: number;
  /** Whether e-mail, phone and address are unmasked on this page. */
  unmasked: boolean;
}

export { SnapshotChangedError };

/**
 * One page of members after `afterId`, in customer-id order, from the published snapshot. With
 * `runId` (from a cursor) the page must come from that run: when a newer snapshot was published the
 * reader throws SnapshotChangedError and the client restarts (the route answers 410). Null when the
 * segment is unknown or not visible.
 */
export async function getApiMembers(ref: ApiSegmentRef, principal: ApiPrincipal, afterId: number, limit: number, runId: number | undefined): Promise<ApiMembersPage | null> {
  const unmasked = principal.unmasked;
  const segmentId = formatApiSegmentId(ref);
  if (ref.kind === 'saved') {
    const segment = await getVisibleSegment(ref.id, { user: principal.user });
    if (!segment) return null;
    const page = await getSavedSegmentMembers(segment, afterId, limit, { unmasked, runId, scope: await getUserScope((await getServerContext()).pool, principal.user.id) });
    return {
      members: page.rows.map((r) => ({
        id: r.id,
        name: r.person?.name ?? null,
        email: r.person?.email ?? null,
        phone: r.person?.phone ?? null,
        company: r.person?.company ?? null,
        region: r.region,
        city: r.city,
        churnRisk: r.churnRisk,
        churnBand: r.churnBand,
        orders: r.orders,
        revenue: r.revenue,
        expectedValue12m: r.expectedValue12m,
      })),
      nextCursor: page.nextAfter === null ? null : encodeCursor({ s: segmentId, r: page.runId, a: page.nextAfter }),
      runId: page.runId,
      unmasked,
    };
  }
  const models = await getSegments();
  if (!models.segments.some((s) => s.id === ref.id)) return null;
  // A token sees what its owner may: an owner-scoped manager's token only their team's customers.
  const scope = await getUserScope((await getServerContext()).pool, principal.user.id);
  const { rows, pinned } = await withSnapshot(async (db, info) => {
    if (runId !== undefined && runId !== info.runId) throw new SnapshotChangedError(runId, info.runId);
    return { rows: await readMemberBatch(db, ref.id, afterId, limit + 1, { unmasked, scope }), pinned: info.runId };
  });
  const page = rows.slice(0, limit);
  return {
    members: page.map((r) => ({
      id: r.id,
      name: r.person?.name ?? null,
      email: r.person?.email ?? null,
      phone: r.person?.phone ?? null,
      company: r.person?.company ?? null,
      region: r.region,
      city: r.city,
      churnRisk: r.churnRisk,
      churnBand: r.churnBand,
      orders: r.frequency,
      revenue: r.monetary,
      expectedValue12m: r.expectedValue12m,
    })),
    nextCursor: rows.length > limit ? encodeCursor({ s: segmentId, r: pinned, a: page[page.length - 1]!.id }) : null,
    runId: pinned,
    unmasked,
  };
}
