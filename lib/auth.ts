// Users and sessions in Pulse's PostgreSQL (lib/migrations/002_auth.sql). Used by the dashboard
// (sign-in, every request's session check) and the CLI (`pulse user add`, demo users).
// Passwords: Argon2id, checked against lib/password-rules.ts. Sessions: a random 256-bit token in an
// HttpOnly cookie; only its SHA-256 is stored, so the table cannot be replayed as cookies.
// Sign-in is the password step; when the user has MFA (or their role requires it) it ends in a
// short-lived challenge instead of a session, and lib/mfa.ts finishes it. Every attempt is audited.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import { z } from 'zod';
import { PulseError } from './errors.ts';
import { roles, type Role } from './auth-roles.ts';
import { writeAudit } from './audit.ts';
import {
  LOCK_MS,
  MAX_FAILED_SIGN_INS,
  checkAddressThrottle,
  failureUpdate,
  isUnknownAccountLocked,
  recordAddressAttempt,
  recordUnknownAccountFailure,
} from './auth-throttle.ts';
import { checkPassword } from './password-rules.ts';
import type { OwnerScope } from './user-scopes.ts';

export class AuthError extends PulseError {}

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  language: Language | null;
}

export interface Session {
  /** The session's public id (pulse.sessions.id), e.g. to mark "this device" in a list. */
  id: number;
  user: User;
  expiresAt: string;
  /** The user's owner scope (lib/user-scopes.ts), read with the session: null when they see every customer. */
  ownerScope: OwnerScope;
}

/** Who is asking, as far as the server can tell: recorded on sessions and in the audit log. */
export interface ClientInfo {
  userAgent?: string | null;
  /** The client's IP address (dashboard/lib/server/client-address.ts decides which one to trust). */
  address?: string | null;
}

/** Idle expiry (extended on use) and absolute expiry of a session. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** How long the step between a right password and a session may take (enter a code / enrol). */
export const MFA_CHALLENGE_MS = 5 * 60 * 1000;
// Enrolment may mean installing an authenticator app first: five minutes is too short for that.
export const ENROL_CHALLENGE_MS = 15 * 60 * 1000;

// OWASP's Argon2id baseline (m=19 MiB, t=2, p=1): ~20 ms here, slow enough for offline guessing.
// `algorithm: 2` is Algorithm.Argon2id: a const enum, which isolatedModules cannot import.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an e-mail address')),
  // Length, common passwords and the e-mail: checkPassword, after parsing (it needs the e-mail).
  password: z.string({ error: 'must be text' }),
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  language: z.enum(languages, { error: 'must be zh-CN or en' }).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

/**
 * Creates a user. Throws AuthError 'invalid_user' naming the field (the password's message names the
 * rule it breaks), or 'email_taken'. `invited`: the password is a random placeholder nobody knows and
 * the user chooses theirs through an invitation (lib/account-tokens.ts).
 */
export async function createUser(db: pg.Pool | pg.ClientBase, input: NewUser, options: { demo?: boolean; invited?: boolean } = {}): Promise<User> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'user'}: ${issue.message}`);
    throw new AuthError('invalid_user', `Invalid user: ${problems.join('; ')}`);
  }
  const u = parsed.data;
  const weak = await checkPassword(u.password, u.email);
  if (weak) throw new AuthError('invalid_user', `Invalid user: password: ${weak.message}`);
  const passwordHash = await hash(u.password, ARGON2);
  try {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO pulse.users (email, name, role, language, password_hash, is_demo, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN NULL ELSE now() END)
       RETURNING id, email, name, role, language`,
      [u.email, u.name ?? u.email.split('@')[0], u.role, u.language ?? null, passwordHash, options.demo ?? false, options.invited ?? false],
    );
    return toUser(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AuthError('email_taken', `A user with e-mail ${u.email} already exists.`, { cause: error });
    throw error;
  }
}

/**
 * Sets a password (checked against the rules with the user's e-mail), clears the lock and ends the
 * user's sessions: all of them, or all but `keepSessionId` (changing your own password keeps the
 * device you did it on). `db` may be a client inside the caller's transaction.
 */
