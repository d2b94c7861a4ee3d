// GET /api/admin/users — every user with role, last sign-in and owner scope (null: all customers) (users:manage).
import { NextResponse } from 'next/server';
import { listUsers } from '../../../../../lib/auth.ts';
import { listUserScopes } from '../../../../../lib/user-scopes.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('users:manage', async () => {
  const { pool } = await getServerContext();
  const scopes = await listUserScopes(pool);
  const users = (await listUsers(pool)).map((u) => ({ ...u, ownerScope: scopes.get(u.id) ?? null }));
  return NextResponse.json({ users }, { headers: { 'cache-control': 'no-store' } });
});
