//! Comments on both engines: submission with its spam checks in one transaction (nothing is
//! half-saved), the thread readers see, and the newsroom's moderation. Approvals are written to
//! the live event log with the comment's HTML, so open pages show them at once.

use leptos::prelude::*;

use super::{
    display_order,
    rules::{AuthorName, CommentBody, Email},
    settings::CommentSettings,
    topic, ArticleComments, Comment, CommentItem, PageChoice, QueuedComment, ThreadPage, MAX_DEPTH,
    PER_PAGE,
};
use crate::{
    append_event,
    db::{Db, StoreError},
    in_write_tx,
    live::{
        store::{html, json},
        PartEvent,
    },
    on_db,
};

/// The live topic for the newsroom's pending count.
pub const MODERATION: &str = "moderation";
/// Rate limits count comments (and tips, `tips::store`) in this window.
pub(crate) const WINDOW: i64 = 600;

/// A comment that passed the rules, about to be submitted.
pub struct NewComment<'a> {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub name: &'a AuthorName,
    pub email: &'a Email,
    pub body: &'a CommentBody,
    pub client: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Visible now.
    Published(i64),
    /// Waiting for a moderator.
    Queued(i64),
}

/// Why a comment was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such visible article, or its comments are closed.
    Closed,
    /// The comment replied to is not (or no longer) shown.
    NoParent,
    Duplicate,
    RateLimited,
    Banned,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    parent_id: Option<i64>,
    author_name: String,
    body: String,
    newsroom: i64,
    created_at: i64,
    parent_name: Option<String>,
}

impl From<CommentRow> for Comment {
    fn from(row: CommentRow) -> Self {
        Comment {
            id: row.id,
            parent_id: row.parent_id,
            author_name: row.author_name,
            body: row.body,
            newsroom: row.newsroom != 0,
            created_at: row.created_at,
            parent_name: row.parent_name,
        }
    }
}

/// The columns of a [`CommentRow`], from `comments c` (and its parent `p`).
const COMMENT_COLUMNS: &str = "SELECT c.id, c.parent_id, c.author_name, c.body, c.newsroom, \
     c.created_at, p.author_name AS parent_name \
     FROM comments c LEFT JOIN comments p ON p.id = c.parent_id";

/// `$1` now, `$2` the oldest publication time still open (`i64::MIN` when never closing).
const OPEN: &str = "SELECT id FROM articles WHERE id = $3 AND comments_closed = 0 \
     AND status IN ('published', 'scheduled') AND published_at <= $1 AND published_at >= $2";

fn open_since(settings: &CommentSettings, now: i64) -> i64 {
    if settings.close_after_days > 0 {
        now - settings.close_after_days * 86_400
    } else {
        i64::MIN
    }
}

/// The event that shows an approved comment on open pages: into its parent's reply list (or
/// the deepest level shown), or at the end of the thread.
macro_rules! comment_event {
    ($db:expr, $tx:ident, $article:expr, $id:expr, $now:expr) => {{
        let row: CommentRow = sqlx::query_as(&format!("{COMMENT_COLUMNS} WHERE c.id = $1"))
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?;
        // Ancestors, nearest first.
        let mut chain = Vec::new();
        let mut next = row.parent_id;
        while let Some(parent) = next {
            chain.push(parent);
            if chain.len() > 1000 {
                break;
            }
            next = sqlx::query_scalar::<_, Option<i64>>(
                "SELECT parent_id FROM comments WHERE id = $1",
            )
            .bind(parent)
            .fetch_one(&mut *$tx)
            .await?;
        }
        let into = match chain.len() {
            0 => "reacties-lijst".to_string(),
            n if n < MAX_DEPTH => format!("antwoorden-{}", chain[0]),
            n => format!("antwoorden-{}", chain[n - (MAX_DEPTH - 1)]),
        };
        let comment = Comment::from(row);
        let event = json(&PartEvent::Upsert {
            id: comment.id,
            html: html(|| view! { <CommentItem comment replies=Vec::new() depth=MAX_DEPTH/> }),
            into: Some(into),
        });
        append_event!($db, $tx, topic($article), event, $now);
    }};
}

