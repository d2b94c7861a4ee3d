// GET /api/customers/:id — the 360 view of one customer as JSON (masked per role; unmasked views audited).
import { NextResponse } from 'next/server';
import { can } from '../../../../../lib/auth-roles.ts';
import { getCustomer360 } from '../../../../lib/data/customers.ts';
import { audit } from '../../../../lib/server/audit.ts';
import { ApiError, apiRoute } from '../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../lib/server/warehouse.ts';

export const runtime = 'nodejs';

export const GET = apiRoute<{ id: string }>('page:customers', async (_request, { session }, { id }) => {
  if (!/^\d{1,15}$/.test(id)) throw new ApiError(400, 'bad_id', 'id: must be a customer number', 'id');
  try {
    const unmasked = can(session.user.role, 'pii:unmasked');
    // Outside the user's owner scope reads as not found: a 403 would confirm the customer exists.
    const customer = await getCustomer360(Number(id), { unmasked, scope: session.ownerScope });
    if (!customer) throw new ApiError(404, 'not_found', `There is no customer ${id}.`, 'id');
    if (unmasked && customer.person) await audit(session, 'pii_view', `customer:${id}`, 1);
    return NextResponse.json(customer, { headers: { 'cache-control': 'private, no-store' } });
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
});
