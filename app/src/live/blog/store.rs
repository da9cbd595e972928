//! Live blogs. Like every live change, each write commits its rows and its event together (see
//! `live::events`).

use leptos::prelude::*;
use sqlx::AnyConnection;

use super::{
    BlogConsole, BlogFeed, BlogListing, BlogPost, BlogPostItem, BlogStatus, LiveBlog, UpdateText,
    POSTS_SHOWN,
};
use crate::{
    articles::{markdown, store::VISIBLE},
    db::{Db, Purpose, StoreError, WriteTx},
    live::{events, PartEvent, Topic},
    markup::render,
};

#[derive(sqlx::FromRow)]
struct PostRow {
    id: i64,
    body_md: String,
    body_html: String,
    author: Option<String>,
    key_event: i64,
    pinned: i64,
    created_at: i64,
    edited_at: Option<i64>,
}

impl From<PostRow> for BlogPost {
    fn from(row: PostRow) -> Self {
        BlogPost {
            id: row.id,
            body_md: row.body_md,
            html: row.body_html,
            author: row.author,
            key_event: row.key_event != 0,
            pinned: row.pinned != 0,
            created_at: row.created_at,
            edited_at: row.edited_at,
        }
    }
}

/// Updates shown (not withdrawn), with their authors' names; `rest` continues the `WHERE`.
fn posts_where(rest: &str) -> String {
    format!(
        "SELECT p.id, p.body_md, p.body_html, u.display_name AS author, p.key_event, \
         p.pinned, p.created_at, p.edited_at \
         FROM live_posts p LEFT JOIN users u ON u.id = p.author_id \
         WHERE p.removed_at IS NULL AND {rest}"
    )
}

/// A blog's newest updates (as many as a page shows).
async fn posts(conn: &mut AnyConnection, article_id: i64) -> Result<Vec<PostRow>, sqlx::Error> {
    sqlx::query_as(&posts_where(
        "p.article_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2",
    ))
    .bind(article_id)
    .bind(POSTS_SHOWN)
    .fetch_all(conn)
    .await
}

async fn one_post(conn: &mut AnyConnection, post_id: i64) -> Result<PostRow, sqlx::Error> {
    sqlx::query_as(&posts_where("p.id = $1"))
        .bind(post_id)
        .fetch_one(conn)
        .await
}

/// An article's blog state; `None` when it is no live blog.
async fn state(
    conn: &mut AnyConnection,
    article_id: i64,
) -> Result<Option<BlogStatus>, sqlx::Error> {
    let state: Option<Option<String>> =
        sqlx::query_scalar("SELECT live_state FROM articles WHERE id = $1")
            .bind(article_id)
            .fetch_optional(conn)
            .await?;
    Ok(BlogStatus::parse(state.flatten().as_deref()))
}

/// A blog's posts and status, `None` when the article is no live blog.
pub async fn blog(db: &Db, article_id: i64) -> Result<Option<LiveBlog>, StoreError> {
    let mut conn = db.pool().acquire().await?;
    blog_on(&mut conn, article_id).await
}

/// [`blog`], on a connection the caller holds (a page reads all it shows on one).
pub(crate) async fn blog_on(
    conn: &mut AnyConnection,
    article_id: i64,
) -> Result<Option<LiveBlog>, StoreError> {
    // Read first: an event that lands meanwhile is sent again, and applying it twice is harmless.
    let since = events::last_id_on(conn).await?;
    let Some(status) = state(&mut *conn, article_id)
        .await
        .purpose("reading a live blog's state")?
    else {
        return Ok(None);
    };
    let rows = posts(conn, article_id)
        .await
        .purpose("reading a live blog's updates")?;
    Ok(Some(LiveBlog {
        article_id,
        status,
        posts: rows.into_iter().map(BlogPost::from).collect(),
        since,
    }))
}

