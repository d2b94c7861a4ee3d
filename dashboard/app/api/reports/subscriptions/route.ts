// GET /api/reports/subscriptions — every subscription with its next run in its own time zone.
// POST /api/reports/subscriptions — creates one (body: reports/subscriptions.ts subscriptionInput).
import { NextResponse } from 'next/server';
import { createSubscriptionFor, listSubscriptionViews } from '../../../../lib/data/subscriptions.ts';
import { readJsonBody, toApiError } from '../../../../lib/server/reports-env.ts';
import { apiRoute } from '../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('reports:subscribe', async (_request, { session }) => {
  return NextResponse.json({ subscriptions: await listSubscriptionViews(session.user.role) }, { headers: { 'cache-control': 'private, no-store' } });
});

export const POST = apiRoute('reports:subscribe', async (request, { session }) => {
  const body = await readJsonBody(request);
  try {
    return NextResponse.json(await createSubscriptionFor(session, body), { status: 201 });
  } catch (error) {
    throw toApiError(error);
  }
});
