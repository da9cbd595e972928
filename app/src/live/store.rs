//! Ticker items, banners and the live event log, on both engines.
//!
//! Every change writes its row and an event in one transaction; the event id is what browsers
//! resume from. On PostgreSQL the event insert takes a transaction-level advisory lock, so events
//! commit in id order and a reader of "everything after id N" can never skip one that commits
//! late; the commit also sends a `NOTIFY` that wakes every instance.

use leptos::prelude::*;

use super::{
    blog, ticker_items, Banner, BannerPost, BannerStrip, LiveParts, LiveSnapshot, PartEvent,
    TickerEntry, TickerItem, TickerLi, TickerPost, TickerRecord, BREAKING, POLL_SECONDS, TICKER,
    TICKER_SHOWN,
};
use crate::{
    db::{Db, StoreError},
    in_write_tx, on_db,
};

/// The channel instances listen on for new events.
pub const NOTIFY_CHANNEL: &str = "zender_live";
pub const EVENT_LOCK: i64 = 0x7a656e646572; // "zender"

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveEvent {
    pub id: i64,
    pub topic: String,
    pub payload: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
struct TickerRow {
    id: i64,
    body: String,
    link: Option<String>,
    created_at: i64,
    expires_at: Option<i64>,
}

/// Renders a view to HTML outside any page, for events and snapshots.
pub fn html<V: IntoView>(view: impl FnOnce() -> V) -> String {
    Owner::new().with(|| view().to_html())
}

fn render(row: &TickerRow) -> TickerEntry {
    let html = html(|| {
        view! { <TickerItem body=row.body.clone() link=row.link.clone() at=row.created_at/> }
    });
    TickerEntry {
        id: row.id,
        html,
        expires_at: row.expires_at,
    }
}

const LIVE_TICKER: &str = "SELECT id, body, link, created_at, expires_at FROM ticker_items \
     WHERE removed_at IS NULL AND (expires_at IS NULL OR expires_at > $1) \
     ORDER BY created_at DESC, id DESC LIMIT $2";

const CURRENT_BANNER: &str = "SELECT id, text, link, ends_at FROM breaking_news \
     WHERE ended_at IS NULL AND (ends_at IS NULL OR ends_at > $1) \
     ORDER BY started_at DESC, id DESC LIMIT 1";

pub async fn last_event_id(db: &Db) -> Result<i64, StoreError> {
    let id: Option<i64> = on_db!(db, pool => {
        sqlx::query_scalar("SELECT MAX(id) FROM live_events").fetch_one(pool).await?
    });
    Ok(id.unwrap_or(0))
}

/// Longest a kept snapshot is used, whatever else: a bound on any staleness we did not foresee.
const SNAPSHOT_KEPT_SECS: i64 = 30;

/// What a page shows now. The event id is taken first (the hub's, which is never ahead of the
/// database): anything that lands while the rest is read is sent again to the browser, which
/// applies it idempotently. Kept by the hub until an event comes in or a shown item runs out,
/// so most pages need no query for it.
pub async fn snapshot(
    db: &Db,
    hub: &super::hub::LiveHub,
    now: i64,
) -> Result<LiveSnapshot, StoreError> {
    if let Some(kept) = hub.snapshot(now) {
        return Ok(kept);
    }
    let last_event_id = hub.last_id();
    let (ticker, expiries) = ticker_entries_with_expiry(db, now).await?;
    let breaking = current_banner(db, now).await?;
    let valid_until = expiries
        .into_iter()
        .chain(breaking.as_ref().and_then(|b| b.ends_at))
        .fold(now + SNAPSHOT_KEPT_SECS, i64::min);
    let snapshot = LiveSnapshot {
        ticker,
        breaking,
        last_event_id,
    };
    hub.keep_snapshot(&snapshot, valid_until);
    Ok(snapshot)
}

/// The ticker items a page shows now, newest first.
async fn ticker_entries(db: &Db, now: i64) -> Result<Vec<TickerEntry>, StoreError> {
    Ok(ticker_entries_with_expiry(db, now).await?.0)
}

/// The ticker items a page shows now, and when each that will run out does.
async fn ticker_entries_with_expiry(
    db: &Db,
    now: i64,
) -> Result<(Vec<TickerEntry>, Vec<i64>), StoreError> {
    let rows: Vec<TickerRow> = on_db!(db, pool => {
        sqlx::query_as(LIVE_TICKER)
            .bind(now)
            .bind(TICKER_SHOWN as i64)
            .fetch_all(pool)
            .await?
    });
    let expiries = rows.iter().filter_map(|row| row.expires_at).collect();
    Ok((rows.iter().map(render).collect(), expiries))
}

async fn visible(db: &Db, article: i64, now: i64) -> Result<bool, StoreError> {
    Ok(crate::comments::store::article_path(db, article, now)
        .await?
        .is_some())
}

/// The HTML of each topic's part as of now (topics already checked). A blog that is not live
/// has no part: nobody polls a closed blog.
pub async fn parts(db: &Db, topics: &[String], now: i64) -> Result<LiveParts, StoreError> {
    // Read first, as in `snapshot`; only the parts asked for are loaded.
    let last_event_id = last_event_id(db).await?;
    let mut parts = std::collections::BTreeMap::new();
    for topic in topics {
        let part = if topic == TICKER {
            let items = ticker_entries(db, now).await?;
            html(|| ticker_items(items))
        } else if topic == BREAKING {
            match current_banner(db, now).await? {
                Some(banner) => html(|| view! { <BannerStrip banner/> }),
                None => String::new(),
            }
        } else if let Some(article) = crate::comments::article_of(topic) {
            if !visible(db, article, now).await? {
                continue;
            }
            crate::comments::store::thread_html(db, article).await?
        } else if topic == crate::comments::store::MODERATION {
            crate::comments::badge_text(crate::comments::store::pending_count(db).await?)
        } else if let Some(article) = blog::article_of(topic) {
            if !visible(db, article, now).await? {
                continue;
            }
            match blog::store::blog(db, article).await? {
                Some(blog) if blog.status == blog::BlogStatus::Live => {
                    html(|| view! { <blog::BlogFeed blog/> })
                }
                _ => continue,
            }
        } else {
            continue;
        };
        parts.insert(topic.clone(), part);
    }
    Ok(LiveParts {
        parts,
        last_event_id,
        poll_seconds: POLL_SECONDS,
    })
}

/// Live ticker items with their raw fields, newest first, for the newsroom.
pub async fn ticker_records(db: &Db, now: i64) -> Result<Vec<TickerRecord>, StoreError> {
    let rows: Vec<TickerRow> = on_db!(db, pool => {
        sqlx::query_as(LIVE_TICKER).bind(now).bind(50_i64).fetch_all(pool).await?
    });
    Ok(rows
        .into_iter()
        .map(|r| TickerRecord {
            id: r.id,
            body: r.body,
            link: r.link,
            created_at: r.created_at,
            expires_at: r.expires_at,
        })
        .collect())
}

pub async fn current_banner(db: &Db, now: i64) -> Result<Option<Banner>, StoreError> {
    let row: Option<(i64, String, Option<String>, Option<i64>)> = on_db!(db, pool => {
        sqlx::query_as(CURRENT_BANNER).bind(now).fetch_optional(pool).await?
    });
    Ok(row.map(banner))
}

fn banner((id, text, link, ends_at): (i64, String, Option<String>, Option<i64>)) -> Banner {
    Banner {
        id,
        text,
        link,
        ends_at,
    }
}

/// Events after `after` (all topics, or only `topics`), oldest first. The topic filter is in
/// the query, so the limit counts only events the caller wants.
pub async fn events_after(
    db: &Db,
    topics: Option<&[String]>,
    after: i64,
    limit: i64,
) -> Result<Vec<LiveEvent>, StoreError> {
    let mut sql = String::from("SELECT id, topic, payload FROM live_events WHERE id > $1");
    if let Some(topics) = topics {
        let placeholders: Vec<String> = (0..topics.len()).map(|i| format!("${}", i + 3)).collect();
        sql.push_str(&format!(" AND topic IN ({})", placeholders.join(", ")));
    }
    sql.push_str(" ORDER BY id LIMIT $2");
    let events: Vec<LiveEvent> = on_db!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(after).bind(limit);
        for topic in topics.unwrap_or_default() {
            query = query.bind(topic);
        }
        query.fetch_all(pool).await?
    });
    Ok(events)
}

