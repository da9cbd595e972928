//! Calamity storage: the calamities, their official messages (each correction a row of its
//! own) and the events that bring every change to open pages (server only).
//!
//! Every write is one transaction with its events and its audit entry: the strip
//! (`Topic::Calamity`) and the message list (`Topic::Official`) are set whole, so the log keeps
//! only their newest state.

use std::{collections::HashMap, sync::Arc};

use leptos::prelude::*;

use super::{
    Authority, BlogLink, Calamity, CalamityError, CalamitySettings, CalamityStrip, Correction,
    EarlierText, MessageList, MessagePost, OfficialMessage, Strip,
};
use crate::{
    accounts::CurrentUser,
    articles::store::{PATH, VISIBLE},
    audit,
    db::{Db, Purpose, StoreError, WriteTx},
    live::{events, PartEvent, Topic},
    markup::render,
    state::AppState,
};

/// A refusal the editor can act on, or a failure of storage.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Refused(#[from] CalamityError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WriteError {
    fn from(err: sqlx::Error) -> Self {
        WriteError::Store(err.into())
    }
}

/// The columns of a [`CalamityRow`], on `calamities c` with its blog's visible article `a`
/// (and section `s`) joined on.
const CALAMITY: &str = "SELECT c.id, c.title, c.areas, c.stream_url, c.light_pages, \
     c.started_at, c.started_by, c.updated_at, c.ended_at, c.ended_by, \
     a.id AS blog_id, a.title AS blog_title, \
     CASE WHEN a.id IS NULL THEN NULL ELSE '/' || s.slug || '/' || a.slug END AS blog_path \
     FROM calamities c \
     LEFT JOIN articles a ON a.id = c.blog_article_id AND a.status IN ('published', 'scheduled') \
       AND a.published_at <= $1 \
     LEFT JOIN sections s ON s.id = a.section_id";

#[derive(sqlx::FromRow)]
struct CalamityRow {
    id: i64,
    title: String,
    areas: String,
    stream_url: Option<String>,
    light_pages: i64,
    started_at: i64,
    started_by: String,
    updated_at: i64,
    ended_at: Option<i64>,
    ended_by: Option<String>,
    blog_id: Option<i64>,
    blog_title: Option<String>,
    blog_path: Option<String>,
}

impl From<CalamityRow> for Calamity {
    fn from(row: CalamityRow) -> Self {
        let blog = match (row.blog_id, row.blog_title, row.blog_path) {
            (Some(article_id), Some(title), Some(path)) => Some(BlogLink {
                article_id,
                title,
                path,
            }),
            _ => None,
        };
        Calamity {
            id: row.id,
            title: row.title,
            areas: row.areas,
            blog,
            stream_url: row.stream_url,
            light_pages: row.light_pages != 0,
            started_at: row.started_at,
            started_by: row.started_by,
            updated_at: row.updated_at,
            ended_at: row.ended_at,
            ended_by: row.ended_by,
        }
    }
}

/// The calamity that is on, if one is.
pub async fn active(db: &Db, now: i64) -> Result<Option<Calamity>, StoreError> {
    let row: Option<CalamityRow> = sqlx::query_as(&format!("{CALAMITY} WHERE c.ended_at IS NULL"))
        .bind(now)
        .fetch_optional(db.pool())
        .await
        .purpose("reading the calamity that is on")?;
    Ok(row.map(Calamity::from))
}

/// The calamity that is on as of the pages' version now: read once per version, whichever
/// page asks first (the strip is on every page).
pub async fn current(state: &AppState, now: i64) -> Result<Option<Arc<Calamity>>, StoreError> {
    let version = state.live.version(now);
    if let Some(kept) = state.calamity.get(version) {
        return Ok(kept);
    }
    let calamity = active(&state.db, now).await?.map(Arc::new);
    state.calamity.keep(version, calamity.clone());
    Ok(calamity)
}

