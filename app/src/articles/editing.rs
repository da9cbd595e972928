//! The newsroom's side of articles: the list, loading into the editor, saving with the rules of
//! who may publish, and revisions. Every save keeps a revision.

use crate::{
    accounts::{CurrentUser, Role},
    articles::{
        draft::{
            ArticleForm, Autosave, EditAction, EditorArticle, NewsroomFilter, NewsroomRow,
            Revision, ValidDraft,
        },
        store::{self, ArticleRecord},
        ArticleStatus,
    },
    db::{Db, Purpose, StoreError},
};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The user's role does not allow this; the message is for them, in Dutch.
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("article not found")]
    NotFound,
    /// Someone saved a newer version after this editor started from `base`.
    #[error("article changed since version {base:?}")]
    Conflict { base: Option<i64> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Store(e.into())
    }
}

/// The byline a contributor's view is limited to (their own articles); `None` for editors, who
/// see everything. A contributor without a byline sees nothing.
fn own_byline(viewer: &CurrentUser) -> Option<&str> {
    (!viewer.may(Role::Editor)).then(|| viewer.author_slug.as_deref().unwrap_or("-"))
}

/// Whether article `a` (in SQL) is one `$n` (a byline slug, or `''` for everything) may see.
fn seen_by(n: usize) -> String {
    format!(
        "(${n} = '' OR EXISTS (SELECT 1 FROM article_authors own \
         JOIN authors ownau ON ownau.id = own.author_id \
         WHERE own.article_id = a.id AND ownau.slug = ${n}))"
    )
}

/// The newsroom's list as `viewer` may see it: contributors their own articles only (an
/// embargoed article is the newsroom's business).
pub async fn list(
    db: &Db,
    filter: &NewsroomFilter,
    viewer: &CurrentUser,
) -> Result<Vec<NewsroomRow>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        title: String,
        slug: String,
        section_slug: String,
        section_name: String,
        #[sqlx(try_from = "String")]
        status: ArticleStatus,
        published_at: Option<i64>,
        updated_at: i64,
        review_requested: i64,
    }
    // An unknown status in the filter matches nothing rather than everything.
    let status = match filter.status.trim() {
        "" => "",
        other => ArticleStatus::parse(other).map_or("-", ArticleStatus::as_str),
    };
    let search = format!("%{}%", filter.search.trim().to_lowercase());
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT a.id, a.title, a.slug, s.slug AS section_slug, s.name AS section_name, \
         a.status, a.published_at, a.updated_at, a.review_requested \
         FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR s.slug = $2) \
         AND ($3 = '' OR EXISTS (SELECT 1 FROM article_authors aa \
              JOIN authors au ON au.id = aa.author_id \
              WHERE aa.article_id = a.id AND au.slug = $3)) \
         AND ($4 = '' OR LOWER(a.title) LIKE $5) AND {} \
         ORDER BY a.updated_at DESC, a.id DESC LIMIT 200",
        seen_by(6)
    ))
    .bind(status)
    .bind(&filter.section)
    .bind(&filter.author)
    .bind(filter.search.trim())
    .bind(&search)
    .bind(own_byline(viewer).unwrap_or(""))
    .fetch_all(db.pool())
    .await
    .purpose("listing articles for the newsroom")?;
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

