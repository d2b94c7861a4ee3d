// The link between a campaign and the saved segment it targeted (lib/migrations/013_campaign_segments.sql).
// Storage only: whether the campaign exists (the warehouse) and whether the user may see the segment
// (lib/saved-segments.ts canViewSegment) are checked by the callers before they link.
import type pg from 'pg';

type Db = pg.Pool | pg.ClientBase;

export interface CampaignSegmentLink {
  campaignId: number;
  segmentId: number;
  segmentName: string;
  /** The segment's owner and sharing, so a caller can tell whether the viewer may see it. */
  segmentOwnerId: number;
  segmentShared: boolean;
  linkedBy: string | null;
  linkedAt: string;
}

interface LinkRow {
  campaign_id: string;
  segment_id: string;
  segment_name: string;
  owner_id: string;
  shared: boolean;
  linked_by: string | null;
  linked_at: Date;
}

const linkSelect = `SELECT l.campaign_id, l.segment_id, s.name AS segment_name, s.owner_id, s.shared, u.email AS linked_by, l.linked_at
  FROM pulse.campaign_segments l
  JOIN pulse.saved_segments s ON s.id = l.segment_id
  LEFT JOIN pulse.users u ON u.id = l.linked_by`;

function toLink(r: LinkRow): CampaignSegmentLink {
  return {
    campaignId: Number(r.campaign_id),
    segmentId: Number(r.segment_id),
    segmentName: r.segment_name,
    segmentOwnerId: Number(r.owner_id),
    segmentShared: r.shared,
    linkedBy: r.linked_by,
    linkedAt: r.linked_at.toISOString(),
  };
}

/** Links a campaign to a segment, replacing any earlier link of that campaign; returns the segment it replaced, if any. */
export async function linkCampaignSegment(db: Db, campaignId: number, segmentId: number, userId: number | null): Promise<{ replaced: number | null }> {
  const { rows } = await db.query<{ previous: string | null }>(
    `WITH previous AS (SELECT segment_id FROM pulse.campaign_segments WHERE campaign_id = $1)
     INSERT INTO pulse.campaign_segments (campaign_id, segment_id, linked_by) VALUES ($1, $2, $3)
     ON CONFLICT (campaign_id) DO UPDATE SET segment_id = EXCLUDED.segment_id, linked_by = EXCLUDED.linked_by, linked_at = now()
     RETURNING (SELECT segment_id FROM previous) AS previous`,
    [campaignId, segmentId, userId],
  );
  const previous = rows[0]?.previous ?? null;
  return { replaced: previous === null ? null : Number(previous) };
}

/** Removes a campaign's link; the segment it pointed at, or null when there was none. */
export async function unlinkCampaignSegment(db: Db, campaignId: number): Promise<number | null> {
  const { rows } = await db.query<{ segment_id: string }>('DELETE FROM pulse.campaign_segments WHERE campaign_id = $1 RETURNING segment_id', [campaignId]);
  return rows[0] ? Number(rows[0].segment_id) : null;
}

export async function getCampaignSegmentLink(db: Db, campaignId: number): Promise<CampaignSegmentLink | null> {
  const { rows } = await db.query<LinkRow>(`${linkSelect} WHERE l.campaign_id = $1`, [campaignId]);
  return rows[0] ? toLink(rows[0]) : null;
}

/** The campaigns linked to one segment, most recently linked first. */
export async function listSegmentCampaignLinks(db: Db, segmentId: number): Promise<CampaignSegmentLink[]> {
  const { rows } = await db.query<LinkRow>(`${linkSelect} WHERE l.segment_id = $1 ORDER BY l.linked_at DESC, l.campaign_id`, [segmentId]);
  return rows.map(toLink);
}

/** Every link (the campaign list shows each campaign's segment). */
export async function listCampaignSegmentLinks(db: Db): Promise<CampaignSegmentLink[]> {
  const { rows } = await db.query<LinkRow>(`${linkSelect} ORDER BY l.campaign_id`);
  return rows.map(toLink);
}
