// Tokens for the public segment API v1 (lib/migrations/012_api_tokens.sql). A token acts as its
// owner: the owner's role decides what it may read (checked on every request, so a changed role
// takes effect at once) and a token never sees more than its owner (PII only when both the token
// and the owner's role allow it). Only the token's SHA-256 is stored. Used by the dashboard's token
// page, its /api/v1 routes and `pulse api token create`.
import crypto from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { writeAudit } from './audit.ts';
import { can, type Permission, type Role } from './auth-roles.ts';
import type { User } from './auth.ts';
import { PulseError } from './errors.ts';

export class ApiTokenError extends PulseError {}

export const apiScopes = ['segments:read', 'members:read'] as const;
export type ApiScope = (typeof apiScopes)[number];

/** What the owner's role must allow for a token to use a scope (a token never does more than its owner). */
export const scopePermission: Record<ApiScope, Permission> = {
  'segments:read': 'page:segments',
  // Pulling members out of Pulse is an export.
  'members:read': 'data:export',
};

export const TOKEN_PREFIX = 'pulse_';
export const MAX_EXPIRY_DAYS = 365;

export const newApiTokenSchema = z.object({
  name: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  scopes: z
    .array(z.enum(apiScopes, { error: `must be ${apiScopes.join(' or ')}` }), { error: 'must be a list of scopes' })
    .min(1, 'must name at least one scope')
    .transform((list) => [...new Set(list)]),
  pii: z.boolean({ error: 'must be true or false' }).default(false),
  expiresInDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(MAX_EXPIRY_DAYS, `must be at most ${MAX_EXPIRY_DAYS} days`)
    .default(90),
});
export type NewApiToken = z.input<typeof newApiTokenSchema>;

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  /** `pulse_` and the first 6 characters: enough to tell tokens apart, useless to an attacker. */
  prefix: string;
  scopes: ApiScope[];
  pii: boolean;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** The token's owner and its grants, as the API sees them on a request. */
export interface ApiPrincipal {
  token: ApiToken;
  user: User;
  /** Personal data unmasked: the token was created with PII and the owner's role may see it. */
  unmasked: boolean;
}

/** Who did it, for the audit log: a signed-in user, or the CLI acting for one. */
export interface TokenActor {
  userId: number | null;
  userEmail: string;
  role: string;
  address?: string | null;
}

interface Sql {
  text: string;
  values: unknown[];
}

type Db = pg.Pool | pg.ClientBase;

export function hashApiToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

/** `pulse_` + 32 random bytes in base64url (43 characters). */
export function generateApiToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

/** Well-formed token text: anything else is refused before a database look-up. */
export function looksLikeApiToken(value: string): boolean {
  return /^pulse_[A-Za-z0-9_-]{43}$/.test(value);
}

// ---------------------------------------------------------------------------------------------
// SQL.

const tokenColumns = 'id, user_id, name, prefix, scopes, pii, expires_at, last_used_at, revoked_at, created_at';

export function insertApiToken(userId: number, input: z.output<typeof newApiTokenSchema>, tokenHash: Buffer, prefix: string): Sql {
  return {
    text: `INSERT INTO pulse.api_tokens (token_hash, prefix, user_id, name, scopes, pii, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 day') RETURNING ${tokenColumns}`,
    values: [tokenHash, prefix, userId, input.name, input.scopes, input.pii, input.expiresInDays],
  };
}

export function selectUserApiTokens(userId: number): Sql {
  return { text: `SELECT ${tokenColumns} FROM pulse.api_tokens WHERE user_id = $1 ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`, values: [userId] };
}

export function revokeApiTokenRow(id: number, userId: number): Sql {
  return { text: `UPDATE pulse.api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING ${tokenColumns}`, values: [id, userId] };
}

