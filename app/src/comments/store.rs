//! Comments: submission with its spam checks in one transaction (nothing is half-saved), the
//! thread readers see, and the newsroom's moderation. Approvals write a live event with the
//! comment's HTML in the same transaction, so open pages show them at once.

use leptos::prelude::*;
use sqlx::AnyConnection;

use super::{
    display_order,
    rules::{AuthorName, CommentBody, Email},
    settings::CommentSettings,
    ArticleComments, Comment, CommentItem, CommentStatus, PageChoice, QueuedComment, ThreadPage,
    MAX_DEPTH, PER_PAGE,
};
use crate::{
    articles::store::VISIBLE,
    db::{Db, Purpose, StoreError, WriteTx},
    live::{events, PartEvent, Topic},
    markup::render,
};

/// Rate limits count comments (and tips, `tips::store`) in this window.
pub(crate) const WINDOW: i64 = 600;

/// A comment that passed the rules, about to be submitted.
pub struct NewComment<'a> {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub name: &'a AuthorName,
    pub email: &'a Email,
    pub body: &'a CommentBody,
    /// The sender's address as stored (see [`crate::clients`]).
    pub client: crate::clients::ClientHash,
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

/// Whether article `$2` takes comments: visible (`$1` now), not closed, and published after
/// `$3` (the oldest publication still open; `i64::MIN` when comments never close).
fn open_query() -> String {
    format!(
        "SELECT a.id FROM articles a WHERE {VISIBLE} AND a.id = $2 AND a.comments_closed = 0 \
         AND a.published_at >= $3"
    )
}

/// Whether a visible article takes comments now: not closed by the newsroom, nor by age. The
/// same rule as `open_query`, for a page that has already read the article.
pub fn takes_comments(
    settings: &CommentSettings,
    closed: bool,
    published_at: i64,
    now: i64,
) -> bool {
    !closed && published_at >= open_since(settings, now)
}

fn open_since(settings: &CommentSettings, now: i64) -> i64 {
    if settings.close_after_days > 0 {
        now - settings.close_after_days * 86_400
    } else {
        i64::MIN
    }
}

