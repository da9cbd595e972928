//! Fan-out of live events to the streams open on this instance, and the public pages' version.
//!
//! One pump per instance reads the event log in id order and broadcasts what is new. It wakes
//! when this instance commits an event (every event-writing commit wakes it: no handler has to
//! remember to), when PostgreSQL notifies that another instance did, and every second
//! regardless, so a lost notification or a dropped database connection delays an event but never
//! loses it. Now and then it prunes the log.
//!
//! Every change readers can see is an event (article saves included, `Topic::Site`) or happens by
//! the clock (`freshness::next_change`). So the pages' version is the newest event known here
//! (the pump's, or this instance's own commit, which counts at once) and how many such moments
//! have passed: no query per request, and the same on every instance once the event reaches it.

use std::{
    sync::{
        atomic::{AtomicI64, AtomicU64, Ordering},
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
/// The pump reads the log this often even without a wake-up: the longest another instance's
/// change can take to reach this one when a notification is lost.
const CATCH_UP: Duration = Duration::from_secs(1);
const BATCH: i64 = 500;
/// The pump prunes the event log this often.
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// Seconds without a successful read of the event log after which the database counts as
/// unreachable.
pub const UNREACHABLE_AFTER: i64 = 3;
/// No moment is due: the pump looks again after the next event anyway.
const NEVER: i64 = i64::MAX;

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
    /// The newest event broadcast.
    last: AtomicI64,
    /// When the pump last saw the content change (Unix seconds).
    changed_at: AtomicI64,
    /// The next moment pages change by the clock, and how many such moments have passed.
    next_due: AtomicI64,
    due_passed: AtomicU64,
    /// How long comments stay open (seconds), for when they close by age.
    close_after: Option<i64>,
    /// When the pump last read the event log (Unix seconds): it does every second, so an older
    /// time means the database cannot be reached.
    read_at: AtomicI64,
    /// The ticker and banner as every page shows them, while no event has come in since and
    /// nothing shown has run out: readers' pages then need no query for them.
    snapshot: std::sync::Mutex<Option<CachedSnapshot>>,
}

struct CachedSnapshot {
    snapshot: super::LiveSnapshot,
    valid_until: i64,
}

/// A value read from the database that holds as long as the pages' version does (the newest
/// articles every page lists, say): read once per version, by whichever page asks first.
pub struct PerVersion<T> {
    kept: std::sync::Mutex<Option<((i64, u64), T)>>,
}

impl<T> Default for PerVersion<T> {
    fn default() -> Self {
        PerVersion {
            kept: std::sync::Mutex::new(None),
        }
    }
}

impl<T> std::fmt::Debug for PerVersion<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PerVersion")
    }
}

impl<T: Clone> PerVersion<T> {
    /// The value kept for `version`, if any.
    pub fn get(&self, version: PageVersion) -> Option<T> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|(at, _)| *at == (version.content, version.due))
            .map(|(_, value)| value.clone())
    }

    /// Keeps `value`, read after `version` was taken (so it shows that version or a newer one).
    pub fn keep(&self, version: PageVersion, value: T) {
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some(((version.content, version.due), value));
        }
    }
}

/// What the public pages show is this version of the content: equal versions, equal pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PageVersion {
    /// The newest live event the pages reflect.
    pub content: i64,
    /// How many moments of change by the clock have passed.
    pub due: u64,
    /// When the content last changed (Unix seconds), for `Last-Modified`.
    pub changed_at: i64,
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub")
            .field("last", &self.last_id())
            .finish()
    }
}

