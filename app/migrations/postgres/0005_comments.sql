-- Comments: threaded (parent_id), moderated (status), with the e-mail address for editors only
-- and the client's IP address only as a salted hash. Bans block an e-mail address or IP hash.
ALTER TABLE articles ADD COLUMN comments_closed BIGINT NOT NULL DEFAULT 0;

CREATE TABLE comments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id   BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id    BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    author_name  TEXT NOT NULL,
    email        TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    -- Why it waits for a moderator (links, banned word), for the queue.
    held_for     TEXT,
    ip_hash      TEXT NOT NULL,
    newsroom     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    moderated_at BIGINT,
    moderated_by BIGINT REFERENCES users (id)
);
CREATE INDEX comments_by_article ON comments (article_id, status, created_at);
CREATE INDEX comments_by_status ON comments (status, created_at);
CREATE INDEX comments_by_email ON comments (email, created_at);
CREATE INDEX comments_by_client ON comments (ip_hash, created_at);

CREATE TABLE comment_bans (
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'ip')),
    value      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (kind, value)
);