/// One calamity, on or over.
pub async fn get(db: &Db, id: i64, now: i64) -> Result<Option<Calamity>, StoreError> {
    let row: Option<CalamityRow> = sqlx::query_as(&format!("{CALAMITY} WHERE c.id = $2"))
        .bind(now)
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .purpose("reading a calamity")?;
    Ok(row.map(Calamity::from))
}

/// The calamities that are over, the latest first.
pub async fn archive(db: &Db, now: i64) -> Result<Vec<Calamity>, StoreError> {
    let rows: Vec<CalamityRow> = sqlx::query_as(&format!(
        "{CALAMITY} WHERE c.ended_at IS NOT NULL ORDER BY c.started_at DESC, c.id DESC LIMIT 100"
    ))
    .bind(now)
    .fetch_all(db.pool())
    .await
    .purpose("listing past calamities")?;
    Ok(rows.into_iter().map(Calamity::from).collect())
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    authority: String,
    source: String,
    body: String,
    issued_at: i64,
    posted_at: i64,
    posted_by: String,
    corrects_id: Option<i64>,
    reason: Option<String>,
}

/// A calamity's official messages as readers see them: each message's newest text, with what
/// it said before, the most recently issued first.
pub async fn messages(db: &Db, calamity: i64) -> Result<Vec<OfficialMessage>, StoreError> {
    messages_on(&mut *db.pool().acquire().await?, calamity).await
}

async fn messages_on(
    conn: &mut sqlx::AnyConnection,
    calamity: i64,
) -> Result<Vec<OfficialMessage>, StoreError> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, authority, source, body, issued_at, posted_at, posted_by, corrects_id, reason \
         FROM official_messages WHERE calamity_id = $1 ORDER BY id",
    )
    .bind(calamity)
    .fetch_all(conn)
    .await
    .purpose("reading official messages")?;
    Ok(chains(rows))
}

/// Each chain of corrections as one message: the newest text, the earlier ones behind it.
fn chains(rows: Vec<MessageRow>) -> Vec<OfficialMessage> {
    let corrected: std::collections::HashSet<i64> =
        rows.iter().filter_map(|r| r.corrects_id).collect();
    let by_id: HashMap<i64, &MessageRow> = rows.iter().map(|r| (r.id, r)).collect();
    let mut messages: Vec<OfficialMessage> = rows
        .iter()
        .filter(|row| !corrected.contains(&row.id))
        .map(|row| {
            let mut earlier = Vec::new();
            let mut first_id = row.id;
            let mut back = row.corrects_id;
            while let Some(previous) = back.and_then(|id| by_id.get(&id)) {
                earlier.push(EarlierText {
                    body: previous.body.clone(),
                    issued_at: previous.issued_at,
                });
                first_id = previous.id;
                back = previous.corrects_id;
            }
            OfficialMessage {
                id: row.id,
                first_id,
                authority: Authority::parse(&row.authority).unwrap_or(Authority::Other),
                source: row.source.clone(),
                body: row.body.clone(),
                issued_at: row.issued_at,
                posted_at: row.posted_at,
                posted_by: row.posted_by.clone(),
                reason: row.reason.clone(),
                earlier,
            }
        })
        .collect();
    messages.sort_by(|a, b| {
        let issued = |m: &OfficialMessage| m.earlier.last().map_or(m.issued_at, |e| e.issued_at);
        issued(b).cmp(&issued(a)).then(b.first_id.cmp(&a.first_id))
    });
    messages
}

/// The visible article a calamity may link its blog to; refused otherwise.
async fn check_blog(tx: &mut WriteTx, article: Option<i64>, now: i64) -> Result<(), WriteError> {
    let Some(article) = article else {
        return Ok(());
    };
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT a.id FROM articles a WHERE {VISIBLE} AND a.id = $2"
    ))
    .bind(now)
    .bind(article)
    .fetch_optional(&mut **tx)
    .await?;
    found.map(|_| ()).ok_or(CalamityError::UnknownBlog.into())
}

/// Sets the strip on every open page: announced when the mode has just been switched on.
async fn set_strip(
    tx: &mut WriteTx,
    strip: Option<Strip>,
    announce: bool,
    now: i64,
) -> Result<(), StoreError> {
    let html = strip.map_or_else(String::new, |strip| {
        render(|| view! { <CalamityStrip strip announce/> })
    });
    events::append(tx, Topic::Calamity, None, &PartEvent::Set { html }, now).await?;
    Ok(())
}

