// GET /api/reports — the reports the signed-in role may open, and whether it may download each one's
// workbook (a workbook that lists customers needs `data:export`).
import { NextResponse } from 'next/server';
import { reportsForRole } from '../../../lib/data/report-files.ts';
import { apiRoute } from '../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('reports:view', async (_request, { session }) => {
  return NextResponse.json({ reports: reportsForRole(session.user.role) }, { headers: { 'cache-control': 'private, no-store' } });
});