/// An article for the editor, if `viewer` may see it (contributors: their own only).
pub async fn load(
    db: &Db,
    id: i64,
    viewer: &CurrentUser,
) -> Result<Option<EditorArticle>, StoreError> {
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
        #[sqlx(try_from = "String")]
        status: ArticleStatus,
        published_at: Option<i64>,
        review_requested: i64,
        comments_closed: i64,
        version: i64,
        updated_at: i64,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT a.title, a.slug, s.slug AS section_slug, a.lead, a.body_md, a.place, \
         a.hero_src, a.hero_alt, a.hero_caption, a.hero_credit, a.status, a.published_at, \
         a.review_requested, a.comments_closed, a.version, a.updated_at FROM articles a \
         JOIN sections s ON s.id = a.section_id WHERE a.id = $1 AND {}",
        seen_by(2)
    ))
    .bind(id)
    .bind(own_byline(viewer).unwrap_or(""))
    .fetch_optional(db.pool())
    .await
    .purpose("loading an article into the editor")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id \
         WHERE at.article_id = $1 ORDER BY t.name",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .purpose("loading an article's tags")?;
    let revisions = revisions(db, id).await?;
    let autosave = autosave_of(db, viewer.id, id).await?;
    let present = super::presence::others(db, id, viewer.id, crate::db::now()).await?;
    Ok(Some(EditorArticle {
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
            versie: row.version.to_string(),
            concept: String::new(),
        },
        status: row.status,
        published_at: row.published_at,
        review_requested: row.review_requested != 0,
        comments_closed: row.comments_closed != 0,
        revisions,
        autosave,
        present,
        updated_at: row.updated_at,
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
    let is_editor = user.may(Role::Editor);
    let mut tx = crate::live::events::begin(db).await?;
    #[derive(sqlx::FromRow)]
    struct Current {
        #[sqlx(try_from = "String")]
        status: ArticleStatus,
        published_at: Option<i64>,
        review_requested: i64,
    }
    let existing = match id {
        None => None,
        Some(id) => {
            // A contributor saves only their own articles; another's is not there for them.
            let current: Option<Current> = sqlx::query_as(&format!(
                "SELECT a.status, a.published_at, a.review_requested FROM articles a \
                 WHERE a.id = $1 AND {}",
                seen_by(2)
            ))
            .bind(id)
            .bind(own_byline(user).unwrap_or(""))
            .fetch_optional(&mut *tx)
            .await?;
            let current = current.ok_or(SaveError::NotFound)?;
            // The version moves on with every save; a form that started from an older one
            // (or does not say) would overwrite someone's work unseen. As one statement, so
            // of two saves from the same version exactly one gets through, on either engine.
            let bumped = sqlx::query(
                "UPDATE articles SET version = version + 1 WHERE id = $1 AND version = $2",
            )
            .bind(id)
            .bind(draft.base_version.unwrap_or(-1))
            .execute(&mut *tx)
            .await?;
            if bumped.rows_affected() == 0 {
                return Err(SaveError::Conflict {
                    base: draft.base_version,
                });
            }
            Some((
                current.status,
                current.published_at,
                current.review_requested != 0,
            ))
        }
    };
    let (old_status, old_published, old_review) =
        existing.unwrap_or((ArticleStatus::Draft, None, false));
    if old_status != ArticleStatus::Draft && !is_editor {
        return Err(SaveError::Forbidden(
            "Dit artikel is al gepubliceerd of ingepland: alleen een redacteur kan het wijzigen.",
        ));
    }
    let (status, published_at, review_requested) = match draft.action {
        EditAction::Save => (old_status, old_published, old_review),
        EditAction::SubmitForReview => (ArticleStatus::Draft, None, true),
        EditAction::Publish if old_status == ArticleStatus::Published => {
            (ArticleStatus::Published, old_published, false)
        }
        EditAction::Publish => (ArticleStatus::Published, Some(now), false),
        EditAction::Schedule(at) => (ArticleStatus::Scheduled, Some(at), false),
        EditAction::Unpublish => (ArticleStatus::Draft, None, false),
    };
    let authors: Vec<String> = user.author_slug.iter().cloned().collect();
    let record = ArticleRecord {
        slug: &draft.slug,
        section: &draft.section,
        title: &draft.title,
        lead: &draft.lead,
        body_md: &draft.body_md,
        hero: draft.hero.as_ref(),
        place: &draft.place,
        status,
        published_at,
        review_requested,
        tags: &draft.tags,
        authors: &authors,
        saved_by: Some(user.id),
    };
    let saved = store::write(&mut tx, id, &record, now).await?;
    if let Some(done) = audited(draft.action, old_status) {
        let detail = match draft.action {
            EditAction::Schedule(at) => {
                format!("{} (om {})", draft.title, crate::dates::long_datetime(at))
            }
            _ => draft.title.clone(),
        };
        crate::audit::record(
            &mut tx,
            user,
            done,
            &format!("artikel:{saved}"),
            &detail,
            now,
        )
        .await?;
    }
    // Saved as a version: the background copy of what was typed has served its purpose. It
    // is left as an empty mark with the page's key, so an autosave from that page still on
    // its way cannot bring the old text back.
    sqlx::query(
        "INSERT INTO article_autosaves (user_id, article_id, base_version, form, draft_key, \
         saved_at) VALUES ($1, $2, 0, '', $3, $4) ON CONFLICT (user_id, article_id) DO UPDATE \
         SET form = '', draft_key = excluded.draft_key, saved_at = excluded.saved_at",
    )
    .bind(user.id)
    .bind(id.unwrap_or(0))
    .bind(&draft.draft_key)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await.purpose("saving an article")?;
    Ok(saved)
}

/// What the audit log records of a save with `action` of an article that was `before`: going
/// public, being scheduled, being taken offline (not every save of a draft).
fn audited(action: EditAction, before: ArticleStatus) -> Option<&'static str> {
    use crate::audit::action;
    match action {
        EditAction::Publish if before != ArticleStatus::Published => Some(action::PUBLISHED),
        EditAction::Schedule(_) => Some(action::SCHEDULED),
        EditAction::Unpublish if before != ArticleStatus::Draft => Some(action::UNPUBLISHED),
        _ => None,
    }
}

