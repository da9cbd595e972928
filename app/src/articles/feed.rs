//! What feeds carry of the latest articles (server only).

use super::store::{PATH, VISIBLE};
use crate::db::{Db, Purpose, StoreError};

/// One article in a feed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedItem {
    pub title: String,
    pub lead: String,
    /// Site path, e.g. `/nieuws/brug-weer-open`.
    pub path: String,
    pub section_name: String,
    pub published_at: i64,
    pub updated_at: i64,
    pub hero_src: Option<String>,
    pub authors: Option<String>,
}

/// How many articles a feed lists.
pub const FEED_ITEMS: i64 = 30;

/// The latest visible articles, newest first: the whole site, or one section.
pub async fn latest(db: &Db, section: Option<&str>, now: i64) -> Result<Vec<FeedItem>, StoreError> {
    sqlx::query_as(&format!(
        "SELECT a.title, a.lead, {PATH} AS path, s.name AS section_name, a.published_at, \
         a.updated_at, a.hero_src, \
         (SELECT string_agg(au.name, ', ' ORDER BY aa.position) FROM article_authors aa \
          JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id) AS authors \
         FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE {VISIBLE} AND ($2 = '' OR s.slug = $2) \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $3"
    ))
    .bind(now)
    .bind(section.unwrap_or(""))
    .bind(FEED_ITEMS)
    .fetch_all(db.pool())
    .await
    .purpose("reading a feed's articles")
}
