//! How current the public pages are, read in one cheap query: what HTTP caching's validators
//! (`ETag`, `Last-Modified`) are made of, so that a conditional request is answered without
//! rendering the page.
//!
//! A public page shows visible articles, the ticker, the breaking-news banner, live blogs and
//! comments. Every live change (ticker, banner, blog update, comment) writes a live event; what
//! changes without one is read here too: articles becoming visible or hidden, comments closed on
//! an article, ticker items and banners running out by their own clock.

use crate::{
    articles::store::VISIBLE,
    db::{Db, Purpose, StoreError},
};

#[derive(Clone, Debug, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct Freshness {
    /// Visible articles: publishing, unpublishing and a scheduled article coming due change it.
    pub articles: i64,
    /// The newest publication or edit of a visible article.
    pub articles_changed: Option<i64>,
    /// Which visible articles have their comments closed, as the sum of their ids (closing
    /// writes no live event; a count would miss closing one and opening another).
    pub comments_closed: i64,
    /// The newest save of any article, drafts too: unpublishing one is a save that leaves no
    /// other trace. Only for [`Freshness::changed_at`]; the version itself ignores drafts.
    pub last_save: Option<i64>,
    /// The newest live event and when it was written.
    pub last_event: Option<i64>,
    pub last_event_at: Option<i64>,
    /// When the last ticker item and the last banner ran out at their set time (which writes no
    /// event).
    pub ticker_ran_out: Option<i64>,
    pub banner_ran_out: Option<i64>,
}

impl Freshness {
    /// When the content last changed, as far as timestamps tell (Unix seconds). Errs towards
    /// later: a draft's save counts too.
    pub fn changed_at(&self) -> i64 {
        [
            self.articles_changed,
            self.last_save,
            self.last_event_at,
            self.ticker_ran_out,
            self.banner_ran_out,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or_default()
    }
}

/// The state of the public content at `now`.
pub async fn current(db: &Db, now: i64) -> Result<Freshness, StoreError> {
    // The newest event is looked up by id (the primary key), so the query stays cheap however
    // long the event log grows; events commit in id order.
    sqlx::query_as(&format!(
        "SELECT art.articles, art.articles_changed, art.comments_closed, art.last_save, \
         (SELECT id FROM live_events ORDER BY id DESC LIMIT 1) AS last_event, \
         (SELECT created_at FROM live_events ORDER BY id DESC LIMIT 1) AS last_event_at, \
         (SELECT MAX(expires_at) FROM ticker_items WHERE expires_at <= $1) AS ticker_ran_out, \
         (SELECT MAX(ends_at) FROM breaking_news WHERE ends_at <= $1) AS banner_ran_out \
         FROM (SELECT COUNT(CASE WHEN visible THEN 1 END) AS articles, \
           MAX(CASE WHEN visible THEN changed END) AS articles_changed, \
           CAST(COALESCE(SUM(CASE WHEN visible AND comments_closed <> 0 THEN id END), 0) AS BIGINT) \
           AS comments_closed, \
           MAX(updated_at) AS last_save \
           FROM (SELECT ({VISIBLE}) AS visible, \
             CASE WHEN a.updated_at > a.published_at THEN a.updated_at \
               ELSE a.published_at END AS changed, \
             a.id, a.comments_closed, a.updated_at FROM articles a) each_article) art"
    ))
    .bind(now)
    .fetch_one(db.pool())
    .await
    .purpose("reading how current the public pages are")
}
