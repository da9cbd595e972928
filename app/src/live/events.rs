//! The live event log: what open pages are sent, in the order it happened (server only).
//!
//! Every live change writes its rows and its event in one write transaction ([`append`]); the
//! event id is what browsers resume from, and the commit wakes this instance's hub
//! ([`crate::db::Commits`]). On PostgreSQL the append takes a transaction-level advisory lock, so
//! events commit in id order and a reader of "everything after id N" can never skip one that
//! commits late; the commit also sends a `NOTIFY` that wakes every other instance.
//!
//! The log keeps only what a page could still need, and nothing that was taken back:
//! - an item's removal (a ticker post, a blog update) takes the item's earlier events along, so
//!   a removed item's text is gone from the log with it (an edit keeps them: replayed in order,
//!   the edit lands where the item stands);
//! - an event that sets a whole part (or tells pages to reload it) replaces every earlier event
//!   of that part;
//! - an article that readers can no longer see takes its blog's and comments' events along
//!   ([`forget_article`]), no event is written for it meanwhile, and pages that resume after it
//!   is back are told to reload its parts ([`article_back`]);
//! - replay covers [`REPLAY_WINDOW`]; a client further behind is told to reload the part
//!   ([`replay`]), and older events are pruned ([`prune`]).
//!
//! A transaction that will append starts with [`begin`]: it takes the log's turn before any row
//! lock, so two writers never wait for each other the other way round (PostgreSQL).

use super::{PartEvent, Topic};
use crate::{
    articles::store::VISIBLE,
    db::{Db, Purpose, StoreError, WriteTx},
};

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveEvent {
    pub id: i64,
    pub topic: String,
    pub payload: String,
}

/// The channel instances listen on for new events.
pub const NOTIFY_CHANNEL: &str = "zender_live";
/// Appends take turns on this key (PostgreSQL; "zender" in ASCII).
pub const EVENT_LOCK: i64 = 0x7a656e646572;
/// How far back a reconnecting client is sent what it missed.
pub const REPLAY_WINDOW: i64 = 15 * 60;
/// Most events replayed to one client; one that missed more reloads its parts.
pub const REPLAY_MAX: i64 = 500;
/// Events older than this are pruned (the newest is always kept: ids never go back).
pub const KEEP: i64 = 60 * 60;

/// A write transaction that will append events, holding the log's turn from the start.
pub async fn begin(db: &Db) -> Result<WriteTx, StoreError> {
    let mut tx = db.write().await?;
    tx.serialize(EVENT_LOCK).await?;
    Ok(tx)
}

