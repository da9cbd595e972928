//! The storage seam: one `Db` handle with two engines behind it.
//!
//! SQLite is the embedded default (one file, WAL); PostgreSQL serves deployments with several
//! instances. Queries are written once with `$n` placeholders, which both engines accept, and run
//! through [`on_db!`] against whichever pool is configured. Each noun keeps its SQL in its own
//! `store` module; nothing outside this module knows which engine is behind a `Db`.

use std::{str::FromStr, time::Duration};

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgPool, SqlitePool,
};

/// A connection pool on one of the two supported engines.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which engine a `Db` runs on; for the few places where SQL must differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs `$body` with `$pool` bound to the engine's own pool type.
///
/// The body is compiled once per engine, so one query string serves both.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` inside a write transaction bound to `$tx`, committing when it finishes.
///
/// On SQLite the transaction takes the write lock up front (`BEGIN IMMEDIATE`), so two writers
/// queue on the busy timeout instead of failing with SQLITE_BUSY halfway. An early return (`?`)
/// drops the transaction, which rolls it back: nothing is ever half-saved.
#[macro_export]
macro_rules! in_write_tx {
    ($db:expr, $tx:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::db::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL (expected sqlite:// or postgres://): {0}")]
    UnsupportedUrl(String),
    #[error("could not create the data directory {path}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Connects to `url`, creating the SQLite file (and its directory) when missing, and runs the
    /// engine's migrations.
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|source| ConnectError::DataDir {
                        path: dir.display().to_string(),
                        source,
                    })?;
                }
            }
            // Every SQLite connection is a thread of its own and each query a round trip to it; on
            // a small machine a few connections serve more pages than many (bench/article.sh).
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .min_connections(1)
                .connect_with(options)
                .await?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Db::Postgres(pool)
        } else {
            return Err(ConnectError::UnsupportedUrl(redact(url)));
        };
        db.migrate().await?;
        Ok(db)
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await,
        }
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    /// Closes the pool. Bounded in time: sqlx's `close` can wait forever on a connection that is
    /// being returned concurrently, and shutdown must not hang on it.
    pub async fn close(&self) {
        let close = async { on_db!(self, pool => pool.close().await) };
        if tokio::time::timeout(Duration::from_secs(3), close)
            .await
            .is_err()
        {
            tracing::warn!("database pool did not close within 3 s; exiting anyway");
        }
    }
}

/// Hides a password in a database URL before it is logged or shown.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Seconds since the Unix epoch: the one time representation both engines store alike.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_the_password_but_keeps_user_and_host() {
        assert_eq!(
            redact("postgres://zender:geheim@localhost:5432/zender"),
            "postgres://zender:***@localhost:5432/zender"
        );
        assert_eq!(redact("sqlite://data/zender.db"), "sqlite://data/zender.db");
    }
}

/// What can go wrong in storage, for every noun. Database detail stays in logs.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unknown section: {0}")]
    UnknownSection(String),
    #[error("unknown author: {0}")]
    UnknownAuthor(String),
    #[error("slug already in use: {0}")]
    SlugTaken(String),
    #[error("e-mail address already in use: {0}")]
    EmailTaken(String),
    #[error("database error")]
    Database(#[from] sqlx::Error),
}