/// The event that sets a whole blog part, as it is now in `tx`.
async fn feed_event(
    tx: &mut WriteTx,
    article_id: i64,
    status: BlogStatus,
) -> Result<PartEvent, sqlx::Error> {
    let blog = LiveBlog {
        article_id,
        status,
        posts: posts(tx, article_id)
            .await?
            .into_iter()
            .map(BlogPost::from)
            .collect(),
        since: 0,
    };
    Ok(PartEvent::Set {
        html: render(|| view! { <BlogFeed blog/> }),
    })
}

fn post_event(row: PostRow) -> PartEvent {
    let post = BlogPost::from(row);
    PartEvent::Upsert {
        id: post.id,
        html: render(|| view! { <BlogPostItem post/> }),
        into: None,
    }
}

/// Moves an article's blog to `to` when its state is `from` (`None`: not a blog yet). Only a
/// visible article becomes a blog. `false` when nothing changed.
pub async fn transition(
    db: &Db,
    article_id: i64,
    from: Option<BlogStatus>,
    to: BlogStatus,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = events::begin(db).await?;
    let changed = sqlx::query(&format!(
        "UPDATE articles AS a SET live_state = $2 WHERE a.id = $3 AND {VISIBLE} \
         AND a.live_state IS NOT DISTINCT FROM $4"
    ))
    .bind(now)
    .bind(to.as_str())
    .bind(article_id)
    .bind(from.map(BlogStatus::as_str))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if changed {
        let event = feed_event(&mut tx, article_id, to).await?;
        events::append(&mut tx, Topic::Blog(article_id), None, &event, now).await?;
    }
    tx.commit().await.purpose("changing a live blog's state")?;
    Ok(changed)
}

