// GET /api/reports/outbox — messages caught by the local mail capture (only when SMTP_URL is unset).
import { NextResponse } from 'next/server';
import { getOutboxMessages } from '../../../../lib/data/outbox.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('reports:admin', async () => {
  return NextResponse.json({ messages: await getOutboxMessages() }, { headers: { 'cache-control': 'private, no-store' } });
});
