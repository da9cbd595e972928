-- The live event log keeps only what a page could still need (see `live::events`): an event
-- names the item it carries (`item_id`), so the item's removal can take its events along, and
-- old events are pruned. Ids must never be used twice, or a client resuming after an id
-- would miss the event that took it over: AUTOINCREMENT, which SQLite only grants a new table.
CREATE TABLE live_events_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT NOT NULL,
    item_id    INTEGER,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
-- Only the newest event comes along (ids go on from it): the older ones name no item, so a later
-- removal could not take them out. Pages that resume from before it reload their parts.
INSERT INTO live_events_new (id, topic, payload, created_at)
    SELECT id, topic, payload, created_at FROM live_events
    WHERE id = (SELECT MAX(id) FROM live_events);
DROP TABLE live_events;
ALTER TABLE live_events_new RENAME TO live_events;
CREATE INDEX live_events_by_topic ON live_events (topic, id);
CREATE INDEX live_events_by_item ON live_events (topic, item_id);
CREATE INDEX live_events_by_time ON live_events (created_at);

-- A draft is never visible: it carries no publication time (the article writer keeps it so).
UPDATE articles SET published_at = NULL WHERE status = 'draft';
