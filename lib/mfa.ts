// Multi-factor sign-in with TOTP (lib/totp.ts) and one-time recovery codes.
//
// The TOTP secret is stored only in pulse.secrets, AES-256-GCM encrypted under the deployment key
// and bound to its name 'totp:user:<id>' (lib/secret-store.ts). A stored secret without
// users.mfa_enabled_at is an enrolment in progress: it takes effect only once a valid code confirms
// it. A code's time step is remembered (users.totp_last_step) so the same code, or an older one,
// is refused: a code seen over someone's shoulder cannot be replayed.
//
// Recovery codes: ten per user, shown once, stored as SHA-256 (they are random, 50 bits each, so a
// slow hash would add nothing), each usable once.
import crypto from 'node:crypto';
import type pg from 'pg';
import QRCode from 'qrcode';
import { roles, type Role } from './auth-roles.ts';
import { writeAudit, type AuditOutcome } from './audit.ts';
import { checkAddressThrottle, recordAddressAttempt } from './auth-throttle.ts';
import { AuthError, hashToken, isAccountLocked, openSession, recordAccountFailure, type ClientInfo, type User } from './auth.ts';
import { getSecret, putSecret, deleteSecret } from './secret-store.ts';
import type { Keyring } from './secrets.ts';
import { createTotpSecret, formatManualKey, matchTotp, totpUri } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;
/** Wrong codes one challenge accepts before the user must enter the password again. */
export const MAX_CODES_PER_CHALLENGE = 5;
/** An enrolment left unconfirmed this long starts over with a new secret. */
const PENDING_ENROLMENT_MS = 30 * 60 * 1000;

export function totpSecretName(userId: number): string {
  return `totp:user:${userId}`;
}

/** Who did it, for the audit log: the signed-in user, an admin acting on someone, or the CLI. */
export interface Actor {
  userId: number | null;
  email: string;
  role: string;
  address?: string | null;
}

function auditAs(db: pg.Pool | pg.ClientBase, actor: Actor, action: Parameters<typeof writeAudit>[1]['action'], target: string, outcome: AuditOutcome, details: Record<string, unknown> = {}) {
  return writeAudit(db, { userId: actor.userId, userEmail: actor.email, role: actor.role, action, target, outcome, address: actor.address ?? null, details });
}

export function actorOf(user: User, address?: string | null): Actor {
  return { userId: user.id, email: user.email, role: user.role, address: address ?? null };
}

// ---- policy ----------------------------------------------------------------------------------

/** Which roles must use MFA. A role missing from the table (none should) is not required. */
export async function getMfaPolicy(db: pg.Pool | pg.ClientBase): Promise<Record<Role, boolean>> {
  const { rows } = await db.query<{ role: Role; required: boolean }>('SELECT role, required FROM pulse.mfa_policy');
  const policy = Object.fromEntries(roles.map((role) => [role, false])) as Record<Role, boolean>;
  for (const row of rows) policy[row.role] = row.required;
  return policy;
}

export async function setMfaRequired(db: pg.Pool | pg.ClientBase, role: Role, required: boolean, actor: Actor): Promise<void> {
  await db.query(
    `INSERT INTO pulse.mfa_policy (role, required, updated_at, updated_by) VALUES ($1, $2, now(), $3)
     ON CONFLICT (role) DO UPDATE SET required = excluded.required, updated_at = now(), updated_by = excluded.updated_by`,
    [role, required, actor.email],
  );
  await auditAs(db, actor, 'settings_change', `mfa_policy:${role}`, 'success', { setting: 'mfa_required', role, required });
}

// ---- status ----------------------------------------------------------------------------------

export interface MfaStatus {
  enabled: boolean;
  /** The user's role requires MFA. */
  required: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
}

