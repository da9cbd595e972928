-- Full-text search. One row per article (rowid = article id), holding its text folded to lower
-- case without diacritics (done in Rust, the same for both engines). Every article is indexed;
-- visibility is checked when searching, so publishing, scheduling and unpublishing need no
-- re-index. Rows are written with the article, in the same transaction.
CREATE VIRTUAL TABLE article_search USING fts5(
    title, lead, body, tags,
    tokenize = 'unicode61 remove_diacritics 2'
);
