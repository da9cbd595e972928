-- Every save names the version it started from; a save over a newer one is refused, so no
-- edit is lost silently. Autosaves are each user's own copy of what they are typing, kept
-- apart from the article (they neither publish nor count as an edit). Presence says who has
-- an article open in the editor right now.
ALTER TABLE articles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE TABLE article_autosaves (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 0 for a new article that has not been saved yet.
    article_id   BIGINT NOT NULL,
    base_version BIGINT NOT NULL,
    -- An empty form is a save's mark: this page's autosaves (by its key) are done, so one
    -- still on its way when the editor saved cannot bring the old text back.
    form         TEXT NOT NULL,
    draft_key    TEXT NOT NULL DEFAULT '',
    saved_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, article_id)
);
CREATE TABLE editor_presence (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seen_at    BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