/// On PostgreSQL, the event log's lock, taken early: what is read next is then current when
/// the event is written. (SQLite's write transaction already excludes other writers.)
macro_rules! lock_events {
    ($db:expr, $tx:ident) => {
        if matches!($db, Db::Postgres(_)) {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(crate::live::store::EVENT_LOCK)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

/// Tells open newsroom pages the pending count changed.
macro_rules! moderation_event {
    ($db:expr, $tx:ident, $now:expr) => {{
        lock_events!($db, $tx);
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE status = 'pending'")
                .fetch_one(&mut *$tx)
                .await?;
        let event = json(&PartEvent::Set {
            html: super::badge_text(pending),
        });
        append_event!($db, $tx, MODERATION, event, $now);
    }};
}

/// An article's comments (the page `choice` names) and whether its form is open. `since` is the
/// live event the page is current up to (the hub's last: never ahead of what is read here).
pub async fn for_article(
    db: &Db,
    settings: &CommentSettings,
    article_id: i64,
    choice: PageChoice,
    since: i64,
    now: i64,
) -> Result<ArticleComments, StoreError> {
    let open: Option<i64> = on_db!(db, pool => {
        sqlx::query_scalar(OPEN)
            .bind(now)
            .bind(open_since(settings, now))
            .bind(article_id)
            .fetch_optional(pool)
            .await?
    });
    Ok(ArticleComments {
        article_id,
        open: open.is_some(),
        thread: thread_page(db, article_id, choice).await?,
        token: settings.token(article_id, now),
        since,
    })
}

/// One page of an article's approved comments, in display order. The thread's shape (ids and
/// parents) is read whole, the text only for the page shown.
async fn thread_page(
    db: &Db,
    article_id: i64,
    choice: PageChoice,
) -> Result<ThreadPage, StoreError> {
    let shape: Vec<(i64, Option<i64>)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, parent_id FROM comments WHERE article_id = $1 AND status = 'approved' \
             ORDER BY created_at, id",
        )
        .bind(article_id)
        .fetch_all(pool)
        .await?
    });
    let order = display_order(&shape);
    let pages = order.len().div_ceil(PER_PAGE).max(1);
    let page = match choice {
        PageChoice::Latest => pages,
        // Past the end (or 0): the newest page rather than an error.
        PageChoice::Number(n) if (1..=pages).contains(&(n as usize)) => n as usize,
        PageChoice::Number(_) => pages,
        PageChoice::Showing(id) => order
            .iter()
            .position(|c| *c == id)
            .map_or(pages, |at| at / PER_PAGE + 1),
    };
    let ids = &order[((page - 1) * PER_PAGE).min(order.len())..(page * PER_PAGE).min(order.len())];
    let mut comments = Vec::with_capacity(ids.len());
    if !ids.is_empty() {
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "{COMMENT_COLUMNS} WHERE c.id IN ({})",
            placeholders.join(", ")
        );
        let rows: Vec<CommentRow> = on_db!(db, pool => {
            let mut query = sqlx::query_as(&sql);
            for id in ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await?
        });
        let mut rows: std::collections::HashMap<i64, CommentRow> =
            rows.into_iter().map(|row| (row.id, row)).collect();
        comments.extend(
            ids.iter()
                .filter_map(|id| rows.remove(id))
                .map(Comment::from),
        );
    }
    Ok(ThreadPage {
        comments,
        page: page as u32,
        pages: pages as u32,
        total: order.len(),
    })
}

