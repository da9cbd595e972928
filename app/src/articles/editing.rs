//! The newsroom's side of articles: the list, loading into the editor, saving with the rules of
//! who may publish, and revisions. Every save keeps a revision.

use crate::{
    accounts::{CurrentUser, Role},
    articles::{
        draft::{
            ArticleForm, EditAction, EditorArticle, NewsroomFilter, NewsroomRow, Revision,
            ValidDraft,
        },
        markdown,
    },
    db::{Db, StoreError},
    in_write_tx, link_tags, on_db,
};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The user's role does not allow this; the message is for them, in Dutch.
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("article not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Store(e.into())
    }
}

pub async fn list(db: &Db, filter: &NewsroomFilter) -> Result<Vec<NewsroomRow>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        title: String,
        slug: String,
        section_slug: String,
        section_name: String,
        status: String,
        published_at: Option<i64>,
        updated_at: i64,
        review_requested: i64,
    }
    let search = format!("%{}%", filter.search.trim().to_lowercase());
    let rows: Vec<Row> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT a.id, a.title, a.slug, s.slug AS section_slug, s.name AS section_name, \
             a.status, a.published_at, a.updated_at, a.review_requested \
             FROM articles a JOIN sections s ON s.id = a.section_id \
             WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR s.slug = $2) \
             AND ($3 = '' OR EXISTS (SELECT 1 FROM article_authors aa \
                  JOIN authors au ON au.id = aa.author_id \
                  WHERE aa.article_id = a.id AND au.slug = $3)) \
             AND ($4 = '' OR LOWER(a.title) LIKE $5) \
             ORDER BY a.updated_at DESC, a.id DESC LIMIT 200",
        )
        .bind(&filter.status)
        .bind(&filter.section)
        .bind(&filter.author)
        .bind(filter.search.trim())
        .bind(&search)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| NewsroomRow {
            id: r.id,
            title: r.title,
            slug: r.slug,
            section_slug: r.section_slug,
            section_name: r.section_name,
            status: r.status,
            published_at: r.published_at,
            updated_at: r.updated_at,
            review_requested: r.review_requested != 0,
        })
        .collect())
}

pub async fn load(db: &Db, id: i64) -> Result<Option<EditorArticle>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        slug: String,
        section_slug: String,
        lead: String,
        body_md: String,
        place: String,
        hero_src: Option<String>,
        hero_alt: Option<String>,
        hero_caption: Option<String>,
        hero_credit: Option<String>,
        status: String,
        published_at: Option<i64>,
        review_requested: i64,
        comments_closed: i64,
    }
    let found = on_db!(db, pool => {
        let row: Option<Row> = sqlx::query_as(
            "SELECT a.title, a.slug, s.slug AS section_slug, a.lead, a.body_md, a.place, \
             a.hero_src, a.hero_alt, a.hero_caption, a.hero_credit, a.status, a.published_at, \
             a.review_requested, a.comments_closed FROM articles a \
             JOIN sections s ON s.id = a.section_id WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?;
        match row {
            None => None,
            Some(row) => {
                let tags: Vec<String> = sqlx::query_scalar(
                    "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id \
                     WHERE at.article_id = $1 ORDER BY t.name",
                )
                .bind(id)
                .fetch_all(pool)
                .await?;
                let revisions: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
                    "SELECT r.id, r.title, u.display_name, r.created_at FROM article_revisions r \
                     LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = $1 \
                     ORDER BY r.created_at DESC, r.id DESC LIMIT 50",
                )
                .bind(id)
                .fetch_all(pool)
                .await?;
                Some((row, tags, revisions))
            }
        }
    });
    Ok(found.map(|(row, tags, revisions)| EditorArticle {
        id,
        form: ArticleForm {
            titel: row.title,
            slug: row.slug,
            rubriek: row.section_slug,
            intro: row.lead,
            tekst: row.body_md,
            onderwerpen: tags.join(", "),
            plaats: row.place,
            beeld_src: row.hero_src.unwrap_or_default(),
            beeld_alt: row.hero_alt.unwrap_or_default(),
            beeld_bijschrift: row.hero_caption.unwrap_or_default(),
            beeld_credit: row.hero_credit.unwrap_or_default(),
            inplannen_op: String::new(),
            actie: String::new(),
        },
        status: row.status,
        published_at: row.published_at,
        review_requested: row.review_requested != 0,
        comments_closed: row.comments_closed != 0,
        revisions: revisions
            .into_iter()
            .map(|(id, title, editor, created_at)| Revision {
                id,
                title,
                editor: editor.unwrap_or_else(|| "onbekend".into()),
                created_at,
            })
            .collect(),
    }))
}

