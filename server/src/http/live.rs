//! `GET /live`: the server-sent-events stream of live updates, and `GET /live.json`, the
//! cache-friendly snapshot for clients that cannot hold a stream.
//!
//! A stream starts after the event the client names (`Last-Event-ID` when the browser
//! reconnects, `?sinds=` from the page it rendered), replays what it missed from the event log,
//! then follows this instance's broadcast. Heartbeats keep proxies from closing an idle stream;
//! at shutdown every stream ends at once.

use std::{convert::Infallible, time::Duration};

use app::{
    accounts::{CurrentUser, Role},
    comments::{self, store::MODERATION},
    live::{blog, store, BREAKING, POLL_SECONDS, TICKER},
    state::AppState,
};
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    Extension, Json,
};
use futures::{stream, StreamExt};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;

/// Most events replayed to one reconnecting client; further back, the page is stale anyway.
const REPLAY_MAX: i64 = 1000;
const HEARTBEAT: Duration = Duration::from_secs(15);

#[derive(Deserialize)]
pub struct LiveQuery {
    #[serde(default)]
    onderwerpen: String,
    #[serde(default)]
    sinds: Option<i64>,
}

/// Most topics one stream carries: a page has a ticker, a banner, a blog and comments.
const TOPICS_MAX: usize = 8;

/// The topics asked for: known names only (`ticker`, `breaking`, `blog:<id>`,
/// `comments:<id>`, `moderation`), at least one.
fn topics(raw: &str) -> Result<Vec<String>, String> {
    let mut topics = Vec::new();
    for topic in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let known = [TICKER, BREAKING, MODERATION].contains(&topic)
            || blog::article_of(topic).is_some()
            || comments::article_of(topic).is_some();
        if !known {
            return Err(format!("Onbekend onderwerp: {topic}"));
        }
        if !topics.iter().any(|t| t == topic) {
            topics.push(topic.to_string());
        }
    }
    if topics.is_empty() {
        return Err("Geef onderwerpen op, bijvoorbeeld ?onderwerpen=ticker,breaking".into());
    }
    if topics.len() > TOPICS_MAX {
        return Err(format!("Hoogstens {TOPICS_MAX} onderwerpen tegelijk."));
    }
    Ok(topics)
}

fn event(e: &store::LiveEvent) -> Result<Event, Infallible> {
    Ok(Event::default()
        .id(e.id.to_string())
        .event(&e.topic)
        .data(&e.payload))
}

/// The newsroom's own topic is for editors; everything else is public.
fn refused(topics: &[String], user: Option<&CurrentUser>) -> Option<Response> {
    let newsroom_only = topics.iter().any(|t| t == MODERATION);
    (newsroom_only && !user.is_some_and(|u| u.may(Role::Editor))).then(|| {
        (
            StatusCode::FORBIDDEN,
            "Dit onderwerp is alleen voor de redactie.",
        )
            .into_response()
    })
}

pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<LiveQuery>,
) -> Response {
    let topics = match topics(&query.onderwerpen) {
        Ok(topics) => topics,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    if let Some(refusal) = refused(&topics, user.as_deref()) {
        return refusal;
    }
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(query.sinds)
        .filter(|id| *id >= 0);
    // Subscribe before reading the log: an event committed in between arrives by one route or
    // both, and the id filter below drops the second copy.
    let receiver = state.live.subscribe();
    let start = resume.unwrap_or_else(|| state.live.last_id());
    let missed = match store::events_after(&state.db, Some(&topics), start, REPLAY_MAX).await {
        Ok(missed) => missed,
        Err(err) => {
            tracing::error!(error = %err, "replaying live events failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let replayed_up_to = missed.last().map_or(start, |e| e.id);
    let live = BroadcastStream::new(receiver)
        // A client too slow to keep up is closed; it reconnects and catches up from the log.
        .take_while(|received| std::future::ready(received.is_ok()))
        .filter_map(move |received| {
            let wanted = received
                .ok()
                .filter(|e| e.id > replayed_up_to && topics.iter().any(|t| *t == e.topic));
            std::future::ready(wanted.map(|e| event(&e)))
        });
    let hello = Event::default()
        .retry(Duration::from_secs(2))
        .comment("zender");
    let events = stream::once(std::future::ready(Ok(hello)))
        .chain(stream::iter(missed.iter().map(event).collect::<Vec<_>>()))
        .chain(live)
        .take_until(state.live.closed());
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(HEARTBEAT))
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Nginx and friends would otherwise buffer the stream.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

#[derive(Deserialize)]
pub struct PartsQuery {
    #[serde(default)]
    onderwerpen: Option<String>,
}

/// Each asked-for part's HTML as of now (the ticker and banner when none are named). Identical
/// for every reader, so a CDN may serve it for a few seconds from one origin request;
/// `poll_seconds` tells the client when to ask again.
pub async fn snapshot(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<PartsQuery>,
) -> Response {
    let raw = query
        .onderwerpen
        .unwrap_or_else(|| format!("{TICKER},{BREAKING}"));
    let topics = match topics(&raw) {
        Ok(topics) => topics,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    if let Some(refusal) = refused(&topics, user.as_deref()) {
        return refusal;
    }
    match store::parts(&state.db, &topics, app::db::now()).await {
        Ok(snapshot) => {
            let mut response = Json(snapshot).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_str(&format!(
                    "public, max-age={}, stale-while-revalidate={}",
                    POLL_SECONDS / 3,
                    POLL_SECONDS
                ))
                .expect("a valid header"),
            );
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "live snapshot failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
