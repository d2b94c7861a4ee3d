// GET /api/admin/backups — backup settings and the backups in PULSE_BACKUP_DIR with their signature state (page:admin).
import { NextResponse } from 'next/server';
import { getBackupsOverview } from '../../../../lib/data/backups.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:admin', async () => NextResponse.json(await getBackupsOverview(), { headers: { 'cache-control': 'no-store' } }));
