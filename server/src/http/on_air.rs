//! `/gids.ics`: the coming week's broadcasts as iCalendar, for a calendar app to subscribe to.

use app::{on_air::store, paths, state::AppState};
use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use icalendar::{Calendar, Component, Event, EventLike};

use super::{error::internal, feeds::absolute};

/// How far ahead the calendar reaches.
const DAYS: i64 = 7;

async fn guide_ics(State(state): State<AppState>) -> Response {
    let now = app::db::now();
    let (stations, programmes, broadcasts) = match futures::try_join!(
        store::stations(&state.db),
        store::programme_titles(&state.db),
        store::broadcasts(&state.db, now, now + DAYS * 86_400),
    ) {
        Ok(all) => all,
        Err(err) => return internal(err),
    };
    let host = state
        .site
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("zender")
        .trim_end_matches('/')
        .to_string();
    let mut calendar = Calendar::new()
        .name(&format!("Programmagids {}", state.site.name))
        .description(&format!("Radio en tv van {}", state.site.name))
        .timezone("Europe/Amsterdam")
        .done();
    for b in &broadcasts {
        let (Some(station), Some((slug, title))) = (
            stations.iter().find(|s| s.id == b.station_id),
            programmes.get(&b.programme_id),
        ) else {
            continue;
        };
        let (Some(starts), Some(ends)) = (
            chrono::DateTime::from_timestamp(b.starts_at, 0),
            chrono::DateTime::from_timestamp(b.ends_at, 0),
        ) else {
            continue;
        };
        calendar.push(
            Event::new()
                .uid(&format!("{}-{}-{}@{host}", station.slug, slug, b.starts_at))
                .summary(&format!("{title} ({})", station.name))
                .location(&station.name)
                .url(&absolute(&state, &paths::PROGRAMME.to(&[slug])))
                .starts(starts)
                .ends(ends)
                .done(),
        );
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline; filename=\"gids.ics\""),
            ),
        ],
        calendar.to_string(),
    )
        .into_response()
}

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(paths::GUIDE_ICS, get(guide_ics))
}