/// Writes the event that shows approved comment `id` on open pages: into its parent's reply
/// list (or the deepest level shown), or at the end of the thread.
async fn announce_comment(
    tx: &mut WriteTx,
    article: i64,
    id: i64,
    now: i64,
) -> Result<(), StoreError> {
    let row: CommentRow = sqlx::query_as(&format!("{COMMENT_COLUMNS} WHERE c.id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    // Ancestors, nearest first.
    let mut chain = Vec::new();
    let mut next = row.parent_id;
    while let Some(parent) = next {
        chain.push(parent);
        if chain.len() > 1000 {
            break;
        }
        next = sqlx::query_scalar("SELECT parent_id FROM comments WHERE id = $1")
            .bind(parent)
            .fetch_one(&mut **tx)
            .await?;
    }
    let into = match chain.len() {
        0 => "reacties-lijst".to_string(),
        n if n < MAX_DEPTH => format!("antwoorden-{}", chain[0]),
        n => format!("antwoorden-{}", chain[n - (MAX_DEPTH - 1)]),
    };
    let comment = Comment::from(row);
    let event = PartEvent::Upsert {
        id,
        html: render(|| view! { <CommentItem comment replies=Vec::new() depth=MAX_DEPTH/> }),
        into: Some(into),
    };
    events::append(tx, Topic::Comments(article), Some(id), &event, now).await?;
    Ok(())
}

/// Tells open newsroom pages the pending count changed.
async fn announce_pending(tx: &mut WriteTx, now: i64) -> Result<(), StoreError> {
    // The transaction holds the log's turn (`events::begin`): the count is current when written.
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE status = $1")
        .bind(CommentStatus::Pending.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let event = PartEvent::Set {
        html: super::badge_text(pending),
    };
    events::append(tx, Topic::Moderation, None, &event, now).await?;
    Ok(())
}

/// An article's comments (the page `choice` names), read on the page's connection, with whether
/// its form is `open` (see [`takes_comments`]). `since` is the live event the page is current up
/// to (the hub's last: never ahead of what is read here).
pub async fn for_article(
    conn: &mut AnyConnection,
    settings: &CommentSettings,
    article_id: i64,
    open: bool,
    choice: PageChoice,
    since: i64,
    now: i64,
) -> Result<ArticleComments, StoreError> {
    Ok(ArticleComments {
        article_id,
        open,
        thread: thread_page(conn, article_id, choice)
            .await
            .purpose("reading a page of comments")?,
        token: settings.token(article_id, now),
        since,
    })
}

/// One page of an article's approved comments, in display order, as `conn` sees them. The
/// thread's shape (ids and parents) is read whole, the text only for the page shown.
async fn thread_page(
    conn: &mut AnyConnection,
    article_id: i64,
    choice: PageChoice,
) -> Result<ThreadPage, sqlx::Error> {
    // Most threads fit on one page: read them whole in one query, and only a longer one's
    // shape first.
    let first: Vec<CommentRow> = sqlx::query_as(&format!(
        "{COMMENT_COLUMNS} WHERE c.article_id = $1 AND c.status = $2 \
         ORDER BY c.created_at, c.id LIMIT $3"
    ))
    .bind(article_id)
    .bind(CommentStatus::Approved.as_str())
    .bind(PER_PAGE as i64 + 1)
    .fetch_all(&mut *conn)
    .await?;
    if first.len() <= PER_PAGE {
        let shape: Vec<(i64, Option<i64>)> = first.iter().map(|c| (c.id, c.parent_id)).collect();
        let order = display_order(&shape);
        let mut rows: std::collections::HashMap<i64, CommentRow> =
            first.into_iter().map(|row| (row.id, row)).collect();
        return Ok(ThreadPage {
            comments: order
                .iter()
                .filter_map(|id| rows.remove(id))
                .map(Comment::from)
                .collect(),
            page: 1,
            pages: 1,
            total: order.len(),
        });
    }
    let shape: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, parent_id FROM comments WHERE article_id = $1 AND status = $2 \
         ORDER BY created_at, id",
    )
    .bind(article_id)
    .bind(CommentStatus::Approved.as_str())
    .fetch_all(&mut *conn)
    .await?;
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
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(id);
        }
        let rows: Vec<CommentRow> = query.fetch_all(&mut *conn).await?;
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

async fn read_thread_page(
    db: &Db,
    article_id: i64,
    choice: PageChoice,
) -> Result<ThreadPage, StoreError> {
    let mut conn = db.pool().acquire().await?;
    thread_page(&mut conn, article_id, choice)
        .await
        .purpose("reading a page of comments")
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
        CommentStatus::Pending
    } else {
        CommentStatus::Approved
    };
    // Submissions take turns (the log's turn, on PostgreSQL as SQLite's write lock makes them):
    // two posts at once must not both pass the duplicate and rate checks.
    let mut tx = events::begin(db).await?;
    if let Some(refusal) = refusal(&mut tx, settings, new, now).await? {
        return Ok(Err(refusal));
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
    .bind(status.as_str())
    .bind(&held_for)
    .bind(&new.client.current)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let outcome = if status == CommentStatus::Approved {
        announce_comment(&mut tx, new.article_id, id, now).await?;
        Outcome::Published(id)
    } else {
        announce_pending(&mut tx, now).await?;
        Outcome::Queued(id)
    };
    tx.commit().await.purpose("saving a comment")?;
    Ok(Ok(outcome))
}

/// Why `new` cannot be taken now, if it cannot: closed, banned, no parent, duplicate, too many.
async fn refusal(
    tx: &mut WriteTx,
    settings: &CommentSettings,
    new: &NewComment<'_>,
    now: i64,
) -> Result<Option<Refusal>, StoreError> {
    let open: Option<i64> = sqlx::query_scalar(&open_query())
        .bind(now)
        .bind(new.article_id)
        .bind(open_since(settings, now))
        .fetch_optional(&mut **tx)
        .await?;
    if open.is_none() {
        return Ok(Some(Refusal::Closed));
    }
    let banned: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM comment_bans WHERE (kind = 'email' AND value = $1) \
         OR (kind = 'ip' AND value IN ($2, $3))",
    )
    .bind(new.email.as_str())
    .bind(&new.client.current)
    .bind(&new.client.previous)
    .fetch_one(&mut **tx)
    .await?;
    if banned > 0 {
        return Ok(Some(Refusal::Banned));
    }
    if let Some(parent) = new.parent_id {
        let shown: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM comments WHERE id = $1 AND article_id = $2 AND status = $3",
        )
        .bind(parent)
        .bind(new.article_id)
        .bind(CommentStatus::Approved.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        if shown.is_none() {
            return Ok(Some(Refusal::NoParent));
        }
    }
    let duplicate: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM comments WHERE article_id = $1 AND email = $2 AND body = $3 \
         AND status <> $4 LIMIT 1",
    )
    .bind(new.article_id)
    .bind(new.email.as_str())
    .bind(new.body.as_str())
    .bind(CommentStatus::Rejected.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    if duplicate.is_some() {
        return Ok(Some(Refusal::Duplicate));
    }
    let (by_client, by_email): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN ip_hash IN ($1, $4) THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN email = $2 THEN 1 ELSE 0 END), 0) \
         FROM comments WHERE created_at > $3 AND (ip_hash IN ($1, $4) OR email = $2)",
    )
    .bind(&new.client.current)
    .bind(new.email.as_str())
    .bind(now - WINDOW)
    .bind(&new.client.previous)
    .fetch_one(&mut **tx)
    .await?;
    if by_client >= settings.per_client || by_email >= settings.per_email {
        return Ok(Some(Refusal::RateLimited));
    }
    Ok(None)
}

