//! `/metrics` in Prometheus's text format: requests by route template and status, latency,
//! open live streams, the page cache, the database pools, comments and tips received.
//!
//! Off the public site: served on an address of its own (`ZENDER_METRICS_ADDR`) or, on the
//! site's address, only with `Authorization: Bearer <ZENDER_METRICS_TOKEN>`. With neither set no
//! recorder is installed and the counting costs nothing.

use std::{
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use app::state::AppState;
use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use http::{header, HeaderValue, Method, StatusCode};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

pub const REQUESTS: &str = "zender_http_requests_total";
pub const DURATION: &str = "zender_http_request_duration_seconds";
pub const PAGE_CACHE: &str = "zender_page_cache_requests_total";
pub const STREAMS_OPEN: &str = "zender_live_streams_open";
pub const DB_CONNECTIONS: &str = "zender_db_connections";
pub const COMMENTS: &str = "zender_comments_received_total";
pub const TIPS: &str = "zender_tips_received_total";

/// Seconds: from a kept page (well under a millisecond) to a slow upload.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route template a response was answered by (`/{section}/{slug}`), never the path itself:
/// one series per route, however many articles.
#[derive(Clone, Debug)]
pub struct Route(pub Arc<str>);

impl Route {
    pub fn fixed(template: &'static str) -> Self {
        Route(Arc::from(template))
    }
}

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use (one per process: tests run many servers).
pub fn recorder() -> &'static PrometheusHandle {
    RECORDER.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), &BUCKETS)
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if let Err(err) = metrics::set_global_recorder(recorder) {
            tracing::error!(error = %err, "another metrics recorder is installed");
        }
        describe();
        // Histogram samples wait in a buffer until drained; without a scrape they must not pile
        // up. A thread, not a task: it outlives any one runtime.
        let upkeep = handle.clone();
        std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || loop {
                std::thread::sleep(Duration::from_secs(5));
                upkeep.run_upkeep();
            })
            .expect("a thread for metrics upkeep");
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        REQUESTS,
        "HTTP requests answered, by route template, method and status."
    );
    describe_histogram!(
        DURATION,
        Unit::Seconds,
        "Time until the answer's headers, by route template."
    );
    describe_counter!(
        PAGE_CACHE,
        "Public pages by how the page cache answered (hit, miss, stale)."
    );
    describe_gauge!(STREAMS_OPEN, "Live (SSE) streams open now.");
    describe_gauge!(
        DB_CONNECTIONS,
        "Database connections by pool and state (in_use, idle)."
    );
    describe_counter!(COMMENTS, "Comments received from readers, by outcome.");
    describe_counter!(TIPS, "Tips received from readers.");
}

/// Middleware (outermost): counts every request by the route that answered it.
pub async fn count(request: Request, next: Next) -> Response {
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed().as_secs_f64();
    let route = response
        .extensions()
        .get::<Route>()
        .map(|r| r.0.clone())
        .unwrap_or_else(|| Arc::from("unmatched"));
    let status = response.status();
    metrics::counter!(REQUESTS, "route" => route.to_string(), "method" => method, "status" => status.as_str().to_owned())
        .increment(1);
    metrics::histogram!(DURATION, "route" => route.to_string()).record(elapsed);
    if let Some(how) = response.headers().get("x-cache") {
        let result = match how.as_bytes() {
            b"HIT" => "hit",
            b"MISS" => "miss",
            b"STALE" => "stale",
            _ => "other",
        };
        metrics::counter!(PAGE_CACHE, "result" => result).increment(1);
    }
    response
}

/// Known methods by name, anything else as one label: a client cannot make new series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// Route layer: marks the response with the template its route was matched by.
pub async fn mark_route(matched: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response
            .extensions_mut()
            .insert(Route(Arc::from(label(matched.as_str()))));
    }
    response
}

/// A template as a label: `/{section}/{slug}` → `/:section/:slug`. Braces are allowed inside
/// a quoted label value, yet simple readers of the format stop at the first `}`.
fn label(template: &str) -> String {
    template
        .split('/')
        .map(
            |part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) if name.starts_with('*') => name.to_string(),
                Some(name) => format!(":{name}"),
                None => part.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// The text Prometheus reads, with the gauges read now.
fn render(state: &AppState) -> Response {
    for (pool, size, idle) in state.db.pool_use() {
        let in_use = (size as usize).saturating_sub(idle);
        metrics::gauge!(DB_CONNECTIONS, "pool" => pool, "state" => "in_use").set(in_use as f64);
        metrics::gauge!(DB_CONNECTIONS, "pool" => pool, "state" => "idle").set(idle as f64);
    }
    let body = recorder().render();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// `/metrics` on an address of its own: whoever can reach the address may read it.
pub fn own_address(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(state): State<AppState>| async move { render(&state) }),
        )
        .with_state(state)
}

/// `/metrics` on the site's address, for holders of the token only.
pub fn behind_token(token: &str) -> Router<AppState> {
    let expected: Arc<[u8; 32]> = Arc::new(Sha256::digest(token.as_bytes()).into());
    Router::new().route(
        "/metrics",
        get(
            move |State(state): State<AppState>, headers: http::HeaderMap| async move {
                let given = headers
                    .get(header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .map(|t| <[u8; 32]>::from(Sha256::digest(t.trim().as_bytes())));
                // Digests are compared, so the time taken says nothing about the token's prefix.
                if given.as_ref() == Some(&*expected) {
                    render(&state)
                } else {
                    (
                        StatusCode::UNAUTHORIZED,
                        [(header::WWW_AUTHENTICATE, "Bearer")],
                        "Voor /metrics is een token nodig.\n",
                    )
                        .into_response()
                }
            },
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn route_labels_name_parameters_without_braces() {
        assert_eq!(label("/{section}/{slug}"), "/:section/:slug");
        assert_eq!(label("/pkg/{*rest}"), "/pkg/*rest");
        assert_eq!(label("/"), "/");
        assert_eq!(
            label("/redactie/artikel/{id}/bewerken"),
            "/redactie/artikel/:id/bewerken"
        );
    }
}
