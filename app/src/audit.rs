//! The audit log: who did what, and when, of what the newsroom must be able to answer for:
//! publishing, scheduling and taking articles offline, deleting, blocking senders, changing
//! users and their roles, calamity mode (server only, but for the shared types). Written in the
//! change's own transaction where the change is one (articles, calamities); right after it
//! otherwise ([`note`]).
//!
//! The log names people by their display name as it was, and never holds a reader's address.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    accounts::CurrentUser,
    db::{Db, Purpose, StoreError, WriteTx},
};

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub at: i64,
    pub user_name: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// What the log records, as it is shown (and filtered on).
pub mod action {
    pub const PUBLISHED: &str = "gepubliceerd";
    pub const SCHEDULED: &str = "ingepland";
    pub const UNPUBLISHED: &str = "offline gehaald";
    pub const TICKER_REMOVED: &str = "tickerbericht verwijderd";
    pub const BANNER_ENDED: &str = "banner beëindigd";
    pub const BLOG_POST_REMOVED: &str = "liveblog-update verwijderd";
    pub const COMMENTS_DELETED: &str = "reacties verwijderd";
    pub const SENDER_BLOCKED: &str = "afzender geblokkeerd";
    pub const USER_CREATED: &str = "gebruiker aangemaakt";
    pub const ROLE_CHANGED: &str = "rol gewijzigd";
    pub const USER_DISABLED: &str = "gebruiker uitgeschakeld";
    pub const USER_ENABLED: &str = "gebruiker ingeschakeld";
    pub const PASSWORD_RESET: &str = "wachtwoord opnieuw ingesteld";
    pub const CALAMITY_ON: &str = "calamiteit aan";
    pub const CALAMITY_CHANGED: &str = "calamiteit gewijzigd";
    pub const CALAMITY_OFF: &str = "calamiteit uit";
    pub const OFFICIAL_MESSAGE: &str = "officieel bericht";
    pub const OFFICIAL_CORRECTION: &str = "officieel bericht gecorrigeerd";
    pub const PAGE_SAVED: &str = "pagina opgeslagen";

    /// Every action, in the order the filter offers them.
    pub const ALL: [&str; 19] = [
        PUBLISHED,
        SCHEDULED,
        UNPUBLISHED,
        TICKER_REMOVED,
        BANNER_ENDED,
        BLOG_POST_REMOVED,
        COMMENTS_DELETED,
        SENDER_BLOCKED,
        USER_CREATED,
        ROLE_CHANGED,
        USER_DISABLED,
        USER_ENABLED,
        PASSWORD_RESET,
        CALAMITY_ON,
        CALAMITY_CHANGED,
        CALAMITY_OFF,
        OFFICIAL_MESSAGE,
        OFFICIAL_CORRECTION,
        PAGE_SAVED,
    ];
}

/// Which entries to show: `user` and `action` empty for all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub user: String,
    pub action: String,
}

/// How many entries one page of the log shows.
pub const PAGE: i64 = 200;

/// Records `action` on `subject` (`artikel:3`, `calamiteit:2`) by `user`, inside `tx`.
#[cfg(feature = "ssr")]
pub async fn record(
    tx: &mut WriteTx,
    user: &CurrentUser,
    action: &str,
    subject: &str,
    detail: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, user_name, action, subject, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now)
    .bind(user.id)
    .bind(&user.display_name)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(&mut **tx)
    .await
    .purpose("writing the audit log")?;
    tracing::info!(user = user.id, action, subject, "audit");
    Ok(())
}

/// Records, in a transaction of its own, a change that was made in one statement just before.
#[cfg(feature = "ssr")]
pub async fn note(
    db: &Db,
    user: &CurrentUser,
    action: &str,
    subject: &str,
    detail: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    record(&mut tx, user, action, subject, detail, now).await?;
    tx.commit().await.purpose("writing the audit log")
}

/// What was done to `subject`, oldest first.
#[cfg(feature = "ssr")]
pub async fn entries(db: &Db, subject: &str) -> Result<Vec<AuditEntry>, StoreError> {
    sqlx::query_as(
        "SELECT at, user_name, action, subject, detail FROM audit_log WHERE subject = $1 \
         ORDER BY at, id LIMIT 1000",
    )
    .bind(subject)
    .fetch_all(db.pool())
    .await
    .purpose("reading the audit log")
}

/// The newest entries that match `filter`, newest first, at most `limit`.
#[cfg(feature = "ssr")]
pub async fn recent(
    db: &Db,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    sqlx::query_as(
        "SELECT at, user_name, action, subject, detail FROM audit_log \
         WHERE ($1 = '' OR user_name = $1) AND ($2 = '' OR action = $2) \
         ORDER BY at DESC, id DESC LIMIT $3",
    )
    .bind(filter.user.trim())
    .bind(filter.action.trim())
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .purpose("reading the audit log")
}

/// Everyone who appears in the log, for the filter.
#[cfg(feature = "ssr")]
pub async fn people(db: &Db) -> Result<Vec<String>, StoreError> {
    sqlx::query_scalar("SELECT DISTINCT user_name FROM audit_log ORDER BY user_name")
        .fetch_all(db.pool())
        .await
        .purpose("listing who is in the audit log")
}