export async function setUserPassword(db: pg.Pool | pg.ClientBase, userId: number, password: string, options: { keepSessionId?: number } = {}): Promise<void> {
  const { rows } = await db.query<{ email: string }>('SELECT email FROM pulse.users WHERE id = $1', [userId]);
  if (!rows[0]) throw new AuthError('unknown_user', `There is no user ${userId}.`);
  const weak = await checkPassword(password, rows[0].email);
  if (weak) throw new AuthError('weak_password', `password: ${weak.message}`);
  await db.query(
    'UPDATE pulse.users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL, password_changed_at = now(), updated_at = now() WHERE id = $1',
    [userId, await hash(password, ARGON2)],
  );
  await endUserSessions(db, userId, options.keepSessionId);
}

/** Ends every session of a user, or all but one. Returns how many ended. */
export async function endUserSessions(db: pg.Pool | pg.ClientBase, userId: number, keepSessionId?: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM pulse.sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2', [userId, keepSessionId ?? null]);
  return rowCount ?? 0;
}

/** Whether `password` is this user's current password (for changing it, which needs the old one). */
export async function verifyUserPassword(db: pg.Pool, userId: number, password: string): Promise<boolean> {
  const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM pulse.users WHERE id = $1', [userId]);
  if (!rows[0]) return false;
  return verify(rows[0].password_hash, password).catch(() => false);
}

export type ChangePasswordResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; reason: 'wrong_password' }
  | { ok: false; reason: 'weak_password'; message: string }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * A signed-in user changes their own password: the current one is required, the new one must pass
 * the rules, and every other session of theirs ends (this one stays). A wrong current password
 * counts like a wrong password at sign-in (account lock, address throttle), so a stolen session
 * cannot be used to guess it. Audited either way.
 */
export async function changeOwnPassword(db: pg.Pool, session: Session, currentPassword: string, newPassword: string, client: ClientInfo = {}): Promise<ChangePasswordResult> {
  const { user } = session;
  const address = client.address ?? null;
  const audit = (outcome: 'success' | 'failure' | 'denied', details: Record<string, unknown>) =>
    writeAudit(db, { userId: user.id, userEmail: user.email, role: user.role, action: 'password_change', target: `user:${user.id}`, outcome, address, details });
  const throttle = await checkAddressThrottle(db, address, 'failure');
  if (throttle.limited) {
    await audit('denied', { reason: 'throttled' });
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }
  if (!(await verifyUserPassword(db, user.id, currentPassword))) {
    await recordAccountFailure(db, user.id);
    await recordAddressAttempt(db, address, 'failure');
    await audit('failure', { reason: 'wrong_password' });
    return { ok: false, reason: 'wrong_password' };
  }
  const weak = await checkPassword(newPassword, user.email);
  if (weak) return { ok: false, reason: 'weak_password', message: weak.message };
  const before = await db.query<{ n: string }>('SELECT count(*) AS n FROM pulse.sessions WHERE user_id = $1 AND id <> $2', [user.id, session.id]);
  await setUserPassword(db, user.id, newPassword, { keepSessionId: session.id });
  const sessionsEnded = Number(before.rows[0]!.n);
  await audit('success', { sessionsEnded });
  return { ok: true, sessionsEnded };
}

export async function setUserLanguage(db: pg.Pool, userId: number, language: Language): Promise<void> {
  await db.query('UPDATE pulse.users SET language = $2, updated_at = now() WHERE id = $1', [userId, language]);
}

export interface UserListEntry extends User {
  lastSignInAt: string | null;
  disabled: boolean;
  mfaEnabled: boolean;
  /** Invited and has not chosen a password yet. */
  invitePending: boolean;
  lockedUntil: string | null;
  sessions: number;
}

export async function listUsers(db: pg.Pool): Promise<UserListEntry[]> {
  const { rows } = await db.query<
    UserRow & { last_sign_in_at: Date | null; disabled_at: Date | null; mfa_enabled_at: Date | null; password_changed_at: Date | null; locked_until: Date | null; sessions: string }
  >(
    `SELECT u.id, u.email, u.name, u.role, u.language, u.last_sign_in_at, u.disabled_at, u.mfa_enabled_at, u.password_changed_at,
            CASE WHEN u.locked_until > now() THEN u.locked_until END AS locked_until,
            (SELECT count(*) FROM pulse.sessions s WHERE s.user_id = u.id AND s.expires_at > now()) AS sessions
     FROM pulse.users u ORDER BY u.role, lower(u.email)`,
  );
  return rows.map((r) => ({
    ...toUser(r),
    lastSignInAt: r.last_sign_in_at?.toISOString() ?? null,
    disabled: r.disabled_at !== null,
    mfaEnabled: r.mfa_enabled_at !== null,
    invitePending: r.password_changed_at === null,
    lockedUntil: r.locked_until?.toISOString() ?? null,
    sessions: Number(r.sessions),
  }));
}