/// Sets the message list on every open calamity home.
async fn set_messages(tx: &mut WriteTx, calamity: i64, now: i64) -> Result<(), StoreError> {
    let messages = messages_on(tx, calamity).await?;
    let html = render(|| view! { <MessageList messages/> });
    events::append(tx, Topic::Official, None, &PartEvent::Set { html }, now).await?;
    Ok(())
}

/// The calamity row `id` as it stands inside `tx`.
async fn read_on(tx: &mut WriteTx, id: i64, now: i64) -> Result<Calamity, StoreError> {
    let row: CalamityRow = sqlx::query_as(&format!("{CALAMITY} WHERE c.id = $2"))
        .bind(now)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.into())
}

/// Switches the mode on. Refused when a calamity is on already.
pub async fn switch_on(
    db: &Db,
    settings: &CalamitySettings,
    user: &CurrentUser,
    now: i64,
) -> Result<i64, WriteError> {
    let mut tx = events::begin(db).await?;
    let on: Option<i64> = sqlx::query_scalar("SELECT id FROM calamities WHERE ended_at IS NULL")
        .fetch_optional(&mut *tx)
        .await?;
    if on.is_some() {
        return Err(CalamityError::AlreadyOn.into());
    }
    check_blog(&mut tx, settings.blog_article_id, now).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO calamities (title, areas, blog_article_id, stream_url, light_pages, \
         started_at, started_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6) RETURNING id",
    )
    .bind(&settings.title)
    .bind(&settings.areas)
    .bind(settings.blog_article_id)
    .bind(&settings.stream_url)
    .bind(i64::from(settings.light_pages))
    .bind(now)
    .bind(&user.display_name)
    .fetch_one(&mut *tx)
    .await?;
    let calamity = read_on(&mut tx, id, now).await?;
    set_strip(&mut tx, Some(Strip::from(&calamity)), true, now).await?;
    set_messages(&mut tx, id, now).await?;
    audit::record(
        &mut tx,
        user,
        audit::action::CALAMITY_ON,
        &subject(id),
        &format!("{} ({})", settings.title, settings.areas),
        now,
    )
    .await?;
    tx.commit().await.purpose("switching calamity mode on")?;
    Ok(id)
}

/// What the audit log names a calamity by.
pub fn subject(calamity: i64) -> String {
    format!("calamiteit:{calamity}")
}

/// Changes the title, areas, links or page weight of the calamity that is on.
pub async fn update(
    db: &Db,
    id: i64,
    settings: &CalamitySettings,
    user: &CurrentUser,
    now: i64,
) -> Result<(), WriteError> {
    let mut tx = events::begin(db).await?;
    check_blog(&mut tx, settings.blog_article_id, now).await?;
    let changed = sqlx::query(
        "UPDATE calamities SET title = $1, areas = $2, blog_article_id = $3, stream_url = $4, \
         light_pages = $5, updated_at = $6 WHERE id = $7 AND ended_at IS NULL",
    )
    .bind(&settings.title)
    .bind(&settings.areas)
    .bind(settings.blog_article_id)
    .bind(&settings.stream_url)
    .bind(i64::from(settings.light_pages))
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(CalamityError::NotOn.into());
    }
    let calamity = read_on(&mut tx, id, now).await?;
    set_strip(&mut tx, Some(Strip::from(&calamity)), false, now).await?;
    audit::record(
        &mut tx,
        user,
        audit::action::CALAMITY_CHANGED,
        &subject(id),
        &format!(
            "{} ({}); reacties en gerelateerd {}",
            settings.title,
            settings.areas,
            if settings.light_pages { "uit" } else { "aan" }
        ),
        now,
    )
    .await?;
    tx.commit().await.purpose("changing the calamity")?;
    Ok(())
}

