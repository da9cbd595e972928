-- Full-text search. One row per article, holding its text folded to lower case without
-- diacritics (done in Rust, the same for both engines), stemmed with the Dutch configuration.
-- Every article is indexed; visibility is checked when searching, so publishing, scheduling and
-- unpublishing need no re-index. Rows are written with the article, in the same transaction.
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    lead       TEXT NOT NULL,
    body       TEXT NOT NULL,
    tags       TEXT NOT NULL,
    document   tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch', title), 'A')
        || setweight(to_tsvector('dutch', tags), 'B')
        || setweight(to_tsvector('dutch', lead), 'B')
        || setweight(to_tsvector('dutch', body), 'D')
    ) STORED
);
CREATE INDEX article_search_document ON article_search USING GIN (document);
