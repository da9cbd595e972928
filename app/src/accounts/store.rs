//! Account storage: users, sessions and the login throttle.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{
    accounts::{CurrentUser, Email, Role, SessionListing, UserListing},
    db::{Db, Purpose, StoreError},
    slug::slugify,
};

/// How long a session lasts without logging in again.
pub const SESSION_SECS: i64 = 30 * 24 * 3600;
/// A session unused this long has ended (a laptop left signed in at the studio).
pub const SESSION_IDLE_SECS: i64 = 12 * 3600;
/// Use of a session is written down at most this often.
const TOUCH_SECS: i64 = 60;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    author_slug: Option<String>,
}

impl UserRow {
    fn into_user(self) -> Option<CurrentUser> {
        Some(CurrentUser {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: Role::parse(&self.role)?,
            author_slug: self.author_slug,
        })
    }
}

const USER_COLUMNS: &str = "u.id, u.email, u.display_name, u.role, au.slug AS author_slug";

pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

/// Creates a user and the byline ("author") they write under, in one transaction.
pub async fn create_user(db: &Db, user: &NewUser, now: i64) -> Result<i64, StoreError> {
    let base = slugify(&user.display_name)
        .map(|s| s.to_string())
        .unwrap_or_else(|| "redactie".into());
    let mut tx = db.write().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(user.email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::EmailTaken(user.email.as_str().to_string()));
    }
    // A byline slug nobody has yet: "anouk-verhaar", then "anouk-verhaar-2", …
    let mut slug = base.clone();
    let mut n = 1;
    loop {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM authors WHERE slug = $1")
            .bind(&slug)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            break;
        }
        n += 1;
        slug = format!("{base}-{n}");
    }
    let author_id: i64 = sqlx::query_scalar(
        "INSERT INTO authors (slug, name, bio) VALUES ($1, $2, '') RETURNING id",
    )
    .bind(&slug)
    .bind(&user.display_name)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, role, password_hash, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.email.as_str())
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(&user.password_hash)
    .bind(author_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await.purpose("creating a user")?;
    Ok(id)
}

/// The password hash and whether the account is disabled, for logging in.
pub struct Credentials {
    pub user_id: i64,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn credentials(db: &Db, email: &Email) -> Result<Option<Credentials>, StoreError> {
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT id, password_hash, disabled FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(user_id, password_hash, disabled)| Credentials {
        user_id,
        password_hash,
        disabled: disabled != 0,
    }))
}

pub async fn password_hash(db: &Db, user_id: i64) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Sets a new password hash and ends the user's sessions, except `keep` (the one changing it).
pub async fn set_password(
    db: &Db,
    user_id: i64,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    let keep = keep.map(token_hash).unwrap_or_default();
    let mut tx = db.write().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(&keep)
        .execute(&mut *tx)
        .await?;

    tx.commit().await?;
    Ok(())
}

pub async fn set_role(db: &Db, user_id: i64, role: Role) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Disables or re-enables an account; disabling ends all its sessions at once.
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }

    tx.commit().await?;
    Ok(())
}

pub async fn list_users(db: &Db) -> Result<Vec<UserListing>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        disabled: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, u.disabled FROM users u \
         LEFT JOIN authors au ON au.id = u.author_id ORDER BY u.display_name"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let disabled = row.disabled != 0;
            row.user
                .into_user()
                .map(|user| UserListing { user, disabled })
        })
        .collect())
}

pub async fn count_users(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await?)
}

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts a session on `device` (what [`describe_device`](super::describe_device) made of the
/// browser) and returns its token (for the cookie); only its hash is stored.
pub async fn create_session(
    db: &Db,
    user_id: i64,
    device: &str,
    now: i64,
) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    // Logins are rare enough to sweep ended sessions here instead of in a job.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - SESSION_IDLE_SECS)
        .execute(db.pool())
        .await
        .purpose("sweeping ended sessions")?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, device) \
         VALUES ($1, $2, $3, $4, $3, $5)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now)
    .bind(now + SESSION_SECS)
    .bind(device)
    .execute(db.pool())
    .await
    .purpose("starting a session")?;
    Ok(token)
}

/// The user behind a session token, if the session is live (not past its end, used within
/// the idle time) and the account enabled. Marks the session used, once a minute at most.
pub async fn session_user(
    db: &Db,
    token: &str,
    now: i64,
) -> Result<Option<CurrentUser>, StoreError> {
    let hash = token_hash(token);
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN authors au ON au.id = u.author_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 \
         AND u.disabled = 0"
    ))
    .bind(&hash)
    .bind(now)
    .bind(now - SESSION_IDLE_SECS)
    .fetch_optional(db.pool())
    .await
    .purpose("finding the session's user")?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.last_seen_at <= now - TOUCH_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(db.pool())
            .await
            .purpose("marking a session used")?;
    }
    Ok(row.user.into_user())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    last_seen_at: i64,
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(db.pool())
        .await
        .purpose("ending a session")?;
    Ok(())
}