export async function getMfaStatus(db: pg.Pool | pg.ClientBase, userId: number): Promise<MfaStatus> {
  const { rows } = await db.query<{ mfa_enabled_at: Date | null; required: boolean | null; left: string }>(
    `SELECT u.mfa_enabled_at, p.required,
            (SELECT count(*) FROM pulse.mfa_recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL) AS left
     FROM pulse.users u LEFT JOIN pulse.mfa_policy p ON p.role = u.role WHERE u.id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row) throw new AuthError('unknown_user', `There is no user ${userId}.`);
  return { enabled: row.mfa_enabled_at !== null, required: row.required === true, enabledAt: row.mfa_enabled_at?.toISOString() ?? null, recoveryCodesLeft: Number(row.left) };
}

// ---- enrolment -------------------------------------------------------------------------------

export interface EnrolmentMaterial {
  /** Base32, for typing into the app. */
  secret: string;
  /** The same secret in groups of four. */
  manualKey: string;
  uri: string;
  /** The QR code of `uri` as SVG markup (no script; safe to inline under a strict CSP). */
  qrSvg: string;
}

/**
 * Starts (or resumes) enrolment: a new secret, stored encrypted but not yet in effect. Opening the
 * page again within PENDING_ENROLMENT_MS shows the same secret, so a QR code already scanned stays
 * good. Refused when MFA is already on (disable it first).
 */
export async function startTotpEnrolment(db: pg.Pool | pg.ClientBase, keyring: Keyring, user: User): Promise<EnrolmentMaterial> {
  const status = await getMfaStatus(db, user.id);
  if (status.enabled) throw new AuthError('mfa_already_enabled', 'Two-step sign-in is already on for this account; turn it off first to set up a new authenticator.');
  const name = totpSecretName(user.id);
  const { rows } = await db.query<{ fresh: boolean }>(`SELECT updated_at > now() - $2 * interval '1 millisecond' AS fresh FROM pulse.secrets WHERE name = $1`, [name, PENDING_ENROLMENT_MS]);
  let secret = rows[0]?.fresh ? await getSecret(db, keyring, name) : null;
  if (!secret) {
    secret = createTotpSecret();
    await putSecret(db, keyring, name, secret);
  }
  const uri = totpUri(secret, user.email);
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#111827', light: '#ffffff' } });
  return { secret, manualKey: formatManualKey(secret), uri, qrSvg };
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: 'invalid_code' | 'not_started' | 'already_enabled' };

/**
 * Turns MFA on once `code` matches the pending secret; returns the ten recovery codes to show once.
 * Audited as mfa_enrol (success or failure).
 */
export async function confirmTotpEnrolment(db: pg.Pool, keyring: Keyring, userId: number, code: string, actor: Actor, now: number = Date.now()): Promise<ConfirmResult> {
  const status = await getMfaStatus(db, userId);
  if (status.enabled) return { ok: false, reason: 'already_enabled' };
  const secret = await getSecret(db, keyring, totpSecretName(userId));
  if (!secret) return { ok: false, reason: 'not_started' };
  const step = matchTotp(secret, code, now);
  if (step === null) {
    await auditAs(db, actor, 'mfa_enrol', `user:${userId}`, 'failure', { reason: 'invalid_code' });
    return { ok: false, reason: 'invalid_code' };
  }
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rowCount } = await client.query('UPDATE pulse.users SET mfa_enabled_at = now(), totp_last_step = $2, updated_at = now() WHERE id = $1 AND mfa_enabled_at IS NULL', [userId, step]);
    if (!rowCount) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'already_enabled' };
    }
    const recoveryCodes = await replaceRecoveryCodes(client, userId);
    await auditAs(client, actor, 'mfa_enrol', `user:${userId}`, 'success');
    await client.query('COMMIT');
    return { ok: true, recoveryCodes };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

// ---- codes -----------------------------------------------------------------------------------

/** Recovery codes look like `k7m2p-q9rtx`: 10 characters from an alphabet without look-alikes. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function newRecoveryCode(): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
  const chars: string[] = [];
  while (chars.length < 10) {
    for (const byte of crypto.randomBytes(16)) {
      if (byte < 248 && chars.length < 10) chars.push(RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]!);
    }
  }
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function hashRecoveryCode(code: string): Buffer {
  return crypto.createHash('sha256').update(normaliseRecoveryCode(code)).digest();
}

function looksLikeTotp(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

async function replaceRecoveryCodes(db: pg.Pool | pg.ClientBase, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.query('DELETE FROM pulse.mfa_recovery_codes WHERE user_id = $1', [userId]);
  await db.query('INSERT INTO pulse.mfa_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])', [userId, codes.map(hashRecoveryCode)]);
  return codes;
}

export type CodeCheck = { ok: true; method: 'totp' | 'recovery_code'; recoveryCodesLeft: number } | { ok: false };

/**
 * Checks a second factor for a user with MFA on: a TOTP code not older than the last accepted one,
 * or an unused recovery code (then used up). Both updates are single statements, so two requests
 * racing with the same code cannot both win.
 */
export async function checkSecondFactor(db: pg.Pool | pg.ClientBase, keyring: Keyring, userId: number, code: string, now: number = Date.now()): Promise<CodeCheck> {
  const trimmed = code.trim().slice(0, 64);
  if (looksLikeTotp(trimmed)) {
    const secret = await getSecret(db, keyring, totpSecretName(userId));
    const step = secret ? matchTotp(secret, trimmed, now) : null;
    if (step === null) return { ok: false };
    const { rowCount } = await db.query(
      'UPDATE pulse.users SET totp_last_step = $2 WHERE id = $1 AND mfa_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)',
      [userId, step],
    );
    return rowCount ? { ok: true, method: 'totp', recoveryCodesLeft: await countRecoveryCodes(db, userId) } : { ok: false };
  }
  if (normaliseRecoveryCode(trimmed).length !== 10) return { ok: false };
  const { rowCount } = await db.query('UPDATE pulse.mfa_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL', [userId, hashRecoveryCode(trimmed)]);
  return rowCount ? { ok: true, method: 'recovery_code', recoveryCodesLeft: await countRecoveryCodes(db, userId) } : { ok: false };
}

async function countRecoveryCodes(db: pg.Pool | pg.ClientBase, userId: number): Promise<number> {
  const { rows } = await db.query<{ left: string }>('SELECT count(*) AS left FROM pulse.mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return Number(rows[0]!.left);
}

// ---- sign-in: the second step ----------------------------------------------------------------

export type ChallengeResult =
  | { ok: true; token: string; expiresAt: Date; user: User; method: 'totp' | 'recovery_code' | 'enrolment'; recoveryCodesLeft: number; recoveryCodes?: string[] }
  /** 'expired': no such challenge (used, timed out, or too many wrong codes): enter the password again. */
  | { ok: false; reason: 'invalid_code' | 'expired' | 'locked' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

interface ChallengeRow {
  user_id: string;
  purpose: 'mfa' | 'enrol';
  email: string;
  name: string;
  role: Role;
  language: User['language'];
}

async function findChallenge(db: pg.Pool | pg.ClientBase, token: string | undefined, purpose: 'mfa' | 'enrol'): Promise<ChallengeRow | null> {
  if (!token || token.length > 100) return null;
  const { rows } = await db.query<ChallengeRow>(
    `SELECT c.user_id, c.purpose, u.email, u.name, u.role, u.language
     FROM pulse.sign_in_challenges c JOIN pulse.users u ON u.id = c.user_id
     WHERE c.token_hash = $1 AND c.purpose = $2 AND c.expires_at > now() AND u.disabled_at IS NULL`,
    [hashToken(token), purpose],
  );
  return rows[0] ?? null;
}

function userOf(row: ChallengeRow): User {
  return { id: Number(row.user_id), email: row.email, name: row.name, role: row.role, language: row.language };
}

/** The user a challenge cookie belongs to (for the code and enrolment pages), or null. Does not use it up. */
export async function getChallengeUser(db: pg.Pool, token: string | undefined, purpose: 'mfa' | 'enrol'): Promise<User | null> {
  const row = await findChallenge(db, token, purpose);
  return row ? userOf(row) : null;
}

/** A wrong code: counts on the challenge (gone after MAX_CODES_PER_CHALLENGE), on the address and, optionally, on the account. */
async function recordWrongCode(db: pg.Pool, token: string, userId: number, address: string | null, countOnAccount: boolean): Promise<'invalid_code' | 'expired'> {
  const { rows } = await db.query<{ failed_codes: number }>('UPDATE pulse.sign_in_challenges SET failed_codes = failed_codes + 1 WHERE token_hash = $1 RETURNING failed_codes', [hashToken(token)]);
  if (countOnAccount) await recordAccountFailure(db, userId);
  await recordAddressAttempt(db, address, 'failure');
  if ((rows[0]?.failed_codes ?? MAX_CODES_PER_CHALLENGE) >= MAX_CODES_PER_CHALLENGE) {
    await db.query('DELETE FROM pulse.sign_in_challenges WHERE token_hash = $1', [hashToken(token)]);
    return 'expired';
  }
  return 'invalid_code';
}

/** Uses a challenge up; false when another request already did (or it expired meanwhile). */
async function consumeChallenge(db: pg.Pool, token: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM pulse.sign_in_challenges WHERE token_hash = $1 AND expires_at > now()', [hashToken(token)]);
  return (rowCount ?? 0) > 0;
}

/**
 * Second step of sign-in: the challenge cookie plus a TOTP code or a recovery code gives a session.
 * Wrong codes count towards the account lock and the address throttle. Every attempt is audited.
 */
export async function completeMfaSignIn(db: pg.Pool, keyring: Keyring, challengeToken: string | undefined, code: string, client: ClientInfo = {}): Promise<ChallengeResult> {
  const address = client.address ?? null;
  const throttle = await checkAddressThrottle(db, address, 'failure');
  const row = await findChallenge(db, challengeToken, 'mfa');
  const actor: Actor = row ? actorOf(userOf(row), address) : { userId: null, email: '', role: '', address };
  const audit = (outcome: AuditOutcome, details: Record<string, unknown>) => auditAs(db, actor, 'sign_in', row ? `user:${row.user_id}` : 'sign-in', outcome, { step: 'mfa', ...details });
  if (throttle.limited) {
    await audit('denied', { reason: 'throttled' });
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }
  if (!row || !challengeToken) {
    await audit('failure', { reason: 'expired' });
    return { ok: false, reason: 'expired' };
  }
  const user = userOf(row);
  if (await isAccountLocked(db, user.id)) {
    await consumeChallenge(db, challengeToken);
    await audit('denied', { reason: 'locked' });
    return { ok: false, reason: 'locked' };
  }
  const check = await checkSecondFactor(db, keyring, user.id, code);
  if (!check.ok) {
    const reason = await recordWrongCode(db, challengeToken, user.id, address, true);
    await audit('failure', { reason: 'invalid_code' });
    return { ok: false, reason: (await isAccountLocked(db, user.id)) ? 'locked' : reason };
  }
  if (!(await consumeChallenge(db, challengeToken))) {
    await audit('failure', { reason: 'expired' });
    return { ok: false, reason: 'expired' };
  }
  const session = await openSession(db, user.id, client);
  await audit('success', { method: check.method });
  if (check.method === 'recovery_code') await auditAs(db, actor, 'mfa_recovery_used', `user:${user.id}`, 'success', { left: check.recoveryCodesLeft });
  return { ok: true, token: session.token, expiresAt: session.expiresAt, user, method: check.method, recoveryCodesLeft: check.recoveryCodesLeft };
}

/** Enrolment material for the user behind an 'enrol' challenge (their role requires MFA, they have none). */
export async function startEnrolmentForChallenge(db: pg.Pool, keyring: Keyring, challengeToken: string | undefined): Promise<{ user: User; material: EnrolmentMaterial } | null> {
  const row = await findChallenge(db, challengeToken, 'enrol');
  if (!row) return null;
  const user = userOf(row);
  return { user, material: await startTotpEnrolment(db, keyring, user) };
}

/**
 * Sign-in for a user who had to enrol: the 'enrol' challenge plus a valid code from the new
 * authenticator turns MFA on and opens the session; the recovery codes come back to be shown once.
 */
export async function completeEnrolmentSignIn(db: pg.Pool, keyring: Keyring, challengeToken: string | undefined, code: string, client: ClientInfo = {}): Promise<ChallengeResult> {
  const address = client.address ?? null;
  const throttle = await checkAddressThrottle(db, address, 'failure');
  const row = await findChallenge(db, challengeToken, 'enrol');
  const actor: Actor = row ? actorOf(userOf(row), address) : { userId: null, email: '', role: '', address };
  const audit = (outcome: AuditOutcome, details: Record<string, unknown>) => auditAs(db, actor, 'sign_in', row ? `user:${row.user_id}` : 'sign-in', outcome, { step: 'enrol', ...details });
  if (throttle.limited) {
    await audit('denied', { reason: 'throttled' });
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }
  if (!row || !challengeToken) {
    await audit('failure', { reason: 'expired' });
    return { ok: false, reason: 'expired' };
  }
  const user = userOf(row);
  if (await isAccountLocked(db, user.id)) {
    await consumeChallenge(db, challengeToken);
    await audit('denied', { reason: 'locked' });
    return { ok: false, reason: 'locked' };
  }
  const confirmed = await confirmTotpEnrolment(db, keyring, user.id, code, actor);
  if (!confirmed.ok) {
    // A mistyped first code is not an attack on the account (the password was right): it counts on
    // the challenge and the address, not towards the account lock.
    const reason = confirmed.reason === 'invalid_code' ? await recordWrongCode(db, challengeToken, user.id, address, false) : 'expired';
    await audit('failure', { reason: confirmed.reason });
    return { ok: false, reason };
  }
  if (!(await consumeChallenge(db, challengeToken))) {
    await audit('failure', { reason: 'expired' });
    return { ok: false, reason: 'expired' };
  }
  const session = await openSession(db, user.id, client);
  await audit('success', { method: 'enrolment' });
  return { ok: true, token: session.token, expiresAt: session.expiresAt, user, method: 'enrolment', recoveryCodesLeft: confirmed.recoveryCodes.length, recoveryCodes: confirmed.recoveryCodes };
}

// ---- the user's own changes, and an admin's reset ------------------------------------------------

export type SelfChangeResult<T = object> =
  | ({ ok: true } & T)
  | { ok: false; reason: 'invalid_code' | 'not_enabled' | 'required' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * The code check of the user's own MFA changes. Wrong codes count like wrong codes at sign-in
 * (account lock, address throttle): a stolen session must not become a way to guess codes.
 */
async function checkOwnCode(db: pg.Pool, keyring: Keyring, userId: number, code: string, actor: Actor, action: 'mfa_disable' | 'mfa_enrol', details: Record<string, unknown>): Promise<{ ok: true } | { ok: false; reason: 'invalid_code' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number }> {
  const throttle = await checkAddressThrottle(db, actor.address, 'failure');
  if (throttle.limited) {
    await auditAs(db, actor, action, `user:${userId}`, 'denied', { ...details, reason: 'throttled' });
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  }
  if ((await checkSecondFactor(db, keyring, userId, code)).ok) return { ok: true };
  await recordAccountFailure(db, userId);
  await recordAddressAttempt(db, actor.address, 'failure');
  await auditAs(db, actor, action, `user:${userId}`, 'failure', { ...details, reason: 'invalid_code' });
  return { ok: false, reason: 'invalid_code' };
}

/** Turns MFA off; needs a current code (or a recovery code). Refused when the user's role requires MFA. */
export async function disableMfa(db: pg.Pool, keyring: Keyring, userId: number, code: string, actor: Actor): Promise<SelfChangeResult> {
  const status = await getMfaStatus(db, userId);
  if (!status.enabled) return { ok: false, reason: 'not_enabled' };
  if (status.required) {
    await auditAs(db, actor, 'mfa_disable', `user:${userId}`, 'denied', { reason: 'required' });
    return { ok: false, reason: 'required' };
  }
  const check = await checkOwnCode(db, keyring, userId, code, actor, 'mfa_disable', {});
  if (!check.ok) return check;
  await removeMfa(db, userId);
  await auditAs(db, actor, 'mfa_disable', `user:${userId}`, 'success');
  return { ok: true };
}

/** New recovery codes (the old ones stop working); needs a current code. */
export async function regenerateRecoveryCodes(db: pg.Pool, keyring: Keyring, userId: number, code: string, actor: Actor): Promise<SelfChangeResult<{ recoveryCodes: string[] }>> {
  const status = await getMfaStatus(db, userId);
  if (!status.enabled) return { ok: false, reason: 'not_enabled' };
  const check = await checkOwnCode(db, keyring, userId, code, actor, 'mfa_enrol', { change: 'recovery_codes' });
  if (!check.ok) return check;
  const recoveryCodes = await replaceRecoveryCodes(db, userId);
  await auditAs(db, actor, 'mfa_enrol', `user:${userId}`, 'success', { change: 'recovery_codes' });
  return { ok: true, recoveryCodes };
}

/** An admin (or `pulse user reset-mfa`) removes a user's MFA, e.g. after a lost phone. */
export async function resetMfa(db: pg.Pool, userId: number, actor: Actor): Promise<void> {
  await removeMfa(db, userId);
  await auditAs(db, actor, 'mfa_reset', `user:${userId}`, 'success');
}

async function removeMfa(db: pg.Pool, userId: number): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE pulse.users SET mfa_enabled_at = NULL, totp_last_step = NULL, updated_at = now() WHERE id = $1', [userId]);
    await client.query('DELETE FROM pulse.mfa_recovery_codes WHERE user_id = $1', [userId]);
    await deleteSecret(client, totpSecretName(userId));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
