//! Live updates over real HTTP: the event stream, replay after a reconnect, expiry, the JSON
//! fallback, the newsroom's live desk, and (PostgreSQL) two instances sharing events.

use std::time::Duration;

use crate::helpers::*;
use app::live::{store, TickerPost};
use reqwest::StatusCode;

async fn post_ticker(app: &TestApp, editor: &reqwest::Client, text: &str) {
    let r = editor
        .post(app.url("/redactie/live/ticker"))
        .form(&[("bericht", text), ("link", ""), ("verloopt", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{text}");
    assert_eq!(r.headers()["location"], "/redactie/live?gelukt=ticker");
}

async fn a_post_reaches_an_open_stream_at_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let mut stream = open_stream(&app, "ticker,breaking", None).await;
    post_ticker(&app, &editor, "Brandweer rukt uit naar de Havenstraat").await;
    let event = wait_for(&mut stream, "Havenstraat").await;
    assert_eq!(event.event, "ticker");
    assert!(event.id.is_some());
    assert!(event.data.contains(r#""op":"upsert""#), "{}", event.data);

    let r = editor
        .post(app.url("/redactie/live/breaking"))
        .form(&[
            ("bericht", "Stroomstoring in heel Lindewijk"),
            ("link", "/nieuws"),
            ("verloopt", "60"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let event = wait_for(&mut stream, "Stroomstoring").await;
    assert_eq!(event.event, "breaking");
    assert!(event.data.contains(r#""op":"set""#));
}

async fn a_reconnecting_client_gets_what_it_missed_and_nothing_twice(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let before = app::live::events::last_id(&app.db).await.unwrap();
    post_ticker(&app, &editor, "Eerste bericht van de middag").await;
    let mut all = open_stream(&app, "ticker", Some(before)).await;
    let first = wait_for(&mut all, "Eerste bericht").await;
    let seen = first.id.unwrap();
    drop(all);

    // While this client is away, two more posts.
    post_ticker(&app, &editor, "Tweede bericht terwijl de lezer weg was").await;
    post_ticker(&app, &editor, "Derde bericht terwijl de lezer weg was").await;
    let mut resumed = open_stream(&app, "ticker", Some(seen)).await;
    let second = resumed.next(WAIT).await.expect("the second post");
    let third = resumed.next(WAIT).await.expect("the third post");
    assert!(second.data.contains("Tweede"), "{second:?}");
    assert!(third.data.contains("Derde"), "{third:?}");
    assert!(second.id.unwrap() > seen && third.id.unwrap() > second.id.unwrap());
    // And then it follows live, without repeating anything.
    post_ticker(&app, &editor, "Vierde bericht, live").await;
    let fourth = resumed.next(WAIT).await.expect("the fourth post");
    assert!(fourth.data.contains("Vierde"), "{fourth:?}");
}

async fn streams_carry_only_the_topics_asked_for(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let mut banners = open_stream(&app, "breaking", None).await;
    post_ticker(&app, &editor, "Dit hoort niet in de bannerstroom").await;
    assert_eq!(banners.next(Duration::from_millis(1500)).await, None);
    let unknown = app.get("/live?onderwerpen=geheimen").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown.text().await.unwrap().contains("Onbekend onderwerp"));
}

async fn expired_and_removed_items_leave_the_pages(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    let post = |text: &str| TickerPost::new(text, "").unwrap();
    store::post_ticker(
        &app.db,
        &post("Verlopen bericht over de markt"),
        None,
        Some(now - 1),
        now - 60,
    )
    .await
    .unwrap();
    store::post_ticker(
        &app.db,
        &post("Nog geldig bericht over de markt"),
        None,
        Some(now + 3600),
        now,
    )
    .await
    .unwrap();
    let removed = store::post_ticker(&app.db, &post("Ingetrokken bericht"), None, None, now)
        .await
        .unwrap();
    assert!(store::remove_ticker(&app.db, removed, now).await.unwrap());
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Nog geldig bericht over de markt"));
    assert!(!home.contains("Verlopen bericht"));
    assert!(!home.contains("Ingetrokken bericht"));
    let json = app.get("/live.json").await.text().await.unwrap();
    assert!(
        json.contains("Nog geldig") && !json.contains("Verlopen") && !json.contains("Ingetrokken")
    );
}

async fn pages_without_javascript_show_the_latest_items_and_a_reload_link(engine: Engine) {
    let app = spawn_app(engine).await;
    let html = app.get("/nieuws").await.text().await.unwrap();
    // The demo's newest ticker post, the reload link, and a slot for a banner.
    assert!(html.contains("strooiwagens"), "demo ticker item");
    assert!(html.contains("Vernieuwen"));
    assert!(html.contains("breaking-slot"));
}

async fn the_json_fallback_is_cacheable_and_says_when_to_ask_again(engine: Engine) {
    let app = spawn_app(engine).await;
    let r = app.get("/live.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    let cache = r.headers()["cache-control"].to_str().unwrap().to_string();
    assert!(cache.starts_with("public, max-age="), "{cache}");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["poll_seconds"], 15);
    let ticker = body["parts"]["ticker"].as_str().unwrap();
    assert_eq!(
        ticker.matches("class=\"ticker-item\"").count(),
        5,
        "demo items"
    );
    assert_eq!(body["parts"]["breaking"], "", "no banner");
    assert!(body["last_event_id"].as_i64().unwrap() >= 5);
    let unknown = app.get("/live.json?onderwerpen=geheimen").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
}

async fn the_live_desk_is_for_editors(engine: Engine) {
    let app = spawn_app(engine).await;
    let form = [("bericht", "Mag dit?"), ("link", ""), ("verloopt", "")];
    for path in ["/redactie/live/ticker", "/redactie/live/breaking"] {
        let anonymous = app
            .browser()
            .post(app.url(path))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
        let r = contributor
            .post(app.url(path))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let page = contributor
        .get(app.url("/redactie/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    // Nothing reached the site.
    let json = app.get("/live.json").await.text().await.unwrap();
    assert!(!json.contains("Mag dit?"));
}

async fn a_refused_ticker_post_keeps_the_text_and_explains(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let long = format!("Te lang: {}", "x".repeat(290));
    let r = editor
        .post(app.url("/redactie/live/ticker"))
        .form(&[("bericht", long.as_str()), ("link", "javascript:alert(1)")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("hoogstens 280 tekens; dit zijn er 299"),
        "message"
    );
    assert!(html.contains(&long), "the text is kept");
    let bad_link = editor
        .post(app.url("/redactie/live/ticker"))
        .form(&[("bericht", "Goede tekst"), ("link", "javascript:alert(1)")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_link.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_link
        .text()
        .await
        .unwrap()
        .contains("Een link begint met https://"));
}

async fn editing_and_removing_reach_open_streams(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let id = store::post_ticker(
        &app.db,
        &TickerPost::new("Tikfout in dit berihct", "").unwrap(),
        None,
        None,
        app::db::now(),
    )
    .await
    .unwrap();
    let mut stream = open_stream(&app, "ticker", None).await;
    let r = editor
        .post(app.url(&format!("/redactie/live/ticker/{id}")))
        .form(&[("bericht", "Tikfout in dit bericht hersteld"), ("link", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let edited = wait_for(&mut stream, "hersteld").await;
    assert!(edited.data.contains(&format!(r#""id":{id}"#)));
    let r = editor
        .post(app.url(&format!("/redactie/live/ticker/{id}/verwijderen")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let removed = wait_for(&mut stream, r#""op":"remove""#).await;
    assert!(removed.data.contains(&format!(r#""id":{id}"#)));
}

async fn shutdown_closes_open_streams(engine: Engine) {
    let app = spawn_app(engine).await;
    let mut stream = open_stream(&app, "ticker", None).await;
    app.state.live.close();
    assert!(stream.ends_within(Duration::from_secs(2)).await);
}

on_both_engines!(
    a_post_reaches_an_open_stream_at_once,
    a_reconnecting_client_gets_what_it_missed_and_nothing_twice,
    streams_carry_only_the_topics_asked_for,
    expired_and_removed_items_leave_the_pages,
    pages_without_javascript_show_the_latest_items_and_a_reload_link,
    the_json_fallback_is_cacheable_and_says_when_to_ask_again,
    the_live_desk_is_for_editors,
    a_refused_ticker_post_keeps_the_text_and_explains,
    editing_and_removing_reach_open_streams,
    shutdown_closes_open_streams,
);

/// Several instances on PostgreSQL: a post on A reaches a stream open on B.
#[tokio::test]
async fn postgres_a_post_on_one_instance_reaches_a_stream_on_another() {
    if postgres_admin_url().is_none() {
        return;
    }
    let a = spawn_app(Engine::Postgres).await;
    let b = spawn_second_instance(&a).await;
    let editor = a.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let mut on_b = open_stream(&b, "ticker", None).await;
    post_ticker(&a, &editor, "Bericht geplaatst op instantie A").await;
    let event = wait_for(&mut on_b, "instantie A").await;
    assert_eq!(event.event, "ticker");
}

/// Instance B loses its database connections (including the one it listens on); a post made on
/// A meanwhile still reaches B's readers once B is back.
#[tokio::test]
async fn postgres_a_cut_database_connection_loses_nothing() {
    let Some(admin) = postgres_admin_url() else {
        return;
    };
    let a = spawn_app(Engine::Postgres).await;
    let b = spawn_second_instance(&a).await;
    let editor = a.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let mut on_b = open_stream(&b, "ticker", None).await;
    post_ticker(&a, &editor, "Voor de storing").await;
    wait_for(&mut on_b, "Voor de storing").await;

    // Cut every listening connection to this database (A's and B's).
    let database = a.db_name();
    let mut admin_conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    let cut: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = $1 AND query ILIKE 'LISTEN%'",
    )
    .bind(&database)
    .fetch_all(&mut admin_conn)
    .await
    .unwrap();
    assert!(!cut.is_empty(), "the listeners were found");
    post_ticker(&a, &editor, "Tijdens de storing").await;
    post_ticker(&a, &editor, "Na de storing").await;
    wait_for(&mut on_b, "Tijdens de storing").await;
    wait_for(&mut on_b, "Na de storing").await;
}
