// GET /api/admin/sessions — every active session: user, signed in, last active, device, address (users:manage).
import { NextResponse } from 'next/server';
import { listSessions } from '../../../../../lib/auth.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('users:manage', async () => NextResponse.json({ sessions: await listSessions((await getServerContext()).pool) }, { headers: { 'cache-control': 'no-store' } }));
