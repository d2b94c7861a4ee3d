// Users and sessions in Pulse's PostgreSQL (lib/migrations/002_auth.sql). Used by the dashboard
// (sign-in, every request's session check) and the CLI (`pulse user add`, demo users).
// Passwords: Argon2id. Sessions: a random 256-bit token in an HttpOnly cookie; only its SHA-256 is
// stored, so the table cannot be replayed as cookies.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import type pg from 'pg';
import { z } from 'zod';
import { PulseError } from './errors.ts';
import { roles, type Role } from './auth-roles.ts';

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
  user: User;
  expiresAt: string;
}

/** Idle expiry (extended on use) and absolute expiry of a session. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** After this many wrong passwords in a row, the account waits LOCK_MS before trying again. */
const MAX_FAILED_SIGN_INS = 10;
const LOCK_MS = 15 * 60 * 1000;

// OWASP's Argon2id baseline (m=19 MiB, t=2, p=1): ~20 ms here, slow enough for offline guessing.
// `algorithm: 2` is Algorithm.Argon2id: a const enum, which isolatedModules cannot import.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an e-mail address')),
  password: z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters'),
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  language: z.enum(languages, { error: 'must be zh-CN or en' }).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

/** Creates a user. Throws AuthError 'invalid_user' naming the field, or 'email_taken'. */
export async function createUser(db: pg.Pool | pg.ClientBase, input: NewUser, options: { demo?: boolean } = {}): Promise<User> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'user'}: ${issue.message}`);
    throw new AuthError('invalid_user', `Invalid user: ${problems.join('; ')}`);
  }
  const u = parsed.data;
  const passwordHash = await hash(u.password, ARGON2);
  try {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO pulse.users (email, name, role, language, password_hash, is_demo) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, email, name, role, language`,
      [u.email, u.name ?? u.email.split('@')[0], u.role, u.language ?? null, passwordHash, options.demo ?? false],
    );
    return toUser(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AuthError('email_taken', `A user with e-mail ${u.email} already exists.`, { cause: error });
    throw error;
  }
}

export async function setUserPassword(db: pg.Pool, userId: number, password: string): Promise<void> {
  const checked = newUserSchema.shape.password.safeParse(password);
  if (!checked.success) throw new AuthError('invalid_user', `Invalid user: password: ${checked.error.issues[0]!.message}`);
  await db.query('UPDATE pulse.users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [userId, await hash(password, ARGON2)]);
  // A changed password ends every existing session.
  await db.query('DELETE FROM pulse.sessions WHERE user_id = $1', [userId]);
}

export async function setUserLanguage(db: pg.Pool, userId: number, language: Language): Promise<void> {
  await db.query('UPDATE pulse.users SET language = $2, updated_at = now() WHERE id = $1', [userId, language]);
}

export async function listUsers(db: pg.Pool): Promise<(User & { lastSignInAt: string | null; disabled: boolean })[]> {
  const { rows } = await db.query<UserRow & { last_sign_in_at: Date | null; disabled_at: Date | null }>(
    'SELECT id, email, name, role, language, last_sign_in_at, disabled_at FROM pulse.users ORDER BY role, lower(email)',
  );
  return rows.map((r) => ({ ...toUser(r), lastSignInAt: r.last_sign_in_at?.toISOString() ?? null, disabled: r.disabled_at !== null }));
}

export type SignInResult = { ok: true; token: string; user: User; expiresAt: Date } | { ok: false; reason: 'invalid' | 'locked' };

/**
 * Checks the password and opens a session. Wrong e-mail and wrong password give the same answer
 * (and take about the same time), so sign-in does not reveal which e-mails exist.
 */
export async function signIn(db: pg.Pool, email: string, password: string, userAgent?: string): Promise<SignInResult> {
  const { rows } = await db.query<UserRow & { password_hash: string; locked_until: Date | null; disabled_at: Date | null }>(
    'SELECT id, email, name, role, language, password_hash, locked_until, disabled_at FROM pulse.users WHERE lower(email) = lower($1)',
    [email.trim()],
  );
  const row = rows[0];
  if (!row) {
    await verify(await getDummyHash(), password).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  if (row.locked_until && row.locked_until.getTime() > Date.now()) return { ok: false, reason: 'locked' };
  const good = await verify(row.password_hash, password).catch(() => false);
  if (!good || row.disabled_at) {
    await db.query(
      `UPDATE pulse.users SET failed_sign_ins = failed_sign_ins + 1,
         locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN now() + $3 * interval '1 millisecond' ELSE locked_until END
       WHERE id = $1`,
      [row.id, MAX_FAILED_SIGN_INS, LOCK_MS],
    );
    return { ok: false, reason: 'invalid' };
  }
  await db.query('UPDATE pulse.users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1', [row.id]);
  const token = crypto.randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_IDLE_MS);
  await db.query('INSERT INTO pulse.sessions (token_hash, user_id, expires_at, absolute_expires_at, user_agent) VALUES ($1, $2, $3, $4, $5)', [
    hashToken(token),
    row.id,
    expiresAt,
    new Date(now + SESSION_ABSOLUTE_MS),
    userAgent?.slice(0, 300) ?? null,
  ]);
  // Expired sessions are cleared here rather than by a job: sign-ins are rare and this is one indexed delete.
  await db.query('DELETE FROM pulse.sessions WHERE expires_at < now()');
  return { ok: true, token, user: toUser(row), expiresAt };
}

/**
 * The session behind a cookie token, or null when unknown, expired or the user is disabled.
 * Slides the idle expiry, at most once a minute (one write per request would be wasted work).
 */
export async function getSession(db: pg.Pool, token: string | undefined): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = hashToken(token);
  const { rows } = await db.query<UserRow & { expires_at: Date; stale: boolean }>(
    `SELECT u.id, u.email, u.name, u.role, u.language, s.expires_at, s.last_seen_at < now() - interval '1 minute' AS stale
     FROM pulse.sessions s JOIN pulse.users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [tokenHash],
  );
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
  return { user: toUser(row), expiresAt: expiresAt.toISOString() };
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

function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

// A hash of a random string, verified when the e-mail is unknown so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hash(crypto.randomBytes(16).toString('hex'), ARGON2);
  return dummyHash;
}