/// Appends an event inside the caller's transaction (see the module note on ordering).
#[macro_export]
#[doc(hidden)]
macro_rules! append_event {
    ($db:expr, $tx:ident, $topic:expr, $payload:expr, $now:expr) => {{
        let postgres = matches!($db, $crate::db::Db::Postgres(_));
        if postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind($crate::live::store::EVENT_LOCK)
                .execute(&mut *$tx)
                .await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO live_events (topic, payload, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind($topic)
        .bind($payload)
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        if postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind($crate::live::store::NOTIFY_CHANNEL)
                .bind(id.to_string())
                .execute(&mut *$tx)
                .await?;
        }
        id
    }};
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("live events serialise")
}

fn ticker_upsert(row: &TickerRow) -> String {
    let item = render(row);
    json(&PartEvent::Upsert {
        id: row.id,
        html: html(|| view! { <TickerLi item/> }),
        into: None,
    })
}

/// Posts a ticker item; returns its id.
pub async fn post_ticker(
    db: &Db,
    post: &TickerPost,
    author: Option<i64>,
    expires_at: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let id = in_write_tx!(db, tx => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO ticker_items (body, link, author_id, created_at, updated_at, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
        )
        .bind(&post.body)
        .bind(&post.link)
        .bind(author)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let row = TickerRow {
            id,
            body: post.body.clone(),
            link: post.link.clone(),
            created_at: now,
            expires_at,
        };
        let event = ticker_upsert(&row);
        append_event!(db, tx, TICKER, event, now);
        id
    });
    Ok(id)
}