/** A live token and its enabled owner; nothing for an unknown, expired or revoked token or a disabled owner. */
export function selectLiveToken(tokenHash: Buffer): Sql {
  return {
    text: `SELECT t.id, t.user_id, t.name, t.prefix, t.scopes, t.pii, t.expires_at, t.last_used_at, t.revoked_at, t.created_at,
                  u.email, u.name AS user_name, u.role, u.language
           FROM pulse.api_tokens t JOIN pulse.users u ON u.id = t.user_id
           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL`,
    values: [tokenHash],
  };
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  scopes: string[];
  pii: boolean;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

function toApiToken(row: TokenRow): ApiToken {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter((s): s is ApiScope => (apiScopes as readonly string[]).includes(s)),
    pii: row.pii,
    expiresAt: row.expires_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Operations.

/**
 * Creates a token for `owner` and returns its text (the only time it exists outside the caller) with
 * the stored row. Refuses scopes or PII the owner's role does not allow. Audited as api_token_change
 * in the same transaction, so there is never a token without its audit entry.
 */
export async function createApiToken(
  pool: pg.Pool,
  owner: Pick<User, 'id' | 'role'>,
  raw: unknown,
  actor: TokenActor,
): Promise<{ token: string; apiToken: ApiToken }> {
  const parsed = newApiTokenSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiTokenError('invalid_token_input', `${String(issue.path[0] ?? 'body')}: ${issue.message}`);
  }
  const input = parsed.data;
  if (!can(owner.role, 'api:tokens')) throw new ApiTokenError('forbidden', `The role ${owner.role} may not create API tokens.`);
  for (const scope of input.scopes) {
    if (!can(owner.role, scopePermission[scope])) throw new ApiTokenError('scope_not_allowed', `scopes: the role ${owner.role} may not use ${scope} (it needs ${scopePermission[scope]}).`);
  }
  if (input.pii && !can(owner.role, 'pii:unmasked')) throw new ApiTokenError('pii_not_allowed', `pii: the role ${owner.role} may not see personal data unmasked, so its tokens may not either.`);
  const token = generateApiToken();
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const sql = insertApiToken(owner.id, input, hashApiToken(token), prefix);
    const { rows } = await client.query<TokenRow>(sql.text, sql.values);
    const apiToken = toApiToken(rows[0]!);
    await writeAudit(client, {
      ...actor,
      action: 'api_token_change',
      target: `api_token:${apiToken.id}`,
      details: { change: 'create', name: apiToken.name, scopes: apiToken.scopes, pii: apiToken.pii, expiresAt: apiToken.expiresAt, ownerId: owner.id },
    });
    await client.query('COMMIT');
    return { token, apiToken };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export async function listApiTokens(db: Db, userId: number): Promise<ApiToken[]> {
  const sql = selectUserApiTokens(userId);
  const { rows } = await db.query<TokenRow>(sql.text, sql.values);
  return rows.map(toApiToken);
}

/** Revokes one of the owner's tokens; false when it is not theirs or already revoked. Audited. */
export async function revokeApiToken(pool: pg.Pool, id: number, ownerId: number, actor: TokenActor): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const sql = revokeApiTokenRow(id, ownerId);
    const { rows } = await client.query<TokenRow>(sql.text, sql.values);
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await writeAudit(client, { ...actor, action: 'api_token_change', target: `api_token:${id}`, details: { change: 'revoke', name: rows[0]!.name } });
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The principal behind a bearer token, or null when the token is malformed, unknown, expired or
 * revoked, or its owner is disabled. Records the last use at most once a minute (one write per
 * request would be wasted work for a client paging quickly).
 */
export async function authenticateApiToken(db: Db, token: string): Promise<ApiPrincipal | null> {
  if (!looksLikeApiToken(token)) return null;
  const sql = selectLiveToken(hashApiToken(token));
  const { rows } = await db.query<TokenRow & { email: string; user_name: string; role: Role; language: User['language'] }>(sql.text, sql.values);
  const row = rows[0];
  if (!row) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.query('UPDATE pulse.api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
    row.last_used_at = new Date();
  }
  const user: User = { id: Number(row.user_id), email: row.email, name: row.user_name, role: row.role, language: row.language };
  return { token: toApiToken(row), user, unmasked: row.pii && can(user.role, 'pii:unmasked') };
}

/** May this principal use `scope` now? Both the token's scopes and the owner's current role must allow it. */
export function principalMay(principal: ApiPrincipal, scope: ApiScope): boolean {
  return principal.token.scopes.includes(scope) && can(principal.user.role, scopePermission[scope]);
}
