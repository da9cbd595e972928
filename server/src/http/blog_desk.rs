//! The newsroom's live-blog console posts (editor or higher): start, post, edit, remove, pin,
//! close and reopen. Each change wakes the hub, so open pages get it at once.

use super::roles::Editor;
use app::{
    accounts::CurrentUser,
    audit,
    live::blog::{store, BlogStatus, UpdateText},
    newsroom::BlogSubmission,
    paths,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Form,
};
use serde::Deserialize;

use super::{
    error::internal,
    newsroom::{render_with, see_other},
};

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    artikel: String,
}

#[derive(Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    bericht: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    hoofdpunt: Option<String>,
}

fn console(article: i64, code: &str) -> Response {
    see_other(&format!("{}?gelukt={code}", paths::BLOG.to(&[&article])))
}

fn gone() -> Response {
    (
        StatusCode::NOT_FOUND,
        "Dit liveblog of deze update bestaat niet (meer).",
    )
        .into_response()
}

/// The text as an update, or the console again with what was typed and why it was refused.
async fn update_text(
    state: &AppState,
    user: &CurrentUser,
    article: i64,
    post: Option<i64>,
    form: &UpdateForm,
) -> Result<UpdateText, Response> {
    match UpdateText::new(&form.bericht) {
        Ok(text) => Ok(text),
        Err(error) => {
            let submission = BlogSubmission {
                post,
                text: form.bericht.clone(),
                key_event: form.hoofdpunt.is_some(),
                error: error.to_string(),
            };
            Err(render_with(
                state,
                paths::BLOG.to(&[&article]),
                user.clone(),
                submission,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await)
        }
    }
}

pub async fn start(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<StartForm>,
) -> Result<Response, Response> {
    let Ok(article) = form.artikel.trim().parse::<i64>() else {
        return Ok(see_other(&format!("{}?fout=artikel", paths::LIVE_DESK)));
    };
    let now = app::db::now();
    let started = store::transition(&state.db, article, None, BlogStatus::Live, now)
        .await
        .map_err(internal)?;
    if !started {
        return Ok(see_other(&format!("{}?fout=artikel", paths::LIVE_DESK)));
    }
    tracing::info!(article, user = user.id, "live blog started");
    Ok(console(article, "gestart"))
}

pub async fn add(
    State(state): State<AppState>,
    Path(article): Path<i64>,
    Editor(user): Editor,
    Form(form): Form<UpdateForm>,
) -> Result<Response, Response> {
    let text = update_text(&state, &user, article, None, &form).await?;
    let key = form.hoofdpunt.is_some();
    let now = app::db::now();
    match store::add_post(&state.db, article, Some(user.id), &text, key, now)
        .await
        .map_err(internal)?
    {
        Some(_) => Ok(console(article, "geplaatst")),
        None => Ok((
            StatusCode::CONFLICT,
            "Dit liveblog loopt niet: heropen het eerst.",
        )
            .into_response()),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Path((article, post)): Path<(i64, i64)>,
    Editor(user): Editor,
    Form(form): Form<UpdateForm>,
) -> Result<Response, Response> {
    let text = update_text(&state, &user, article, Some(post), &form).await?;
    let key = form.hoofdpunt.is_some();
    let found = store::edit_post(&state.db, article, post, &text, key, app::db::now())
        .await
        .map_err(internal)?;
    Ok(if found {
        console(article, "bewerkt")
    } else {
        gone()
    })
}

pub async fn remove(
    State(state): State<AppState>,
    Path((article, post)): Path<(i64, i64)>,
    Editor(user): Editor,
) -> Result<Response, Response> {
    let now = app::db::now();
    // Removing twice is not an error: the update is gone either way.
    let removed = store::remove_post(&state.db, article, post, now)
        .await
        .map_err(internal)?;
    if removed {
        let subject = format!("liveblog:{article}");
        let detail = format!("update {post}");
        audit::note(
            &state.db,
            &user,
            audit::action::BLOG_POST_REMOVED,
            &subject,
            &detail,
            now,
        )
        .await
        .map_err(internal)?;
    }
    Ok(console(article, "verwijderd"))
}

pub async fn pin(
    State(state): State<AppState>,
    Path((article, post)): Path<(i64, i64)>,
    _: Editor,
) -> Result<Response, Response> {
    let found = store::pin(&state.db, article, Some(post), app::db::now())
        .await
        .map_err(internal)?;
    Ok(if found {
        console(article, "vastgezet")
    } else {
        gone()
    })
}

pub async fn unpin(
    State(state): State<AppState>,
    Path(article): Path<i64>,
    _: Editor,
) -> Result<Response, Response> {
    let found = store::pin(&state.db, article, None, app::db::now())
        .await
        .map_err(internal)?;
    Ok(if found {
        console(article, "losgemaakt")
    } else {
        gone()
    })
}

pub async fn close(
    State(state): State<AppState>,
    Path(article): Path<i64>,
    Editor(user): Editor,
) -> Result<Response, Response> {
    let from = Some(BlogStatus::Live);
    store::transition(&state.db, article, from, BlogStatus::Closed, app::db::now())
        .await
        .map_err(internal)?;
    tracing::info!(article, user = user.id, "live blog closed");
    Ok(console(article, "gesloten"))
}

pub async fn reopen(
    State(state): State<AppState>,
    Path(article): Path<i64>,
    _: Editor,
) -> Result<Response, Response> {
    let from = Some(BlogStatus::Closed);
    store::transition(&state.db, article, from, BlogStatus::Live, app::db::now())
        .await
        .map_err(internal)?;
    Ok(console(article, "heropend"))
}

/// Starting live blogs and running them from their console.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route(paths::BLOGS, post(start))
        .route(paths::BLOG_UPDATES.template(), post(add))
        .route(paths::BLOG_UPDATE.template(), post(edit))
        .route(paths::BLOG_UPDATE_REMOVE.template(), post(remove))
        .route(paths::BLOG_UPDATE_PIN.template(), post(pin))
        .route(paths::BLOG_UNPIN.template(), post(unpin))
        .route(paths::BLOG_CLOSE.template(), post(close))
        .route(paths::BLOG_REOPEN.template(), post(reopen))
}
