//! Live blogs on both engines. Like every live change, each write commits its rows and its
//! event together (see `live::store`).

use leptos::prelude::*;

use super::{
    topic, BlogConsole, BlogFeed, BlogListing, BlogPost, BlogPostItem, BlogStatus, LiveBlog,
    UpdateText, POSTS_SHOWN,
};
use crate::{
    append_event,
    articles::markdown,
    db::{Db, StoreError},
    in_write_tx,
    live::{
        store::{html, json, last_event_id},
        PartEvent,
    },
    on_db,
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

macro_rules! post_columns {
    ($where:literal) => {
        concat!(
            "SELECT p.id, p.body_md, p.body_html, u.display_name AS author, p.key_event, \
             p.pinned, p.created_at, p.edited_at \
             FROM live_posts p LEFT JOIN users u ON u.id = p.author_id \
             WHERE p.removed_at IS NULL AND ",
            $where
        )
    };
}

/// `$1` the article, `$2` how many.
const POSTS: &str =
    post_columns!("p.article_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2");
/// `$1` the update.
const ONE_POST: &str = post_columns!("p.id = $1");

const STATE: &str = "SELECT live_state FROM articles WHERE id = $1";
/// The same, for an article readers can see now (`$2`): nothing reaches open streams earlier.
const VISIBLE_STATE: &str = "SELECT live_state FROM articles WHERE id = $1 \
     AND status IN ('published', 'scheduled') AND published_at <= $2";

/// A blog's posts and status, `None` when the article is no live blog.
pub async fn blog(db: &Db, article_id: i64) -> Result<Option<LiveBlog>, StoreError> {
    // Read first: an event that lands meanwhile is sent again, and applying it twice is harmless.
    let since = last_event_id(db).await?;
    let found = on_db!(db, pool => {
        let state: Option<Option<String>> =
            sqlx::query_scalar(STATE).bind(article_id).fetch_optional(pool).await?;
        match BlogStatus::parse(state.flatten().as_deref()) {
            None => None,
            Some(status) => {
                let rows: Vec<PostRow> = sqlx::query_as(POSTS)
                    .bind(article_id)
                    .bind(POSTS_SHOWN)
                    .fetch_all(pool)
                    .await?;
                Some((status, rows))
            }
        }
    });
    Ok(found.map(|(status, rows)| LiveBlog {
        article_id,
        status,
        posts: rows.into_iter().map(BlogPost::from).collect(),
        since,
    }))
}

/// Inside a write transaction: logs the event that replaces the whole blog on open pages.
macro_rules! announce_feed {
    ($db:expr, $tx:ident, $article:expr, $status:expr, $now:expr) => {{
        let rows: Vec<PostRow> = sqlx::query_as(POSTS)
            .bind($article)
            .bind(POSTS_SHOWN)
            .fetch_all(&mut *$tx)
            .await?;
        let event = feed_event($article, $status, rows);
        append_event!($db, $tx, topic($article), event, $now);
    }};
}

/// The event that replaces a whole blog part.
fn feed_event(article_id: i64, status: BlogStatus, rows: Vec<PostRow>) -> String {
    let blog = LiveBlog {
        article_id,
        status,
        posts: rows.into_iter().map(BlogPost::from).collect(),
        since: 0,
    };
    json(&PartEvent::Set {
        html: html(|| view! { <BlogFeed blog/> }),
    })
}

fn post_event(row: PostRow) -> String {
    let post = BlogPost::from(row);
    json(&PartEvent::Upsert {
        id: post.id,
        html: html(|| view! { <BlogPostItem post/> }),
        into: None,
    })
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
    let as_text = |s: BlogStatus| match s {
        BlogStatus::Live => "live",
        BlogStatus::Closed => "closed",
    };
    let changed = in_write_tx!(db, tx => {
        let changed = sqlx::query(
            "UPDATE articles SET live_state = $1 WHERE id = $2 \
             AND status IN ('published', 'scheduled') AND published_at <= $4 \
             AND live_state IS NOT DISTINCT FROM $3",
        )
        .bind(as_text(to))
        .bind(article_id)
        .bind(from.map(as_text))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if changed {
            announce_feed!(db, tx, article_id, to, now);
        }
        changed
    });
    Ok(changed)
}

/// Posts an update to a running blog; `None` when the blog is not running.
pub async fn add_post(
    db: &Db,
    article_id: i64,
    author: Option<i64>,
    text: &UpdateText,
    key_event: bool,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let body_html = markdown::render(text.as_str());
    let id = in_write_tx!(db, tx => {
        let state: Option<Option<String>> =
            sqlx::query_scalar(VISIBLE_STATE).bind(article_id).bind(now).fetch_optional(&mut *tx).await?;
        if BlogStatus::parse(state.flatten().as_deref()) != Some(BlogStatus::Live) {
            None
        } else {
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
            let row: PostRow = sqlx::query_as(ONE_POST).bind(id).fetch_one(&mut *tx).await?;
            append_event!(db, tx, topic(article_id), post_event(row), now);
            Some(id)
        }
    });
    Ok(id)
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
    let found = in_write_tx!(db, tx => {
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
            let row: PostRow = sqlx::query_as(ONE_POST).bind(post_id).fetch_one(&mut *tx).await?;
            append_event!(db, tx, topic(article_id), post_event(row), now);
        }
        changed
    });
    Ok(found)
}

