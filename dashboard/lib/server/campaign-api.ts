// What the campaign API routes share: the campaign of the path, from the published snapshot, or the
// 4xx/503 that says why there is none.
import 'server-only';
import { getCampaign, parseCampaignId, type CampaignDetail } from '../data/campaigns.ts';
import { ApiError } from './session.ts';
import { NoSnapshotError } from './warehouse.ts';

export async function requireCampaign(rawId: string): Promise<CampaignDetail> {
  const id = parseCampaignId(rawId);
  if (id === null) throw new ApiError(400, 'bad_id', 'id: must be a campaign number', 'id');
  try {
    const detail = await getCampaign(id);
    if (!detail) throw new ApiError(404, 'unknown_campaign', `There is no campaign ${id} in the warehouse.`, 'id');
    return detail;
  } catch (error) {
    if (error instanceof NoSnapshotError) throw new ApiError(503, 'no_snapshot', error.message);
    throw error;
  }
}
