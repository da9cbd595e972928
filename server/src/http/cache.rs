//! HTTP caching of the public pages: `ETag`, `Last-Modified` and a short `Cache-Control`, and
//! `304 Not Modified` for a conditional request, answered without rendering the page.
//!
//! A page's body cannot be the validator: article pages carry a comment form with a token signed
//! at render time, so the HTML differs every second. The validator is the content's version
//! instead ([`app::freshness`], one cheap query), with the request's path and query, the
//! Amsterdam date (lists show times relative to today), the half day (a form token lives a
//! day: a page revalidated from a browser's cache never carries an expired one), the site's
//! configuration and the running build. Weak, as the bytes of two renders differ.
//!
//! Only for readers: a request with a session cookie is an editor's, and is never publicly
//! cached.

use std::sync::OnceLock;

use app::{
    accounts::auth,
    freshness::{self, Freshness},
    site::SiteInfo,
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sha2::{Digest, Sha256};

/// Long enough to spare the origin a burst of readers, short enough that news stays news.
const PUBLIC_CACHE: &str = "public, max-age=60";
/// An editor's pages: the browser may keep them, but asks every time.
const PRIVATE_CACHE: &str = "private, no-cache";
/// The validators change at least this often (seconds), for the comment form's token.
const HALF_DAY: i64 = 12 * 3600;

/// First path segments that are not public pages: the newsroom, the live stream, static and
/// uploaded files (which have caching of their own), health checks, server functions, comment
/// posts.
const NOT_PAGES: [&str; 11] = [
    "redactie",
    "live",
    "live.json",
    "pkg",
    "uploads",
    "media",
    "healthz",
    "readyz",
    "api",
    "favicon.svg",
    "reageren",
];

fn is_public_page(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    !NOT_PAGES.contains(&first)
}

/// What identifies the running build: its executable's size and time. Instances started from
/// the same image agree; a new build is a new version of every page.
fn build() -> &'static str {
    static BUILD: OnceLock<String> = OnceLock::new();
    BUILD.get_or_init(|| {
        let stamp = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|meta| {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs());
                format!("{}-{modified}", meta.len())
            })
            .unwrap_or_default();
        format!("{}-{stamp}", env!("CARGO_PKG_VERSION"))
    })
}

/// When this instance began serving (its first public page): a restart may bring a new build or
/// configuration, so nothing served before it counts as current by date.
fn serving_since(now: i64) -> i64 {
    static SINCE: OnceLock<i64> = OnceLock::new();
    *SINCE.get_or_init(|| now)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn http_date(ts: i64) -> String {
    Utc.timestamp_opt(ts, 0)
        .single()
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// A page's validators at one moment.
struct Validators {
    /// The opaque part, quoted: `"…"`.
    tag: String,
    last_modified: i64,
}

impl Validators {
    fn new(content: &Freshness, site: &SiteInfo, target: &str, now: i64) -> Self {
        let Freshness {
            articles,
            articles_changed,
            comments_closed,
            last_save: _,
            last_event,
            last_event_at,
            ticker_ran_out,
            banner_ran_out,
        } = content;
        let day = Amsterdam
            .timestamp_opt(now, 0)
            .single()
            .unwrap_or_else(|| Amsterdam.timestamp_opt(0, 0).unwrap())
            .date_naive();
        let day_start = Amsterdam
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()
            .map_or(0, |t| t.timestamp());
        let half_day = now.div_euclid(HALF_DAY);
        let mut hash = Sha256::new();
        for part in [
            build().to_string(),
            // The configuration as printed: name, tagline, address and sections.
            format!("{site:?}"),
            format!(
                "{articles} {articles_changed:?} {comments_closed} {last_event:?} \
                 {last_event_at:?} {ticker_ran_out:?} {banner_ran_out:?}"
            ),
            format!("{day} {half_day}"),
            target.to_string(),
        ] {
            hash.update(part.as_bytes());
            hash.update(b"\0");
        }
        let digest: String = hash
            .finalize()
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect();
        Validators {
            tag: format!("\"{digest}\""),
            // A page changes when its content does, when the day or half day turns, and
            // perhaps with a restart.
            last_modified: content
                .changed_at()
                .max(day_start)
                .max(half_day * HALF_DAY)
                .max(serving_since(now)),
        }
    }

    /// Whether a request's conditions say the client's copy is this version. `If-None-Match`
    /// decides when present; `If-Modified-Since` only without it.
    fn match_request(&self, headers: &HeaderMap) -> bool {
        if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
            let Ok(tags) = tags.to_str() else {
                return false;
            };
            // Weak comparison: `W/` prefixes do not count.
            return tags
                .split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == self.tag);
        }
        headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
            .is_some_and(|since| since.timestamp() >= self.last_modified)
    }

    fn apply(&self, headers: &mut HeaderMap) {
        if let Ok(etag) = HeaderValue::from_str(&format!("W/{}", self.tag)) {
            headers.insert(header::ETAG, etag);
        }
        if let Ok(date) = HeaderValue::from_str(&http_date(self.last_modified)) {
            headers.insert(header::LAST_MODIFIED, date);
        }
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(PUBLIC_CACHE));
        headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    }
}

/// The middleware: validators and caching headers on public pages, 304 when the client's copy is
/// current.
pub async fn public_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD)
        || !is_public_page(request.uri().path())
    {
        return next.run(request).await;
    }
    if auth::session_token(request.headers()).is_some() {
        let mut response = next.run(request).await;
        if response.status() == StatusCode::OK {
            let headers = response.headers_mut();
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(PRIVATE_CACHE),
            );
            headers.append(header::VARY, HeaderValue::from_static("Cookie"));
        }
        return response;
    }
    let now = app::db::now();
    let content = match freshness::current(&state.db, now).await {
        Ok(content) => content,
        Err(err) => {
            // Caching is an optimisation: without the version, the page is rendered as usual
            // (and the error will show there too).
            tracing::error!(error = %err, "reading the content version failed");
            return next.run(request).await;
        }
    };
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let validators = Validators::new(&content, &state.site, &target, now);
    if validators.match_request(request.headers()) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        validators.apply(response.headers_mut());
        return response;
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK {
        validators.apply(response.headers_mut());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reader_pages_are_cached_publicly() {
        for path in [
            "/",
            "/nieuws",
            "/nieuws/brug?x=1",
            "/tag/verkeer",
            "/sitemap.xml",
        ] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/redactie",
            "/redactie/live",
            "/live",
            "/live.json",
            "/api/x",
            "/pkg/a.js",
        ] {
            assert!(!is_public_page(path), "{path}");
        }
    }

    #[test]
    fn http_dates_are_in_gmt() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
