//! What feeds carry of the latest articles (server only).

use crate::{
    db::{Db, StoreError},
    on_db,
};

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
    // The one difference between the engines: how they join names.
    let names = match db {
        Db::Sqlite(_) => "group_concat(au.name, ', ')",
        Db::Postgres(_) => "string_agg(au.name, ', ' ORDER BY aa.position)",
    };
    let sql = format!(
        "SELECT a.title, a.lead, '/' || s.slug || '/' || a.slug AS path, \
             s.name AS section_name, a.published_at, a.updated_at, a.hero_src, \
             (SELECT {names} FROM article_authors aa JOIN authors au \
              ON au.id = aa.author_id WHERE aa.article_id = a.id) AS authors \
             FROM articles a JOIN sections s ON s.id = a.section_id \
             WHERE a.status IN ('published', 'scheduled') AND a.published_at <= $1 \
             AND ($2 = '' OR s.slug = $2) \
             ORDER BY a.published_at DESC, a.id DESC LIMIT $3"
    );
    Ok(on_db!(db, pool => {
        sqlx::query_as(&sql)
        .bind(now)
        .bind(section.unwrap_or(""))
        .bind(FEED_ITEMS)
        .fetch_all(pool)
        .await?
    }))
}