/// Posts an update to a running blog; `None` when the blog is not running or readers cannot
/// see the article.
pub async fn add_post(
    db: &Db,
    article_id: i64,
    author: Option<i64>,
    text: &UpdateText,
    key_event: bool,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let body_html = markdown::render(text.as_str());
    let mut tx = events::begin(db).await?;
    let visible: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT a.id FROM articles a WHERE {VISIBLE} AND a.id = $2"
    ))
    .bind(now)
    .bind(article_id)
    .fetch_optional(&mut *tx)
    .await?;
    if visible.is_none() || state(&mut tx, article_id).await? != Some(BlogStatus::Live) {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO live_posts (article_id, author_id, body_md, body_html, key_event, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(article_id)
    .bind(author)
    .bind(text.as_str())
    .bind(&body_html)
    .bind(i64::from(key_event))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let event = post_event(one_post(&mut tx, id).await?);
    events::append(&mut tx, Topic::Blog(article_id), Some(id), &event, now).await?;
    tx.commit().await.purpose("posting a live blog update")?;
    Ok(Some(id))
}

/// Changes an update's text and key-event mark; `false` when it is gone.
pub async fn edit_post(
    db: &Db,
    article_id: i64,
    post_id: i64,
    text: &UpdateText,
    key_event: bool,
    now: i64,
) -> Result<bool, StoreError> {
    let body_html = markdown::render(text.as_str());
    let mut tx = events::begin(db).await?;
    let changed = sqlx::query(
        "UPDATE live_posts SET body_md = $1, body_html = $2, key_event = $3, edited_at = $4 \
         WHERE id = $5 AND article_id = $6 AND removed_at IS NULL",
    )
    .bind(text.as_str())
    .bind(&body_html)
    .bind(i64::from(key_event))
    .bind(now)
    .bind(post_id)
    .bind(article_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if changed {
        let event = post_event(one_post(&mut tx, post_id).await?);
        events::append(&mut tx, Topic::Blog(article_id), Some(post_id), &event, now).await?;
        refresh_feed(&mut tx, article_id).await?;
    }
    tx.commit().await.purpose("editing a live blog update")?;
    Ok(changed)
}

/// Rewrites the blog's setting event (if the log holds one) to the blog as it is now, so no
/// earlier copy of the whole blog keeps a withdrawn or changed update.
async fn refresh_feed(tx: &mut WriteTx, article_id: i64) -> Result<(), StoreError> {
    if let Some(status) = state(tx, article_id).await? {
        let event = feed_event(tx, article_id, status).await?;
        events::refresh_set(tx, Topic::Blog(article_id), &event).await?;
    }
    Ok(())
}

/// Takes an update off the blog (and out of the event log); `false` when it was already gone.
pub async fn remove_post(
    db: &Db,
    article_id: i64,
    post_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = events::begin(db).await?;
    let removed = sqlx::query(
        "UPDATE live_posts SET removed_at = $1, pinned = 0 \
         WHERE id = $2 AND article_id = $3 AND removed_at IS NULL",
    )
    .bind(now)
    .bind(post_id)
    .bind(article_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if removed {
        let event = PartEvent::Remove { id: post_id };
        events::append(&mut tx, Topic::Blog(article_id), Some(post_id), &event, now).await?;
        refresh_feed(&mut tx, article_id).await?;
    }
    tx.commit()
        .await
        .purpose("withdrawing a live blog update")?;
    Ok(removed)
}

/// Pins one update on top of the blog (unpinning any other), or unpins all with `None`.
pub async fn pin(
    db: &Db,
    article_id: i64,
    post_id: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = events::begin(db).await?;
    let Some(status) = state(&mut tx, article_id).await? else {
        return Ok(false);
    };
    if let Some(post_id) = post_id {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM live_posts WHERE id = $1 AND article_id = $2 AND removed_at IS NULL",
        )
        .bind(post_id)
        .bind(article_id)
        .fetch_optional(&mut *tx)
        .await?;
        if found.is_none() {
            return Ok(false);
        }
    }
    sqlx::query(
        "UPDATE live_posts SET pinned = CASE WHEN id = $2 THEN 1 ELSE 0 END \
         WHERE article_id = $1 AND removed_at IS NULL AND (pinned = 1 OR id = $2)",
    )
    .bind(article_id)
    .bind(post_id.unwrap_or(0))
    .execute(&mut *tx)
    .await?;
    let event = feed_event(&mut tx, article_id, status).await?;
    events::append(&mut tx, Topic::Blog(article_id), None, &event, now).await?;
    tx.commit().await.purpose("pinning a live blog update")?;
    Ok(true)
}

/// One blog for the newsroom's console: every update, with its Markdown.
pub async fn console(db: &Db, article_id: i64) -> Result<Option<BlogConsole>, StoreError> {
    let head: Option<(String, String, String)> = sqlx::query_as(
        "SELECT a.title, s.slug || '/' || a.slug, a.live_state FROM articles a \
         JOIN sections s ON s.id = a.section_id WHERE a.id = $1 AND a.live_state IS NOT NULL",
    )
    .bind(article_id)
    .fetch_optional(db.pool())
    .await
    .purpose("reading a live blog for its console")?;
    let Some((title, path, state)) = head else {
        return Ok(None);
    };
    let Some(blog) = blog(db, article_id).await? else {
        return Ok(None);
    };
    Ok(Some(BlogConsole {
        article_id,
        title,
        url: format!("/{path}"),
        status: BlogStatus::parse(Some(&state)).unwrap_or(blog.status),
        posts: blog.posts,
    }))
}

/// Blogs (running first) and the latest visible articles that could become one.
pub async fn listings(db: &Db, now: i64) -> Result<Vec<BlogListing>, StoreError> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT id, title, live_state FROM ( \
           SELECT id, title, live_state, published_at FROM articles \
           WHERE live_state IS NOT NULL \
           UNION ALL \
           SELECT * FROM (SELECT a.id, a.title, a.live_state, a.published_at FROM articles a \
             WHERE a.live_state IS NULL AND {VISIBLE} \
             ORDER BY a.published_at DESC LIMIT 30) recent \
         ) listed ORDER BY CASE live_state WHEN 'live' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END, \
         published_at DESC, id DESC"
    ))
    .bind(now)
    .fetch_all(db.pool())
    .await
    .purpose("listing live blogs")?;
    Ok(rows
        .into_iter()
        .map(|(article_id, title, state)| BlogListing {
            article_id,
            title,
            status: BlogStatus::parse(state.as_deref()),
        })
        .collect())
}
