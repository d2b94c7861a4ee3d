// GET /api/me — the signed-in user and what their role may do (any signed-in user).
import { NextResponse } from 'next/server';
import { can, permissions } from '../../../../lib/auth-roles.ts';
import { apiRoute } from '../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute(null, async (_request, { session, locale }) =>
  NextResponse.json({
    user: session.user,
    locale,
    permissions: permissions.filter((p) => can(session.user.role, p)),
  }),
);
