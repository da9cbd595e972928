//! Bounded work per client: a request head sent slowly is cut off, a body that trickles in gets
//! 408, live streams are limited per client and in all (the page then polls), and a stream
//! far behind in bytes reloads its parts instead of holding them all.

use std::time::Duration;

use crate::helpers::*;
use app::live::{events, PartEvent, Topic};
use reqwest::StatusCode;
use server::http::{client::TrustedProxies, connections::Limits};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

fn address(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

/// Reads until the server closes the connection or `wait` passes; what it sent, and whether it
/// closed.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> (String, bool) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let closed = tokio::time::timeout(wait, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .is_ok();
    (String::from_utf8_lossy(&received).into_owned(), closed)
}

#[tokio::test]
async fn a_client_sending_its_request_head_slowly_is_cut_off() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let app = spawn_app_with_limits(Engine::Sqlite, limits, |_| {}).await;
    let mut slow = TcpStream::connect(address(&app)).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: lindewijk\r\n")
        .await
        .unwrap();
    // One header line now and then, never the blank line that ends the head (slowloris).
    let trickle = async {
        for n in 0..20 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            if slow
                .write_all(format!("X-Langzaam-{n}: ja\r\n").as_bytes())
                .await
                .is_err()
            {
                return true;
            }
        }
        false
    };
    let cut_off = tokio::time::timeout(Duration::from_secs(4), trickle)
        .await
        .unwrap_or(false);
    let (_, closed) = read_until_closed(&mut slow, Duration::from_secs(2)).await;
    assert!(cut_off || closed, "the slow connection was closed");
    // Everyone else is served as usual.
    assert_eq!(app.get("/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_request_whose_body_trickles_in_gets_408() {
    let app = spawn_app_with(Engine::Sqlite, |config| config.request_timeout_seconds = 1).await;
    let mut slow = TcpStream::connect(address(&app)).await.unwrap();
    let head = format!(
        "POST /reageren/1 HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\nnaam=",
        host = address(&app),
        origin = app.base,
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let (answer, _) = read_until_closed(&mut slow, Duration::from_secs(4)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("duurde te lang"), "{answer}");
}

async fn stream_from(app: &TestApp, client: &str) -> reqwest::Response {
    app.client
        .get(app.url("/live?onderwerpen=ticker"))
        .header("x-forwarded-for", client)
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn live_streams_are_limited_per_client_and_in_all() {
    let app = spawn_app_with(Engine::Sqlite, |config| {
        config.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        config.streams_per_client = 2;
        config.streams_max = 3;
    })
    .await;
    let first = stream_from(&app, "203.0.113.7").await;
    let second = stream_from(&app, "203.0.113.7").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    let third = stream_from(&app, "203.0.113.7").await;
    assert_eq!(third.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(third.headers().contains_key("retry-after"));
    assert!(third.text().await.unwrap().contains("ververst zich"));
    // Another reader still gets one, until the site's limit is reached.
    let other = stream_from(&app, "198.51.100.20").await;
    assert_eq!(other.status(), StatusCode::OK);
    let over = stream_from(&app, "192.0.2.55").await;
    assert_eq!(over.status(), StatusCode::SERVICE_UNAVAILABLE);
    // The polled part is there for whoever was refused.
    assert_eq!(
        app.get("/live.json?onderwerpen=ticker").await.status(),
        StatusCode::OK
    );
    // A closed stream gives its place back.
    drop(first);
    let mut reopened = None;
    for _ in 0..50 {
        let again = stream_from(&app, "203.0.113.7").await;
        if again.status() == StatusCode::OK {
            reopened = Some(again);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        reopened.is_some(),
        "the place of a closed stream is free again"
    );
}

async fn a_stream_too_far_behind_in_bytes_reloads_its_parts(engine: Engine) {
    let app = spawn_app(engine).await;
    let start = events::last_id(&app.db).await.unwrap();
    // Fewer events than the replay's count limit, more bytes than a stream holds.
    let html = format!("<p>{}</p>", "Lang bericht. ".repeat(300));
    for id in 0..80 {
        let mut tx = events::begin(&app.db).await.unwrap();
        let event = PartEvent::Upsert {
            id: 10_000 + id,
            html: html.clone(),
            into: None,
        };
        events::append(
            &mut tx,
            Topic::Ticker,
            Some(10_000 + id),
            &event,
            app::db::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let mut stream = open_stream(&app, "ticker", Some(start)).await;
    let first = stream.next(WAIT).await.expect("an event");
    assert!(first.data.contains("reload"), "{first:?}");
    // A client a little behind still gets what it missed.
    let near = events::last_id(&app.db).await.unwrap() - 2;
    let mut stream = open_stream(&app, "ticker", Some(near)).await;
    let next = stream.next(WAIT).await.expect("an event");
    assert!(next.data.contains("Lang bericht"), "{next:?}");
}

on_both_engines!(a_stream_too_far_behind_in_bytes_reloads_its_parts);
