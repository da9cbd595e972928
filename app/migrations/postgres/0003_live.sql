-- Live: ticker items, breaking-news banners, and the event log every live change is written to.
-- The event id is the server-sent-events id: a reconnecting browser asks for what came after it.
CREATE TABLE ticker_items (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body       TEXT NOT NULL,
    link       TEXT,
    author_id  BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT,
    removed_at BIGINT
);
CREATE INDEX ticker_items_recent ON ticker_items (created_at);

CREATE TABLE breaking_news (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    text       TEXT NOT NULL,
    link       TEXT,
    started_at BIGINT NOT NULL,
    ends_at    BIGINT,
    ended_at   BIGINT
);

CREATE TABLE live_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic      TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX live_events_by_topic ON live_events (topic, id);