/// How a session is named on its user's list: part of the token's hash, which opens nothing.
pub fn session_handle(token: &str) -> String {
    token_hash(token)[..HANDLE_CHARS].to_string()
}

const HANDLE_CHARS: usize = 16;

/// The live sessions of `user_id`, most recently used first.
pub async fn sessions_of(
    db: &Db,
    user_id: i64,
    now: i64,
) -> Result<Vec<SessionListing>, StoreError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT token_hash, device, created_at, last_seen_at FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(now - SESSION_IDLE_SECS)
    .fetch_all(db.pool())
    .await
    .purpose("listing a user's sessions")?;
    Ok(rows
        .into_iter()
        .map(|(hash, device, created_at, last_seen_at)| SessionListing {
            handle: hash[..HANDLE_CHARS].to_string(),
            device,
            created_at,
            last_seen_at,
        })
        .collect())
}

/// Ends the session of `user_id` named `handle`; `false` when they have none by that name.
pub async fn end_session(db: &Db, user_id: i64, handle: &str) -> Result<bool, StoreError> {
    if handle.len() != HANDLE_CHARS || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let ended =
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2")
            .bind(user_id)
            .bind(handle)
            .execute(db.pool())
            .await
            .purpose("ending one of a user's sessions")?;
    Ok(ended.rows_affected() > 0)
}

/// Ends every session of `user_id` but the one of `keep` (the token asking).
pub async fn end_other_sessions(db: &Db, user_id: i64, keep: &str) -> Result<u64, StoreError> {
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(token_hash(keep))
        .execute(db.pool())
        .await
        .purpose("ending a user's other sessions")?;
    Ok(ended.rows_affected())
}

/// Failures within this window count together.
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;
/// Failures allowed in a window before a lock.
pub const THROTTLE_FREE_FAILURES: i64 = 5;
/// The longest lock: an attacker can delay a user, never lock them out for good.
pub const THROTTLE_MAX_LOCK_SECS: i64 = 15 * 60;

/// Login attempts take turns on this key (PostgreSQL; SQLite's write lock does it already).
const THROTTLE_LOCK: i64 = 0x6c6f_6769; // "logi"

/// Counts a login attempt for each key, before its password is checked (a right one is
/// forgiven by [`clear_failures`]); returns when the lock ends if any key is locked already.
/// Past the free attempts the lock doubles each time (30 s, 1 min, 2 min, …) up to
/// [`THROTTLE_MAX_LOCK_SECS`]. One transaction, in turn: attempts at once are all counted.
pub async fn count_attempt(db: &Db, keys: &[String], now: i64) -> Result<Option<i64>, StoreError> {
    let mut tx = db.write().await?;
    tx.serialize(THROTTLE_LOCK).await?;
    // Forget entries whose window and lock have both passed, so the table stays small.
    sqlx::query("DELETE FROM login_throttle WHERE window_start < $1 AND locked_until < $2")
        .bind(now - THROTTLE_WINDOW_SECS)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let mut rows = Vec::with_capacity(keys.len());
    for key in keys {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        rows.push(row);
    }
    let locked = rows
        .iter()
        .flatten()
        .map(|(_, _, until)| *until)
        .filter(|until| *until > now)
        .max();
    if locked.is_some() {
        return Ok(locked);
    }
    for (key, row) in keys.iter().zip(rows) {
        let (failures, window_start) = match row {
            Some((failures, start, _)) if now - start < THROTTLE_WINDOW_SECS => {
                (failures + 1, start)
            }
            _ => (1, now),
        };
        let over = failures - THROTTLE_FREE_FAILURES;
        let locked_until = if over > 0 {
            now + (30i64 << (over - 1).min(10)).min(THROTTLE_MAX_LOCK_SECS)
        } else {
            0
        };
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, window_start, locked_until) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET \
             failures = excluded.failures, window_start = excluded.window_start, \
             locked_until = excluded.locked_until",
        )
        .bind(key)
        .bind(failures)
        .bind(window_start)
        .bind(locked_until)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await.purpose("counting a login attempt")?;
    Ok(None)
}

pub async fn clear_failures(db: &Db, keys: &[String]) -> Result<(), StoreError> {
    for key in keys {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(key)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}
