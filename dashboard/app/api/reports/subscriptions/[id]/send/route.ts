// POST /api/reports/subscriptions/:id/send — "send now": renders the subscription's report and mails
// it to its recipients in this request; answers with the deliveries (state, error) it produced.
import { NextResponse } from 'next/server';
import { parseSubscriptionId, sendNowFor } from '../../../../../../lib/data/subscriptions.ts';
import { toApiError } from '../../../../../../lib/server/reports-env.ts';
import { apiRoute } from '../../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const POST = apiRoute<{ id: string }>('reports:subscribe', async (_request, { session }, params) => {
  const id = parseSubscriptionId(params.id);
  try {
    return NextResponse.json(await sendNowFor(session, id));
  } catch (error) {
    throw toApiError(error);
  }
});
