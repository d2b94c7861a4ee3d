// What the saved-segment API routes share: reading a JSON body, the 400 answer for rules that do not
// compile (each error with its rule's path and a translated message, so a client can show it next to
// the rule), and finding a segment the signed-in user may see.
import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { Session } from '../../../lib/auth.ts';
import { canEditSegment, savedSegmentInputSchema, type SavedSegment, type SavedSegmentInput } from '../../../lib/saved-segments.ts';
import { SegmentRulesError, type RuleError } from '../../../warehouse/index.ts';
import { getVisibleSegment, parseSavedSegmentId } from '../data/saved-segments.ts';
import type { Dictionary } from '../i18n/index.ts';
import { ruleErrorText } from '../rule-text.ts';
import { ApiError } from './session.ts';
import { NoSnapshotError } from './warehouse.ts';

/** Most bytes a rule tree or a save may send (60 rules of 200 values each fit easily). */
const MAX_BODY = 256 * 1024;

export async function readJsonBody(request: NextRequest): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_BODY) throw new ApiError(413, 'too_large', `The body must be at most ${MAX_BODY} bytes.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad_request', 'The body must be JSON.');
  }
}

export function invalidRulesResponse(errors: RuleError[], t: Dictionary): NextResponse {
  const rules = errors.map((e) => ({ path: e.path, code: e.code, params: e.params ?? {}, message: ruleErrorText(t, e) }));
  const first = rules[0]!;
  return NextResponse.json(
    { error: { code: 'invalid_rules', message: `${first.path ? `rule ${first.path}` : 'rules'}: ${first.message}`, field: 'definition', rules } },
    { status: 400, headers: { 'cache-control': 'no-store' } },
  );
}

/** The name, description, kind, sharing and rules of a save; a 400 naming the field when one is wrong. */
export function parseSegmentInput(raw: unknown): SavedSegmentInput {
  const parsed = savedSegmentInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'body');
    throw new ApiError(400, 'bad_request', `${field}: ${issue.message}`, field);
  }
  if (parsed.data.definition === undefined) throw new ApiError(400, 'bad_request', 'definition: must be a rule group', 'definition');
  return parsed.data;
}

/** A segment the user may see; 404 (not 403) for someone else's private one, so its existence does not leak. */
export async function requireVisibleSegment(rawId: string, session: Session): Promise<SavedSegment> {
  const id = parseSavedSegmentId(rawId);
  if (id === null) throw new ApiError(400, 'bad_id', 'id: must be a saved segment number', 'id');
  const segment = await getVisibleSegment(id, session);
  if (!segment) throw new ApiError(404, 'unknown_segment', `There is no saved segment ${id}.`, 'id');
  return segment;
}

export function requireEditable(segment: SavedSegment, session: Session): void {
  if (!canEditSegment(segment, { userId: session.user.id, role: session.user.role })) {
    throw new ApiError(403, 'forbidden', 'Only the owner of a segment (or an administrator) may change or delete it.');
  }
}

/** Warehouse errors the caller can act on become 4xx/503 answers. */
export function translateWarehouseError(error: unknown): never {
  if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
  // A saved definition that no longer compiles on this snapshot (e.g. a field it lacks): the client's
  // request was fine, the segment cannot be evaluated now.
  if (error instanceof SegmentRulesError) throw new ApiError(409, 'invalid_rules', error.message, 'definition');
  throw error;
}
