//! `GET /live`: the server-sent-events stream of live updates, and `GET /live.json`, the
//! cache-friendly snapshot for clients that cannot hold a stream.
//!
//! A stream starts after the event the client names (`Last-Event-ID` when the browser
//! reconnects, `?sinds=` from the page it rendered), replays what it missed from the event log
//! (or, when it is further behind than the log reaches, tells it to reload its parts), then
//! follows this instance's broadcast. Both endpoints serve only parts readers may see now: the
//! blog and comments of a visible article, a blog only while it runs. Heartbeats keep proxies
//! from closing an idle stream; at shutdown every stream ends at once.

use std::{
    collections::{BTreeMap, HashMap},
    convert::Infallible,
    sync::{Arc, Mutex},
    time::Duration,
};

use app::{
    accounts::{CurrentUser, Role},
    articles,
    db::StoreError,
    live::{
        blog::{self, BlogFeed},
        events::{self, LiveEvent, Replay},
        store, LiveParts, PartEvent, Topic, POLL_SECONDS,
    },
    markup::render,
    paths,
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
use leptos::prelude::*;
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;

use super::{client::Client, error::AppError};

const HEARTBEAT: Duration = Duration::from_secs(15);
/// A stream that would replay more than this tells its page to reload the parts instead: a
/// client that never reads holds at most this much (the live events that follow are bounded by
/// the hub's buffer; a client that falls behind it is closed).
const REPLAY_BYTES_MAX: usize = 256 * 1024;

/// Open streams, in all and per client. Beyond either a stream is refused with 503, and the
/// page polls `/live.json` instead (cacheable, no connection held).
#[derive(Clone)]
pub struct StreamSlots(Arc<Slots>);

struct Slots {
    max: usize,
    per_client: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_client: HashMap<String, usize>,
}

/// One open stream's place; given back when the stream ends.
pub struct StreamSlot {
    slots: Arc<Slots>,
    client: String,
}

impl StreamSlots {
    pub fn new(max: usize, per_client: usize) -> Self {
        StreamSlots(Arc::new(Slots {
            max,
            per_client,
            open: Mutex::new(Open::default()),
        }))
    }

    fn take(&self, client: String) -> Option<StreamSlot> {
        let mut open = self.0.open.lock().unwrap_or_else(|e| e.into_inner());
        let mine = open.by_client.get(&client).copied().unwrap_or(0);
        if open.total >= self.0.max || mine >= self.0.per_client {
            return None;
        }
        open.total += 1;
        open.by_client.insert(client.clone(), mine + 1);
        metrics::gauge!(super::telemetry::STREAMS_OPEN).increment(1.0);
        Some(StreamSlot {
            slots: self.0.clone(),
            client,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total -= 1;
        metrics::gauge!(super::telemetry::STREAMS_OPEN).decrement(1.0);
        if let Some(count) = open.by_client.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.by_client.remove(&self.client);
            }
        }
    }
}

#[derive(Deserialize)]
pub struct LiveQuery {
    #[serde(default)]
    onderwerpen: String,
    #[serde(default)]
    sinds: Option<i64>,
}

/// Most topics one stream carries: a page has a ticker, a banner, a blog and comments.
const TOPICS_MAX: usize = 8;

/// The topics asked for: known names only, at least one, each once.
fn topics(raw: &str) -> Result<Vec<Topic>, String> {
    let mut topics = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let topic = Topic::parse(name).ok_or_else(|| format!("Onbekend onderwerp: {name}"))?;
        if !topics.contains(&topic) {
            topics.push(topic);
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

/// The newsroom's own topic is for editors; everything else is public.
fn refused(topics: &[Topic], user: Option<&CurrentUser>) -> Option<Response> {
    // The moderation count is for editors; who is editing what is for anyone signed in.
    let allowed = topics.iter().all(|topic| match topic {
        Topic::Moderation => user.is_some_and(|u| u.may(Role::Editor)),
        Topic::Editing(_) => user.is_some_and(|u| u.may(Role::Contributor)),
        _ => true,
    });
    (!allowed).then(|| {
        (
            StatusCode::FORBIDDEN,
            "Dit onderwerp is alleen voor de redactie.",
        )
            .into_response()
    })
}

/// The topics of `asked` readers may follow now: an article's parts only while it is visible,
/// its blog only while it is one. The blog found is kept for the JSON part.
async fn visible(
    state: &AppState,
    asked: &[Topic],
    now: i64,
) -> Result<Vec<(Topic, Option<app::live::blog::LiveBlog>)>, StoreError> {
    let mut shown = Vec::with_capacity(asked.len());
    for &topic in asked {
        if let Some(article) = topic.article() {
            if articles::store::visible_path(&state.db, article, now)
                .await?
                .is_none()
            {
                continue;
            }
        }
        // A closed blog still has its part: a page that followed it while it ran learns it
        // closed, and of any later correction.
        let blog = match topic {
            Topic::Blog(article) => match blog::store::blog(&state.db, article).await? {
                Some(blog) => Some(blog),
                None => continue,
            },
            _ => None,
        };
        shown.push((topic, blog));
    }
    Ok(shown)
}

fn event(e: &LiveEvent) -> Result<Event, Infallible> {
    Ok(Event::default()
        .id(e.id.to_string())
        .event(&e.topic)
        .data(&e.payload))
}

/// Live updates are down for now (the page keeps what it shows and tries again).
fn unavailable(err: StoreError, doing: &'static str) -> Response {
    AppError::unavailable(doing, err, "Live updates zijn even niet beschikbaar.").into_response()
}

pub async fn stream(
    State(state): State<AppState>,
    Extension(slots): Extension<StreamSlots>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<LiveQuery>,
) -> Response {
    let asked = match topics(&query.onderwerpen) {
        Ok(topics) => topics,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    if let Some(refusal) = refused(&asked, user.as_deref()) {
        return refusal;
    }
    let Some(slot) = slots.take(client.key()) else {
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            "Er kijken nu heel veel mensen live mee; deze pagina ververst zich elke paar seconden.",
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(POLL_SECONDS));
        return response;
    };
    let now = app::db::now();
    let topics: Vec<Topic> = match visible(&state, &asked, now).await {
        Ok(shown) => shown.into_iter().map(|(topic, _)| topic).collect(),
        Err(err) => return unavailable(err, "checking live topics"),
    };
    // Nothing here readers may follow: 204 tells EventSource not to reconnect.
    if topics.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
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
    let latest = state.live.last_id();
    let start = resume.unwrap_or(latest);
    let (first, replayed_up_to) = match events::replay(&state.db, &topics, start, now).await {
        Ok(Replay::Events(missed))
            if missed.iter().map(|e| e.payload.len()).sum::<usize>() <= REPLAY_BYTES_MAX =>
        {
            let up_to = missed.last().map_or(start, |e| e.id);
            (missed.iter().map(event).collect::<Vec<_>>(), up_to)
        }
        // Too far behind (or too much to hold for it): each part is fetched anew, then the
        // stream goes on from now.
        Ok(Replay::Reload | Replay::Events(_)) => {
            let reload = serde_json::to_string(&PartEvent::Reload).expect("events serialise");
            let reloads = topics
                .iter()
                .map(|topic| {
                    Ok(Event::default()
                        .id(latest.to_string())
                        .event(topic.to_string())
                        .data(&reload))
                })
                .collect();
            (reloads, latest)
        }
        Err(err) => return unavailable(err, "replaying live events"),
    };
    let names: Vec<String> = topics.iter().map(Topic::to_string).collect();
    let live = BroadcastStream::new(receiver)
        // A client too slow to keep up is closed; it reconnects and catches up from the log.
        .take_while(|received| std::future::ready(received.is_ok()))
        .filter_map(move |received| {
            let wanted = received
                .ok()
                .filter(|e| e.id > replayed_up_to && names.iter().any(|t| *t == e.topic));
            std::future::ready(wanted.map(|e| event(&e)))
        });
    // The slot is given back when the stream (and with it this closure) is dropped.
    let live = live.inspect(move |_| {
        let _held = &slot;
    });
    let hello = Event::default()
        .retry(Duration::from_secs(2))
        .comment("zender");
    let events = stream::once(std::future::ready(Ok(hello)))
        .chain(stream::iter(first))
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
    /// Asked after a `reload` event: the parts as of that event, so no shared cache may answer.
    #[serde(default)]
    vers: Option<i64>,
}

/// The HTML of each visible part of `topics` as of now.
async fn parts(state: &AppState, topics: &[Topic], now: i64) -> Result<LiveParts, StoreError> {
    // Read first, as pages do: an event that lands meanwhile is sent again.
    let last_event_id = state.live.last_id();
    let mut parts = BTreeMap::new();
    for (topic, blog) in visible(state, topics, now).await? {
        let html = match topic {
            Topic::Ticker => store::ticker_html(&state.db, now).await?,
            Topic::Breaking => store::banner_html(&state.db, now).await?,
            Topic::Moderation => {
                app::comments::badge_text(app::comments::store::pending_count(&state.db).await?)
            }
            Topic::Comments(article) => {
                app::comments::store::thread_html(&state.db, article).await?
            }
            Topic::Editing(article) => {
                app::articles::presence::current_html(&state.db, article, now).await?
            }
            Topic::Blog(_) => match blog {
                Some(blog) => render(|| view! { <BlogFeed blog/> }),
                None => continue,
            },
            Topic::Calamity => match app::calamity::store::active(&state.db, now).await? {
                Some(calamity) => {
                    let strip = app::calamity::Strip::from(&calamity);
                    render(|| view! { <app::calamity::CalamityStrip strip/> })
                }
                None => String::new(),
            },
            Topic::Official => match app::calamity::store::active(&state.db, now).await? {
                Some(calamity) => {
                    let messages = app::calamity::store::messages(&state.db, calamity.id).await?;
                    render(|| view! { <app::calamity::MessageList messages/> })
                }
                None => String::new(),
            },
            // Never asked for: `Topic::parse` knows no name for it.
            Topic::Site => continue,
        };
        parts.insert(topic.to_string(), html);
    }
    Ok(LiveParts {
        parts,
        last_event_id,
        poll_seconds: POLL_SECONDS,
    })
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
        .unwrap_or_else(|| format!("{},{}", Topic::Ticker, Topic::Breaking));
    let topics = match topics(&raw) {
        Ok(topics) => topics,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    if let Some(refusal) = refused(&topics, user.as_deref()) {
        return refusal;
    }
    match parts(&state, &topics, app::db::now()).await {
        Ok(snapshot) => {
            let mut response = Json(snapshot).into_response();
            let cache = match query.vers {
                Some(_) => HeaderValue::from_static("no-store"),
                None => HeaderValue::from_str(&format!(
                    "public, max-age={}, stale-while-revalidate={}",
                    POLL_SECONDS / 3,
                    POLL_SECONDS
                ))
                .expect("a valid header"),
            };
            response.headers_mut().insert(header::CACHE_CONTROL, cache);
            response
        }
        Err(err) => unavailable(err, "the live snapshot"),
    }
}

/// The live stream (with its limits on streams open at once) and the snapshot of live parts.
pub(super) fn routes(streams_max: usize, streams_per_client: usize) -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            paths::LIVE,
            get(stream).layer(Extension(StreamSlots::new(streams_max, streams_per_client))),
        )
        .route(paths::LIVE_SNAPSHOT, get(snapshot))
}
