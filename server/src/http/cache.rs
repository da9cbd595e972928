//! The public pages for anonymous readers: rendered once per content version, kept in memory
//! already compressed, and validated (`ETag`, `Last-Modified`, `304 Not Modified`) without a
//! query.
//!
//! The version is the live hub's ([`app::live::hub::PageVersion`]): the newest change readers can
//! see (every such change is a live event, this instance's own counting the moment it commits)
//! and the moments something changes by the clock. A page is kept under its address and that
//! version, so a new version is a new page at once, on every instance as soon as the event
//! reaches it. A stampede of requests for a page not yet rendered waits for one render.
//!
//! Pages with a comment or tip form carry a signed render time (a form sent back too fast is
//! refused): they are kept for [`FORM_PAGE_TTL`] only, so the time they show is at most that
//! old. Other pages live [`PAGE_TTL`] (their version changes whenever they do).
//!
//! Only for readers: a request with a session cookie is an editor's, rendered every time and
//! never publicly cached.

use std::{
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use app::{accounts::auth, live::hub::PageVersion, state::AppState};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use sha2::{Digest, Sha256};

/// Browsers and shared caches keep a page but ask again each time (a 304 costs nothing here);
/// a shared cache may show its copy for a day if this server cannot answer.
const PUBLIC_CACHE: &str = "public, no-cache, stale-if-error=86400";
/// An editor's pages: the browser may keep them, but asks every time.
const PRIVATE_CACHE: &str = "private, no-cache";
/// The validators change at least this often (seconds), for the comment form's token.
const HALF_DAY: i64 = 12 * 3600;
/// How long a page without a form stays in memory (a new version replaces it sooner).
const PAGE_TTL: Duration = Duration::from_secs(300);
/// How long a page with a form's signed render time stays in memory.
pub const FORM_PAGE_TTL: Duration = Duration::from_secs(3);
/// How long after a new version's render began an older page may still be served to readers
/// who arrive meanwhile (the first reader waits for the new one). Within the second a change
/// must reach every reader.
const STALE_FOR: Duration = Duration::from_millis(800);
/// Pages rendered for the cache at once (the machine's cores are busy serving the rest).
const RENDERS: usize = 4;
/// Largest page read through the cache. The largest there is, a sitemap part of 50,000
/// addresses, is some 5 MB; anything past this is answered with an error, and logged.
const MAX_PAGE: usize = 16 * 1024 * 1024;
/// Longest address (path and query) kept: anything longer is rendered every time.
const MAX_TARGET: usize = 512;

/// First path segments that are not public pages: the newsroom, the live stream, static and
/// uploaded files (which have caching of their own), health checks, server functions, comment
/// posts, the metrics.
const NOT_PAGES: [&str; 12] = [
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
    "metrics",
];

fn is_public_page(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    !NOT_PAGES.contains(&first)
}

/// Whether a page at `target` is kept: not search results past the first page (an endless
/// space of little-read pages), nothing with an outsized address.
fn is_kept(target: &str) -> bool {
    let deep_search = target.starts_with(app::search::SEARCH_PATH)
        && target
            .split(['?', '&'])
            .any(|pair| pair.strip_prefix("pagina=").is_some_and(|n| n != "1"));
    target.len() <= MAX_TARGET && !deep_search
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

/// The rendered pages, and what every page's validators start from. Cloned for every request,
/// so a clone is one reference count.
#[derive(Clone)]
pub struct PageCache(Arc<Kept>);

struct Kept {
    app: AppState,
    /// The newest page kept for each address, whatever its version: for a moment, readers who
    /// arrive while its next version renders get this one rather than wait.
    newest: moka::sync::Cache<String, Arc<Page>>,
    /// Renders under way, by page and version, and when each began.
    rendering: std::sync::Mutex<std::collections::HashMap<PageKey, Instant>>,
    /// Renders for the cache take turns: a stampede over many pages at once (the first minute
    /// of a calamity) must not render them all in parallel, each holding its memory.
    renders: tokio::sync::Semaphore,
    /// `None` when switched off (`ZENDER_PAGE_CACHE_MB=0`).
    pages: Option<moka::future::Cache<PageKey, Arc<Page>>>,
    /// The build and the site's configuration, hashed once.
    setup: [u8; 32],
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct PageKey {
    target: String,
    content: i64,
    due: u64,
}

/// A rendered page, as the renderer answered, with its compressed forms made on first demand.
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
    has_form: bool,
    rendered: Instant,
    /// The route template that rendered it, for `/metrics`.
    route: Option<super::telemetry::Route>,
    /// The version it shows (`content`, `due`), to let go of it when a newer one is kept.
    version: (i64, u64),
}

struct PageExpiry;

/// The newest page of an address outlives its own keeping by [`STALE_FOR`]: so there is one to
/// serve while the page renders again (a form's signed time then a second older at most).
struct NewestExpiry;

impl<K> moka::Expiry<K, Arc<Page>> for NewestExpiry {
    fn expire_after_create(&self, key: &K, page: &Arc<Page>, at: Instant) -> Option<Duration> {
        PageExpiry
            .expire_after_create(key, page, at)
            .map(|kept| kept + STALE_FOR)
    }
}

impl<K> moka::Expiry<K, Arc<Page>> for PageExpiry {
    fn expire_after_create(&self, _: &K, page: &Arc<Page>, _: Instant) -> Option<Duration> {
        Some(if page.status != StatusCode::OK {
            // Shared with the requests that waited for it, then gone.
            Duration::ZERO
        } else if page.has_form {
            FORM_PAGE_TTL
        } else {
            PAGE_TTL
        })
    }
}

impl PageCache {
    pub fn new(app: AppState, megabytes: u64) -> Self {
        let mut setup = Sha256::new();
        setup.update(build().as_bytes());
        // The configuration as printed: name, tagline, address and sections.
        setup.update(format!("{:?}", app.site).as_bytes());
        let pages = (megabytes > 0).then(|| {
            moka::future::Cache::builder()
                .max_capacity(megabytes * 1024 * 1024)
                // What a page costs: its text, and room for its compressed forms.
                .weigher(|key: &PageKey, page: &Arc<Page>| {
                    u32::try_from(key.target.len() + page.body.len() * 3 / 2).unwrap_or(u32::MAX)
                })
                .expire_after(PageExpiry)
                .build()
        });
        let newest = moka::sync::Cache::builder()
            .max_capacity(megabytes.max(1) * 1024 * 1024 / 4)
            .weigher(|target: &String, page: &Arc<Page>| {
                u32::try_from(target.len() + page.body.len() * 3 / 2).unwrap_or(u32::MAX)
            })
            .expire_after(NewestExpiry)
            .build();
        PageCache(Arc::new(Kept {
            app,
            newest,
            rendering: std::sync::Mutex::default(),
            renders: tokio::sync::Semaphore::new(RENDERS),
            pages,
            setup: setup.finalize().into(),
        }))
    }
}

/// A page's validators at one moment.
struct Validators {
    /// The opaque part, quoted: `"…"`.
    tag: String,
    last_modified: i64,
}

/// The calendar at one second: what validators need of it, worked out once a second rather
/// than for every request.
struct Calendar {
    second: i64,
    /// The Amsterdam date, and when it began.
    day: String,
    day_start: i64,
    half_day: i64,
}

fn calendar(now: i64) -> Arc<Calendar> {
    static LAST: std::sync::Mutex<Option<Arc<Calendar>>> = std::sync::Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(calendar) = last.as_ref().filter(|c| c.second == now) {
        return calendar.clone();
    }
    let day = Amsterdam
        .timestamp_opt(now, 0)
        .single()
        .unwrap_or_else(|| Amsterdam.timestamp_opt(0, 0).unwrap())
        .date_naive();
    let calendar = Arc::new(Calendar {
        second: now,
        day: day.to_string(),
        day_start: Amsterdam
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()
            .map_or(0, |t| t.timestamp()),
        half_day: now.div_euclid(HALF_DAY),
    });
    *last = Some(calendar.clone());
    calendar
}

/// `Last-Modified` for `ts`, formatted once per value.
fn last_modified_header(ts: i64) -> Option<HeaderValue> {
    static LAST: std::sync::Mutex<Option<(i64, HeaderValue)>> = std::sync::Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match last.as_ref() {
        Some((at, value)) if *at == ts => Some(value.clone()),
        _ => {
            let value = HeaderValue::from_str(&http_date(ts)).ok()?;
            *last = Some((ts, value.clone()));
            Some(value)
        }
    }
}

impl Validators {
    fn new(setup: &[u8; 32], version: &PageVersion, target: &str, now: i64) -> Self {
        let calendar = calendar(now);
        let (day, day_start, half_day) = (&calendar.day, calendar.day_start, calendar.half_day);
        let mut hash = Sha256::new();
        hash.update(setup);
        // Lists show times relative to today; a form token lives a day, so a page revalidated
        // from a browser's cache never carries an expired one.
        for part in [
            format!("{} {}", version.content, version.due),
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
            last_modified: version
                .changed_at
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
        if let Some(date) = last_modified_header(self.last_modified) {
            headers.insert(header::LAST_MODIFIED, date);
        }
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(PUBLIC_CACHE));
        headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    }
}

/// The content coding a request prefers among the ones pages are kept in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coding {
    Brotli,
    Gzip,
    Identity,
}

pub(crate) fn coding(headers: &HeaderMap) -> Coding {
    let accepted = |name: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let coding = parts.next().unwrap_or("");
                // `q=0` means "not this one".
                let refused = parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                coding.eq_ignore_ascii_case(name) && !refused
            })
    };
    if accepted("br") {
        Coding::Brotli
    } else if accepted("gzip") {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

fn brotli(body: &[u8]) -> Bytes {
    // A page with a form is compressed again every few seconds, while readers wait for it:
    // a quality that takes a millisecond, not tens. (A smaller window makes this quality pick a
    // hasher with larger tables: twice the zeroed memory per page, measured in bench/spike.sh.)
    compress(
        body,
        brotli::enc::BrotliEncoderParams {
            quality: 6,
            ..Default::default()
        },
    )
}

/// `body` compressed with brotli at its best quality, for a page compressed once and sent
/// many times; its window no larger than the body needs (this quality's tree hasher grows with
/// the window: the default 4 MB one costs that much memory for a page of a few kilobytes).
pub(crate) fn brotli_best(body: &[u8]) -> Bytes {
    compress(
        body,
        brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: (body.len().max(1).next_power_of_two().trailing_zeros() as i32).clamp(16, 22),
            size_hint: body.len(),
            ..Default::default()
        },
    )
}

