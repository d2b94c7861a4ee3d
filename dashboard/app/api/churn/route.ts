// GET /api/churn — risk distribution, revenue at risk, the watchlist (masked per role) and the model card.
import { NextResponse } from 'next/server';
import { can } from '../../../../lib/auth-roles.ts';
import { getChurnWithPeople } from '../../../lib/data/churn.ts';
import { audit } from '../../../lib/server/audit.ts';
import { ApiError, apiRoute } from '../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute('page:churn', async (_request, { session }) => {
  try {
    const unmasked = can(session.user.role, 'pii:unmasked');
    const data = await getChurnWithPeople({ unmasked, scope: session.ownerScope });
    if (unmasked && data.watchlist.length > 0) await audit(session, 'pii_view', 'churn:watchlist', data.watchlist.length);
    return NextResponse.json(data, { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
