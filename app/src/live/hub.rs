//! Fan-out of live events to the streams open on this instance.
//!
//! One pump per instance reads the event log in id order and broadcasts what is new. It wakes
//! when this instance commits an event (every event-writing commit wakes it: no handler has to
//! remember to), when PostgreSQL notifies that another instance did, and every few seconds
//! regardless, so a lost notification or a dropped database connection delays an event but never
//! loses it. Now and then it prunes the log.

use std::{
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::sync::{broadcast, watch, Notify};

use super::events::{self, LiveEvent, NOTIFY_CHANNEL};
use crate::db::{Db, StoreError};

/// Events a slow stream may fall behind before it is closed (the browser then reconnects and
/// catches up from the log).
const BUFFER: usize = 4096;
/// The pump reads the log this often even without a wake-up.
const CATCH_UP: Duration = Duration::from_secs(2);
const BATCH: i64 = 500;
/// The pump prunes the event log this often.
const PRUNE_EVERY: Duration = Duration::from_secs(600);

#[derive(Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    events: broadcast::Sender<Arc<LiveEvent>>,
    /// Another instance committed an event (PostgreSQL's `NOTIFY`).
    wake: Notify,
    closed: watch::Sender<bool>,
    last: AtomicI64,
    /// The ticker and banner as every page shows them, while no event has come in since and
    /// nothing shown has run out: readers' pages then need no query for them.
    snapshot: std::sync::Mutex<Option<CachedSnapshot>>,
}

struct CachedSnapshot {
    snapshot: super::LiveSnapshot,
    /// This instance's event-writing commits when it was read.
    commits: u64,
    valid_until: i64,
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub")
            .field("last", &self.last_id())
            .finish()
    }
}

impl LiveHub {
    /// Starts the pump (and on PostgreSQL the listener) on the current runtime.
    pub async fn start(db: Db) -> Result<Self, StoreError> {
        let last = events::last_id(&db).await?;
        let hub = LiveHub {
            inner: Arc::new(Inner {
                db: db.clone(),
                events: broadcast::channel(BUFFER).0,
                wake: Notify::new(),
                closed: watch::channel(false).0,
                last: AtomicI64::new(last),
                snapshot: std::sync::Mutex::new(None),
            }),
        };
        if let Some(url) = db.listen_url() {
            tokio::spawn(listen(hub.clone(), url.to_string()));
        }
        tokio::spawn(pump(hub.clone(), db));
        Ok(hub)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.inner.events.subscribe()
    }

    /// The newest event this instance has broadcast.
    pub fn last_id(&self) -> i64 {
        self.inner.last.load(Ordering::Acquire)
    }

    /// Where this instance is: the newest event it has broadcast, and how many event-writing
    /// commits it has made. A snapshot read after this is current for both.
    pub fn position(&self) -> (i64, u64) {
        (self.last_id(), self.inner.db.commits().count())
    }

    /// The kept snapshot, if it is still current at `now`: no event has come in, from this
    /// instance or another, and nothing shown has run out.
    pub fn snapshot(&self, now: i64) -> Option<super::LiveSnapshot> {
        let kept = self.inner.snapshot.lock().ok()?;
        kept.as_ref()
            .filter(|k| {
                k.snapshot.last_event_id == self.last_id()
                    && k.commits == self.inner.db.commits().count()
                    && now < k.valid_until
            })
            .map(|k| k.snapshot.clone())
    }

    /// Keeps `snapshot` (read at the position `snapshot.last_event_id` and `commits`) until
    /// `valid_until`.
    pub fn keep_snapshot(&self, snapshot: &super::LiveSnapshot, commits: u64, valid_until: i64) {
        if let Ok(mut kept) = self.inner.snapshot.lock() {
            *kept = Some(CachedSnapshot {
                snapshot: snapshot.clone(),
                commits,
                valid_until,
            });
        }
    }

    /// Ends every open stream (at shutdown) and stops the pump.
    pub fn close(&self) {
        self.inner.closed.send_replace(true);
    }

    /// Resolves once [`close`](Self::close) has been called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.inner.closed.subscribe();
        async move {
            let _ = rx.wait_for(|closed| *closed).await;
        }
    }
}

async fn pump(hub: LiveHub, db: Db) {
    let closed = hub.closed();
    tokio::pin!(closed);
    let mut pruned = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = &mut closed => return,
            _ = db.commits().next() => {}
            _ = hub.inner.wake.notified() => {}
            _ = tokio::time::sleep(CATCH_UP) => {}
        }
        loop {
            let after = hub.last_id();
            match events::after(&db, after, BATCH).await {
                Ok(events) => {
                    let full = events.len() as i64 == BATCH;
                    for event in events {
                        hub.inner.last.store(event.id, Ordering::Release);
                        // No receivers is fine: nobody is watching right now.
                        let _ = hub.inner.events.send(Arc::new(event));
                    }
                    if !full {
                        break;
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "reading live events failed; retrying");
                    break;
                }
            }
        }
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = tokio::time::Instant::now();
            match events::prune(&db, crate::db::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(events = n, "pruned old live events"),
                Err(err) => tracing::warn!(error = %err, "pruning live events failed"),
            }
        }
    }
}

/// Wakes the pump on every `NOTIFY` from any instance, and after every (re)connection.
async fn listen(hub: LiveHub, url: String) {
    let closed = hub.closed();
    tokio::pin!(closed);
    loop {
        let listener = async {
            let mut listener = sqlx::postgres::PgListener::connect(&url).await?;
            listener.listen(NOTIFY_CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            _ = &mut closed => return,
            result = listener => match result {
                Ok(listener) => listener,
                Err(err) => {
                    tracing::warn!(error = %err, "live listener cannot connect; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
        };
        // Whatever was committed while we were not listening.
        hub.inner.wake.notify_one();
        loop {
            tokio::select! {
                _ = &mut closed => return,
                received = listener.try_recv() => match received {
                    Ok(Some(_)) => hub.inner.wake.notify_one(),
                    // The connection dropped; the next call reconnects. Catch up meanwhile.
                    Ok(None) => hub.inner.wake.notify_one(),
                    Err(err) => {
                        tracing::warn!(error = %err, "live listener failed; reconnecting");
                        break;
                    }
                },
            }
        }
    }
}
