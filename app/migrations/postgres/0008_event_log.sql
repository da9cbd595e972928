-- The live event log keeps only what a page could still need (see `live::events`): an event
-- names the item it carries (`item_id`), so the item's removal can take its events along, and
-- old events are pruned. (Identity ids are never used twice.)
ALTER TABLE live_events ADD COLUMN item_id BIGINT;
-- Only the newest event stays (ids go on from it): the older ones name no item, so a later
-- removal could not take them out. Pages that resume from before it reload their parts.
DELETE FROM live_events WHERE id < (SELECT MAX(id) FROM live_events);
CREATE INDEX live_events_by_item ON live_events (topic, item_id);
CREATE INDEX live_events_by_time ON live_events (created_at);

-- A draft is never visible: it carries no publication time (the article writer keeps it so).
UPDATE articles SET published_at = NULL WHERE status = 'draft';
