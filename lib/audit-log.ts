// Reading the audit log: the filters admins browse and export it by (dashboard /admin/audit), the
// page query (newest first, keyset-paged by id so page 2,000 costs what page 1 does) and the batches
// an export streams. Filters are validated with zod here, once, for the page, its API and the export.
import type pg from 'pg';
import { z } from 'zod';
import { auditActions, type AuditAction, type AuditOutcome } from './audit.ts';

export const auditOutcomes = ['success', 'failure', 'denied'] as const satisfies readonly AuditOutcome[];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-30')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'is not a real date');

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((value) => (value ? value : undefined));

const cursor = z.string().regex(/^\d{1,18}$/, 'must be an entry id').transform(Number).optional();

/** Query-string filters (all optional; empty strings count as unset, as a GET form sends them). */
export const auditFilterSchema = z
  .strictObject({
    user: optionalText(254),
    action: z.enum(auditActions, { error: 'is not a known action' }).optional(),
    outcome: z.enum(auditOutcomes, { error: 'must be success, failure or denied' }).optional(),
    from: day.optional(),
    to: day.optional(),
    target: optionalText(200),
    /** Older page: entries with id below this. */
    before: cursor,
    /** Newer page: entries with id above this. */
    after: cursor,
  })
  .refine((f) => !(f.from && f.to && f.from > f.to), { message: 'must not be after "to"', path: ['from'] });

export type AuditFilters = Partial<z.output<typeof auditFilterSchema>>;

export type AuditFilterResult = { ok: true; filters: AuditFilters } | { ok: false; field: string; message: string };

/** Parses URLSearchParams-like input; empty values are dropped so a submitted blank field means "any". */
export function parseAuditFilters(params: URLSearchParams | Record<string, string | string[] | undefined>): AuditFilterResult {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v] as const);
  const raw = Object.fromEntries(entries.filter(([, v]) => v !== undefined && v !== ''));
  const parsed = auditFilterSchema.safeParse(raw);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? (issue.code === 'unrecognized_keys' ? issue.keys[0] : 'filters'));
  return { ok: false, field, message: issue.code === 'unrecognized_keys' ? 'is not a filter of the audit log' : issue.message };
}

export interface AuditRow {
  id: number;
  at: string;
  userId: number | null;
  userEmail: string;
  role: string;
  action: AuditAction | string;
  target: string;
  rowCount: number | null;
  details: Record<string, unknown>;
  outcome: AuditOutcome;
  address: string | null;
  hash: string;
}

interface Row {
  id: number;
  at: Date;
  user_id: number | null;
  user_email: string;
  role: string;
  action: string;
  target: string;
  row_count: number | null;
  details: Record<string, unknown>;
  outcome: AuditOutcome;
  address: string | null;
  hash: string;
}

function toAuditRow(r: Row): AuditRow {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    userId: r.user_id === null ? null : Number(r.user_id),
    userEmail: r.user_email,
    role: r.role,
    action: r.action,
    target: r.target,
    rowCount: r.row_count,
    details: r.details,
    outcome: r.outcome,
    address: r.address,
    hash: r.hash,
  };
}

/** `a%b_c` → `a\%b\_c`: a typed filter matches literally. */
function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE clause for the filters (not the cursors), dates as whole days in `timeZone`. */
function whereFilters(f: AuditFilters, timeZone: string, values: unknown[]): string[] {
  const where: string[] = [];
  const add = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (f.user) where.push(`user_email ILIKE ${add(`%${likeEscape(f.user)}%`)}`);
  if (f.action) where.push(`action = ${add(f.action)}`);
  if (f.outcome) where.push(`outcome = ${add(f.outcome)}`);
  if (f.target) where.push(`target ILIKE ${add(`%${likeEscape(f.target)}%`)}`);
  if (f.from) where.push(`at >= (${add(f.from)}::date)::timestamp AT TIME ZONE ${add(timeZone)}`);
  if (f.to) where.push(`at < (${add(f.to)}::date + 1)::timestamp AT TIME ZONE ${add(timeZone)}`);
  return where;
}

const COLUMNS = 'id, at, user_id, user_email, role, action, target, row_count, details, outcome, address, hash';

/** One page, newest first. `after` pages towards newer entries (read ascending, then reversed). */
export function selectAuditPage(f: AuditFilters, timeZone: string, limit: number): { text: string; values: unknown[]; ascending: boolean } {
  const values: unknown[] = [];
  const where = whereFilters(f, timeZone, values);
  const ascending = f.after !== undefined && f.before === undefined;
  if (f.before !== undefined) {
    values.push(f.before);
    where.push(`id < $${values.length}`);
  } else if (f.after !== undefined) {
    values.push(f.after);
    where.push(`id > $${values.length}`);
  }
  values.push(limit + 1);
  return {
    text: `SELECT ${COLUMNS} FROM pulse.audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${ascending ? 'ASC' : 'DESC'} LIMIT $${values.length}`,
    values,
    ascending,
  };
}

export interface AuditPage {
  rows: AuditRow[];
  /** Cursor for the next older page (?before=), when there is one. */
  olderThan: number | null;
  /** Cursor for the next newer page (?after=), when there is one. */
  newerThan: number | null;
}

export async function listAuditEntries(db: pg.Pool, f: AuditFilters, timeZone: string, limit = 50): Promise<AuditPage> {
  const q = selectAuditPage(f, timeZone, limit);
  const { rows } = await db.query<Row>(q.text, q.values);
  const more = rows.length > limit;
  const page = rows.slice(0, limit).map(toAuditRow);
  if (q.ascending) page.reverse();
  const newest = page[0]?.id ?? null;
  const oldest = page[page.length - 1]?.id ?? null;
  if (q.ascending) {
    // Paging up from ?after=: the page we came from is older; more newer ones if one extra was found.
    return { rows: page, olderThan: oldest, newerThan: more ? newest : null };
  }
  return { rows: page, olderThan: more ? oldest : null, newerThan: f.before !== undefined ? newest : null };
}

/** Every entry matching the filters, newest first, in batches (for the CSV export). */
export async function* auditEntryBatches(db: pg.Pool, f: AuditFilters, timeZone: string, batch = 2000): AsyncGenerator<AuditRow[]> {
  let before = f.before;
  for (;;) {
    const q = selectAuditPage({ ...f, before, after: undefined }, timeZone, batch);
    const { rows } = await db.query<Row>(q.text, q.values);
    const page = rows.slice(0, batch);
    if (page.length > 0) yield page.map(toAuditRow);
    if (rows.length <= batch) return;
    before = Number(page[page.length - 1]!.id);
  }
}

/** How many entries match the filters and lie below `before` (the page cursors' other side is ignored). */
export async function countAuditEntries(db: pg.Pool, f: AuditFilters, timeZone: string): Promise<number> {
  const values: unknown[] = [];
  const where = whereFilters(f, timeZone, values);
  if (f.before !== undefined) {
    values.push(f.before);
    where.push(`id < $${values.length}`);
  }
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pulse.audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, values);
  return rows[0]!.n;
}

/** The chain head: the newest entry's id and hash, shown on the page so an admin can note it. */
export async function getAuditHead(db: pg.Pool): Promise<{ id: number; hash: string } | null> {
  const { rows } = await db.query<{ last_id: number; last_hash: string }>('SELECT last_id, last_hash FROM pulse.audit_chain_head WHERE singleton');
  return rows[0] ? { id: Number(rows[0].last_id), hash: rows[0].last_hash } : null;
}