fn compress(body: &[u8], params: brotli::enc::BrotliEncoderParams) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 4);
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("compressing into memory");
    out.into()
}

pub(crate) fn gzip(body: &[u8]) -> Bytes {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).expect("compressing into memory");
    encoder.finish().expect("compressing into memory").into()
}

impl Page {
    /// Renders the request's page, and compresses a page to keep.
    async fn render(request: Request, next: Next, version: (i64, u64)) -> Arc<Page> {
        let (parts, body) = next.run(request).await.into_parts();
        match axum::body::to_bytes(body, MAX_PAGE).await {
            Ok(body) => {
                let page = Arc::new(Page {
                    status: parts.status,
                    has_form: carries_form_token(&body),
                    route: parts.extensions.get().cloned(),
                    headers: parts.headers,
                    body,
                    brotli: OnceLock::new(),
                    gzip: OnceLock::new(),
                    rendered: Instant::now(),
                    version,
                });
                if page.status == StatusCode::OK {
                    // About a millisecond each at these levels: no thread of its own needed.
                    page.brotli.get_or_init(|| brotli(&page.body));
                    page.gzip.get_or_init(|| gzip(&page.body));
                }
                page
            }
            Err(err) => {
                tracing::error!(error = %err, "reading a rendered page failed");
                Arc::new(Page {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    headers: HeaderMap::new(),
                    body: Bytes::from_static(b"Er ging iets mis. Probeer het zo opnieuw."),
                    brotli: OnceLock::new(),
                    gzip: OnceLock::new(),
                    has_form: false,
                    route: None,
                    rendered: Instant::now(),
                    version,
                })
            }
        }
    }

