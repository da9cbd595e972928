-- Live blogs: an article in live mode ('live', or 'closed' once the newsroom ends it) with its
-- short posts, newest first. A removed post keeps its row so its removal can be replayed.
ALTER TABLE articles ADD COLUMN live_state TEXT CHECK (live_state IN ('live', 'closed'));

CREATE TABLE live_posts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  BIGINT REFERENCES users (id),
    body_md    TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    key_event  BIGINT NOT NULL DEFAULT 0,
    pinned     BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    edited_at  BIGINT,
    removed_at BIGINT
);
CREATE INDEX live_posts_by_article ON live_posts (article_id, created_at);