/// Appends `event` for `topic` inside `tx`, about `item` (the ticker post, comment or blog
/// update it carries) when it is about one. Writes nothing for the part of an article
/// readers cannot see now. Returns the event's id, if one was written.
pub async fn append(
    tx: &mut WriteTx,
    topic: Topic,
    item: Option<i64>,
    event: &PartEvent,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    tx.serialize(EVENT_LOCK).await?;
    if let Some(article) = topic.article() {
        let visible: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT a.id FROM articles a WHERE {VISIBLE} AND a.id = $2"
        ))
        .bind(now)
        .bind(article)
        .fetch_optional(&mut **tx)
        .await?;
        if visible.is_none() {
            return Ok(None);
        }
    }
    let name = topic.to_string();
    match (event, item) {
        // A whole part set anew (or to be fetched anew): nothing before it matters any more.
        (PartEvent::Set { .. } | PartEvent::Reload, _) => {
            sqlx::query("DELETE FROM live_events WHERE topic = $1")
                .bind(&name)
                .execute(&mut **tx)
                .await?;
        }
        // A removed item: its earlier events go with it.
        (PartEvent::Remove { .. }, Some(item)) => {
            sqlx::query("DELETE FROM live_events WHERE topic = $1 AND item_id = $2")
                .bind(&name)
                .bind(item)
                .execute(&mut **tx)
                .await?;
        }
        _ => {}
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO live_events (topic, item_id, payload, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(&name)
    .bind(item)
    .bind(json(event))
    // The log's own clock (for the replay window and pruning), whatever time the change
    // carries (demo content is dated in the past).
    .bind(crate::db::now())
    .fetch_one(&mut **tx)
    .await?;
    tx.notify(NOTIFY_CHANNEL, &id.to_string()).await?;
    tx.wrote_event(id);
    Ok(Some(id))
}

/// Rewrites the part's setting event, if the log holds one, to `event`: after an item is taken
/// out of a part (a blog update withdrawn), no earlier copy of the whole part may still carry it.
pub async fn refresh_set(
    tx: &mut WriteTx,
    topic: Topic,
    event: &PartEvent,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE live_events SET payload = $1 WHERE topic = $2 AND item_id IS NULL \
         AND payload LIKE '{\"op\":\"set\"%'",
    )
    .bind(json(event))
    .bind(topic.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes an article's blog and comment events out of the log: readers can no longer see it.
pub async fn forget_article(tx: &mut WriteTx, article: i64) -> Result<(), StoreError> {
    tx.serialize(EVENT_LOCK).await?;
    sqlx::query("DELETE FROM live_events WHERE topic IN ($1, $2)")
        .bind(Topic::Blog(article).to_string())
        .bind(Topic::Comments(article).to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An article readers could not see is visible again: pages that follow its blog and comments
/// (from before it was hidden) fetch them anew.
pub async fn article_back(tx: &mut WriteTx, article: i64, now: i64) -> Result<(), StoreError> {
    for topic in [Topic::Blog(article), Topic::Comments(article)] {
        append(tx, topic, None, &PartEvent::Reload, now).await?;
    }
    Ok(())
}

/// Articles changed (saved, comments opened or closed): every instance's cached pages become a
/// new version. Only the newest such event is kept.
pub async fn site_changed(tx: &mut WriteTx, now: i64) -> Result<(), StoreError> {
    append(tx, Topic::Site, None, &PartEvent::Reload, now).await?;
    Ok(())
}

fn json(event: &PartEvent) -> String {
    serde_json::to_string(event).expect("live events serialise")
}

/// The newest event id; 0 for an empty log.
pub async fn last_id(db: &Db) -> Result<i64, StoreError> {
    last_id_on(&mut *db.pool().acquire().await?).await
}

/// [`last_id`], on a connection the caller holds.
pub async fn last_id_on(conn: &mut sqlx::AnyConnection) -> Result<i64, StoreError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM live_events")
        .fetch_one(conn)
        .await
        .purpose("reading the newest live event")?;
    Ok(id.unwrap_or(0))
}

/// Every event after `after`, oldest first, at most `limit`: what the hub broadcasts.
pub async fn after(db: &Db, after: i64, limit: i64) -> Result<Vec<LiveEvent>, StoreError> {
    sqlx::query_as("SELECT id, topic, payload FROM live_events WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .purpose("reading new live events")
}

/// What a client resuming after an event is sent first.
#[derive(Debug, PartialEq, Eq)]
pub enum Replay {
    /// The events of its topics it missed, oldest first.
    Events(Vec<LiveEvent>),
    /// It is further behind than the log reaches: it reloads its parts.
    Reload,
}

/// What a client that has seen everything up to `after` missed of `topics`.
pub async fn replay(db: &Db, topics: &[Topic], after: i64, now: i64) -> Result<Replay, StoreError> {
    // The first event still within the window (or the next id, when none is): a client that
    // resumes from before it may have missed events the window no longer holds.
    let floor: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MIN(id), (SELECT COALESCE(MAX(id), 0) + 1 FROM live_events)) \
         FROM live_events WHERE created_at >= $1",
    )
    .bind(now - REPLAY_WINDOW)
    .fetch_one(db.pool())
    .await
    .purpose("finding where live replay starts")?;
    if after + 1 < floor {
        return Ok(Replay::Reload);
    }
    let placeholders: Vec<String> = (0..topics.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT id, topic, payload FROM live_events WHERE id > $1 AND topic IN ({}) \
         ORDER BY id LIMIT $2",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(after).bind(REPLAY_MAX + 1);
    for topic in topics {
        query = query.bind(topic.to_string());
    }
    let events: Vec<LiveEvent> = query
        .fetch_all(db.pool())
        .await
        .purpose("replaying live events")?;
    if events.len() as i64 > REPLAY_MAX {
        return Ok(Replay::Reload);
    }
    Ok(Replay::Events(events))
}

/// Deletes events older than [`KEEP`], but never the newest; returns how many went.
pub async fn prune(db: &Db, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "DELETE FROM live_events WHERE created_at < $1 \
         AND id < (SELECT MAX(id) FROM live_events)",
    )
    .bind(now - KEEP)
    .execute(db.pool())
    .await
    .purpose("pruning old live events")?;
    Ok(done.rows_affected())
}