/// Takes a comment, or says why not. Every check and the insert share one transaction.
pub async fn submit(
    db: &Db,
    settings: &CommentSettings,
    new: &NewComment<'_>,
    now: i64,
) -> Result<Result<Outcome, Refusal>, StoreError> {
    let words = super::settings::banned_words(db, settings).await?;
    let held_for = if new.body.links() > 1 {
        Some("meer dan één link".to_string())
    } else {
        let text = format!("{} {}", new.name.as_str(), new.body.as_str());
        super::settings::banned_word(&words, &text).map(|w| format!("verboden woord: {w}"))
    };
    let status = if settings.premoderation || held_for.is_some() {
        "pending"
    } else {
        "approved"
    };
    let outcome = in_write_tx!(db, tx => {
        // On PostgreSQL, submissions take turns (as SQLite's write lock makes them): two
        // posts at once must not both pass the duplicate and rate checks.
        lock_events!(db, tx);
        'checks: {
            let open: Option<i64> = sqlx::query_scalar(OPEN)
                .bind(now)
                .bind(open_since(settings, now))
                .bind(new.article_id)
                .fetch_optional(&mut *tx)
                .await?;
            if open.is_none() {
                break 'checks Err(Refusal::Closed);
            }
            let banned: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM comment_bans WHERE (kind = 'email' AND value = $1) \
                 OR (kind = 'ip' AND value = $2)",
            )
            .bind(new.email.as_str())
            .bind(&new.client)
            .fetch_one(&mut *tx)
            .await?;
            if banned > 0 {
                break 'checks Err(Refusal::Banned);
            }
            if let Some(parent) = new.parent_id {
                let shown: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM comments WHERE id = $1 AND article_id = $2 AND status = 'approved'",
                )
                .bind(parent)
                .bind(new.article_id)
                .fetch_optional(&mut *tx)
                .await?;
                if shown.is_none() {
                    break 'checks Err(Refusal::NoParent);
                }
            }
            let duplicate: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM comments WHERE article_id = $1 AND email = $2 AND body = $3 \
                 AND status <> 'rejected' LIMIT 1",
            )
            .bind(new.article_id)
            .bind(new.email.as_str())
            .bind(new.body.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if duplicate.is_some() {
                break 'checks Err(Refusal::Duplicate);
            }
            let (by_client, by_email): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN ip_hash = $1 THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN email = $2 THEN 1 ELSE 0 END), 0) \
                 FROM comments WHERE created_at > $3 AND (ip_hash = $1 OR email = $2)",
            )
            .bind(&new.client)
            .bind(new.email.as_str())
            .bind(now - WINDOW)
            .fetch_one(&mut *tx)
            .await?;
            if by_client >= settings.per_client || by_email >= settings.per_email {
                break 'checks Err(Refusal::RateLimited);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO comments (article_id, parent_id, author_name, email, body, status, \
                 held_for, ip_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 RETURNING id",
            )
            .bind(new.article_id)
            .bind(new.parent_id)
            .bind(new.name.as_str())
            .bind(new.email.as_str())
            .bind(new.body.as_str())
            .bind(status)
            .bind(&held_for)
            .bind(&new.client)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            if status == "approved" {
                comment_event!(db, tx, new.article_id, id, now);
                Ok(Outcome::Published(id))
            } else {
                moderation_event!(db, tx, now);
                Ok(Outcome::Queued(id))
            }
        }
    });
    Ok(outcome)
}

/// Pending comments site-wide, newest first.
pub async fn queue(db: &Db, limit: i64) -> Result<Vec<QueuedComment>, StoreError> {
    let rows = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT c.id, c.article_id, a.title AS article_title, \
             '/' || s.slug || '/' || a.slug AS article_path, p.author_name AS parent_name, \
             c.author_name, c.email, c.ip_hash, c.body, c.held_for, c.created_at \
             FROM comments c JOIN articles a ON a.id = c.article_id \
             JOIN sections s ON s.id = a.section_id \
             LEFT JOIN comments p ON p.id = c.parent_id \
             WHERE c.status = 'pending' ORDER BY c.created_at DESC, c.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

pub async fn pending_count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE status = 'pending'")
            .fetch_one(pool)
            .await?
    }))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
    Spam,
}

impl Verdict {
    fn status(self) -> &'static str {
        match self {
            Verdict::Approve => "approved",
            Verdict::Reject => "rejected",
            Verdict::Spam => "spam",
        }
    }
}