export async function getUser(db: pg.Pool | pg.ClientBase, userId: number): Promise<(User & { disabled: boolean }) | null> {
  const { rows } = await db.query<UserRow & { disabled_at: Date | null }>('SELECT id, email, name, role, language, disabled_at FROM pulse.users WHERE id = $1', [userId]);
  return rows[0] ? { ...toUser(rows[0]), disabled: rows[0].disabled_at !== null } : null;
}

export type SignInResult =
  /** Signed in: a session cookie token. */
  | { ok: true; step: 'session'; token: string; user: User; expiresAt: Date }
  /** Right password; a code ('mfa') or enrolment ('enrol') is still needed: a challenge cookie token. */
  | { ok: true; step: 'mfa' | 'enrol'; challengeToken: string; user: User; expiresAt: Date }
  | { ok: false; reason: 'invalid' | 'locked' }
  /** This client address made too many failed attempts; it may try again after retryAfterSeconds. */
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * The password step. Wrong e-mail and wrong password give the same answer (and take about the same
 * time: an unknown e-mail still runs one Argon2 verify), and unknown e-mails lock like real accounts,
 * so sign-in does not reveal which e-mails exist. A right password for a user with MFA, or whose
 * role requires it, returns a challenge instead of a session. Every outcome is audited.
 */
export async function signIn(db: pg.Pool, email: string, password: string, client: ClientInfo = {}): Promise<SignInResult> {
  const typed = email.trim().toLowerCase().slice(0, 254);
  const address = client.address ?? null;
  const audit = (outcome: 'success' | 'failure' | 'denied', user: { id: number; role: string } | null, details: Record<string, unknown>) =>
    writeAudit(db, { userId: user?.id ?? null, userEmail: typed, role: user?.role ?? '', action: 'sign_in', target: user ? `user:${user.id}` : 'sign-in', outcome, address, details: { step: 'password', ...details } });

  const throttle = await checkAddressThrottle(db, address, 'failure');
  if (throttle.limited) {
    await audit('denied', null, { reason: 'throttled' });
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }
  const { rows } = await db.query<UserRow & { password_hash: string; locked_until: Date | null; disabled_at: Date | null; mfa_enabled_at: Date | null; mfa_required: boolean | null }>(
    `SELECT u.id, u.email, u.name, u.role, u.language, u.password_hash, u.locked_until, u.disabled_at, u.mfa_enabled_at, p.required AS mfa_required
     FROM pulse.users u LEFT JOIN pulse.mfa_policy p ON p.role = u.role WHERE lower(u.email) = $1`,
    [typed],
  );
  const row = rows[0];
  if (!row) {
    if (await isUnknownAccountLocked(db, typed)) {
      await audit('denied', null, { reason: 'locked' });
      return { ok: false, reason: 'locked' };
    }
    await verify(await getDummyHash(), password).catch(() => false);
    await recordUnknownAccountFailure(db, typed);
    await recordAddressAttempt(db, address, 'failure');
    await audit('failure', null, { reason: 'invalid' });
    return { ok: false, reason: 'invalid' };
  }
  const user = toUser(row);
  if (row.locked_until && row.locked_until.getTime() > Date.now()) {
    await audit('denied', user, { reason: 'locked' });
    return { ok: false, reason: 'locked' };
  }
  const good = await verify(row.password_hash, password).catch(() => false);
  if (!good || row.disabled_at) {
    await recordAccountFailure(db, user.id);
    await recordAddressAttempt(db, address, 'failure');
    await audit('failure', user, { reason: good ? 'disabled' : 'invalid' });
    return { ok: false, reason: 'invalid' };
  }
  if (row.mfa_enabled_at || row.mfa_required) {
    // The failure count is not cleared yet: wrong codes keep counting towards the lock, so a stolen
    // password does not buy unlimited guesses at the code.
    const purpose = row.mfa_enabled_at ? 'mfa' : 'enrol';
    const challenge = await createSignInChallenge(db, user.id, purpose, client);
    await audit('success', user, { next: purpose });
    return { ok: true, step: purpose, challengeToken: challenge.token, user, expiresAt: challenge.expiresAt };
  }
  const session = await openSession(db, user.id, client);
  await audit('success', user, { next: 'session' });
  return { ok: true, step: 'session', token: session.token, user, expiresAt: session.expiresAt };
}