/// Changes a ticker item's text and link (its time stays); `false` when it is gone.
pub async fn edit_ticker(
    db: &Db,
    id: i64,
    post: &TickerPost,
    now: i64,
) -> Result<bool, StoreError> {
    let found = in_write_tx!(db, tx => {
        let row: Option<TickerRow> = sqlx::query_as(
            "UPDATE ticker_items SET body = $1, link = $2, updated_at = $3 \
             WHERE id = $4 AND removed_at IS NULL \
             RETURNING id, body, link, created_at, expires_at",
        )
        .bind(&post.body)
        .bind(&post.link)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        match row {
            Some(row) => {
                let event = ticker_upsert(&row);
                append_event!(db, tx, TICKER, event, now);
                true
            }
            None => false,
        }
    });
    Ok(found)
}

/// Runs `close` (an UPDATE of one row by `$2`, stamping `$1`) and, if it changed a row, logs
/// `event` under `topic`; `false` when the row was already closed.
pub(crate) async fn close_with_event(
    db: &Db,
    close: &str,
    id: i64,
    topic: &str,
    event: String,
    now: i64,
) -> Result<bool, StoreError> {
    let done = in_write_tx!(db, tx => {
        let done = sqlx::query(close)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if done {
            append_event!(db, tx, topic, event, now);
        }
        done
    });
    Ok(done)
}

/// Takes a ticker item off every page; `false` when it was already gone.
pub async fn remove_ticker(db: &Db, id: i64, now: i64) -> Result<bool, StoreError> {
    close_with_event(
        db,
        "UPDATE ticker_items SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL",
        id,
        TICKER,
        json(&PartEvent::Remove { id }),
        now,
    )
    .await
}

/// Starts a banner (ending any other); returns its id.
pub async fn start_banner(
    db: &Db,
    post: &BannerPost,
    ends_at: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let id = in_write_tx!(db, tx => {
        sqlx::query("UPDATE breaking_news SET ended_at = $1 WHERE ended_at IS NULL")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO breaking_news (text, link, started_at, ends_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(&post.text)
        .bind(&post.link)
        .bind(now)
        .bind(ends_at)
        .fetch_one(&mut *tx)
        .await?;
        let banner = Banner {
            id,
            text: post.text.clone(),
            link: post.link.clone(),
            ends_at,
        };
        let event = json(&PartEvent::Set {
            html: html(|| view! { <BannerStrip banner/> }),
        });
        append_event!(db, tx, BREAKING, event, now);
        id
    });
    Ok(id)
}

/// Ends a banner by hand; `false` when it had already ended.
pub async fn end_banner(db: &Db, id: i64, now: i64) -> Result<bool, StoreError> {
    close_with_event(
        db,
        "UPDATE breaking_news SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL",
        id,
        BREAKING,
        json(&PartEvent::Remove { id }),
        now,
    )
    .await
}
