// The signed-in user's owner scope (lib/user-scopes.ts), read once per request. Data modules take it
// as an argument, so every list of individual customers is filtered on the server.
import 'server-only';
import { cache } from 'react';
import type { Session } from '../../../lib/auth.ts';
import { getUserScope, type OwnerScope } from '../../../lib/user-scopes.ts';
import { getServerContext } from './context.ts';

export type { OwnerScope };

export const getOwnerScope = cache(async (session: Session): Promise<OwnerScope> => {
  const { pool } = await getServerContext();
  return getUserScope(pool, session.user.id);
});
