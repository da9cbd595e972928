-- Newsroom accounts, database sessions (they survive restarts and work across instances),
-- login throttling, and article revisions.
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('contributor', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    author_id     BIGINT REFERENCES authors (id),
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

-- Only a hash of the session token is stored: a leaked table opens no sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);

ALTER TABLE articles ADD COLUMN review_requested BIGINT NOT NULL DEFAULT 0;

CREATE TABLE article_revisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    BIGINT REFERENCES users (id),
    title      TEXT NOT NULL,
    lead       TEXT NOT NULL,
    body_md    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX article_revisions_by_article ON article_revisions (article_id, created_at DESC);
