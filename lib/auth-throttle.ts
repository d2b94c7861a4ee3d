// Sign-in throttling beyond the per-account lock (lib/auth.ts): failures per client address in a
// sliding window, so one address cannot try many accounts (password spraying) or many codes; and a
// lock for e-mails that have no account that behaves exactly like a real account's lock, so
// "locked" never tells an attacker that an e-mail exists.
import crypto from 'node:crypto';
import type pg from 'pg';

/** Failed sign-in steps (password or code) one address may make in the window before it is refused. */
export const ADDRESS_MAX_FAILURES = 20;
/** Password-reset requests one address may make in the window. */
export const ADDRESS_MAX_RESET_REQUESTS = 5;
export const ADDRESS_WINDOW_MS = 15 * 60 * 1000;

/** After this many wrong passwords or codes in a row, the account waits LOCK_MS before trying again. */
export const MAX_FAILED_SIGN_INS = 10;
export const LOCK_MS = 15 * 60 * 1000;

export type AttemptKind = 'failure' | 'reset_request';

/** Requests whose address is unknown share one bucket: they are throttled together, never exempt. */
function addressKey(address: string | null | undefined): string {
  return address?.slice(0, 100) || 'unknown';
}

export type ThrottleState = { limited: false } | { limited: true; retryAfterSeconds: number };

/** Whether this address is over its limit for `kind` right now (refused attempts are not counted). */
export async function checkAddressThrottle(db: pg.Pool | pg.ClientBase, address: string | null | undefined, kind: AttemptKind): Promise<ThrottleState> {
  const limit = kind === 'failure' ? ADDRESS_MAX_FAILURES : ADDRESS_MAX_RESET_REQUESTS;
  const { rows } = await db.query<{ count: string; oldest: Date | null }>(
    `SELECT count(*) AS count, min(at) AS oldest FROM (
       SELECT at FROM pulse.auth_attempts WHERE address = $1 AND kind = $2 AND at > now() - $3 * interval '1 millisecond'
       ORDER BY at DESC LIMIT $4) recent`,
    [addressKey(address), kind, ADDRESS_WINDOW_MS, limit],
  );
  const row = rows[0]!;
  if (Number(row.count) < limit || !row.oldest) return { limited: false };
  // The window slides: the address may try again when the oldest of the last `limit` attempts leaves it.
  const retryAfterMs = row.oldest.getTime() + ADDRESS_WINDOW_MS - Date.now();
  return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

export async function recordAddressAttempt(db: pg.Pool | pg.ClientBase, address: string | null | undefined, kind: AttemptKind): Promise<void> {
  await db.query('INSERT INTO pulse.auth_attempts (address, kind) VALUES ($1, $2)', [addressKey(address), kind]);
  // Old rows are cleared here rather than by a job: failures are rare and this is one indexed delete.
  if (Math.random() < 0.05) await db.query("DELETE FROM pulse.auth_attempts WHERE at < now() - interval '1 day'");
}

function emailHash(email: string): Buffer {
  return crypto.createHash('sha256').update(email.trim().toLowerCase()).digest();
}

/** The same lock rule as pulse.users (see recordAccountFailureSql), for an e-mail with no account. */
export async function isUnknownAccountLocked(db: pg.Pool | pg.ClientBase, email: string): Promise<boolean> {
  const { rows } = await db.query<{ locked: boolean }>('SELECT locked_until > now() AS locked FROM pulse.unknown_account_failures WHERE email_hash = $1', [emailHash(email)]);
  return rows[0]?.locked === true;
}

export async function recordUnknownAccountFailure(db: pg.Pool | pg.ClientBase, email: string): Promise<void> {
  await db.query(
    `INSERT INTO pulse.unknown_account_failures AS f (email_hash, failed_sign_ins, locked_until) VALUES ($1, 1, NULL)
     ON CONFLICT (email_hash) DO UPDATE SET ${failureUpdate('f')}, updated_at = now()`,
    [emailHash(email), MAX_FAILED_SIGN_INS, LOCK_MS],
  );
  if (Math.random() < 0.05) await db.query("DELETE FROM pulse.unknown_account_failures WHERE updated_at < now() - interval '1 day'");
}

/**
 * The SET clause that counts one more failure and locks at MAX_FAILED_SIGN_INS ($2 and $3 are the
 * limit and the lock in ms). A lock that has run out starts the count again, so an account whose lock
 * ended gets MAX_FAILED_SIGN_INS fresh tries, known e-mail or not.
 */
export function failureUpdate(table: string): string {
  const count = `CASE WHEN ${table}.locked_until IS NOT NULL AND ${table}.locked_until <= now() THEN 1 ELSE ${table}.failed_sign_ins + 1 END`;
  return `failed_sign_ins = ${count},
          locked_until = CASE WHEN ${count} >= $2 THEN now() + $3 * interval '1 millisecond'
                              WHEN ${table}.locked_until <= now() THEN NULL ELSE ${table}.locked_until END`;
}