/// Judges pending comments; returns how many changed.
pub async fn moderate(
    db: &Db,
    ids: &[i64],
    verdict: Verdict,
    moderator: i64,
    now: i64,
) -> Result<usize, StoreError> {
    let changed = in_write_tx!(db, tx => {
        let mut changed = 0;
        for &id in ids {
            let article: Option<i64> = sqlx::query_scalar(
                "UPDATE comments SET status = $1, moderated_at = $2, moderated_by = $3 \
                 WHERE id = $4 AND status = 'pending' RETURNING article_id",
            )
            .bind(verdict.status())
            .bind(now)
            .bind(moderator)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(article) = article {
                changed += 1;
                if verdict == Verdict::Approve {
                    comment_event!(db, tx, article, id, now);
                }
            }
        }
        if changed > 0 {
            moderation_event!(db, tx, now);
        }
        changed
    });
    Ok(changed)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BanKind {
    Email,
    Client,
}

/// Bans the author of a comment (by e-mail address or client hash) and marks their pending
/// comments as spam; `false` when there is no such comment.
pub async fn ban_author(
    db: &Db,
    comment: i64,
    kind: BanKind,
    moderator: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let (kind_name, column) = match kind {
        BanKind::Email => ("email", "email"),
        BanKind::Client => ("ip", "ip_hash"),
    };
    let done = in_write_tx!(db, tx => {
        let value: Option<String> = sqlx::query_scalar(&format!(
            "SELECT {column} FROM comments WHERE id = $1"
        ))
        .bind(comment)
        .fetch_optional(&mut *tx)
        .await?;
        match value {
            None => false,
            Some(value) => {
                sqlx::query(
                    "INSERT INTO comment_bans (kind, value, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (kind, value) DO NOTHING",
                )
                .bind(kind_name)
                .bind(&value)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query(&format!(
                    "UPDATE comments SET status = 'spam', moderated_at = $1, moderated_by = $2 \
                     WHERE {column} = $3 AND status = 'pending'"
                ))
                .bind(now)
                .bind(moderator)
                .bind(&value)
                .execute(&mut *tx)
                .await?;
                moderation_event!(db, tx, now);
                true
            }
        }
    });
    Ok(done)
}

/// The newsroom answers a comment: shown at once, marked as the newsroom's.
pub async fn reply_as_newsroom(
    db: &Db,
    parent: i64,
    name: &str,
    email: &str,
    body: &CommentBody,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let id = in_write_tx!(db, tx => {
        let article: Option<i64> = sqlx::query_scalar(
            "SELECT article_id FROM comments WHERE id = $1 AND status IN ('pending', 'approved')",
        )
        .bind(parent)
                .fetch_optional(&mut *tx)
                .await?;
        match article {
            None => None,
            Some(article) => {
                // Answering a pending comment approves it: the answer needs it in the thread.
                let approved = sqlx::query(
                    "UPDATE comments SET status = 'approved', moderated_at = $1 \
                     WHERE id = $2 AND status = 'pending'",
                )
                .bind(now)
                .bind(parent)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
                if approved {
                    comment_event!(db, tx, article, parent, now);
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO comments (article_id, parent_id, author_name, email, body, \
                     status, ip_hash, newsroom, created_at) \
                     VALUES ($1, $2, $3, $4, $5, 'approved', 'redactie', 1, $6) RETURNING id",
                )
                .bind(article)
                .bind(parent)
                .bind(name)
                .bind(email)
                .bind(body.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                comment_event!(db, tx, article, id, now);
                moderation_event!(db, tx, now);
                Some(id)
            }
        }
    });
    Ok(id)
}

/// Deletes every comment written with this e-mail address (a reader's privacy request);
/// replies by others stay, moved to the top level. Returns how many were deleted.
pub async fn delete_by_email(db: &Db, email: &Email, now: i64) -> Result<u64, StoreError> {
    let (deleted, articles) = in_write_tx!(db, tx => {
        let articles: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT article_id FROM comments WHERE email = $1 AND status = 'approved'",
        )
        .bind(email.as_str())
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE comments SET parent_id = NULL WHERE parent_id IN \
             (SELECT id FROM comments WHERE email = $1)",
        )
        .bind(email.as_str())
        .execute(&mut *tx)
        .await?;
        let deleted = sqlx::query("DELETE FROM comments WHERE email = $1")
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        moderation_event!(db, tx, now);
        (deleted, articles)
    });
    // Open pages get the threads as they are now (replies may have moved up a level).
    for article in articles {
        let event = json(&PartEvent::Set {
            html: thread_html(db, article).await?,
        });
        in_write_tx!(db, tx => {
            append_event!(db, tx, topic(article), event, now);
        });
    }
    Ok(deleted)
}

/// Closes or opens an article's comments; `false` when there is no such article.
pub async fn set_closed(db: &Db, article: i64, closed: bool) -> Result<bool, StoreError> {
    Ok(on_db!(db, pool => {
        sqlx::query("UPDATE articles SET comments_closed = $1 WHERE id = $2")
            .bind(i64::from(closed))
            .bind(article)
            .execute(pool)
            .await?
            .rows_affected()
            > 0
    }))
}

/// The live part's HTML (the thread's newest page), for clients that poll.
pub async fn thread_html(db: &Db, article: i64) -> Result<String, StoreError> {
    let thread = thread_page(db, article, PageChoice::Latest).await?;
    Ok(html(|| view! { <super::CommentsPart thread/> }))
}

/// A visible article's path, for sending a reader back to it.
pub async fn article_path(db: &Db, article: i64, now: i64) -> Result<Option<String>, StoreError> {
    Ok(on_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT '/' || s.slug || '/' || a.slug FROM articles a \
             JOIN sections s ON s.id = a.section_id WHERE a.id = $1 \
             AND a.status IN ('published', 'scheduled') AND a.published_at <= $2",
        )
        .bind(article)
        .bind(now)
        .fetch_optional(pool)
        .await?
    }))
}
