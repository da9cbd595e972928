//! The newsroom's live desk posts: ticker items and the breaking-news banner (editor or higher).
//! After a change the hub is woken, so open pages get it at once.

use super::error::AppError;
use super::roles::Editor;
use app::{
    accounts::CurrentUser,
    audit::{self, action},
    live::{store, BannerPost, PostError, TickerPost},
    newsroom::LiveSubmission,
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
pub struct LiveForm {
    #[serde(default)]
    bericht: String,
    #[serde(default)]
    link: String,
    /// Minutes until the item or banner disappears; empty for never.
    #[serde(default)]
    verloopt: String,
}

impl LiveForm {
    /// Only the offered choices (up to a day); anything else is "never".
    fn expires_at(&self, now: i64) -> Option<i64> {
        self.verloopt
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|m| (1..=1440).contains(m))
            .map(|m| now + m * 60)
    }
}

async fn refuse(
    state: &AppState,
    user: CurrentUser,
    which: &str,
    form: &LiveForm,
    error: PostError,
) -> Response {
    let submission = LiveSubmission {
        form: which.into(),
        text: form.bericht.clone(),
        link: form.link.clone(),
        error: error.to_string(),
    };
    render_with(
        state,
        paths::LIVE_DESK.into(),
        user,
        submission,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A ticker post that meets the rules, or the live page again with the text and the message.
async fn ticker_post(
    state: &AppState,
    user: &CurrentUser,
    form: &LiveForm,
) -> Result<TickerPost, Response> {
    match TickerPost::new(&form.bericht, &form.link) {
        Ok(post) => Ok(post),
        Err(error) => Err(refuse(state, user.clone(), "ticker", form, error).await),
    }
}

fn done(code: &str) -> Response {
    see_other(&format!("{}?gelukt={code}", paths::LIVE_DESK))
}

pub async fn post_ticker(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<LiveForm>,
) -> Result<Response, Response> {
    let post = ticker_post(&state, &user, &form).await?;
    let now = app::db::now();
    let id = store::post_ticker(&state.db, &post, Some(user.id), form.expires_at(now), now)
        .await
        .map_err(internal)?;
    tracing::info!(ticker = id, user = user.id, "ticker item posted");
    Ok(done("ticker"))
}

pub async fn edit_ticker(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(user): Editor,
    Form(form): Form<LiveForm>,
) -> Result<Response, Response> {
    let post = ticker_post(&state, &user, &form).await?;
    let found = store::edit_ticker(&state.db, id, &post, app::db::now())
        .await
        .map_err(internal)?;
    Ok(if found {
        done("bewerkt")
    } else {
        AppError::NotFound("Dit bericht bestaat niet meer.").into_response()
    })
}

pub async fn remove_ticker(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(user): Editor,
) -> Result<Response, Response> {
    let now = app::db::now();
    // Removing twice is not an error: the item is gone either way.
    let removed = store::remove_ticker(&state.db, id, now)
        .await
        .map_err(internal)?;
    if removed {
        audit::note(
            &state.db,
            &user,
            action::TICKER_REMOVED,
            &format!("ticker:{id}"),
            "",
            now,
        )
        .await
        .map_err(internal)?;
    }
    Ok(done("verwijderd"))
}

pub async fn start_banner(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<LiveForm>,
) -> Result<Response, Response> {
    let post = match BannerPost::new(&form.bericht, &form.link) {
        Ok(post) => post,
        Err(error) => return Err(refuse(&state, user, "breaking", &form, error).await),
    };
    let now = app::db::now();
    let id = store::start_banner(&state.db, &post, form.expires_at(now), now)
        .await
        .map_err(internal)?;
    tracing::info!(banner = id, user = user.id, "breaking banner started");
    Ok(done("breaking"))
}

pub async fn end_banner(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(user): Editor,
) -> Result<Response, Response> {
    let now = app::db::now();
    let ended = store::end_banner(&state.db, id, now)
        .await
        .map_err(internal)?;
    if ended {
        audit::note(
            &state.db,
            &user,
            action::BANNER_ENDED,
            &format!("banner:{id}"),
            "",
            now,
        )
        .await
        .map_err(internal)?;
    }
    Ok(done("beeindigd"))
}

/// Ticker items and the breaking-news banner.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route(paths::TICKER, post(post_ticker))
        .route(paths::TICKER_ITEM.template(), post(edit_ticker))
        .route(paths::TICKER_ITEM_REMOVE.template(), post(remove_ticker))
        .route(paths::BANNER, post(start_banner))
        .route(paths::BANNER_END.template(), post(end_banner))
}
