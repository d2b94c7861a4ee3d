// The warehouse side of owner scope (lib/user-scopes.ts): a condition on marts.customer_360.owner_id
// that the customer lists, the 360 view, segment members, the watchlist and exports add for a scoped user.
import 'server-only';
import type { OwnerScope } from '../../../lib/user-scopes.ts';

export type { OwnerScope };

/** `owner_id IN (…)` for a scoped user; null for everyone else. */
export function ownerCondition(scope: OwnerScope, column = 'owner_id'): { sql: string; values: string[] } | null {
  if (!scope) return null;
  // DuckDB binds scalars only: the ids travel as one bound string, split and cast in SQL.
  return { sql: `${column} IN (SELECT CAST(unnest(string_split(?, ',')) AS BIGINT))`, values: [scope.join(',')] };
}

/** Part of a cache key: answers for one scope are never handed to another. */
export function scopeKey(scope: OwnerScope): string {
  return scope ? `owners:${scope.join(',')}` : 'all';
}

export function inScope(scope: OwnerScope, ownerId: number | null): boolean {
  return scope === null || (ownerId !== null && scope.includes(ownerId));
}

/** A compiled segment condition narrowed to the user's owners (unchanged for an unscoped user). */
export function scopeCondition<C extends { where: string; values: (string | number)[] }>(condition: C, scope: OwnerScope): C {
  const owners = ownerCondition(scope);
  return owners ? { ...condition, where: `(${condition.where}) AND ${owners.sql}`, values: [...condition.values, ...owners.values] } : condition;
}
