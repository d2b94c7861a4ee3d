// Campaigns and the saved segments they targeted, for the dashboard: the link of one campaign as the
// viewer may see it (a private segment of someone else shows as linked, without its name), and the
// campaigns of one segment with their results from the published snapshot.
import 'server-only';
import type { Session } from '../../../lib/auth.ts';
import { getCampaignSegmentLink, listCampaignSegmentLinks, listSegmentCampaignLinks, type CampaignSegmentLink } from '../../../lib/campaign-segments.ts';
import { canViewSegment } from '../../../lib/saved-segments.ts';
import { getServerContext } from '../server/context.ts';
import { NoSnapshotError } from '../server/warehouse.ts';
import { getCampaigns, type Campaign } from './campaigns.ts';

export interface CampaignTarget {
  /** Null when the segment is someone else's private one: the viewer learns that a link exists, not what it is. */
  segmentId: number | null;
  segmentName: string | null;
  linkedBy: string | null;
  linkedAt: string;
}

function visibleTo(link: CampaignSegmentLink, session: Pick<Session, 'user'>): boolean {
  return canViewSegment({ ownerId: link.segmentOwnerId, shared: link.segmentShared }, { userId: session.user.id, role: session.user.role });
}

function targetOf(link: CampaignSegmentLink, session: Pick<Session, 'user'>): CampaignTarget {
  const visible = visibleTo(link, session);
  return { segmentId: visible ? link.segmentId : null, segmentName: visible ? link.segmentName : null, linkedBy: visible ? link.linkedBy : null, linkedAt: link.linkedAt };
}

export async function getCampaignTarget(campaignId: number, session: Pick<Session, 'user'>): Promise<CampaignTarget | null> {
  const { pool } = await getServerContext();
  const link = await getCampaignSegmentLink(pool, campaignId);
  return link ? targetOf(link, session) : null;
}

/** Each linked campaign's target, by campaign id (the campaign list). */
export async function getCampaignTargets(session: Pick<Session, 'user'>): Promise<Map<number, CampaignTarget>> {
  const { pool } = await getServerContext();
  return new Map((await listCampaignSegmentLinks(pool)).map((link) => [link.campaignId, targetOf(link, session)]));
}

export interface SegmentCampaign {
  campaignId: number;
  linkedAt: string;
  /** The campaign's results; null when the published snapshot does not hold the campaign (any more). */
  campaign: Campaign | null;
}

/** The campaigns that targeted a segment (the caller has checked the viewer may see the segment). */
export async function getSegmentCampaigns(segmentId: number): Promise<SegmentCampaign[]> {
  const { pool } = await getServerContext();
  const links = await listSegmentCampaignLinks(pool, segmentId);
  if (links.length === 0) return [];
  // The links live in PostgreSQL: without a published snapshot they are still listed, without results.
  const { campaigns } = await getCampaigns().catch((error: unknown) => {
    if (error instanceof NoSnapshotError) return { campaigns: [] as Campaign[] };
    throw error;
  });
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  return links.map((link) => ({ campaignId: link.campaignId, linkedAt: link.linkedAt, campaign: byId.get(link.campaignId) ?? null }));
}
