//! `GET /zoeken/resultaten?q=…&pagina=…`: the results part of the search page on its own, as
//! HTML, for the search-as-you-type island. The same component renders it as the page does.

use app::{
    search::{self, SearchResultsView},
    state::AppState,
};
use axum::{
    extract::{Query, State},
    http::{header, HeaderValue},
    response::{Html, IntoResponse, Response},
};
use leptos::prelude::*;
use serde::Deserialize;

use super::error::internal;

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    pagina: Option<String>,
}

pub async fn results(State(state): State<AppState>, Query(query): Query<SearchQuery>) -> Response {
    let page = query
        .pagina
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    match search::run(&state.db, &query.q, page).await {
        Ok(data) => {
            let site = state.site.clone();
            let html = app::markup::render(move || {
                provide_context(site);
                view! { <SearchResultsView data/> }
            });
            let mut response = Html(html).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            );
            response
        }
        Err(err) => internal(err),
    }
}

/// The results list the search island asks for.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(app::search::RESULTS_PATH, axum::routing::get(results))
}
