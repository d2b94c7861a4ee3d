// E-mailed single-use tokens: "forgot password" (1 hour) and invitations to set a first password
// (72 hours). Only the token's SHA-256 is stored; using one sets the password, clears the lock and
// ends every session of the user, in one transaction. Sending the e-mail is the caller's job (the
// dashboard), so this module stays free of mail and templates.
import crypto from 'node:crypto';
import type pg from 'pg';
import { writeAudit } from './audit.ts';
import { checkAddressThrottle, recordAddressAttempt } from './auth-throttle.ts';
import { createUser, hashToken, setUserPassword, type ClientInfo, type NewUser, type User } from './auth.ts';
import type { Actor } from './mfa.ts';
import { checkPassword, type PasswordProblem } from './password-rules.ts';

export type AccountTokenPurpose = 'reset' | 'invite';

export const RESET_TOKEN_MS = 60 * 60 * 1000;
export const INVITE_TOKEN_MS = 72 * 60 * 60 * 1000;
/** Reset e-mails one account receives per hour at most; more requests get the same answer and no mail. */
export const MAX_RESET_MAILS_PER_HOUR = 3;

/** A new token for the user; earlier unused tokens of the same purpose stop working. */
export async function createAccountToken(db: pg.Pool | pg.ClientBase, userId: number, purpose: AccountTokenPurpose): Promise<{ token: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + (purpose === 'reset' ? RESET_TOKEN_MS : INVITE_TOKEN_MS));
  await db.query('DELETE FROM pulse.account_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [userId, purpose]);
  await db.query('INSERT INTO pulse.account_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)', [hashToken(token), userId, purpose, expiresAt]);
  return { token, expiresAt };
}

export interface TokenOwner {
  user: User;
  purpose: AccountTokenPurpose;
  expiresAt: string;
}

