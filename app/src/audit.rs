//! The audit log: who did what, and when, of what the newsroom must be able to answer for
//! (server only). Written in the transaction of the change it records, so the two stand or fall
//! together.

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
    pub detail: String,
}

/// Records `action` on `subject` (`calamiteit:3`) by `user`, inside `tx`.
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

/// What was done to `subject`, oldest first.
#[cfg(feature = "ssr")]
pub async fn entries(db: &Db, subject: &str) -> Result<Vec<AuditEntry>, StoreError> {
    sqlx::query_as(
        "SELECT at, user_name, action, detail FROM audit_log WHERE subject = $1 \
         ORDER BY at, id LIMIT 1000",
    )
    .bind(subject)
    .fetch_all(db.pool())
    .await
    .purpose("reading the audit log")
}