    /// The page as a response in `coding`, without its body for `HEAD`.
    fn response(&self, coding: Coding, head: bool) -> Response {
        let (body, encoding) = match coding {
            Coding::Brotli => (self.brotli.get_or_init(|| brotli(&self.body)), Some("br")),
            Coding::Gzip => (self.gzip.get_or_init(|| gzip(&self.body)), Some("gzip")),
            Coding::Identity => (&self.body, None),
        };
        let mut response = Response::new(if head {
            Body::empty()
        } else {
            Body::from(body.clone())
        });
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if let Ok(age) = HeaderValue::from_str(&self.rendered.elapsed().as_secs().to_string()) {
            headers.insert(header::AGE, age);
        }
        if let Some(route) = &self.route {
            response.extensions_mut().insert(route.clone());
        }
        response
    }
}

/// Whether a page carries a form's signed render time.
fn carries_form_token(body: &[u8]) -> bool {
    const MARK: &[u8] = b"name=\"geladen\"";
    body.windows(MARK.len()).any(|w| w == MARK)
}

/// The middleware: public pages from memory (rendered once per version), validators and caching
/// headers, 304 when the client's copy is current.
pub async fn public_pages(
    State(cache): State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    let head = *request.method() == Method::HEAD;
    // What answers to credentials is never a public page, whatever its address.
    if !(head || *request.method() == Method::GET)
        || !is_public_page(request.uri().path())
        || request.headers().contains_key(header::AUTHORIZATION)
    {
        return next.run(request).await;
    }
    if auth::has_session_cookie(request.headers()) {
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
    let version = cache.0.app.live.version(now);
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let validators = Validators::new(&cache.0.setup, &version, &target, now);
    if validators.match_request(request.headers()) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        validators.apply(response.headers_mut());
        return response;
    }
    let pages = match &cache.0.pages {
        Some(pages) if is_kept(&target) => pages,
        _ => {
            let mut response = next.run(request).await;
            if response.status() == StatusCode::OK {
                validators.apply(response.headers_mut());
            }
            return response;
        }
    };
    let coding = coding(request.headers());
    let key = PageKey {
        target,
        content: version.content,
        due: version.due,
    };
    if let Some(page) = pages.get(&key).await {
        return served(&page, coding, head, "HIT", &validators);
    }
    // The next version is being rendered for another reader: the page as it was, for a moment.
    let started = lock(&cache.0.rendering).get(&key).copied();
    if let Some(page) = started
        .filter(|started| started.elapsed() < STALE_FOR)
        .and_then(|_| cache.0.newest.get(&key.target))
    {
        return served(&page, coding, head, "STALE", &validators);
    }
    lock(&cache.0.rendering)
        .entry(key.clone())
        .or_insert_with(Instant::now);
    // One render per page and version, however many readers ask at once.
    let rendered_here = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let render = {
        let rendered_here = rendered_here.clone();
        let cache = cache.clone();
        let version = (key.content, key.due);
        async move {
            rendered_here.store(true, std::sync::atomic::Ordering::Relaxed);
            let _turn = cache.0.renders.acquire().await;
            Page::render(request, next, version).await
        }
    };
    let page = pages.get_with(key.clone(), render).await;
    lock(&cache.0.rendering).remove(&key);
    if page.status == StatusCode::OK {
        // An older version of this address is of no more use (but as `newest`, until now).
        if let Some(old) = cache.0.newest.get(&key.target) {
            if old.version != page.version {
                let (content, due) = old.version;
                pages
                    .invalidate(&PageKey {
                        target: key.target.clone(),
                        content,
                        due,
                    })
                    .await;
            }
        }
        cache.0.newest.insert(key.target, page.clone());
    }
    let fresh = rendered_here.load(std::sync::atomic::Ordering::Relaxed);
    served(
        &page,
        coding,
        head,
        if fresh { "MISS" } else { "HIT" },
        &validators,
    )
}

