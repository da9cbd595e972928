-- The live event log keeps only what a page could still need (see `live::events`): an event
-- names the item it carries (`item_id`), so the item's newer event or its removal can replace
-- it, and old events are pruned. (Identity ids are never used twice.)
ALTER TABLE live_events ADD COLUMN item_id BIGINT;
CREATE INDEX live_events_by_item ON live_events (topic, item_id);
CREATE INDEX live_events_by_time ON live_events (created_at);

-- A draft is never visible: it carries no publication time (the article writer keeps it so).
UPDATE articles SET published_at = NULL WHERE status = 'draft';
