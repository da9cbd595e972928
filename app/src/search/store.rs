//! The search itself, on either engine: the one noun whose SQL differs per engine, because each
//! has its own full-text search.
//!
//! SQLite searches an FTS5 table ranked by BM25 with prefix matching; PostgreSQL a `tsvector`
//! with the Dutch stemmer, ranked by `ts_rank`. Both hold text folded by [`crate::text::fold`]
//! (the article save writes it: `articles::search_index`), so "cafe" finds "café" the same way
//! on both. Titles weigh most, then tags and lead, then body.

use crate::{
    articles::store::{CardRow, CARD_COLUMNS, VISIBLE},
    db::{Db, Engine, Purpose, StoreError},
};

use super::{text, SearchHit, SearchResults, PAGE_SIZE};

/// The engine's query for `terms`: every word must occur, each as a prefix.
fn engine_query(engine: Engine, terms: &[String]) -> String {
    match engine {
        // Terms hold letters and digits only (`text::terms`), so quoting them is enough.
        Engine::Sqlite => terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" AND "),
        Engine::Postgres => terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

#[derive(sqlx::FromRow)]
struct HitRow {
    #[sqlx(flatten)]
    card: CardRow,
    body_html: String,
}

/// One page of visible articles matching `query`, best first. `page` starts at 1; a page past
/// the end is empty.
pub async fn search(
    db: &Db,
    query: &str,
    page: u32,
    now: i64,
) -> Result<SearchResults, StoreError> {
    let terms = text::terms(query);
    let page = page.max(1);
    let mut results = SearchResults {
        query: query.to_string(),
        total: 0,
        page,
        pages: 0,
        hits: Vec::new(),
    };
    if terms.is_empty() {
        return Ok(results);
    }
    let matched = engine_query(db.engine(), &terms);
    let (count_sql, page_sql) = match db.engine() {
        Engine::Sqlite => (
            format!(
                "SELECT COUNT(*) FROM article_search \
                 JOIN articles a ON a.id = article_search.rowid \
                 WHERE article_search MATCH $2 AND {VISIBLE}"
            ),
            format!(
                "SELECT {CARD_COLUMNS}, a.body_html, \
                 bm25(article_search, 10.0, 4.0, 1.0, 4.0) AS score \
                 FROM article_search JOIN articles a ON a.id = article_search.rowid \
                 JOIN sections s ON s.id = a.section_id \
                 WHERE article_search MATCH $2 AND {VISIBLE} \
                 ORDER BY score, a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4"
            ),
        ),
        Engine::Postgres => (
            format!(
                "SELECT COUNT(*) FROM article_search x JOIN articles a ON a.id = x.article_id \
                 WHERE x.document @@ to_tsquery('dutch', $2) AND {VISIBLE}"
            ),
            format!(
                "SELECT {CARD_COLUMNS}, a.body_html, \
                 ts_rank(x.document, to_tsquery('dutch', $2)) AS score \
                 FROM article_search x JOIN articles a ON a.id = x.article_id \
                 JOIN sections s ON s.id = a.section_id \
                 WHERE x.document @@ to_tsquery('dutch', $2) AND {VISIBLE} \
                 ORDER BY score DESC, a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4"
            ),
        ),
    };
    let total: i64 = sqlx::query_scalar(&count_sql)
        .bind(now)
        .bind(&matched)
        .fetch_one(db.pool())
        .await
        .purpose("counting search results")?;
    let rows: Vec<HitRow> = sqlx::query_as(&page_sql)
        .bind(now)
        .bind(&matched)
        .bind(i64::from(PAGE_SIZE))
        .bind(i64::from(page - 1) * i64::from(PAGE_SIZE))
        .fetch_all(db.pool())
        .await
        .purpose("searching")?;
    results.total = total as u64;
    results.pages = (total as u32).div_ceil(PAGE_SIZE);
    results.hits = rows
        .into_iter()
        .map(|row| {
            let title = text::highlight(&row.card.title, &terms);
            let body = crate::text::plain_text(&row.body_html);
            let lead = row.card.lead.clone();
            let snippet = if body.is_empty() {
                text::snippet(&lead, &terms)
            } else {
                text::snippet(&format!("{lead} {body}"), &terms)
            };
            SearchHit {
                card: row.card.into(),
                title,
                snippet,
            }
        })
        .collect();
    Ok(results)
}

/// The topics with the most visible articles.
pub async fn popular_tags(
    db: &Db,
    now: i64,
    limit: i64,
) -> Result<Vec<crate::articles::Tag>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT t.slug, t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id \
         JOIN articles a ON a.id = at.article_id WHERE {VISIBLE} \
         GROUP BY t.id, t.slug, t.name ORDER BY COUNT(*) DESC, t.name LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .purpose("finding popular topics")?;
    Ok(rows
        .into_iter()
        .map(|(slug, name)| crate::articles::Tag { slug, name })
        .collect())
}
