// POST /api/reports/deliveries/:id/retry — an admin sends a failed (or unknown, after checking with
// the recipient) delivery again; audited as delivery_retry.
import { NextResponse } from 'next/server';
import { parseDeliveryId, retryDeliveryFor } from '../../../../../../lib/data/deliveries.ts';
import { toApiError } from '../../../../../../lib/server/reports-env.ts';
import { apiRoute } from '../../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const POST = apiRoute<{ id: string }>('reports:admin', async (_request, { session }, params) => {
  const id = parseDeliveryId(params.id);
  try {
    return NextResponse.json({ delivery: await retryDeliveryFor(session, id) });
  } catch (error) {
    throw toApiError(error);
  }
});