/// Takes an update off the blog; `false` when it was already gone.
pub async fn remove_post(
    db: &Db,
    article_id: i64,
    post_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let removed = in_write_tx!(db, tx => {
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
            let event = json(&PartEvent::Remove { id: post_id });
            append_event!(db, tx, topic(article_id), event, now);
        }
        removed
    });
    Ok(removed)
}

/// Pins one update on top of the blog (unpinning any other), or unpins all with `None`.
pub async fn pin(
    db: &Db,
    article_id: i64,
    post_id: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let target = post_id.unwrap_or(0);
    let changed = in_write_tx!(db, tx => {
        let state: Option<Option<String>> =
            sqlx::query_scalar(STATE).bind(article_id).fetch_optional(&mut *tx).await?;
        match BlogStatus::parse(state.flatten().as_deref()) {
            None => false,
            Some(_) if post_id.is_some() && {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM live_posts WHERE id = $1 AND article_id = $2 AND removed_at IS NULL",
                )
                .bind(target)
                .bind(article_id)
                .fetch_optional(&mut *tx)
                .await?;
                found.is_none()
            } => false,
            Some(status) => {
                sqlx::query(
                    "UPDATE live_posts SET pinned = CASE WHEN id = $2 THEN 1 ELSE 0 END \
                     WHERE article_id = $1 AND removed_at IS NULL AND (pinned = 1 OR id = $2)",
                )
                .bind(article_id)
                .bind(target)
                .execute(&mut *tx)
                .await?;
                announce_feed!(db, tx, article_id, status, now);
                true
            }
        }
    });
    Ok(changed)
}

/// One blog for the newsroom's console: every update, with its Markdown.
pub async fn console(db: &Db, article_id: i64) -> Result<Option<BlogConsole>, StoreError> {
    let head: Option<(String, String, String)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT a.title, s.slug || '/' || a.slug, a.live_state FROM articles a \
             JOIN sections s ON s.id = a.section_id WHERE a.id = $1 AND a.live_state IS NOT NULL",
        )
        .bind(article_id)
        .fetch_optional(pool)
        .await?
    });
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
    let rows: Vec<(i64, String, Option<String>)> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, title, live_state FROM ( \
               SELECT id, title, live_state, published_at FROM articles \
               WHERE live_state IS NOT NULL \
               UNION ALL \
               SELECT * FROM (SELECT id, title, live_state, published_at FROM articles \
                 WHERE live_state IS NULL AND status IN ('published', 'scheduled') \
                 AND published_at <= $1 ORDER BY published_at DESC LIMIT 30) recent \
             ) listed ORDER BY CASE live_state WHEN 'live' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END, \
             published_at DESC, id DESC",
        )
        .bind(now)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(article_id, title, state)| BlogListing {
            article_id,
            title,
            status: BlogStatus::parse(state.as_deref()),
        })
        .collect())
}
