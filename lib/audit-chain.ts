// The audit log's hash chain (lib/migrations/008_audit_chain.sql): the canonical encoding of an entry,
// version 1, and the walk that `pulse audit verify` does. The database computes each hash when the
// entry is inserted; this module recomputes every hash outside the database and checks the links, so
// an entry altered or deleted directly in PostgreSQL (triggers disabled by a superuser) is found.
//
// Canonical encoding v1 (the one definition; the migration implements the same in SQL):
//   'pulse-audit-v1' | prev_hash | id | at | user_id | user_email | role | action | target
//                    | row_count | details | outcome | address
// joined with '|'. Every field after prev_hash is its text form as UTF-8 bytes in lowercase hex, or
// '~' for NULL. Integers in decimal; `at` in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ; `details` as
// PostgreSQL prints the jsonb. hash = lowercase hex SHA-256 of the encoding's UTF-8 bytes.
//
// What the chain proves: nobody changed or removed an entry without also rewriting every later hash
// and the chain head. Someone who can do that (a database superuser with time) can forge a
// consistent chain; keeping the head hash that `pulse audit verify` prints somewhere else (a ticket,
// the daily report) turns that into a detectable change too.
import crypto from 'node:crypto';
import type pg from 'pg';

export const GENESIS_HASH = '0'.repeat(64);
const VERSION = 'pulse-audit-v1';

/** One entry's stored fields in their canonical text forms (what the encoding hashes). */
export interface ChainedEntry {
  id: string;
  at: string;
  userId: string | null;
  userEmail: string;
  role: string;
  action: string;
  target: string;
  rowCount: string | null;
  details: string;
  outcome: string;
  address: string | null;
  prevHash: string;
  hash: string;
}

function field(value: string | null): string {
  return value === null ? '~' : Buffer.from(value, 'utf8').toString('hex');
}

export function canonicalEncoding(prevHash: string, e: Omit<ChainedEntry, 'prevHash' | 'hash'>): string {
  return [VERSION, prevHash, ...[e.id, e.at, e.userId, e.userEmail, e.role, e.action, e.target, e.rowCount, e.details, e.outcome, e.address].map(field)].join('|');
}

export function entryHash(prevHash: string, e: Omit<ChainedEntry, 'prevHash' | 'hash'>): string {
  return crypto.createHash('sha256').update(canonicalEncoding(prevHash, e), 'utf8').digest('hex');
}

export type ChainBreakKind = 'altered' | 'deleted' | 'relinked' | 'deleted_at_end' | 'head_missing';

export interface ChainBreak {
  kind: ChainBreakKind;
  /** The entry the problem is found at (the altered one, or the first one after a deletion). */
  id: number | null;
  /** For deletions: the ids that are missing, when the gap shows them. */
  missingIds?: { from: number; to: number };
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** The chain head as the database records it (keep its hash elsewhere to detect a rewritten chain). */
  head: { id: number; hash: string } | null;
  /** The first break in id order; null when the chain is intact. */
  firstBreak: ChainBreak | null;
  seconds: number;
}

interface EntryRow {
  id: string;
  at: string;
  user_id: string | null;
  user_email: string;
  role: string;
  action: string;
  target: string;
  row_count: string | null;
  details: string;
  outcome: string;
  address: string | null;
  prev_hash: string;
  hash: string;
}

// Every column as its canonical text form, read by PostgreSQL's own output functions; the hashing
// and the comparison happen here.
function selectEntriesAfter(afterId: number, limit: number): { text: string; values: unknown[] } {
  return {
    // ORDER BY a.id, not the text column of the same name (which would sort '10' before '2').
    text: `SELECT a.id::text AS id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, a.user_id::text AS user_id, a.user_email,
                  a.role, a.action, a.target, a.row_count::text AS row_count, a.details::text AS details, a.outcome, a.address, a.prev_hash, a.hash
             FROM pulse.audit_log a WHERE a.id > $1 ORDER BY a.id LIMIT $2`,
    values: [afterId, limit],
  };
}

