//! The newsroom's live desk posts: ticker items and the breaking-news banner (editor or higher).
//! After a change the hub is woken, so open pages get it at once.

use app::{
    accounts::{CurrentUser, Role},
    live::{store, BannerPost, PostError, TickerPost},
    newsroom::LiveSubmission,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Extension, Form,
};
use serde::Deserialize;

use super::newsroom::{internal, render_with, require, see_other};

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
        "/redactie/live".into(),
        user,
        submission,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn done(state: &AppState, code: &str) -> Response {
    state.live.published();
    see_other(&format!("/redactie/live?gelukt={code}"))
}

pub async fn post_ticker(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Form(form): Form<LiveForm>,
) -> Response {
    let user = match require(user, Role::Editor) {
        Ok(user) => user,
        Err(refusal) => return refusal.into_response(),
    };
    let post = match TickerPost::new(&form.bericht, &form.link) {
        Ok(post) => post,
        Err(error) => return refuse(&state, user, "ticker", &form, error).await,
    };
    let now = app::db::now();
    match store::post_ticker(&state.db, &post, Some(user.id), form.expires_at(now), now).await {
        Ok(id) => {
            tracing::info!(ticker = id, user = user.id, "ticker item posted");
            done(&state, "ticker")
        }
        Err(err) => internal(err),
    }
}

pub async fn edit_ticker(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    user: Option<Extension<CurrentUser>>,
    Form(form): Form<LiveForm>,
) -> Response {
    let user = match require(user, Role::Editor) {
        Ok(user) => user,
        Err(refusal) => return refusal.into_response(),
    };
    let post = match TickerPost::new(&form.bericht, &form.link) {
        Ok(post) => post,
        Err(error) => return refuse(&state, user, "ticker", &form, error).await,
    };
    match store::edit_ticker(&state.db, id, &post, app::db::now()).await {
        Ok(true) => done(&state, "bewerkt"),
        Ok(false) => (StatusCode::NOT_FOUND, "Dit bericht bestaat niet meer.").into_response(),
        Err(err) => internal(err),
    }
}

pub async fn remove_ticker(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    if let Err(refusal) = require(user, Role::Editor) {
        return refusal.into_response();
    }
    match store::remove_ticker(&state.db, id, app::db::now()).await {
        // Removing twice is not an error: the item is gone either way.
        Ok(_) => done(&state, "verwijderd"),
        Err(err) => internal(err),
    }
}

pub async fn start_banner(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Form(form): Form<LiveForm>,
) -> Response {
    let user = match require(user, Role::Editor) {
        Ok(user) => user,
        Err(refusal) => return refusal.into_response(),
    };
    let post = match BannerPost::new(&form.bericht, &form.link) {
        Ok(post) => post,
        Err(error) => return refuse(&state, user, "breaking", &form, error).await,
    };
    let now = app::db::now();
    match store::start_banner(&state.db, &post, form.expires_at(now), now).await {
        Ok(id) => {
            tracing::info!(banner = id, user = user.id, "breaking banner started");
            done(&state, "breaking")
        }
        Err(err) => internal(err),
    }
}

pub async fn end_banner(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    if let Err(refusal) = require(user, Role::Editor) {
        return refusal.into_response();
    }
    match store::end_banner(&state.db, id, app::db::now()).await {
        Ok(_) => done(&state, "beeindigd"),
        Err(err) => internal(err),
    }
}
