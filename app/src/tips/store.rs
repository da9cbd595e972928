//! The inbox's storage: tips and corrections in, the newsroom's list and "afgehandeld" out.

use sqlx::AnyConnection;

use crate::{
    comments::settings::CommentSettings,
    db::{Db, Purpose, StoreError},
};

use super::{InboxItem, InboxKind};

pub struct NewMessage<'a> {
    pub kind: InboxKind,
    pub article_id: Option<i64>,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub message: &'a str,
    /// File name of the stored photo, under the private directory.
    pub photo: Option<String>,
    /// The sender's address as stored (see [`crate::clients`]).
    pub client: crate::clients::ClientHash,
}

/// Why a message was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    RateLimited,
    /// The sender's address or IP hash is blocked (the comment bans apply here too).
    Banned,
    Duplicate,
}

/// PostgreSQL advisory lock key for inbox submissions ("TIPS" in ASCII): on SQLite the write
/// transaction serialises them already.
const INBOX_LOCK: i64 = 0x5449_5053;

/// The refusal `new` would get, by the ban, duplicate and rate checks, in that order.
async fn checks(
    conn: &mut AnyConnection,
    settings: &CommentSettings,
    new: &NewMessage<'_>,
    email: &str,
    now: i64,
) -> Result<Option<Refusal>, sqlx::Error> {
    let banned: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM comment_bans \
         WHERE (kind = 'ip' AND value IN ($1, $3)) OR (kind = 'email' AND value = $2)",
    )
    .bind(&new.client.current)
    .bind(email)
    .bind(&new.client.previous)
    .fetch_one(&mut *conn)
    .await?;
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM inbox_messages WHERE ip_hash IN ($1, $3) AND created_at > $2",
    )
    .bind(&new.client.current)
    .bind(now - crate::comments::store::WINDOW)
    .bind(&new.client.previous)
    .fetch_one(&mut *conn)
    .await?;
    let duplicate: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM inbox_messages WHERE ip_hash IN ($1, $4) AND message = $2 \
         AND created_at > $3",
    )
    .bind(&new.client.current)
    .bind(new.message)
    .bind(now - 24 * 3600)
    .bind(&new.client.previous)
    .fetch_one(&mut *conn)
    .await?;
    Ok(if banned > 0 {
        Some(Refusal::Banned)
    } else if duplicate > 0 {
        Some(Refusal::Duplicate)
    } else if recent >= settings.per_client {
        Some(Refusal::RateLimited)
    } else {
        None
    })
}

/// The refusal `new` would get now, read without writing: checked before a photo is decoded, so
/// a refused sender costs no image work. `submit` checks again.
pub async fn precheck(
    db: &Db,
    settings: &CommentSettings,
    new: &NewMessage<'_>,
    now: i64,
) -> Result<Option<Refusal>, StoreError> {
    let email = new.email.trim().to_lowercase();
    let mut conn = db.pool().acquire().await?;
    checks(&mut conn, settings, new, &email, now)
        .await
        .purpose("checking a tip")
}

/// Stores a message unless the sender is over the limit, blocked, or sent it already; the checks
/// and the insert are one transaction (on PostgreSQL under a lock, so two at once cannot both
/// pass the checks).
pub async fn submit(
    db: &Db,
    settings: &CommentSettings,
    new: &NewMessage<'_>,
    now: i64,
) -> Result<Result<i64, Refusal>, StoreError> {
    let email = new.email.trim().to_lowercase();
    let mut tx = db.write().await?;
    tx.serialize(INBOX_LOCK).await?;
    if let Some(refusal) = checks(&mut tx, settings, new, &email, now).await? {
        return Ok(Err(refusal));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inbox_messages (kind, article_id, name, email, phone, message, photo, \
         ip_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(new.article_id)
    .bind(new.name.split_whitespace().collect::<Vec<_>>().join(" "))
    .bind(&email)
    .bind(new.phone.trim())
    .bind(new.message)
    .bind(&new.photo)
    .bind(&new.client.current)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await.purpose("saving a tip")?;
    Ok(Ok(id))
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    kind: String,
    name: String,
    email: String,
    phone: String,
    message: String,
    photo: Option<String>,
    created_at: i64,
    handled_at: Option<i64>,
    handled_by: Option<String>,
    article_id: Option<i64>,
    article_title: Option<String>,
    article_url: Option<String>,
}

/// Open (or handled) messages, newest first.
pub async fn list(db: &Db, handled: bool, limit: i64) -> Result<Vec<InboxItem>, StoreError> {
    let state = if handled {
        "m.handled_at IS NOT NULL"
    } else {
        "m.handled_at IS NULL"
    };
    let sql = format!(
        "SELECT m.id, m.kind, m.name, m.email, m.phone, m.message, m.photo, m.created_at, \
         m.handled_at, u.display_name AS handled_by, a.id AS article_id, a.title AS article_title, \
         CASE WHEN a.id IS NULL THEN NULL ELSE '/' || s.slug || '/' || a.slug END AS article_url \
         FROM inbox_messages m \
         LEFT JOIN users u ON u.id = m.handled_by \
         LEFT JOIN articles a ON a.id = m.article_id \
         LEFT JOIN sections s ON s.id = a.section_id \
         WHERE {state} ORDER BY m.created_at DESC, m.id DESC LIMIT $1"
    );
    let rows: Vec<ItemRow> = sqlx::query_as(&sql)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .purpose("reading the inbox")?;
    Ok(rows
        .into_iter()
        .map(|r| InboxItem {
            id: r.id,
            kind: InboxKind::parse(&r.kind),
            name: r.name,
            email: r.email,
            phone: r.phone,
            message: r.message,
            photo: r.photo.is_some(),
            created_at: r.created_at,
            handled_at: r.handled_at,
            handled_by: r.handled_by,
            article: r.article_title.zip(r.article_url),
            article_id: r.article_id,
        })
        .collect())
}

pub async fn open_count(db: &Db) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM inbox_messages WHERE handled_at IS NULL")
        .fetch_one(db.pool())
        .await
        .purpose("counting open inbox messages")
}

/// Marks a message handled by `user` (or open again); `false` when there is no such message.
pub async fn set_handled(
    db: &Db,
    id: i64,
    handled: bool,
    user: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let done = if handled {
        sqlx::query("UPDATE inbox_messages SET handled_at = $1, handled_by = $2 WHERE id = $3")
            .bind(now)
            .bind(user)
            .bind(id)
            .execute(db.pool())
            .await
    } else {
        sqlx::query("UPDATE inbox_messages SET handled_at = NULL, handled_by = NULL WHERE id = $1")
            .bind(id)
            .execute(db.pool())
            .await
    }
    .purpose("marking an inbox message")?
    .rows_affected();
    Ok(done > 0)
}

/// The file name of a message's photo.
pub async fn photo(db: &Db, id: i64) -> Result<Option<String>, StoreError> {
    let photo: Option<Option<String>> =
        sqlx::query_scalar("SELECT photo FROM inbox_messages WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await
            .purpose("finding an inbox photo")?;
    Ok(photo.flatten())
}