/// Whether `viewer` may open article `id` in the editor.
pub async fn may_edit(db: &Db, id: i64, viewer: &CurrentUser) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT a.id FROM articles a WHERE a.id = $1 AND {}",
        seen_by(2)
    ))
    .bind(id)
    .bind(own_byline(viewer).unwrap_or(""))
    .fetch_optional(db.pool())
    .await
    .purpose("checking who may edit an article")?;
    Ok(found.is_some())
}

/// Keeps `form` as `user`'s background copy of article `article` (0: a new one). Touches
/// nothing of the article itself: it is not a version, it publishes nothing and it does not
/// stamp "Bijgewerkt".
pub async fn autosave(
    db: &Db,
    user: &CurrentUser,
    article: i64,
    form: &ArticleForm,
    now: i64,
) -> Result<(), StoreError> {
    let form = ArticleForm {
        actie: String::new(),
        ..form.clone()
    };
    let json = serde_json::to_string(&form).expect("a form serialises");
    let mut tx = db.write().await?;
    sqlx::query(
        "INSERT INTO article_autosaves (user_id, article_id, base_version, form, draft_key, \
         saved_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, article_id) DO UPDATE \
         SET base_version = excluded.base_version, form = excluded.form, \
         draft_key = excluded.draft_key, saved_at = excluded.saved_at \
         WHERE NOT (article_autosaves.form = '' AND article_autosaves.draft_key = excluded.draft_key)",
    )
    .bind(user.id)
    .bind(article)
    .bind(form.versie.trim().parse::<i64>().unwrap_or(0))
    .bind(&json)
    .bind(form.concept.trim())
    .bind(now)
    .execute(&mut *tx)
    .await
    .purpose("autosaving an article")?;
    tx.commit().await.purpose("autosaving an article")?;
    Ok(())
}

/// `user`'s background copy of article `article` (0: a new one), if there is one.
pub async fn autosave_of(db: &Db, user: i64, article: i64) -> Result<Option<Autosave>, StoreError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT form, saved_at FROM article_autosaves \
         WHERE user_id = $1 AND article_id = $2 AND form <> ''",
    )
    .bind(user)
    .bind(article)
    .fetch_optional(db.pool())
    .await
    .purpose("reading an autosave")?;
    Ok(row.and_then(
        |(json, saved_at)| match serde_json::from_str::<ArticleForm>(&json) {
            Ok(form) => Some(Autosave { form, saved_at }),
            Err(err) => {
                tracing::error!(error = %err, user, article, "an autosave could not be read");
                None
            }
        },
    ))
}

/// Throws away `user`'s background copy of article `article` (0: a new one).
pub async fn discard_autosave(db: &Db, user: i64, article: i64) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    sqlx::query("DELETE FROM article_autosaves WHERE user_id = $1 AND article_id = $2")
        .bind(user)
        .bind(article)
        .execute(&mut *tx)
        .await
        .purpose("discarding an autosave")?;
    tx.commit().await.purpose("discarding an autosave")?;
    Ok(())
}

/// The newest 50 revisions of article `id`, newest first.
async fn revisions(db: &Db, id: i64) -> Result<Vec<Revision>, StoreError> {
    let rows: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT r.id, r.title, u.display_name, r.created_at FROM article_revisions r \
         LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = $1 \
         ORDER BY r.created_at DESC, r.id DESC LIMIT 50",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .purpose("reading an article's revisions")?;
    Ok(rows
        .into_iter()
        .map(|(id, title, editor, created_at)| Revision {
            id,
            title,
            editor: editor.unwrap_or_else(|| "onbekend".into()),
            created_at,
        })
        .collect())
}

/// The text of one revision, to put back into the editor.
pub async fn revision(
    db: &Db,
    article_id: i64,
    revision_id: i64,
) -> Result<Option<(String, String, String)>, StoreError> {
    sqlx::query_as(
        "SELECT title, lead, body_md FROM article_revisions WHERE id = $1 AND article_id = $2",
    )
    .bind(revision_id)
    .bind(article_id)
    .fetch_optional(db.pool())
    .await
    .purpose("reading a revision")
}
