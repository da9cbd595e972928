//! The storage seam: one `Db` handle over SQLite or PostgreSQL.
//!
//! SQLite is the embedded default (one file, WAL); PostgreSQL serves deployments with several
//! instances. Every query is plain sqlx over its `Any` driver, written once with `$n`
//! placeholders (both engines accept them) and run against [`Db::pool`], or inside a write
//! transaction from [`Db::write`]. The engine is chosen here, from the URL, once. What differs per
//! engine beyond that is here too ([`WriteTx::serialize`], [`WriteTx::notify`],
//! [`Db::listen_url`]), except full-text search, which is each engine's own: the index row
//! (`articles::search_index`) and the search (`search::store`).
//!
//! Each noun keeps its SQL in its own `store` module.

use std::{
    str::FromStr,
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    AnyConnection, AnyPool, Executor, Transaction,
};

/// Which engine a `Db` runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The connection pools (readers, writers) on one of the two supported engines.
#[derive(Clone)]
pub struct Db {
    /// For reads (and single-statement writes): never inside a transaction.
    pool: AnyPool,
    /// For write transactions ([`Db::write`]) and migrations.
    writers: AnyPool,
    engine: Engine,
    /// The URL as given (with its password), for PostgreSQL's `LISTEN` connection.
    url: Arc<str>,
    commits: Arc<Commits>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("engine", &self.engine)
            .field("url", &redact(&self.url))
            .finish()
    }
}

/// The newest live event this instance has committed (and when), and a wake-up for whoever
/// follows the event log: the live hub then broadcasts at once, and pages rendered after the
/// commit are a new version even before it has.
#[derive(Debug, Default)]
pub struct Commits {
    latest: AtomicI64,
    latest_at: AtomicI64,
    notify: tokio::sync::Notify,
}

impl Commits {
    /// The id of the newest event this instance has committed (0 for none yet).
    pub fn latest(&self) -> i64 {
        self.latest.load(Ordering::Acquire)
    }

    /// When this instance last committed an event (Unix seconds; 0 for never).
    pub fn latest_at(&self) -> i64 {
        self.latest_at.load(Ordering::Acquire)
    }

    /// Resolves at the next event-writing commit (or at once, if one came since the last call).
    pub async fn next(&self) {
        self.notify.notified().await;
    }

    fn record(&self, event: i64) {
        self.latest_at.store(now(), Ordering::Release);
        self.latest.fetch_max(event, Ordering::AcqRel);
        // One follower (the hub's pump); a permit is kept if it is busy right now.
        self.notify.notify_one();
    }
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
    #[error("connecting: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migrating: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Every SQLite connection, before it is used: write-ahead log (readers never wait for the
/// writer), `NORMAL` sync (safe in WAL), foreign keys, and a busy timeout so a second writer
/// queues instead of failing.
const SQLITE_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// Given back to the pool inside a transaction, a connection is closed instead of kept. That
/// happens when a request is cancelled (its client went away, its time ran out) while its
/// `BEGIN` was running: the database began the transaction but sqlx never handed it out, so
/// nothing rolls it back, and on SQLite it would hold the write lock until the process ends.
/// Only writers begin transactions ([`Db::write`]), so only their pool waits (the ping) for
/// whatever the connection was still doing before it looks.
fn without_open_transaction(
    conn: &mut AnyConnection,
    _: sqlx::pool::PoolConnectionMetadata,
) -> futures::future::BoxFuture<'_, Result<bool, sqlx::Error>> {
    use sqlx::Connection;
    Box::pin(async move {
        conn.ping().await?;
        Ok(outside_transaction(conn))
    })
}

/// The readers' check: a transaction someone began and awaited on a reader's connection is
/// seen without a round trip.
fn reader_outside_transaction(
    conn: &mut AnyConnection,
    _: sqlx::pool::PoolConnectionMetadata,
) -> futures::future::BoxFuture<'_, Result<bool, sqlx::Error>> {
    Box::pin(std::future::ready(Ok(outside_transaction(conn))))
}

fn outside_transaction(conn: &mut AnyConnection) -> bool {
    use sqlx::TransactionManager;
    let depth = <sqlx::Any as sqlx::Database>::TransactionManager::get_transaction_depth(conn);
    if depth > 0 {
        tracing::warn!(
            depth,
            "a connection came back inside a transaction; closing it"
        );
    }
    depth == 0
}

/// A SQLite pool of `max` connections, each set up with [`SQLITE_SETUP`].
fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(SQLITE_SETUP).await?;
                Ok(())
            })
        })
}