/** One more wrong password or code for a real account; locks it at MAX_FAILED_SIGN_INS. */
export async function recordAccountFailure(db: pg.Pool | pg.ClientBase, userId: number): Promise<void> {
  await db.query(`UPDATE pulse.users AS u SET ${failureUpdate('u')} WHERE id = $1`, [userId, MAX_FAILED_SIGN_INS, LOCK_MS]);
}

/** Whether the account is locked right now (a wrong code made it so, or an admin has not unlocked it). */
export async function isAccountLocked(db: pg.Pool | pg.ClientBase, userId: number): Promise<boolean> {
  const { rows } = await db.query<{ locked: boolean }>('SELECT coalesce(locked_until > now(), false) AS locked FROM pulse.users WHERE id = $1', [userId]);
  return rows[0]?.locked === true;
}

/**
 * A session for a user who has passed every step: clears the failure count, records the sign-in and
 * inserts the session (only the token's hash). Used by signIn and by lib/mfa.ts.
 */
export async function openSession(db: pg.Pool | pg.ClientBase, userId: number, client: ClientInfo = {}): Promise<{ token: string; expiresAt: Date; id: number }> {
  await db.query('UPDATE pulse.users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1', [userId]);
  const token = crypto.randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_IDLE_MS);
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO pulse.sessions (token_hash, user_id, expires_at, absolute_expires_at, user_agent, address) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [hashToken(token), userId, expiresAt, new Date(now + SESSION_ABSOLUTE_MS), client.userAgent?.slice(0, 300) ?? null, client.address?.slice(0, 100) ?? null],
  );
  // Expired sessions and challenges are cleared here rather than by a job: sign-ins are rare and these are indexed deletes.
  await db.query('DELETE FROM pulse.sessions WHERE expires_at < now()');
  await db.query('DELETE FROM pulse.sign_in_challenges WHERE expires_at < now()');
  return { token, expiresAt, id: Number(rows[0]!.id) };
}

/** A challenge between a right password and a session, single-use, stored as the token's hash. */
export async function createSignInChallenge(db: pg.Pool | pg.ClientBase, userId: number, purpose: 'mfa' | 'enrol', client: ClientInfo = {}): Promise<{ token: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + (purpose === 'mfa' ? MFA_CHALLENGE_MS : ENROL_CHALLENGE_MS));
  await db.query('INSERT INTO pulse.sign_in_challenges (token_hash, user_id, purpose, expires_at, user_agent, address) VALUES ($1, $2, $3, $4, $5, $6)', [
    hashToken(token),
    userId,
    purpose,
    expiresAt,
    client.userAgent?.slice(0, 300) ?? null,
    client.address?.slice(0, 100) ?? null,
  ]);
  return { token, expiresAt };
}

export interface SessionEntry {
  id: number;
  userId: number;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  address: string | null;
}

/** Active sessions, most recently seen first; one user's when `userId` is given. */
export async function listSessions(db: pg.Pool, options: { userId?: number } = {}): Promise<SessionEntry[]> {
  const { rows } = await db.query<{ id: string; user_id: string; email: string; name: string; role: Role; created_at: Date; last_seen_at: Date; expires_at: Date; user_agent: string | null; address: string | null }>(
    `SELECT s.id, s.user_id, u.email, u.name, u.role, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.address
     FROM pulse.sessions s JOIN pulse.users u ON u.id = s.user_id
     WHERE s.expires_at > now() AND ($1::bigint IS NULL OR s.user_id = $1)
     ORDER BY s.last_seen_at DESC, s.id DESC LIMIT 1000`,
    [options.userId ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    email: r.email,
    name: r.name,
    role: r.role,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    userAgent: r.user_agent,
    address: r.address,
  }));
}

/** Ends one session by its id; returns whose it was, or null when there is no such session. */
export async function revokeSession(db: pg.Pool, sessionId: number): Promise<{ userId: number; email: string } | null> {
  const { rows } = await db.query<{ user_id: string; email: string }>(
    'DELETE FROM pulse.sessions s USING pulse.users u WHERE s.id = $1 AND u.id = s.user_id RETURNING s.user_id, u.email',
    [sessionId],
  );
  return rows[0] ? { userId: Number(rows[0].user_id), email: rows[0].email } : null;
}