/** Who a still-usable token belongs to (for the reset page), without using it up. */
export async function peekAccountToken(db: pg.Pool | pg.ClientBase, token: string | undefined): Promise<TokenOwner | null> {
  if (!token || token.length > 100) return null;
  const { rows } = await db.query<{ user_id: string; email: string; name: string; role: User['role']; language: User['language']; purpose: AccountTokenPurpose; expires_at: Date }>(
    `SELECT t.user_id, u.email, u.name, u.role, u.language, t.purpose, t.expires_at
     FROM pulse.account_tokens t JOIN pulse.users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  return { user: { id: Number(row.user_id), email: row.email, name: row.name, role: row.role, language: row.language }, purpose: row.purpose, expiresAt: row.expires_at.toISOString() };
}

export type UseTokenResult = { ok: true; user: User; purpose: AccountTokenPurpose } | { ok: false; reason: 'invalid_token' } | { ok: false; reason: 'weak_password'; problem: PasswordProblem };

/**
 * Sets the password through a token. The password is checked before the token is touched, so a
 * refused password leaves the link usable; then, in one transaction, the token is marked used (only
 * one request can), the password set, the lock cleared and every session ended.
 */
export async function usePasswordToken(db: pg.Pool, token: string | undefined, password: string, client: ClientInfo = {}): Promise<UseTokenResult> {
  const owner = await peekAccountToken(db, token);
  if (!owner || !token) return { ok: false, reason: 'invalid_token' };
  const problem = await checkPassword(password, owner.user.email);
  if (problem) return { ok: false, reason: 'weak_password', problem };
  const tx = await db.connect();
  try {
    await tx.query('BEGIN');
    const { rowCount } = await tx.query('UPDATE pulse.account_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()', [hashToken(token)]);
    if (!rowCount) {
      await tx.query('ROLLBACK');
      return { ok: false, reason: 'invalid_token' };
    }
    await setUserPassword(tx, owner.user.id, password);
    await tx.query('DELETE FROM pulse.account_tokens WHERE user_id = $1 AND used_at IS NULL', [owner.user.id]);
    await writeAudit(tx, {
      userId: owner.user.id,
      userEmail: owner.user.email,
      role: owner.user.role,
      action: 'password_reset',
      target: `user:${owner.user.id}`,
      address: client.address ?? null,
      details: { via: owner.purpose },
    });
    await tx.query('COMMIT');
    return { ok: true, user: owner.user, purpose: owner.purpose };
  } catch (error) {
    await tx.query('ROLLBACK');
    throw error;
  } finally {
    tx.release();
  }
}

export type ResetRequestResult =
  /** The same for known and unknown e-mails; `mail` is set only when an e-mail should be sent. */
  | { ok: true; mail: { user: User; token: string; expiresAt: Date } | null }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * "Forgot password": a token for an existing, enabled user (at most MAX_RESET_MAILS_PER_HOUR), nothing
 * for anyone else; the caller answers the same either way. Throttled per address.
 */
export async function requestPasswordReset(db: pg.Pool, email: string, client: ClientInfo = {}): Promise<ResetRequestResult> {
  const typed = email.trim().toLowerCase().slice(0, 254);
  const address = client.address ?? null;
  const throttle = await checkAddressThrottle(db, address, 'reset_request');
  if (throttle.limited) {
    await writeAudit(db, { userId: null, userEmail: typed, role: '', action: 'password_reset_request', target: 'password-reset', outcome: 'denied', address, details: { reason: 'throttled' } });
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }
  await recordAddressAttempt(db, address, 'reset_request');
  const { rows } = await db.query<{ id: string; email: string; name: string; role: User['role']; language: User['language']; recent: string }>(
    `SELECT u.id, u.email, u.name, u.role, u.language,
            (SELECT count(*) FROM pulse.account_tokens t WHERE t.user_id = u.id AND t.purpose = 'reset' AND t.created_at > now() - interval '1 hour') AS recent
     FROM pulse.users u WHERE lower(u.email) = $1 AND u.disabled_at IS NULL`,
    [typed],
  );
  const row = rows[0];
  const user: User | null = row ? { id: Number(row.id), email: row.email, name: row.name, role: row.role, language: row.language } : null;
  const send = user !== null && Number(row!.recent) < MAX_RESET_MAILS_PER_HOUR;
  // Used tokens are kept for the per-hour count above; rows older than a day are of no use.
  await db.query("DELETE FROM pulse.account_tokens WHERE expires_at < now() - interval '1 day'");
  // Recent tokens are counted even when unused, so the newest replaces older ones but still counts.
  const created = send ? await createResetTokenKeepingCount(db, user!.id) : null;
  await writeAudit(db, {
    userId: user?.id ?? null,
    userEmail: typed,
    role: user?.role ?? '',
    action: 'password_reset_request',
    target: user ? `user:${user.id}` : 'password-reset',
    outcome: 'success',
    address,
    details: { mailed: send, ...(user && !send ? { reason: 'hourly_limit' } : {}) },
  });
  return { ok: true, mail: created && user ? { user, token: created.token, expiresAt: created.expiresAt } : null };
}

/** Like createAccountToken('reset'), but earlier tokens are expired instead of deleted, so they still count towards the hourly limit. */
async function createResetTokenKeepingCount(db: pg.Pool, userId: number): Promise<{ token: string; expiresAt: Date }> {
  await db.query("UPDATE pulse.account_tokens SET expires_at = least(expires_at, now()) WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL", [userId]);
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + RESET_TOKEN_MS);
  await db.query("INSERT INTO pulse.account_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, 'reset', $3)", [hashToken(token), userId, expiresAt]);
  return { token, expiresAt };
}

/**
 * Invites a user: created with a random password nobody knows (so nobody can sign in as them) and a
 * 72-hour invitation token to choose their own. The caller e-mails the link.
 */
export async function inviteUser(db: pg.Pool, input: Omit<NewUser, 'password'>, actor: Actor): Promise<{ user: User; token: string; expiresAt: Date }> {
  const tx = await db.connect();
  try {
    await tx.query('BEGIN');
    const user = await createUser(tx, { ...input, password: crypto.randomBytes(32).toString('base64url') }, { invited: true });
    const { token, expiresAt } = await createAccountToken(tx, user.id, 'invite');
    await writeAudit(tx, { userId: actor.userId, userEmail: actor.email, role: actor.role, action: 'user_invite', target: `user:${user.id}`, address: actor.address ?? null, details: { email: user.email, role: user.role } });
    await tx.query('COMMIT');
    return { user, token, expiresAt };
  } catch (error) {
    await tx.query('ROLLBACK');
    throw error;
  } finally {
    tx.release();
  }
}
