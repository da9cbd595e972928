//! What makes the public pages change by the clock alone, with no write to announce it: a
//! scheduled article coming due, a ticker item or a banner running out, an article's comments
//! closing with age, a broadcast starting or ending. The live hub asks for the next such moment after every change and keeps
//! the pages' version current with it (`LiveHub::version`); every other change is a live event.

use crate::{
    articles::store::VISIBLE,
    db::{Db, Purpose, StoreError},
};

/// The first moment after `now` at which something readers see changes by itself; `None` when
/// nothing will. `close_after` is how long comments stay open (seconds; `None`: for ever).
pub async fn next_change(
    db: &Db,
    now: i64,
    close_after: Option<i64>,
) -> Result<Option<i64>, StoreError> {
    let stored: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT MIN(at) FROM ( \
           SELECT MIN(published_at) AS at FROM articles \
             WHERE status = 'scheduled' AND published_at > $1 \
           UNION ALL SELECT MIN(expires_at) FROM ticker_items \
             WHERE removed_at IS NULL AND expires_at > $1 \
           UNION ALL SELECT MIN(ends_at) FROM breaking_news \
             WHERE ended_at IS NULL AND ends_at > $1 \
           UNION ALL SELECT MIN(a.published_at + $2) FROM articles a \
             WHERE {VISIBLE} AND a.comments_closed = 0 AND a.published_at + $2 > $1 \
         ) due"
    ))
    .bind(now)
    .bind(close_after)
    .fetch_one(db.pool())
    .await
    .purpose("finding when the pages next change by the clock")?;
    // A broadcast starting or ending changes what the guide marks as on air now.
    let on_air = crate::on_air::store::next_boundary(db, now).await?;
    Ok(stored.into_iter().chain(on_air).min())
}