/**
 * The session behind a cookie token, or null when unknown, expired or the user is disabled.
 * Slides the idle expiry, at most once a minute (one write per request would be wasted work).
 */
export async function getSession(db: pg.Pool, token: string | undefined): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = hashToken(token);
  // A named (prepared) statement: it runs on every request, and PostgreSQL then skips parsing and
  // planning it (about half of its cost) on each connection after the first time.
  // The owner scope comes in the same statement: every request that lists customers needs it.
  const { rows } = await db.query<UserRow & { expires_at: Date; stale: boolean; session_id: string; owner_ids: string[] | null }>({
    name: 'pulse-session-by-token',
    text: `SELECT u.id, u.email, u.name, u.role, u.language, s.id AS session_id, s.expires_at, s.last_seen_at < now() - interval '1 minute' AS stale, us.owner_ids
     FROM pulse.sessions s JOIN pulse.users u ON u.id = s.user_id LEFT JOIN pulse.user_scopes us ON us.user_id = u.id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    values: [tokenHash],
  });
  const row = rows[0];
  if (!row) return null;
  let expiresAt = row.expires_at;
  if (row.stale) {
    const updated = await db.query<{ expires_at: Date }>(
      `UPDATE pulse.sessions SET last_seen_at = now(), expires_at = least(absolute_expires_at, now() + $2 * interval '1 millisecond')
       WHERE token_hash = $1 RETURNING expires_at`,
      [tokenHash, SESSION_IDLE_MS],
    );
    expiresAt = updated.rows[0]?.expires_at ?? expiresAt;
  }
  return { id: Number(row.session_id), user: toUser(row), expiresAt: expiresAt.toISOString(), ownerScope: row.owner_ids ? row.owner_ids.map(Number) : null };
}

export async function signOut(db: pg.Pool, token: string | undefined): Promise<void> {
  if (token) await db.query('DELETE FROM pulse.sessions WHERE token_hash = $1', [hashToken(token)]);
}

export interface DemoUser {
  email: string;
  role: Role;
  password: string;
  created: boolean;
}

/**
 * One demo user per role (admin@pulse.example, manager@pulse.example, …), all with one password
 * generated on first start and kept owner-only in `<dataDir>/demo-password` (never in the repo).
 * Existing demo users keep their password; returns the sign-in details to print.
 */
export async function ensureDemoUsers(db: pg.Pool, dataDir: string): Promise<DemoUser[]> {
  const password = readOrCreateDemoPassword(dataDir);
  const out: DemoUser[] = [];
  for (const role of roles) {
    const email = `${role}@pulse.example`;
    const { rowCount } = await db.query('SELECT 1 FROM pulse.users WHERE lower(email) = $1', [email]);
    let created = false;
    if (!rowCount) {
      try {
        await createUser(db, { email, password, role, name: demoNames[role] }, { demo: true });
        created = true;
      } catch (error) {
        // Two processes starting at once: the other one created it.
        if (!(error instanceof AuthError && error.code === 'email_taken')) throw error;
      }
    }
    out.push({ email, role, password, created });
  }
  return out;
}

export function demoPasswordFile(dataDir: string): string {
  return path.join(dataDir, 'demo-password');
}

function readOrCreateDemoPassword(dataDir: string): string {
  const file = demoPasswordFile(dataDir);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  // Readable and typeable: 4 groups of 4 from an alphabet without look-alikes (l/1, O/0).
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  const password = [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

const demoNames: Record<Role, string> = {
  admin: 'Demo Admin',
  manager: 'Demo Manager',
  marketer: 'Demo Marketer',
  executive: 'Demo Executive',
  analyst: 'Demo Analyst',
};

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  language: Language | null;
}

function toUser(row: UserRow): User {
  return { id: Number(row.id), email: row.email, name: row.name, role: row.role, language: row.language };
}

/** SHA-256 of a cookie or e-mailed token: what the tables store instead of the token. */
export function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

// A hash of a random string, verified when the e-mail is unknown so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hash(crypto.randomBytes(16).toString('hex'), ARGON2);
  return dummyHash;
}