impl Db {
    /// Connects to `url`, creating the SQLite file (and its directory) when missing, and runs the
    /// engine's migrations.
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        sqlx::any::install_default_drivers();
        let (engine, options) = if url.starts_with("sqlite:") {
            let native = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
            let file = native.get_filename().to_path_buf();
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| ConnectError::DataDir {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
            // `mode=rwc` creates the file; the rest is set per connection (SQLITE_SETUP).
            let separator = if url.contains('?') { '&' } else { '?' };
            let url = if url.contains("mode=") {
                url.to_string()
            } else {
                format!("{url}{separator}mode=rwc")
            };
            (Engine::Sqlite, AnyConnectOptions::from_str(&url)?)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Engine::Postgres, AnyConnectOptions::from_str(url)?)
        } else {
            return Err(ConnectError::UnsupportedUrl(redact(url)));
        };
        // Readers and writers have pools of their own. Only a writer's connection can come back
        // inside a transaction begun for a cancelled request (see `without_open_transaction`),
        // so only the writers' pool pays a round trip to check each one given back.
        let (readers, writers) = match engine {
            // Every SQLite connection is a thread of its own and each query a round trip to it;
            // on a small machine a few connections serve more pages than many
            // (bench/article.sh). One writer at a time holds the lock anyway.
            Engine::Sqlite => (
                sqlite_pool(4)
                    .min_connections(1)
                    .after_release(reader_outside_transaction),
                sqlite_pool(2).after_release(without_open_transaction),
            ),
            Engine::Postgres => (
                AnyPoolOptions::new()
                    .max_connections(12)
                    .after_release(reader_outside_transaction)
                    .acquire_timeout(Duration::from_secs(10)),
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_release(without_open_transaction)
                    .acquire_timeout(Duration::from_secs(10)),
            ),
        };
        let db = Db {
            pool: readers.connect_with(options.clone()).await?,
            writers: writers.connect_with(options).await?,
            engine,
            url: url.into(),
            commits: Arc::default(),
        };
        db.migrate().await?;
        Ok(db)
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The pool, for queries outside a write transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Connections open and idle, readers' pool then writers' pool (for `/metrics`).
    pub fn pool_use(&self) -> [(&'static str, u32, usize); 2] {
        [
            ("readers", self.pool.size(), self.pool.num_idle()),
            ("writers", self.writers.size(), self.writers.num_idle()),
        ]
    }

    /// The URL to open PostgreSQL's `LISTEN` connection with; `None` on SQLite, where every
    /// writer is this process.
    pub fn listen_url(&self) -> Option<&str> {
        (self.engine == Engine::Postgres).then_some(&*self.url)
    }

    /// This instance's event-writing commits (see [`Commits`]).
    pub fn commits(&self) -> &Commits {
        &self.commits
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of failing with
    /// SQLITE_BUSY halfway. Dropped without [`WriteTx::commit`] (an early `?`), it rolls back:
    /// nothing is ever half-saved.
    pub async fn write(&self) -> Result<WriteTx, sqlx::Error> {
        let tx = match self.engine {
            Engine::Sqlite => self.writers.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.writers.begin().await?,
        };
        Ok(WriteTx {
            tx,
            engine: self.engine,
            commits: self.commits.clone(),
            last_event: None,
        })
    }

    async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.writers).await,
            Engine::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.writers)
                    .await
            }
        }
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Closes the pool. Bounded in time: sqlx's `close` can wait forever on a connection that is
    /// being returned concurrently, and shutdown must not hang on it.
    pub async fn close(&self) {
        let both = futures::future::join(self.pool.close(), self.writers.close());
        if tokio::time::timeout(Duration::from_secs(3), both)
            .await
            .is_err()
        {
            tracing::warn!("database pool did not close within 3 s; exiting anyway");
        }
    }
}

/// A write transaction (see [`Db::write`]). Queries run on it as on a connection:
/// `.execute(&mut *tx)`.
pub struct WriteTx {
    tx: Transaction<'static, sqlx::Any>,
    engine: Engine,
    commits: Arc<Commits>,
    /// The newest live event written in this transaction.
    last_event: Option<i64>,
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

impl WriteTx {
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Makes writers that share `key` take turns until commit, as SQLite's write lock already
    /// makes every writer do: on PostgreSQL a transaction-level advisory lock.
    pub async fn serialize(&mut self, key: i64) -> Result<(), sqlx::Error> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) locked")
                .bind(key)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Tells the other instances on `channel` once this commits (PostgreSQL's `NOTIFY`); on
    /// SQLite every writer is this process, which the commit itself wakes.
    pub async fn notify(&mut self, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT 1 FROM (SELECT pg_notify($1, $2)) notified")
                .bind(channel)
                .bind(payload)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Notes that this transaction wrote live event `id`: its commit wakes the hub.
    pub(crate) fn wrote_event(&mut self, id: i64) {
        self.last_event = self.last_event.max(Some(id));
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        if let Some(event) = self.last_event {
            self.commits.record(event);
        }
        Ok(())
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

/// What can go wrong in storage, for every noun. The database's own message is part of the
/// text (for the log); readers never see it.
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
    #[error("database error{}: {source}", purpose_text(.purpose))]
    Database {
        /// What the query was for, when the caller said.
        purpose: Option<&'static str>,
        source: sqlx::Error,
    },
}

fn purpose_text(purpose: &Option<&'static str>) -> String {
    purpose
        .as_ref()
        .map(|p| format!(" while {p}"))
        .unwrap_or_default()
}

impl From<sqlx::Error> for StoreError {
    fn from(source: sqlx::Error) -> Self {
        StoreError::Database {
            purpose: None,
            source,
        }
    }
}

/// Names what a query was for, so its failure says so: `.purpose("reading the home page")?`.
pub trait Purpose<T> {
    fn purpose(self, purpose: &'static str) -> Result<T, StoreError>;
}

impl<T> Purpose<T> for Result<T, sqlx::Error> {
    fn purpose(self, purpose: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Database {
            purpose: Some(purpose),
            source,
        })
    }
}

impl<T> Purpose<T> for Result<T, StoreError> {
    fn purpose(self, purpose: &'static str) -> Result<T, StoreError> {
        self.map_err(|err| match err {
            StoreError::Database {
                purpose: None,
                source,
            } => StoreError::Database {
                purpose: Some(purpose),
                source,
            },
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_password_but_keeps_user_and_host() {
        assert_eq!(
            redact("postgres://zender:geheim@localhost:5432/zender"),
            "postgres://zender:***@localhost:5432/zender"
        );
        assert_eq!(redact("sqlite://data/zender.db"), "sqlite://data/zender.db");
    }

    #[test]
    fn a_database_error_says_what_it_was_for_and_why_it_failed() {
        let failed: Result<(), sqlx::Error> = Err(sqlx::Error::PoolTimedOut);
        let err = failed.purpose("reading the home page").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("while reading the home page"), "{text}");
        assert!(text.contains("pool timed out"), "{text}");
    }
}
