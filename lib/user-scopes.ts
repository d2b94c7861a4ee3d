// Owner scope (lib/migrations/009_backups.sql): beyond the role's permissions, a user (typically a
// manager) may be limited to the customers whose owner is in their team. The dashboard reads the scope
// with the session on every request (lib/auth.ts getSession) and filters every list of individual customers by
// it; a customer outside it is "not found", never "forbidden", so its existence is not confirmed.
import type pg from 'pg';
import { z } from 'zod';
import { AuthError } from './auth.ts';
import { writeAudit } from './audit.ts';

/** null: every customer (no scope); otherwise the owner (staff) ids whose customers the user sees. */
export type OwnerScope = readonly number[] | null;

export const MAX_SCOPE_OWNERS = 1000;

/** `3,7, 12` → [3, 7, 12]: positive whole numbers, at least one, duplicates dropped. */
export const ownerIdsSchema = z
  .string()
  .trim()
  .regex(/^\d{1,15}(\s*,\s*\d{1,15})*$/, 'must be owner (staff) ids separated by commas, e.g. 3,7')
  .transform((value) => [...new Set(value.split(',').map((v) => Number(v.trim())))].sort((a, b) => a - b))
  .refine((ids) => ids.every((id) => id >= 1), 'owner ids start at 1')
  .refine((ids) => ids.length <= MAX_SCOPE_OWNERS, `at most ${MAX_SCOPE_OWNERS} owners`);

export async function getUserScope(db: pg.Pool | pg.ClientBase, userId: number): Promise<OwnerScope> {
  const { rows } = await db.query<{ owner_ids: number[] }>('SELECT owner_ids FROM pulse.user_scopes WHERE user_id = $1', [userId]);
  return rows[0] ? rows[0].owner_ids.map(Number) : null;
}

export async function listUserScopes(db: pg.Pool | pg.ClientBase): Promise<Map<number, number[]>> {
  const { rows } = await db.query<{ user_id: number; owner_ids: number[] }>('SELECT user_id, owner_ids FROM pulse.user_scopes');
  return new Map(rows.map((r) => [Number(r.user_id), r.owner_ids.map(Number)]));
}

/**
 * Limits the user with this e-mail to the customers of these owners, or (null) lifts the limit.
 * Audited as a settings change by `actor`.
 */
export async function setUserScope(db: pg.Pool, email: string, ownerIds: number[] | null, actor: { email: string; userId: number | null; role: string }): Promise<{ userId: number; email: string; ownerIds: number[] | null }> {
  const { rows } = await db.query<{ id: number; email: string }>('SELECT id, email FROM pulse.users WHERE lower(email) = lower($1)', [email.trim()]);
  const user = rows[0];
  if (!user) throw new AuthError('unknown_user', `There is no user with e-mail ${email}.`);
  if (ownerIds === null) await db.query('DELETE FROM pulse.user_scopes WHERE user_id = $1', [user.id]);
  else {
    await db.query(
      `INSERT INTO pulse.user_scopes (user_id, owner_ids) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET owner_ids = excluded.owner_ids, updated_at = now()`,
      [user.id, ownerIds],
    );
  }
  await writeAudit(db, { userId: actor.userId, userEmail: actor.email, role: actor.role, action: 'settings_change', target: `user:${user.id}`, details: { ownerScope: ownerIds } });
  return { userId: Number(user.id), email: user.email, ownerIds };
}
