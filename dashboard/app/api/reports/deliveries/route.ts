// GET /api/reports/deliveries?state=&report=&subscription=&recipient=&from=&to=&page= — the delivery
// log, newest first, 50 a page; `from`/`to` are days in PULSE_TIMEZONE.
import { NextResponse } from 'next/server';
import { getDeliveryPage, parseDeliveryQuery } from '../../../../lib/data/deliveries.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('reports:deliveries', async (request) => {
  const parsed = parseDeliveryQuery(request.nextUrl.searchParams);
  if (!parsed.ok) throw new ApiError(400, 'bad_filter', `${parsed.field}: ${parsed.message}`, parsed.field);
  return NextResponse.json(await getDeliveryPage(parsed.value), { headers: { 'cache-control': 'private, no-store' } });
});