impl LiveHub {
    /// Starts the pump (and on PostgreSQL the listener) on the current runtime. `close_after`
    /// is how long comments stay open (seconds; `None`: for ever).
    pub async fn start(db: Db, close_after: Option<i64>) -> Result<Self, StoreError> {
        let last = events::last_id(&db).await?;
        let now = crate::db::now();
        let next_due = crate::freshness::next_change(&db, now, close_after)
            .await?
            .unwrap_or(NEVER);
        let hub = LiveHub {
            inner: Arc::new(Inner {
                db: db.clone(),
                events: broadcast::channel(BUFFER).0,
                wake: Notify::new(),
                closed: watch::channel(false).0,
                last: AtomicI64::new(last),
                changed_at: AtomicI64::new(now),
                next_due: AtomicI64::new(next_due),
                due_passed: AtomicU64::new(0),
                read_at: AtomicI64::new(now),
                close_after,
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

    /// The newest event whose change is in the database, as far as this instance knows: the
    /// pump's, or its own newest commit (which counts before the pump has caught up). A page
    /// read after this reflects it, so it may resume its stream from here.
    pub fn content_id(&self) -> i64 {
        self.last_id().max(self.inner.db.commits().latest())
    }

    /// The version of the public pages at `now` (see the module note).
    pub fn version(&self, now: i64) -> PageVersion {
        let next_due = self.inner.next_due.load(Ordering::Acquire);
        // A moment that has just passed counts at once, before the pump has seen it.
        let due_now = now >= next_due;
        PageVersion {
            content: self.content_id(),
            due: self.inner.due_passed.load(Ordering::Acquire) + u64::from(due_now),
            changed_at: [
                self.inner.changed_at.load(Ordering::Acquire),
                self.inner.db.commits().latest_at(),
                if due_now { next_due } else { 0 },
            ]
            .into_iter()
            .max()
            .unwrap_or_default(),
        }
    }

    /// Whether the database answered the pump lately: it reads the log every second, so after
    /// [`UNREACHABLE_AFTER`] seconds without a read, pages that can do without the database
    /// (the emergency page) say they may be behind.
    pub fn database_reachable(&self, now: i64) -> bool {
        now - self.inner.read_at.load(Ordering::Acquire) <= UNREACHABLE_AFTER
    }

    /// The kept snapshot, if it is still current at `now`: no event has come in, from this
    /// instance or another, and nothing shown has run out.
    pub fn snapshot(&self, now: i64) -> Option<super::LiveSnapshot> {
        let kept = self.inner.snapshot.lock().ok()?;
        kept.as_ref()
            .filter(|k| k.snapshot.last_event_id == self.content_id() && now < k.valid_until)
            .map(|k| k.snapshot.clone())
    }

    /// Keeps `snapshot` (read after `snapshot.last_event_id` was [`content_id`](Self::content_id))
    /// until `valid_until`.
    pub fn keep_snapshot(&self, snapshot: &super::LiveSnapshot, valid_until: i64) {
        if let Ok(mut kept) = self.inner.snapshot.lock() {
            *kept = Some(CachedSnapshot {
                snapshot: snapshot.clone(),
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

    /// After a change: when do the pages next change by the clock?
    async fn look_ahead(&self, now: i64) {
        match crate::freshness::next_change(&self.inner.db, now, self.inner.close_after).await {
            Ok(next) => self
                .inner
                .next_due
                .store(next.unwrap_or(NEVER), Ordering::Release),
            Err(err) => {
                tracing::warn!(error = %err, "looking ahead for timed changes failed");
                // Look again shortly (this counts as a change: better a page too many).
                self.inner.next_due.store(now + 5, Ordering::Release);
            }
        }
    }

    /// How long until the next timed change (a day at most: the pump wakes anyway).
    fn until_due(&self, now: i64) -> Duration {
        let next = self.inner.next_due.load(Ordering::Acquire);
        Duration::from_secs(next.saturating_sub(now).clamp(0, 86_400) as u64)
    }
}

async fn pump(hub: LiveHub, db: Db) {
    let closed = hub.closed();
    tokio::pin!(closed);
    let mut pruned = tokio::time::Instant::now();
    loop {
        let wait = hub.until_due(crate::db::now()).min(CATCH_UP);
        tokio::select! {
            _ = &mut closed => return,
            _ = db.commits().next() => {}
            _ = hub.inner.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
        let mut changed = false;
        loop {
            let after = hub.last_id();
            match events::after(&db, after, BATCH).await {
                Ok(events) => {
                    hub.inner.read_at.store(crate::db::now(), Ordering::Release);
                    let full = events.len() as i64 == BATCH;
                    changed |= !events.is_empty();
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
        let now = crate::db::now();
        if now >= hub.inner.next_due.load(Ordering::Acquire) {
            hub.inner.due_passed.fetch_add(1, Ordering::AcqRel);
            hub.inner.changed_at.store(now, Ordering::Release);
            hub.look_ahead(now).await;
        } else if changed {
            hub.inner.changed_at.store(now, Ordering::Release);
            hub.look_ahead(now).await;
        }
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = tokio::time::Instant::now();
            match events::prune(&db, now).await {
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