function toEntry(r: EntryRow): ChainedEntry {
  return {
    id: r.id,
    at: r.at,
    userId: r.user_id,
    userEmail: r.user_email,
    role: r.role,
    action: r.action,
    target: r.target,
    rowCount: r.row_count,
    details: r.details,
    outcome: r.outcome,
    address: r.address,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const BATCH = 5000;

/**
 * Walks the whole chain in id order and names the first entry that was altered or deleted. Reads in
 * batches inside one REPEATABLE READ snapshot, so entries written meanwhile do not look like a break.
 */
export async function verifyAuditChain(pool: pg.Pool): Promise<ChainVerification> {
  const started = Date.now();
  const c = await pool.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const headRows = await c.query<{ last_id: string; last_hash: string }>('SELECT last_id::text, last_hash FROM pulse.audit_chain_head WHERE singleton');
    const head = headRows.rows[0] ? { id: Number(headRows.rows[0].last_id), hash: headRows.rows[0].last_hash } : null;
    let previous: { id: number; hash: string } | null = null;
    let entries = 0;
    let firstBreak: ChainBreak | null = null;
    let after = 0;
    walk: for (;;) {
      const q = selectEntriesAfter(after, BATCH);
      const { rows } = await c.query<EntryRow>(q.text, q.values);
      for (const row of rows) {
        const e = toEntry(row);
        const id = Number(e.id);
        entries += 1;
        const expectedPrev = previous?.hash ?? GENESIS_HASH;
        if (e.prevHash !== expectedPrev) {
          firstBreak = linkBreak(previous, id, e);
          break walk;
        }
        if (entryHash(e.prevHash, e) !== e.hash) {
          firstBreak = { kind: 'altered', id, message: `Entry #${id} was altered: its content no longer matches its hash.` };
          break walk;
        }
        previous = { id, hash: e.hash };
      }
      if (rows.length < BATCH) break;
      after = Number(rows[rows.length - 1]!.id);
    }
    if (!firstBreak) firstBreak = endBreak(previous, head);
    await c.query('COMMIT');
    return { ok: firstBreak === null, entries, head, firstBreak, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    c.release();
  }
}

/** An entry whose prev_hash is not the hash of the entry before it: a deletion, or a rewritten entry. */
function linkBreak(previous: { id: number; hash: string } | null, id: number, e: ChainedEntry): ChainBreak {
  const expectedId = (previous?.id ?? 0) + 1;
  if (previous === null && e.prevHash !== GENESIS_HASH && id > 1) {
    return { kind: 'deleted', id, message: `Entries before #${id} were deleted: #${id} is not linked to the start of the chain.` };
  }
  // Ids from the chain head have no gaps (entries chained by the migration may, harmlessly): a gap at
  // a broken link names what was removed.
  if (id > expectedId && previous !== null) {
    const range = id - 1 === expectedId ? `#${expectedId}` : `#${expectedId}–#${id - 1}`;
    return { kind: 'deleted', id, missingIds: { from: expectedId, to: id - 1 }, message: `Entry ${range} was deleted: #${id} is linked to an entry that is no longer there.` };
  }
  const before = previous ? `#${previous.id}` : 'the start of the chain';
  return {
    kind: 'relinked',
    id: previous?.id ?? id,
    message: `The link between ${before} and #${id} is broken: ${previous ? `#${previous.id} was altered and its hash rewritten, or ` : ''}#${id}'s link was rewritten.`,
  };
}

/** After the last entry: the head must point at it (else entries at the end were deleted). */
function endBreak(last: { id: number; hash: string } | null, head: { id: number; hash: string } | null): ChainBreak | null {
  if (!head) return { kind: 'head_missing', id: null, message: 'The chain head (pulse.audit_chain_head) is missing: the audit log cannot be checked for entries deleted at its end.' };
  const lastId = last?.id ?? 0;
  if (head.id > lastId) {
    const range = head.id === lastId + 1 ? `#${head.id}` : `#${lastId + 1}–#${head.id}`;
    return { kind: 'deleted_at_end', id: lastId + 1, missingIds: { from: lastId + 1, to: head.id }, message: `Entry ${range} at the end of the log was deleted: the chain head records #${head.id}.` };
  }
  if (head.id !== lastId || head.hash !== (last?.hash ?? GENESIS_HASH)) {
    return { kind: 'relinked', id: lastId, message: `The chain head does not match the last entry #${lastId}: the end of the log was rewritten.` };
  }
  return null;
}
