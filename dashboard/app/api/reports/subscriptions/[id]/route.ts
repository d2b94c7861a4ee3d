// PUT /api/reports/subscriptions/:id — replaces a subscription (same body as POST).
// PATCH /api/reports/subscriptions/:id { paused } — pauses or resumes it.
// DELETE /api/reports/subscriptions/:id — deletes it (its delivery log stays).
import { NextResponse } from 'next/server';
import { deleteSubscriptionFor, parseSubscriptionId, pauseBody, setPausedFor, updateSubscriptionFor } from '../../../../../lib/data/subscriptions.ts';
import { parseZod } from '../../../../../lib/data/report-files.ts';
import { readJsonBody, toApiError } from '../../../../../lib/server/reports-env.ts';
import { ApiError, apiRoute } from '../../../../../lib/server/session.ts';

export const runtime = 'nodejs';

export const PUT = apiRoute<{ id: string }>('reports:subscribe', async (request, { session }, params) => {
  const id = parseSubscriptionId(params.id);
  const body = await readJsonBody(request);
  try {
    return NextResponse.json(await updateSubscriptionFor(session, id, body));
  } catch (error) {
    throw toApiError(error);
  }
});

export const PATCH = apiRoute<{ id: string }>('reports:subscribe', async (request, { session }, params) => {
  const id = parseSubscriptionId(params.id);
  const parsed = parseZod(pauseBody, await readJsonBody(request));
  if (!parsed.ok) throw new ApiError(400, 'bad_request', `${parsed.field}: ${parsed.message}`, parsed.field);
  return NextResponse.json(await setPausedFor(session, id, parsed.value.paused));
});

export const DELETE = apiRoute<{ id: string }>('reports:subscribe', async (_request, { session }, params) => {
  const id = parseSubscriptionId(params.id);
  return NextResponse.json({ deleted: id, ...(await deleteSubscriptionFor(session, id)) });
});
