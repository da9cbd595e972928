-- Live blogs: an article in live mode ('live', or 'closed' once the newsroom ends it) with its
-- short posts, newest first. A removed post keeps its row so its removal can be replayed.
ALTER TABLE articles ADD COLUMN live_state TEXT CHECK (live_state IN ('live', 'closed'));

CREATE TABLE live_posts (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  INTEGER REFERENCES users (id),
    body_md    TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    key_event  INTEGER NOT NULL DEFAULT 0,
    pinned     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at  INTEGER,
    removed_at INTEGER
);
CREATE INDEX live_posts_by_article ON live_posts (article_id, created_at);
