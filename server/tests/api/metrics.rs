//! `/metrics` as Prometheus reads it: off the public site, parsed with a real parser of the
//! text format, counting by route template (never by path).
//!
//! The recorder is one per process and these tests share the process with other servers, so
//! counters are compared before and after, as "at least".

use std::time::Duration;

use crate::helpers::*;
use prometheus_parse::{Scrape, Value};
use reqwest::StatusCode;

const TOKEN: &str = "token-voor-de-metrics-in-tests";

async fn with_metrics(engine: Engine) -> TestApp {
    spawn_app_with(engine, |c| {
        c.metrics_token = Some(TOKEN.into());
    })
    .await
}

async fn scrape_from(client: &reqwest::Client, url: &str, token: Option<&str>) -> Scrape {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("scrape");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).expect("Prometheus text format")
}

async fn scrape(app: &TestApp) -> Scrape {
    scrape_from(&app.client, &app.url("/metrics"), Some(TOKEN)).await
}

/// The sum of the counter or gauge `metric` over the series with all of `labels`.
fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == metric)
        .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => v,
            _ => 0.0,
        })
        .sum()
}

async fn metrics_are_off_the_public_site_without_the_token(engine: Engine) {
    let plain = spawn_app(engine).await;
    assert_eq!(plain.get("/metrics").await.status(), StatusCode::NOT_FOUND);

    let app = with_metrics(engine).await;
    let r = app.get("/metrics").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    assert!(!r.text().await.unwrap().contains("zender_"));
    let r = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("token-voor-de-metrics-in-test")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a token one letter short"
    );
    scrape(&app).await;
    // A scrape with the token is never kept for anyone else to be served.
    let after = app.get("/metrics").await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert!(after.headers().get("x-cache").is_none());
    assert!(!after.text().await.unwrap().contains("zender_"));
}

async fn requests_are_counted_by_route_template_with_the_cache_comments_streams_and_pools(
    engine: Engine,
) {
    let app = with_metrics(engine).await;
    let (article, path) = newest_visible_article(&app).await;
    let before = scrape(&app).await;

    let first = app.get(&path).await;
    assert_eq!(first.headers()["x-cache"], "MISS");
    let html = first.text().await.unwrap();
    let second = app.get(&path).await;
    assert_eq!(second.headers()["x-cache"], "HIT");
    assert_eq!(
        app.get("/bestaat-niet/echt-niet").await.status(),
        StatusCode::NOT_FOUND
    );
    let at = html
        .find("name=\"geladen\" value=\"")
        .expect("a comment form")
        + 22;
    let token = html[at..].split('"').next().unwrap();
    let r = app
        .browser()
        .post(app.url(&format!("/reageren/{article}")))
        .form(&[
            ("naam", "Meetlint"),
            ("email", "meetlint@voorbeeld.nl"),
            ("bericht", "Telt deze reactie mee in de metingen?"),
            ("geladen", token),
            ("website", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let _stream = open_stream(&app, "ticker", None).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let after = scrape(&app).await;

    // The article's requests are counted under the route's template, hit or miss.
    let template = after
        .samples
        .iter()
        .filter(|s| s.metric == "zender_http_requests_total")
        .filter_map(|s| s.labels.get("route"))
        .find(|r| r.starts_with("/:") && r.matches('/').count() == 2)
        .unwrap_or_else(|| {
            panic!(
                "the article route template among {:?}",
                after
                    .samples
                    .iter()
                    .filter_map(|s| s.labels.get("route"))
                    .collect::<std::collections::BTreeSet<_>>()
            )
        })
        .to_string();
    let delta = |metric: &str, labels: &[(&str, &str)]| {
        value(&after, metric, labels) - value(&before, metric, labels)
    };
    let ok = [
        ("route", template.as_str()),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert!(
        delta("zender_http_requests_total", &ok) >= 2.0,
        "{template}: a miss and a hit"
    );
    let missing = [("route", template.as_str()), ("status", "404")];
    assert!(delta("zender_http_requests_total", &missing) >= 1.0);
    let slug = path.rsplit('/').next().unwrap();
    assert!(
        after
            .samples
            .iter()
            .all(|s| s.labels.get("route").is_none_or(|r| !r.contains(slug))),
        "no series per article"
    );
    assert!(delta("zender_page_cache_requests_total", &[("result", "hit")]) >= 1.0);
    assert!(delta("zender_page_cache_requests_total", &[("result", "miss")]) >= 1.0);
    assert!(delta("zender_comments_received_total", &[("outcome", "queued")]) >= 1.0);
    assert!(value(&after, "zender_live_streams_open", &[]) >= 1.0);
    let readers = value(&after, "zender_db_connections", &[("pool", "readers")]);
    assert!(
        readers >= 1.0,
        "the readers' pool has a connection: {readers}"
    );

    // Latency as a histogram with buckets, per route template.
    let histogram = after
        .samples
        .iter()
        .find(|s| {
            s.metric == "zender_http_request_duration_seconds"
                && s.labels.get("route") == Some(template.as_str())
        })
        .expect("a latency histogram for the article route");
    match &histogram.value {
        Value::Histogram(buckets) => {
            assert!(buckets.len() >= 10, "buckets: {buckets:?}");
            let all = buckets.iter().map(|b| b.count).fold(0.0, f64::max);
            assert!(all >= 3.0, "two pages and a 404: {all}");
        }
        other => panic!("not a histogram: {other:?}"),
    }
    assert!(
        after.docs.contains_key("zender_http_requests_total"),
        "described"
    );
}

on_both_engines!(
    metrics_are_off_the_public_site_without_the_token,
    requests_are_counted_by_route_template_with_the_cache_comments_streams_and_pools,
);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real binary with `--metrics-addr`: the metrics answer there, not on the site.
#[tokio::test]
async fn metrics_on_an_address_of_their_own_are_not_on_the_site() {
    let data = tempfile::tempdir().unwrap();
    let (site, metrics) = (free_port(), free_port());
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_zender"))
        .env_remove("ZENDER_DATABASE_URL")
        .env_remove("ZENDER_METRICS_TOKEN")
        .arg("--data-dir")
        .arg(data.path())
        .arg("--site-root")
        .arg(&public)
        .arg("--addr")
        .arg(format!("127.0.0.1:{site}"))
        .arg("--metrics-addr")
        .arg(format!("127.0.0.1:{metrics}"))
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start zender");
    let client = reqwest::Client::new();
    let site_url = format!("http://127.0.0.1:{site}");
    let mut up = false;
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{site_url}/healthz")).send().await {
            up = r.status().is_success();
            if up {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up, "zender did not start");
    assert_eq!(
        client
            .get(format!("{site_url}/"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let scraped = scrape_from(
        &client,
        &format!("http://127.0.0.1:{metrics}/metrics"),
        None,
    )
    .await;
    assert!(value(&scraped, "zender_http_requests_total", &[("route", "/")]) >= 1.0);
    let on_site = client
        .get(format!("{site_url}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(on_site.status(), StatusCode::NOT_FOUND);
    child.kill().await.ok();
}
