//! Ticker items and breaking-news banners. Every change writes its row and its event in one
//! transaction (see `live::events`).

use leptos::prelude::*;

use super::{
    events, ticker_items, Banner, BannerPost, BannerStrip, LiveSnapshot, PartEvent, TickerEntry,
    TickerItem, TickerLi, TickerPost, TickerRecord, Topic, TICKER_SHOWN,
};
use crate::{
    db::{Db, Purpose, StoreError},
    markup::render,
};

#[derive(Clone, Debug, sqlx::FromRow)]
struct TickerRow {
    id: i64,
    body: String,
    link: Option<String>,
    created_at: i64,
    expires_at: Option<i64>,
}

impl TickerRow {
    /// The item as pages show it, rendered once.
    fn entry(&self) -> TickerEntry {
        let html = render(|| {
            view! { <TickerItem body=self.body.clone() link=self.link.clone() at=self.created_at/> }
        });
        TickerEntry {
            id: self.id,
            html,
            expires_at: self.expires_at,
        }
    }

    fn upsert(&self) -> PartEvent {
        let item = self.entry();
        PartEvent::Upsert {
            id: self.id,
            html: render(|| view! { <TickerLi item/> }),
            into: None,
        }
    }
}

const LIVE_TICKER: &str = "SELECT id, body, link, created_at, expires_at FROM ticker_items \
     WHERE removed_at IS NULL AND (expires_at IS NULL OR expires_at > $1) \
     ORDER BY created_at DESC, id DESC LIMIT $2";

const CURRENT_BANNER: &str = "SELECT id, text, link, ends_at FROM breaking_news \
     WHERE ended_at IS NULL AND (ends_at IS NULL OR ends_at > $1) \
     ORDER BY started_at DESC, id DESC LIMIT 1";

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
    let last_event_id = hub.content_id();
    let rows = live_ticker(db, now, TICKER_SHOWN as i64).await?;
    let breaking = current_banner(db, now).await?;
    let calamity = crate::calamity::store::active(db, now)
        .await?
        .as_ref()
        .map(crate::calamity::Strip::from);
    let valid_until = rows
        .iter()
        .filter_map(|row| row.expires_at)
        .chain(breaking.as_ref().and_then(|b| b.ends_at))
        .fold(now + SNAPSHOT_KEPT_SECS, i64::min);
    let snapshot = LiveSnapshot {
        ticker: rows.iter().map(TickerRow::entry).collect(),
        breaking,
        calamity,
        last_event_id,
    };
    hub.keep_snapshot(&snapshot, valid_until);
    Ok(snapshot)
}

async fn live_ticker(db: &Db, now: i64, limit: i64) -> Result<Vec<TickerRow>, StoreError> {
    sqlx::query_as(LIVE_TICKER)
        .bind(now)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .purpose("reading the ticker")
}

/// The ticker part's HTML as of now, for clients that poll.
pub async fn ticker_html(db: &Db, now: i64) -> Result<String, StoreError> {
    let items: Vec<TickerEntry> = live_ticker(db, now, TICKER_SHOWN as i64)
        .await?
        .iter()
        .map(TickerRow::entry)
        .collect();
    Ok(render(|| ticker_items(items)))
}

/// The banner part's HTML as of now (empty without a banner), for clients that poll.
pub async fn banner_html(db: &Db, now: i64) -> Result<String, StoreError> {
    Ok(match current_banner(db, now).await? {
        Some(banner) => render(|| view! { <BannerStrip banner/> }),
        None => String::new(),
    })
}

/// Live ticker items with their raw fields, newest first, for the newsroom.
pub async fn ticker_records(db: &Db, now: i64) -> Result<Vec<TickerRecord>, StoreError> {
    Ok(live_ticker(db, now, 50)
        .await?
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
    let row: Option<(i64, String, Option<String>, Option<i64>)> = sqlx::query_as(CURRENT_BANNER)
        .bind(now)
        .fetch_optional(db.pool())
        .await
        .purpose("reading the banner")?;
    Ok(row.map(|(id, text, link, ends_at)| Banner {
        id,
        text,
        link,
        ends_at,
    }))
}

/// Posts a ticker item; returns its id.
pub async fn post_ticker(
    db: &Db,
    post: &TickerPost,
    author: Option<i64>,
    expires_at: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let mut tx = events::begin(db).await?;
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
    events::append(&mut tx, Topic::Ticker, Some(id), &row.upsert(), now).await?;
    tx.commit().await.purpose("posting a ticker item")?;
    Ok(id)
}

/// Changes a ticker item's text and link (its time stays); `false` when it is gone.
pub async fn edit_ticker(
    db: &Db,
    id: i64,
    post: &TickerPost,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = events::begin(db).await?;
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
    let Some(row) = row else {
        return Ok(false);
    };
    events::append(&mut tx, Topic::Ticker, Some(id), &row.upsert(), now).await?;
    tx.commit().await.purpose("editing a ticker item")?;
    Ok(true)
}

/// Takes a ticker item off every page (its text leaves the event log too); `false` when it was
/// already gone.
pub async fn remove_ticker(db: &Db, id: i64, now: i64) -> Result<bool, StoreError> {
    let mut tx = events::begin(db).await?;
    let removed =
        sqlx::query("UPDATE ticker_items SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
    if removed {
        let event = PartEvent::Remove { id };
        events::append(&mut tx, Topic::Ticker, Some(id), &event, now).await?;
    }
    tx.commit().await.purpose("removing a ticker item")?;
    Ok(removed)
}

/// Starts a banner (ending any other); returns its id.
pub async fn start_banner(
    db: &Db,
    post: &BannerPost,
    ends_at: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let mut tx = events::begin(db).await?;
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
    let event = PartEvent::Set {
        html: render(|| view! { <BannerStrip banner/> }),
    };
    events::append(&mut tx, Topic::Breaking, None, &event, now).await?;
    tx.commit().await.purpose("starting a banner")?;
    Ok(id)
}

/// Ends a banner by hand; `false` when it had already ended.
pub async fn end_banner(db: &Db, id: i64, now: i64) -> Result<bool, StoreError> {
    let mut tx = events::begin(db).await?;
    let ended =
        sqlx::query("UPDATE breaking_news SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
    if ended {
        // The part set to nothing: whichever banner a page still shows goes.
        let event = PartEvent::Set {
            html: String::new(),
        };
        events::append(&mut tx, Topic::Breaking, None, &event, now).await?;
    }
    tx.commit().await.purpose("ending a banner")?;
    Ok(ended)
}