/// Saves a new (`id` = None) or existing article as `user`, applying the draft's action.
///
/// Contributors may only save and submit drafts; publishing, scheduling, unpublishing and
/// editing what is already public need an editor. Checked here, whatever the form showed.
pub async fn save(
    db: &Db,
    id: Option<i64>,
    draft: &ValidDraft,
    user: &CurrentUser,
    now: i64,
) -> Result<i64, SaveError> {
    if !user.may(Role::Editor) && !draft.action.allowed_for_contributors() {
        return Err(SaveError::Forbidden(
            "Alleen een redacteur kan publiceren, inplannen of depubliceren.",
        ));
    }
    let body_html = markdown::render(&draft.body_md);
    let hero = draft.hero.as_ref();
    let is_editor = user.may(Role::Editor);
    let id = in_write_tx!(db, tx => {
        let section_id: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE slug = $1")
            .bind(&draft.section)
            .fetch_optional(&mut *tx)
            .await?;
        let section_id =
            section_id.ok_or_else(|| StoreError::UnknownSection(draft.section.clone()))?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1 AND id <> $2")
                .bind(draft.slug.as_str())
                .bind(id.unwrap_or(0))
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(StoreError::SlugTaken(draft.slug.to_string()).into());
        }
        let existing: Option<(String, Option<i64>, i64)> = match id {
            None => None,
            Some(id) => {
                let row: Option<(String, Option<i64>, i64)> = sqlx::query_as(
                    "SELECT status, published_at, review_requested FROM articles WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                Some(row.ok_or(SaveError::NotFound)?)
            }
        };
        if let Some((status, _, _)) = &existing {
            if status != "draft" && !is_editor {
                return Err(SaveError::Forbidden(
                    "Dit artikel is al gepubliceerd of ingepland: alleen een redacteur kan het wijzigen.",
                ));
            }
        }
        let (old_status, old_published, old_review) = existing
            .clone()
            .unwrap_or(("draft".to_string(), None, 0));
        let (status, published_at, review): (&str, Option<i64>, i64) = match draft.action {
            EditAction::Save => (old_status.as_str(), old_published, old_review),
            EditAction::SubmitForReview => ("draft", None, 1),
            EditAction::Publish if old_status == "published" => ("published", old_published, 0),
            EditAction::Publish => ("published", Some(now), 0),
            EditAction::Schedule(at) => ("scheduled", Some(at), 0),
            EditAction::Unpublish => ("draft", None, 0),
        };
        let status = status.to_string();
        // A new article starts as an empty row; from there new and existing articles take the
        // same UPDATE, so both are saved by one statement.
        let article_id: i64 = match id {
            Some(id) => {
                sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                let new_id: i64 = sqlx::query_scalar(
                    "INSERT INTO articles (slug, section_id, title, lead, body_md, body_html, \
                     status, created_at, updated_at) \
                     VALUES ($1, $2, '', '', '', '', 'draft', $3, $3) RETURNING id",
                )
                .bind(draft.slug.as_str())
                .bind(section_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                if let Some(author) = &user.author_slug {
                    sqlx::query(
                        "INSERT INTO article_authors (article_id, author_id, position) \
                         SELECT $1, id, 0 FROM authors WHERE slug = $2",
                    )
                    .bind(new_id)
                    .bind(author)
                    .execute(&mut *tx)
                    .await?;
                }
                new_id
            }
        };
        sqlx::query(
            "UPDATE articles SET slug = $1, section_id = $2, title = $3, lead = $4, \
             body_md = $5, body_html = $6, hero_src = $7, hero_alt = $8, \
             hero_caption = $9, hero_credit = $10, place = $11, status = $12, \
             published_at = $13, updated_at = $14, review_requested = $15 WHERE id = $16",
        )
        .bind(draft.slug.as_str())
        .bind(section_id)
        .bind(&draft.title)
        .bind(&draft.lead)
        .bind(&draft.body_md)
        .bind(&body_html)
        .bind(hero.map(|h| h.src.as_str()))
        .bind(hero.map(|h| h.alt.as_str()))
        .bind(hero.and_then(|h| h.caption.as_deref()))
        .bind(hero.and_then(|h| h.credit.as_deref()))
        .bind(&draft.place)
        .bind(&status)
        .bind(published_at)
        .bind(now)
        .bind(review)
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        link_tags!(tx, article_id, &draft.tags);
        crate::index_article!(
            db,
            tx,
            article_id,
            &crate::search::store::IndexRow::new(&draft.title, &draft.lead, &body_html, &draft.tags)
        );
        sqlx::query(
            "INSERT INTO article_revisions (article_id, user_id, title, lead, body_md, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(article_id)
        .bind(user.id)
        .bind(&draft.title)
        .bind(&draft.lead)
        .bind(&draft.body_md)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        article_id
    });
    Ok(id)
}

/// The text of one revision, to put back into the editor.
pub async fn revision(
    db: &Db,
    article_id: i64,
    revision_id: i64,
) -> Result<Option<(String, String, String)>, StoreError> {
    Ok(on_db!(db, pool => {
        sqlx::query_as(
            "SELECT title, lead, body_md FROM article_revisions WHERE id = $1 AND article_id = $2",
        )
        .bind(revision_id)
        .bind(article_id)
        .fetch_optional(pool)
        .await?
    }))
}