/// Switches the mode off: the calamity stays as its archive page.
pub async fn switch_off(db: &Db, id: i64, user: &CurrentUser, now: i64) -> Result<(), WriteError> {
    let mut tx = events::begin(db).await?;
    let ended = sqlx::query(
        "UPDATE calamities SET ended_at = $1, ended_by = $2, updated_at = $1 \
         WHERE id = $3 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(&user.display_name)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if ended == 0 {
        return Err(CalamityError::NotOn.into());
    }
    set_strip(&mut tx, None, false, now).await?;
    let archive = crate::paths::CALAMITY_ARCHIVE_ITEM.to(&[&id]);
    let html = render(|| {
        view! {
            <p class="empty">"De calamiteit is voorbij. " <a href=archive>"Alle berichten staan in het archief."</a></p>
        }
    });
    events::append(
        &mut tx,
        Topic::Official,
        None,
        &PartEvent::Set { html },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        user,
        audit::action::CALAMITY_OFF,
        &subject(id),
        "",
        now,
    )
    .await?;
    tx.commit().await.purpose("switching calamity mode off")?;
    Ok(())
}

/// Posts an official message to the calamity that is on.
pub async fn post_message(
    db: &Db,
    calamity: i64,
    post: &MessagePost,
    user: &CurrentUser,
    now: i64,
) -> Result<i64, WriteError> {
    let mut tx = events::begin(db).await?;
    let on: Option<i64> =
        sqlx::query_scalar("SELECT id FROM calamities WHERE id = $1 AND ended_at IS NULL")
            .bind(calamity)
            .fetch_optional(&mut *tx)
            .await?;
    if on.is_none() {
        return Err(CalamityError::NotOn.into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO official_messages (calamity_id, authority, source, body, issued_at, \
         posted_at, posted_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(calamity)
    .bind(post.authority.as_str())
    .bind(&post.source)
    .bind(&post.body)
    .bind(post.issued_at)
    .bind(now)
    .bind(&user.display_name)
    .fetch_one(&mut *tx)
    .await?;
    set_messages(&mut tx, calamity, now).await?;
    audit::record(
        &mut tx,
        user,
        audit::action::OFFICIAL_MESSAGE,
        &subject(calamity),
        &format!(
            "{} ({}): {}",
            post.source,
            post.authority.label(),
            post.body
        ),
        now,
    )
    .await?;
    tx.commit().await.purpose("posting an official message")?;
    Ok(id)
}

/// What a correction is refused for, besides its text.
#[derive(Debug, PartialEq, Eq)]
pub enum Correctable {
    /// The text being corrected, and the calamity it belongs to.
    Yes {
        body: String,
        calamity: i64,
    },
    /// A newer text of this message exists: correct that one.
    Superseded,
    /// The calamity is over; its messages are an archive.
    Over,
    NotFound,
}

/// Whether message text `id` can be corrected now.
pub async fn correctable(db: &Db, id: i64) -> Result<Correctable, StoreError> {
    let row: Option<(String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT m.body, m.calamity_id, c.ended_at, \
         (SELECT n.id FROM official_messages n WHERE n.corrects_id = m.id) AS newer \
         FROM official_messages m JOIN calamities c ON c.id = m.calamity_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await
    .purpose("reading an official message")?;
    Ok(match row {
        None => Correctable::NotFound,
        Some((_, _, Some(_), _)) => Correctable::Over,
        Some((_, _, None, Some(_))) => Correctable::Superseded,
        Some((body, calamity, None, None)) => Correctable::Yes { body, calamity },
    })
}

/// Corrects message text `id` (its newest text) with a new text that names it. `None` when it
/// was corrected meanwhile (by someone else): the editor sees the newer text and tries again.
pub async fn correct(
    db: &Db,
    id: i64,
    correction: &Correction,
    user: &CurrentUser,
    now: i64,
) -> Result<Option<i64>, WriteError> {
    let mut tx = events::begin(db).await?;
    let original: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT m.calamity_id, m.authority, m.source, m.issued_at FROM official_messages m \
         JOIN calamities c ON c.id = m.calamity_id \
         WHERE m.id = $1 AND c.ended_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM official_messages n WHERE n.corrects_id = m.id)",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((calamity, authority, source, issued_at)) = original else {
        return Ok(None);
    };
    let new_id: i64 = sqlx::query_scalar(
        "INSERT INTO official_messages (calamity_id, authority, source, body, issued_at, \
         posted_at, posted_by, corrects_id, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(calamity)
    .bind(&authority)
    .bind(&source)
    .bind(&correction.body)
    .bind(issued_at)
    .bind(now)
    .bind(&user.display_name)
    .bind(id)
    .bind(&correction.reason)
    .fetch_one(&mut *tx)
    .await?;
    set_messages(&mut tx, calamity, now).await?;
    audit::record(
        &mut tx,
        user,
        audit::action::OFFICIAL_CORRECTION,
        &subject(calamity),
        &format!(
            "bericht {id}: {} (reden: {})",
            correction.body, correction.reason
        ),
        now,
    )
    .await?;
    tx.commit()
        .await
        .purpose("correcting an official message")?;
    Ok(Some(new_id))
}

/// Every text of a calamity's messages, in the order they were posted: for the CAP and RSS
/// output, which carry each correction as an update of what it corrects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageText {
    pub id: i64,
    pub authority: Authority,
    pub source: String,
    pub body: String,
    pub issued_at: i64,
    pub posted_at: i64,
    pub corrects: Option<i64>,
    pub reason: Option<String>,
}

pub async fn texts(db: &Db, calamity: i64) -> Result<Vec<MessageText>, StoreError> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, authority, source, body, issued_at, posted_at, posted_by, corrects_id, reason \
         FROM official_messages WHERE calamity_id = $1 ORDER BY id",
    )
    .bind(calamity)
    .fetch_all(db.pool())
    .await
    .purpose("reading official messages")?;
    Ok(rows
        .into_iter()
        .map(|row| MessageText {
            id: row.id,
            authority: Authority::parse(&row.authority).unwrap_or(Authority::Other),
            source: row.source,
            body: row.body,
            issued_at: row.issued_at,
            posted_at: row.posted_at,
            corrects: row.corrects_id,
            reason: row.reason,
        })
        .collect())
}

