//! Each article's row in the search index, written by the article's own save ([`super::store::write`])
//! so the index changes with the article or not at all. Searching it is `search::store`'s work.
//!
//! SQLite keeps the index in an FTS5 table keyed by `rowid`; PostgreSQL in a table with a
//! generated `tsvector` column (Dutch stemmer). Both hold the text folded by [`crate::text::fold`].

use crate::{
    db::{Db, Engine, Purpose, StoreError, WriteTx},
    text::{fold, plain_text},
};

/// The index row of one article, folded.
pub struct IndexRow {
    pub title: String,
    pub lead: String,
    pub body: String,
    pub tags: String,
}

impl IndexRow {
    pub fn new(title: &str, lead: &str, body_html: &str, tags: &[String]) -> Self {
        IndexRow {
            title: fold(title),
            lead: fold(lead),
            body: fold(&plain_text(body_html)),
            tags: fold(&tags.join(" ")),
        }
    }
}

/// The index's key column: FTS5 keys rows by `rowid`.
fn key(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "rowid",
        Engine::Postgres => "article_id",
    }
}

/// Replaces the index row of article `id`.
pub(super) async fn replace(tx: &mut WriteTx, id: i64, row: &IndexRow) -> Result<(), sqlx::Error> {
    let key = key(tx.engine());
    sqlx::query(&format!("DELETE FROM article_search WHERE {key} = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO article_search ({key}, title, lead, body, tags) VALUES ($1, $2, $3, $4, $5)"
    ))
    .bind(id)
    .bind(&row.title)
    .bind(&row.lead)
    .bind(&row.body)
    .bind(&row.tags)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Indexes the articles that have no index row yet (a database from before search); returns how
/// many. Cheap when there are none.
pub async fn index_missing(db: &Db) -> Result<usize, StoreError> {
    let missing: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM articles WHERE id NOT IN (SELECT {} FROM article_search)",
        key(db.engine())
    ))
    .fetch_all(db.pool())
    .await
    .purpose("finding articles missing from the search index")?;
    for id in &missing {
        let mut tx = db.write().await?;
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
        replace(
            &mut tx,
            *id,
            &IndexRow::new(&title, &lead, &body_html, &tags),
        )
        .await?;
        tx.commit()
            .await
            .purpose("indexing an article for search")?;
    }
    Ok(missing.len())
}