/// Pending comments site-wide, newest first.
pub async fn queue(db: &Db, limit: i64) -> Result<Vec<QueuedComment>, StoreError> {
    sqlx::query_as(
        "SELECT c.id, c.article_id, a.title AS article_title, \
         '/' || s.slug || '/' || a.slug AS article_path, p.author_name AS parent_name, \
         c.author_name, c.email, c.ip_hash, c.body, c.held_for, c.created_at \
         FROM comments c JOIN articles a ON a.id = c.article_id \
         JOIN sections s ON s.id = a.section_id \
         LEFT JOIN comments p ON p.id = c.parent_id \
         WHERE c.status = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
    )
    .bind(CommentStatus::Pending.as_str())
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .purpose("reading the moderation queue")
}

pub async fn pending_count(db: &Db) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE status = $1")
        .bind(CommentStatus::Pending.as_str())
        .fetch_one(db.pool())
        .await
        .purpose("counting comments waiting")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
    Spam,
}

impl Verdict {
    fn status(self) -> CommentStatus {
        match self {
            Verdict::Approve => CommentStatus::Approved,
            Verdict::Reject => CommentStatus::Rejected,
            Verdict::Spam => CommentStatus::Spam,
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
    let mut tx = events::begin(db).await?;
    let mut changed = 0;
    for &id in ids {
        let article: Option<i64> = sqlx::query_scalar(
            "UPDATE comments SET status = $1, moderated_at = $2, moderated_by = $3 \
             WHERE id = $4 AND status = $5 RETURNING article_id",
        )
        .bind(verdict.status().as_str())
        .bind(now)
        .bind(moderator)
        .bind(id)
        .bind(CommentStatus::Pending.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(article) = article {
            changed += 1;
            if verdict == Verdict::Approve {
                announce_comment(&mut tx, article, id, now).await?;
            }
        }
    }
    if changed > 0 {
        announce_pending(&mut tx, now).await?;
    }
    tx.commit().await.purpose("judging comments")?;
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
    let mut tx = events::begin(db).await?;
    let value: Option<String> =
        sqlx::query_scalar(&format!("SELECT {column} FROM comments WHERE id = $1"))
            .bind(comment)
            .fetch_optional(&mut *tx)
            .await?;
    // A hash older than its key is forgotten: there is nothing left to ban by.
    let Some(value) = value.filter(|value| !value.is_empty()) else {
        return Ok(false);
    };
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
        "UPDATE comments SET status = $1, moderated_at = $2, moderated_by = $3 \
         WHERE {column} = $4 AND status = $5"
    ))
    .bind(CommentStatus::Spam.as_str())
    .bind(now)
    .bind(moderator)
    .bind(&value)
    .bind(CommentStatus::Pending.as_str())
    .execute(&mut *tx)
    .await?;
    announce_pending(&mut tx, now).await?;
    tx.commit().await.purpose("banning a commenter")?;
    Ok(true)
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
    let mut tx = events::begin(db).await?;
    let article: Option<i64> =
        sqlx::query_scalar("SELECT article_id FROM comments WHERE id = $1 AND status IN ($2, $3)")
            .bind(parent)
            .bind(CommentStatus::Pending.as_str())
            .bind(CommentStatus::Approved.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let Some(article) = article else {
        return Ok(None);
    };
    // Answering a pending comment approves it: the answer needs it in the thread.
    let approved = sqlx::query(
        "UPDATE comments SET status = $1, moderated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(CommentStatus::Approved.as_str())
    .bind(now)
    .bind(parent)
    .bind(CommentStatus::Pending.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if approved {
        announce_comment(&mut tx, article, parent, now).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (article_id, parent_id, author_name, email, body, \
         status, ip_hash, newsroom, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'redactie', 1, $7) RETURNING id",
    )
    .bind(article)
    .bind(parent)
    .bind(name)
    .bind(email)
    .bind(body.as_str())
    .bind(CommentStatus::Approved.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    announce_comment(&mut tx, article, id, now).await?;
    announce_pending(&mut tx, now).await?;
    tx.commit().await.purpose("answering a comment")?;
    Ok(Some(id))
}

/// Deletes every comment written with this e-mail address (a reader's privacy request);
/// replies by others stay, moved to the top level. Returns how many were deleted. Open pages
/// get their threads anew, and nothing of the deleted comments stays in the event log.
pub async fn delete_by_email(db: &Db, email: &Email, now: i64) -> Result<u64, StoreError> {
    let mut tx = events::begin(db).await?;
    let articles: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT article_id FROM comments WHERE email = $1 AND status = $2",
    )
    .bind(email.as_str())
    .bind(CommentStatus::Approved.as_str())
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
    announce_pending(&mut tx, now).await?;
    // Each thread set anew (replies may have moved up a level), which also clears the
    // article's earlier comment events from the log.
    for article in articles {
        let thread = thread_page(&mut tx, article, PageChoice::Latest).await?;
        let event = PartEvent::Set {
            html: render(|| view! { <super::CommentsPart thread/> }),
        };
        events::append(&mut tx, Topic::Comments(article), None, &event, now).await?;
    }
    tx.commit()
        .await
        .purpose("deleting the comments of an address")?;
    Ok(deleted)
}

/// Closes or opens an article's comments; `false` when there is no such article.
pub async fn set_closed(db: &Db, article: i64, closed: bool) -> Result<bool, StoreError> {
    let mut tx = events::begin(db).await?;
    let done = sqlx::query("UPDATE articles SET comments_closed = $1 WHERE id = $2")
        .bind(i64::from(closed))
        .bind(article)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    if done {
        events::site_changed(&mut tx, crate::db::now()).await?;
    }
    tx.commit().await.purpose("closing or opening comments")?;
    Ok(done)
}

/// The live part's HTML (the thread's newest page), for clients that poll.
pub async fn thread_html(db: &Db, article: i64) -> Result<String, StoreError> {
    let thread = read_thread_page(db, article, PageChoice::Latest).await?;
    Ok(render(|| view! { <super::CommentsPart thread/> }))
}