/// The newest visible articles that run a live blog (or ran one): what a calamity may link to.
pub async fn blog_choices(db: &Db, now: i64) -> Result<Vec<BlogLink>, StoreError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT a.id, a.title, {PATH} FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE {VISIBLE} AND a.live_state IS NOT NULL \
         ORDER BY a.published_at DESC, a.id DESC LIMIT 50"
    ))
    .bind(now)
    .fetch_all(db.pool())
    .await
    .purpose("listing live blogs for a calamity")?;
    Ok(rows
        .into_iter()
        .map(|(article_id, title, path)| BlogLink {
            article_id,
            title,
            path,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, corrects: Option<i64>, issued_at: i64, body: &str) -> MessageRow {
        MessageRow {
            id,
            authority: "politie".into(),
            source: "Politie Oost".into(),
            body: body.into(),
            issued_at,
            posted_at: issued_at,
            posted_by: "Redactie".into(),
            corrects_id: corrects,
            reason: corrects.map(|_| "Tikfout".into()),
        }
    }

    #[test]
    fn a_corrected_message_shows_its_newest_text_with_the_earlier_ones_behind_it() {
        let messages = chains(vec![
            row(1, None, 100, "Eerste"),
            row(2, None, 200, "Tweede"),
            row(3, Some(1), 100, "Eerste, verbeterd"),
            row(4, Some(3), 100, "Eerste, nogmaals verbeterd"),
        ]);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].body, "Tweede", "the most recently issued first");
        let first = &messages[1];
        assert_eq!((first.id, first.first_id), (4, 1));
        assert_eq!(first.body, "Eerste, nogmaals verbeterd");
        let earlier: Vec<&str> = first.earlier.iter().map(|e| e.body.as_str()).collect();
        assert_eq!(earlier, ["Eerste, verbeterd", "Eerste"]);
        assert!(first.is_correction() && !messages[0].is_correction());
    }
}
