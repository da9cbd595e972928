-- Live: ticker items, breaking-news banners, and the event log every live change is written to.
-- The event id is the server-sent-events id: a reconnecting browser asks for what came after it.
CREATE TABLE ticker_items (
    id         INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    link       TEXT,
    author_id  INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER,
    removed_at INTEGER
);
CREATE INDEX ticker_items_recent ON ticker_items (created_at);

CREATE TABLE breaking_news (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    link       TEXT,
    started_at INTEGER NOT NULL,
    ends_at    INTEGER,
    ended_at   INTEGER
);

CREATE TABLE live_events (
    id         INTEGER PRIMARY KEY,
    topic      TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX live_events_by_topic ON live_events (topic, id);
