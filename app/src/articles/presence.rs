//! Who has an article open in the editor right now (server only).
//!
//! An open editor says it is there every 20 seconds
//! ([`crate::newsroom::HEARTBEAT_SECONDS`]); one that has not said so for [`GONE_AFTER`]
//! seconds is gone (a closed laptop sends no goodbye). When the set of people
//! changes, an event on the article's `editing:<id>` topic tells the other open editors, on
//! every instance, to ask again.

use crate::{
    db::{Db, Purpose, StoreError},
    live::{events, PartEvent, Topic},
    markup::escape_text,
};

/// After how long without a word an editor counts as gone.
pub const GONE_AFTER: i64 = 50;

/// The people with article `article` open, as `(user id, name)`, by name.
async fn present<'c>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    article: i64,
    now: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name FROM editor_presence p JOIN users u ON u.id = p.user_id \
         WHERE p.article_id = $1 AND p.seen_at > $2 ORDER BY u.display_name, u.id",
    )
    .bind(article)
    .bind(now - GONE_AFTER)
    .fetch_all(executor)
    .await
}

/// The names of everyone but `viewer` who has article `article` open.
pub async fn others(
    db: &Db,
    article: i64,
    viewer: i64,
    now: i64,
) -> Result<Vec<String>, StoreError> {
    sqlx::query_scalar(
        "SELECT u.display_name FROM editor_presence p JOIN users u ON u.id = p.user_id \
         WHERE p.article_id = $1 AND p.user_id <> $2 AND p.seen_at > $3 \
         ORDER BY u.display_name, u.id",
    )
    .bind(article)
    .bind(viewer)
    .bind(now - GONE_AFTER)
    .fetch_all(db.pool())
    .await
    .purpose("reading who has an article open")
}

/// The part as `/live.json` and events carry it: everyone present, each marked with their id.
pub fn part_html(people: &[(i64, String)]) -> String {
    let items: String = people
        .iter()
        .map(|(id, name)| format!(r#"<li data-user="{id}">{}</li>"#, escape_text(name)))
        .collect();
    format!("<ul>{items}</ul>")
}

/// The part as of now, for `/live.json`.
pub async fn current_html(db: &Db, article: i64, now: i64) -> Result<String, StoreError> {
    let people = present(db.pool(), article, now)
        .await
        .purpose("reading who has an article open")?;
    Ok(part_html(&people))
}

/// Records that `user` has article `article` open (`here`) or has left it, and tells the
/// other editors when that changes who is there. Returns the others present.
pub async fn update(
    db: &Db,
    article: i64,
    user: i64,
    here: bool,
    now: i64,
) -> Result<Vec<String>, StoreError> {
    let mut tx = events::begin(db).await?;
    let before = present(&mut *tx, article, now).await?;
    sqlx::query(
        "DELETE FROM editor_presence WHERE article_id = $1 AND (seen_at <= $2 OR user_id = $3)",
    )
    .bind(article)
    .bind(now - GONE_AFTER)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if here {
        sqlx::query(
            "INSERT INTO editor_presence (article_id, user_id, seen_at) VALUES ($1, $2, $3)",
        )
        .bind(article)
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let after = present(&mut *tx, article, now).await?;
    if after != before {
        let event = PartEvent::Set {
            html: part_html(&after),
        };
        events::append(&mut tx, Topic::Editing(article), None, &event, now).await?;
    }
    tx.commit()
        .await
        .purpose("noting who has an article open")?;
    Ok(after
        .into_iter()
        .filter(|(id, _)| *id != user)
        .map(|(_, name)| name)
        .collect())
}
