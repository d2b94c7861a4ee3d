// GET /api/admin/users — every user with role and last sign-in (users:manage).
import { NextResponse } from 'next/server';
import { listUsers } from '../../../../../lib/auth.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('users:manage', async () => NextResponse.json({ users: await listUsers((await getServerContext()).pool) }, { headers: { 'cache-control': 'no-store' } }));
