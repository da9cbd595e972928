//! The search index and the search itself, on either engine.
//!
//! SQLite searches an FTS5 table ranked by BM25 with prefix matching; PostgreSQL a `tsvector`
//! with the Dutch stemmer, ranked by `ts_rank`. Both index text folded by [`text::fold`], so
//! "cafe" finds "café" the same way on both. Titles weigh most, then tags and lead, then body.

use crate::{
    articles::store::{CardRow, VISIBLE_CARD_COLUMNS},
    db::{Db, Engine, StoreError},
    in_write_tx, on_db,
};

use super::{text, SearchHit, SearchResults, PAGE_SIZE};

/// The index row of one article, folded.
pub struct IndexRow {
    pub title: String,
    pub lead: String,
    pub body: String,
    pub tags: String,
}

impl IndexRow {
    pub fn new<'a>(
        title: &str,
        lead: &str,
        body_html: &str,
        tags: impl IntoIterator<Item = &'a String>,
    ) -> Self {
        IndexRow {
            title: text::fold(title),
            lead: text::fold(lead),
            body: text::fold(&text::plain_text(body_html)),
            tags: text::fold(
                &tags
                    .into_iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
    }
}

/// The two statements that replace an article's index row: FTS5 keys rows by `rowid`.
pub fn index_statements(engine: Engine) -> [&'static str; 2] {
    match engine {
        Engine::Sqlite => [
            "DELETE FROM article_search WHERE rowid = $1",
            "INSERT INTO article_search (rowid, title, lead, body, tags) VALUES ($1, $2, $3, $4, $5)",
        ],
        Engine::Postgres => [
            "DELETE FROM article_search WHERE article_id = $1",
            "INSERT INTO article_search (article_id, title, lead, body, tags) \
             VALUES ($1, $2, $3, $4, $5)",
        ],
    }
}

/// Replaces the index row of article `$id` with `$row` (an [`IndexRow`]) inside transaction
/// `$tx` on `$db`: the index changes with the article or not at all.
#[macro_export]
macro_rules! index_article {
    ($db:expr, $tx:ident, $id:expr, $row:expr) => {{
        let [delete, insert] = $crate::search::store::index_statements($db.engine());
        let row: &$crate::search::store::IndexRow = $row;
        sqlx::query(delete).bind($id).execute(&mut *$tx).await?;
        sqlx::query(insert)
            .bind($id)
            .bind(&row.title)
            .bind(&row.lead)
            .bind(&row.body)
            .bind(&row.tags)
            .execute(&mut *$tx)
            .await?;
    }};
}

/// Indexes the articles that have no index row yet (a database from before search); returns how
/// many. Cheap when there are none.
pub async fn index_missing(db: &Db) -> Result<usize, StoreError> {
    let missing_sql = match db.engine() {
        Engine::Sqlite => {
            "SELECT id FROM articles WHERE id NOT IN (SELECT rowid FROM article_search)"
        }
        Engine::Postgres => {
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_search)"
        }
    };
    let missing: Vec<i64> = on_db!(db, pool => {
        sqlx::query_scalar(missing_sql).fetch_all(pool).await?
    });
    for id in &missing {
        in_write_tx!(db, tx => {
            let (title, lead, body_html): (String, String, String) =
                sqlx::query_as("SELECT title, lead, body_html FROM articles WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let tags: Vec<String> = sqlx::query_scalar(
                "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id \
                 WHERE at.article_id = $1",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            index_article!(db, tx, id, &IndexRow::new(&title, &lead, &body_html, &tags));
        });
    }
    Ok(missing.len())
}

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
    let visible = "a.status IN ('published', 'scheduled') AND a.published_at <= $1";
    let (count_sql, page_sql) = match db.engine() {
        Engine::Sqlite => (
            format!(
                "SELECT COUNT(*) FROM article_search \
                 JOIN articles a ON a.id = article_search.rowid \
                 WHERE article_search MATCH $2 AND {visible}"
            ),
            format!(
                "SELECT {VISIBLE_CARD_COLUMNS}, a.body_html, \
                 bm25(article_search, 10.0, 4.0, 1.0, 4.0) AS score \
                 FROM article_search JOIN articles a ON a.id = article_search.rowid \
                 JOIN sections s ON s.id = a.section_id \
                 WHERE article_search MATCH $2 AND {visible} \
                 ORDER BY score, a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4"
            ),
        ),
        Engine::Postgres => (
            format!(
                "SELECT COUNT(*) FROM article_search x JOIN articles a ON a.id = x.article_id \
                 WHERE x.document @@ to_tsquery('dutch', $2) AND {visible}"
            ),
            format!(
                "SELECT {VISIBLE_CARD_COLUMNS}, a.body_html, \
                 ts_rank(x.document, to_tsquery('dutch', $2)) AS score \
                 FROM article_search x JOIN articles a ON a.id = x.article_id \
                 JOIN sections s ON s.id = a.section_id \
                 WHERE x.document @@ to_tsquery('dutch', $2) AND {visible} \
                 ORDER BY score DESC, a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4"
            ),
        ),
    };
    let (total, rows) = on_db!(db, pool => {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(now)
            .bind(&matched)
            .fetch_one(pool)
            .await?;
        let rows: Vec<HitRow> = sqlx::query_as(&page_sql)
            .bind(now)
            .bind(&matched)
            .bind(i64::from(PAGE_SIZE))
            .bind(i64::from(page - 1) * i64::from(PAGE_SIZE))
            .fetch_all(pool)
            .await?;
        (total, rows)
    });
    results.total = total as u64;
    results.pages = (total as u32).div_ceil(PAGE_SIZE);
    results.hits = rows
        .into_iter()
        .map(|row| {
            let title = text::highlight(&row.card.title, &terms);
            let body = text::plain_text(&row.body_html);
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
    let rows: Vec<(String, String)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT t.slug, t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id \
             JOIN articles a ON a.id = at.article_id \
             WHERE a.status IN ('published', 'scheduled') AND a.published_at <= $1 \
             GROUP BY t.id, t.slug, t.name ORDER BY COUNT(*) DESC, t.name LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(slug, name)| crate::articles::Tag { slug, name })
        .collect())
}