/// A kept page as the response to one request.
fn served(
    page: &Page,
    coding: Coding,
    head: bool,
    how: &'static str,
    validators: &Validators,
) -> Response {
    let mut response = page.response(coding, head);
    response
        .headers_mut()
        .insert("x-cache", HeaderValue::from_static(how));
    if page.status == StatusCode::OK {
        validators.apply(response.headers_mut());
    }
    response
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
    fn search_pages_past_the_first_are_not_kept() {
        assert!(is_kept("/zoeken?q=brug"));
        assert!(is_kept("/zoeken?q=brug&pagina=1"));
        assert!(!is_kept("/zoeken?q=brug&pagina=2"));
        assert!(is_kept("/nieuws?pagina=2"));
        assert!(!is_kept(&format!("/nieuws?x={}", "a".repeat(600))));
    }

    #[test]
    fn the_coding_follows_accept_encoding() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            coding(&headers)
        };
        assert_eq!(with("gzip, deflate, br, zstd"), Coding::Brotli);
        assert_eq!(with("gzip;q=1.0, br;q=0"), Coding::Gzip);
        assert_eq!(with("identity"), Coding::Identity);
        assert_eq!(coding(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn compressed_pages_decompress_to_the_page() {
        use std::io::Read;
        let page = "<p>Storm in Lindewijk</p>".repeat(200);
        let mut out = String::new();
        brotli::Decompressor::new(&brotli(page.as_bytes())[..], 4096)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gzip(page.as_bytes())[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
    }

    #[test]
    fn http_dates_are_in_gmt() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
