//! Fan-out of live events to the streams open on this instance.
//!
//! One pump per instance reads the event log in id order and broadcasts what is new. It wakes
//! when this instance commits an event, when PostgreSQL notifies that another instance did, and
//! every few seconds regardless, so a lost notification or a dropped database connection delays
//! an event but never loses it.

use std::{
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::sync::{broadcast, watch, Notify};

use super::store::{self, LiveEvent, NOTIFY_CHANNEL};
use crate::db::{Db, StoreError};

/// Events a slow stream may fall behind before it is closed (the browser then reconnects and
/// catches up from the log).
const BUFFER: usize = 4096;
/// The pump reads the log this often even without a wake-up.
const CATCH_UP: Duration = Duration::from_secs(2);
const BATCH: i64 = 500;

#[derive(Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

struct Inner {
    events: broadcast::Sender<Arc<LiveEvent>>,
    wake: Notify,
    closed: watch::Sender<bool>,
    last: AtomicI64,
    /// The ticker and banner as every page shows them, while no event has come in since and
    /// nothing shown has run out: readers' pages then need no query for them.
    snapshot: std::sync::Mutex<Option<CachedSnapshot>>,
}

struct CachedSnapshot {
    snapshot: super::LiveSnapshot,
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
        let last = store::last_event_id(&db).await?;
        let hub = LiveHub {
            inner: Arc::new(Inner {
                events: broadcast::channel(BUFFER).0,
                wake: Notify::new(),
                closed: watch::channel(false).0,
                last: AtomicI64::new(last),
                snapshot: std::sync::Mutex::new(None),
            }),
        };
        if let Db::Postgres(pool) = &db {
            tokio::spawn(listen(hub.clone(), pool.clone()));
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

    /// Call after committing an event: the pump broadcasts it at once.
    pub fn published(&self) {
        // A write on this instance: the next page reads afresh, without waiting for the pump.
        self.forget_snapshot();
        self.inner.wake.notify_one();
    }

    /// The kept snapshot, if it is still current at `now`.
    pub fn snapshot(&self, now: i64) -> Option<super::LiveSnapshot> {
        let kept = self.inner.snapshot.lock().ok()?;
        kept.as_ref()
            .filter(|k| k.snapshot.last_event_id == self.last_id() && now < k.valid_until)
            .map(|k| k.snapshot.clone())
    }

    /// Keeps `snapshot` (read after event `snapshot.last_event_id`) until `valid_until`.
    pub fn keep_snapshot(&self, snapshot: &super::LiveSnapshot, valid_until: i64) {
        if let Ok(mut kept) = self.inner.snapshot.lock() {
            *kept = Some(CachedSnapshot {
                snapshot: snapshot.clone(),
                valid_until,
            });
        }
    }

    fn forget_snapshot(&self) {
        if let Ok(mut kept) = self.inner.snapshot.lock() {
            *kept = None;
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
    loop {
        tokio::select! {
            _ = &mut closed => return,
            _ = hub.inner.wake.notified() => {}
            _ = tokio::time::sleep(CATCH_UP) => {}
        }
        loop {
            let after = hub.last_id();
            match store::events_after(&db, None, after, BATCH).await {
                Ok(events) => {
                    let full = events.len() as i64 == BATCH;
                    if !events.is_empty() {
                        hub.forget_snapshot();
                    }
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
    }
}

/// Wakes the pump on every `NOTIFY` from any instance, and after every (re)connection.
async fn listen(hub: LiveHub, pool: sqlx::PgPool) {
    let closed = hub.closed();
    tokio::pin!(closed);
    loop {
        let listener = async {
            let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
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
        hub.published();
        loop {
            tokio::select! {
                _ = &mut closed => return,
                received = listener.try_recv() => match received {
                    Ok(Some(_)) => hub.published(),
                    // The connection dropped; the next call reconnects. Catch up meanwhile.
                    Ok(None) => hub.published(),
                    Err(err) => {
                        tracing::warn!(error = %err, "live listener failed; reconnecting");
                        break;
                    }
                },
            }
        }
    }
}
