// What an admin does to other accounts: change a role, disable or enable, revoke sessions. A changed
// role or a disabled account ends all of that user's sessions (the old role's pages must not stay
// open). Pulse never leaves itself without an enabled admin. Every change is audited.
import type pg from 'pg';
import { writeAudit } from './audit.ts';
import type { Role } from './auth-roles.ts';
import { AuthError, endUserSessions, getUser, revokeSession } from './auth.ts';
import type { Actor } from './mfa.ts';

function audit(db: pg.Pool | pg.ClientBase, actor: Actor, action: Parameters<typeof writeAudit>[1]['action'], target: string, details: Record<string, unknown>, outcome: 'success' | 'denied' = 'success') {
  return writeAudit(db, { userId: actor.userId, userEmail: actor.email, role: actor.role, action, target, address: actor.address ?? null, details, outcome });
}

async function requireUser(db: pg.Pool | pg.ClientBase, userId: number) {
  const user = await getUser(db, userId);
  if (!user) throw new AuthError('unknown_user', `There is no user ${userId}.`);
  return user;
}

/** Throws 'last_admin' when the change would leave no enabled admin. Runs inside the caller's transaction. */
async function assertAnotherAdmin(tx: pg.ClientBase, userId: number, actor: Actor, action: 'role_change' | 'user_disable', details: Record<string, unknown>): Promise<void> {
  // Locks the admin rows so two admins demoting each other at once cannot both succeed.
  const { rows } = await tx.query<{ id: string }>("SELECT id FROM pulse.users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1 FOR UPDATE", [userId]);
  if (rows.length === 0) {
    await tx.query('ROLLBACK');
    await audit(tx, actor, action, `user:${userId}`, { ...details, reason: 'last_admin' }, 'denied');
    throw new AuthError('last_admin', 'This is the only enabled admin: make someone else admin first.');
  }
}

async function inTransaction<T>(db: pg.Pool, fn: (tx: pg.ClientBase) => Promise<T>): Promise<T> {
  const tx = await db.connect();
  try {
    await tx.query('BEGIN');
    const result = await fn(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}

/** Changes a user's role and ends their sessions. Returns how many sessions ended. */
export async function changeUserRole(db: pg.Pool, userId: number, role: Role, actor: Actor): Promise<{ sessionsEnded: number }> {
  return inTransaction(db, async (tx) => {
    const user = await requireUser(tx, userId);
    if (user.role === role) return { sessionsEnded: 0 };
    if (user.role === 'admin') await assertAnotherAdmin(tx, userId, actor, 'role_change', { from: user.role, to: role });
    await tx.query('UPDATE pulse.users SET role = $2, updated_at = now() WHERE id = $1', [userId, role]);
    const sessionsEnded = await endUserSessions(tx, userId);
    await audit(tx, actor, 'role_change', `user:${userId}`, { email: user.email, from: user.role, to: role, sessionsEnded });
    return { sessionsEnded };
  });
}

/** Disables (ends every session; sign-in refused) or enables (clears the lock too) an account. */
export async function setUserDisabled(db: pg.Pool, userId: number, disabled: boolean, actor: Actor): Promise<{ sessionsEnded: number }> {
  return inTransaction(db, async (tx) => {
    const user = await requireUser(tx, userId);
    if (disabled && user.role === 'admin') await assertAnotherAdmin(tx, userId, actor, 'user_disable', { email: user.email });
    if (disabled) {
      await tx.query('UPDATE pulse.users SET disabled_at = coalesce(disabled_at, now()), updated_at = now() WHERE id = $1', [userId]);
      await tx.query('DELETE FROM pulse.sign_in_challenges WHERE user_id = $1', [userId]);
    } else {
      await tx.query('UPDATE pulse.users SET disabled_at = NULL, failed_sign_ins = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [userId]);
    }
    const sessionsEnded = disabled ? await endUserSessions(tx, userId) : 0;
    await audit(tx, actor, disabled ? 'user_disable' : 'user_enable', `user:${userId}`, { email: user.email, sessionsEnded });
    return { sessionsEnded };
  });
}

/** Ends one session (by its public id). Returns false when there was none. */
export async function revokeSessionAsAdmin(db: pg.Pool, sessionId: number, actor: Actor): Promise<boolean> {
  const revoked = await revokeSession(db, sessionId);
  if (revoked) await audit(db, actor, 'session_revoke', `user:${revoked.userId}`, { session: sessionId, email: revoked.email });
  return revoked !== null;
}

/** Ends every session of a user. Returns how many ended. */
export async function revokeAllSessions(db: pg.Pool, userId: number, actor: Actor): Promise<number> {
  const user = await requireUser(db, userId);
  const ended = await endUserSessions(db, userId);
  await audit(db, actor, 'session_revoke', `user:${userId}`, { email: user.email, all: true, sessionsEnded: ended });
  return ended;
}
