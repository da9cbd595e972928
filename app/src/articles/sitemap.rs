//! What the sitemaps list (server only): every visible article, and the tag and author pages that
//! show at least one; for the news sitemap, the articles of the last two days.

use super::store::{PATH, VISIBLE};
use crate::db::{Db, Purpose, StoreError};

/// A page in the sitemap: its site path and when what it shows last changed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Entry {
    /// Site path, e.g. `/nieuws/brug-weer-open` or `/tag/verkeer`.
    pub path: String,
    pub modified: i64,
}

/// The pages the sitemap lists besides home and the sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pages {
    /// Newest first.
    pub articles: Vec<Entry>,
    pub tags: Vec<Entry>,
    pub authors: Vec<Entry>,
}

/// An article in the news sitemap.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct NewsItem {
    pub path: String,
    pub title: String,
    pub published_at: i64,
}

/// Most articles a news sitemap may list (Google's limit).
pub const NEWS_ITEMS: i64 = 1000;

/// An article's last change: its publication, or a later edit.
const MODIFIED: &str =
    "CASE WHEN a.updated_at > a.published_at THEN a.updated_at ELSE a.published_at END";

pub async fn pages(db: &Db, now: i64) -> Result<Pages, StoreError> {
    let articles: Vec<Entry> = sqlx::query_as(&format!(
        "SELECT {PATH} AS path, {MODIFIED} AS modified \
         FROM articles a JOIN sections s ON s.id = a.section_id WHERE {VISIBLE} \
         ORDER BY a.published_at DESC, a.id DESC"
    ))
    .bind(now)
    .fetch_all(db.pool())
    .await
    .purpose("listing articles for the sitemap")?;
    let tags: Vec<Entry> = sqlx::query_as(&format!(
        "SELECT '/tag/' || t.slug AS path, MAX({MODIFIED}) AS modified \
         FROM tags t JOIN article_tags at ON at.tag_id = t.id \
         JOIN articles a ON a.id = at.article_id WHERE {VISIBLE} \
         GROUP BY t.slug ORDER BY t.slug"
    ))
    .bind(now)
    .fetch_all(db.pool())
    .await
    .purpose("listing tags for the sitemap")?;
    let authors: Vec<Entry> = sqlx::query_as(&format!(
        "SELECT '/auteur/' || au.slug AS path, MAX({MODIFIED}) AS modified \
         FROM authors au JOIN article_authors aa ON aa.author_id = au.id \
         JOIN articles a ON a.id = aa.article_id WHERE {VISIBLE} \
         GROUP BY au.slug ORDER BY au.slug"
    ))
    .bind(now)
    .fetch_all(db.pool())
    .await
    .purpose("listing authors for the sitemap")?;
    Ok(Pages {
        articles,
        tags,
        authors,
    })
}

/// Visible articles published from `since` on, newest first.
pub async fn news(db: &Db, since: i64, now: i64) -> Result<Vec<NewsItem>, StoreError> {
    sqlx::query_as(&format!(
        "SELECT {PATH} AS path, a.title, a.published_at \
         FROM articles a JOIN sections s ON s.id = a.section_id WHERE {VISIBLE} \
         AND a.published_at >= $2 ORDER BY a.published_at DESC, a.id DESC LIMIT $3"
    ))
    .bind(now)
    .bind(since)
    .bind(NEWS_ITEMS)
    .fetch_all(db.pool())
    .await
    .purpose("listing articles for the news sitemap")
}
