//! Security headers: every page carries a Content Security Policy whose nonce is on each of its
//! inline scripts (and no inline script runs without it), newsroom pages cannot be framed, and
//! files and parts get the same headers.

use crate::helpers::*;
use reqwest::header::HeaderMap;
use scraper::{Html, Selector};

const ARTICLE: &str =
    "/nieuws/gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging";

fn policy(headers: &HeaderMap) -> String {
    headers
        .get("content-security-policy")
        .expect("a Content-Security-Policy header")
        .to_str()
        .unwrap()
        .to_string()
}

/// The nonce named in the policy's script-src, if any.
fn policy_nonce(policy: &str) -> Option<String> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|directive| directive.strip_prefix("script-src "))?
        .split_whitespace()
        .find_map(|source| source.strip_prefix("'nonce-"))
        .map(|rest| rest.trim_end_matches('\'').to_string())
}

fn first_link(html: &str, prefix: &str) -> String {
    let document = Html::parse_document(html);
    let links = Selector::parse("a[href]").unwrap();
    document
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .find(|href| href.starts_with(prefix))
        .unwrap_or_else(|| panic!("a link to {prefix}…"))
        .to_string()
}

/// Asserts what the browser needs to run this page's scripts and nothing else; returns the nonce.
fn assert_page_is_guarded(path: &str, headers: &HeaderMap, html: &str) -> String {
    let policy = policy(headers);
    for directive in [
        "object-src 'none'",
        "base-uri 'self'",
        "'wasm-unsafe-eval'",
        "default-src 'self'",
    ] {
        assert!(
            policy.contains(directive),
            "{path}: {directive} in {policy}"
        );
    }
    assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
    let nonce = policy_nonce(&policy).unwrap_or_else(|| panic!("{path}: a nonce in {policy}"));
    assert!(
        nonce.len() >= 16,
        "{path}: a nonce of 128 bits, not {nonce}"
    );
    let document = Html::parse_document(html);
    let scripts = Selector::parse("script").unwrap();
    let mut inline = 0;
    for script in document.select(&scripts) {
        let element = script.value();
        if element.attr("type") == Some("application/ld+json") {
            continue; // data, never run
        }
        if let Some(src) = element.attr("src") {
            assert!(
                src.starts_with('/') && !src.starts_with("//"),
                "{path}: {src}"
            );
            continue;
        }
        inline += 1;
        assert_eq!(
            element.attr("nonce"),
            Some(nonce.as_str()),
            "{path}: every inline script carries the policy's nonce"
        );
    }
    assert!(inline > 0, "{path}: the hydration script is inline");
    let newsroom = path.starts_with("/redactie");
    let (ancestors, frame_options) = if newsroom {
        ("frame-ancestors 'none'", "DENY")
    } else {
        ("frame-ancestors 'self'", "SAMEORIGIN")
    };
    assert!(policy.contains(ancestors), "{path}: {policy}");
    assert_eq!(headers["x-frame-options"], frame_options, "{path}");
    assert_common_headers(path, headers);
    nonce
}

fn assert_common_headers(path: &str, headers: &HeaderMap) {
    assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    assert_eq!(
        headers["referrer-policy"], "strict-origin-when-cross-origin",
        "{path}"
    );
    let permissions = headers["permissions-policy"].to_str().unwrap();
    assert!(permissions.contains("camera=()"), "{path}: {permissions}");
}

#[tokio::test]
async fn every_page_sends_a_policy_whose_nonce_is_on_each_inline_script() {
    let app = spawn_app(Engine::Sqlite).await;
    let article = app.get(ARTICLE).await.text().await.unwrap();
    let mut reader_pages = vec![
        "/".to_string(),
        "/nieuws".to_string(),
        ARTICLE.to_string(),
        first_link(&article, "/tag/"),
        first_link(&article, "/auteur/"),
        first_link(&article, "/correctie/"),
        "/zoeken?q=begroting".to_string(),
        "/tip".to_string(),
        "/bestaat-niet/echt-niet".to_string(),
        "/redactie/inloggen".to_string(),
    ];
    let mut nonces = Vec::new();
    for path in reader_pages.drain(..) {
        let response = app.get(&path).await;
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        nonces.push(assert_page_is_guarded(&path, &headers, &html));
    }
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    for path in [
        "/redactie",
        "/redactie/artikelen",
        "/redactie/artikelen/nieuw",
        "/redactie/live",
        "/redactie/reacties",
        "/redactie/inbox",
    ] {
        let response = editor.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        nonces.push(assert_page_is_guarded(path, &headers, &html));
    }
    // Each render draws its own.
    let distinct: std::collections::HashSet<_> = nonces.iter().collect();
    assert_eq!(distinct.len(), nonces.len(), "{nonces:?}");
}

#[tokio::test]
async fn a_kept_page_is_served_with_the_policy_of_the_render_it_keeps() {
    let app = spawn_app(Engine::Sqlite).await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let response = app.get(ARTICLE).await;
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        seen.push(assert_page_is_guarded(ARTICLE, &headers, &html));
    }
    assert!(seen.windows(2).all(|pair| pair[0] == pair[1]), "{seen:?}");
}

#[tokio::test]
async fn files_feeds_and_parts_get_the_headers_and_no_inline_script() {
    let app = spawn_app(Engine::Sqlite).await;
    for path in [
        "/favicon.svg",
        "/feeds/rss.xml",
        "/sitemap.xml",
        "/live.json?onderwerpen=ticker",
        "/healthz",
    ] {
        let response = app.get(path).await;
        assert!(response.status().is_success(), "{path}");
        let headers = response.headers();
        let policy = policy(headers);
        assert_eq!(policy_nonce(&policy), None, "{path}: {policy}");
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
        assert_common_headers(path, headers);
        assert!(headers.get("strict-transport-security").is_none(), "{path}");
    }
}

#[tokio::test]
async fn strict_transport_security_only_when_the_operator_serves_https() {
    let app = spawn_app_with(Engine::Sqlite, |config| config.hsts = true).await;
    let response = app.get("/").await;
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age="), "{hsts}");
    let plain = spawn_app(Engine::Sqlite).await;
    assert!(plain
        .get("/")
        .await
        .headers()
        .get("strict-transport-security")
        .is_none());
}

#[tokio::test]
async fn a_revalidated_page_keeps_the_policy_the_browser_stored_with_it() {
    let app = spawn_app(Engine::Sqlite).await;
    let first = app.get("/nieuws").await;
    let etag = first.headers()["etag"].clone();
    assert!(policy_nonce(&policy(first.headers())).is_some());
    let again = app
        .client
        .get(app.url("/nieuws"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), reqwest::StatusCode::NOT_MODIFIED);
    // Headers of a 304 replace the stored ones: a policy without the page's nonce would block
    // the scripts of the page the browser shows from its cache.
    assert!(again.headers().get("content-security-policy").is_none());
    assert_common_headers("/nieuws", again.headers());
}
