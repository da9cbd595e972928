//! The site pages in the database (server only). One writer, [`save`]: the page, its revision,
//! the audit line and the event that makes every instance's kept pages a new version, in one
//! transaction.

use super::{FooterLink, PageDraft, PageForEditing, PageRevision, PageSummary, SitePage};
use crate::{
    accounts::CurrentUser,
    articles::markdown,
    audit,
    db::{Db, Purpose, StoreError},
};

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("another page has this address")]
    SlugTaken,
    #[error("the page was saved by someone else meanwhile")]
    Conflict,
    #[error("no such page")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SaveError {
    fn from(err: sqlx::Error) -> Self {
        SaveError::Store(err.into())
    }
}

pub async fn visible(db: &Db, slug: &str) -> Result<Option<SitePage>, StoreError> {
    let row: Option<(String, String, String, i64)> =
        sqlx::query_as("SELECT slug, title, body_html, updated_at FROM site_pages WHERE slug = $1")
            .bind(slug)
            .fetch_optional(db.pool())
            .await
            .purpose("reading a site page")?;
    Ok(row.map(|(slug, title, body_html, updated_at)| SitePage {
        slug,
        title,
        body_html,
        updated_at,
    }))
}

pub async fn footer(db: &Db) -> Result<Vec<FooterLink>, StoreError> {
    sqlx::query_as(
        "SELECT slug, title FROM site_pages WHERE in_footer = 1 ORDER BY position, title",
    )
    .fetch_all(db.pool())
    .await
    .purpose("reading the footer's pages")
}

pub async fn list(db: &Db) -> Result<Vec<PageSummary>, StoreError> {
    sqlx::query_as(
        "SELECT id, slug, title, in_footer, position, updated_at FROM site_pages \
         ORDER BY position, title",
    )
    .fetch_all(db.pool())
    .await
    .purpose("listing the site pages")
}

/// Every page's address and last change, for the sitemap.
pub async fn sitemap(db: &Db) -> Result<Vec<(String, i64)>, StoreError> {
    sqlx::query_as("SELECT slug, updated_at FROM site_pages ORDER BY position, slug")
        .fetch_all(db.pool())
        .await
        .purpose("listing the site pages for the sitemap")
}

/// The page as the editor opens it; with `revision`, that revision's text in place of the saved one.
pub async fn for_editing(
    db: &Db,
    id: i64,
    revision: Option<i64>,
) -> Result<Option<PageForEditing>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        title: String,
        body_md: String,
        in_footer: i64,
        position: i64,
        version: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT slug, title, body_md, in_footer, position, version FROM site_pages WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await
    .purpose("reading a site page to edit")?;
    let Some(row) = row else { return Ok(None) };
    let revisions: Vec<PageRevision> = sqlx::query_as(
        "SELECT r.id, r.title, u.display_name AS user_name, r.created_at \
         FROM site_page_revisions r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.page_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 50",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .purpose("reading a site page's revisions")?;
    let mut page = PageForEditing {
        id,
        slug: row.slug,
        title: row.title,
        body_md: row.body_md,
        in_footer: row.in_footer != 0,
        position: row.position,
        version: row.version,
        from_revision: None,
        revisions,
    };
    if let Some(revision) = revision {
        let old: Option<(String, String)> = sqlx::query_as(
            "SELECT title, body_md FROM site_page_revisions WHERE id = $1 AND page_id = $2",
        )
        .bind(revision)
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .purpose("reading a site page's revision")?;
        if let Some((title, body_md)) = old {
            page.title = title;
            page.body_md = body_md;
            page.from_revision = Some(revision);
        }
    }
    Ok(Some(page))
}

/// Saves a new page (`id` None) or a new version of one, started from `base_version`: a page
/// saved by someone else since is refused, never overwritten.
pub async fn save(
    db: &Db,
    user: Option<&CurrentUser>,
    id: Option<i64>,
    base_version: i64,
    draft: &PageDraft,
    now: i64,
) -> Result<i64, SaveError> {
    let body_html = markdown::render(&draft.body_md);
    let mut tx = crate::live::events::begin(db).await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM site_pages WHERE slug = $1 AND id <> $2")
            .bind(draft.slug.as_str())
            .bind(id.unwrap_or(0))
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(SaveError::SlugTaken);
    }
    let id = match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO site_pages \
                 (slug, title, body_md, body_html, in_footer, position, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
            )
            .bind(draft.slug.as_str())
            .bind(&draft.title)
            .bind(&draft.body_md)
            .bind(&body_html)
            .bind(i64::from(draft.in_footer))
            .bind(draft.position)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
        }
        Some(id) => {
            // One conditional statement: of two saves from the same version exactly one wins.
            let updated = sqlx::query(
                "UPDATE site_pages SET slug = $1, title = $2, body_md = $3, body_html = $4, \
                 in_footer = $5, position = $6, version = version + 1, updated_at = $7 \
                 WHERE id = $8 AND version = $9",
            )
            .bind(draft.slug.as_str())
            .bind(&draft.title)
            .bind(&draft.body_md)
            .bind(&body_html)
            .bind(i64::from(draft.in_footer))
            .bind(draft.position)
            .bind(now)
            .bind(id)
            .bind(base_version)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM site_pages WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(if exists.is_some() {
                    SaveError::Conflict
                } else {
                    SaveError::NotFound
                });
            }
            id
        }
    };
    sqlx::query(
        "INSERT INTO site_page_revisions (page_id, user_id, title, body_md, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(user.map(|u| u.id))
    .bind(&draft.title)
    .bind(&draft.body_md)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if let Some(user) = user {
        audit::record(
            &mut tx,
            user,
            audit::action::PAGE_SAVED,
            &format!("pagina:{id}"),
            &draft.title,
            now,
        )
        .await?;
    }
    crate::live::events::site_changed(&mut tx, now).await?;
    tx.commit().await.purpose("saving a site page")?;
    Ok(id)
}
