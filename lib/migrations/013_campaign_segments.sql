-- Which saved segment a campaign targeted (issue #7). Campaigns live in the operational source (any
-- database, through the source mapping), so campaign_id is the source's campaign key as the warehouse
-- holds it, without a foreign key; a campaign targets one segment, a segment may serve many campaigns.
-- Deleting the segment removes its links.
CREATE TABLE IF NOT EXISTS pulse.campaign_segments (
  campaign_id  bigint PRIMARY KEY,
  segment_id   bigint NOT NULL REFERENCES pulse.saved_segments (id) ON DELETE CASCADE,
  linked_by    bigint REFERENCES pulse.users (id) ON DELETE SET NULL,
  linked_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS campaign_segments_segment_idx ON pulse.campaign_segments (segment_id);
