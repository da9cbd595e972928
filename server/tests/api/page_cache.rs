//! Public pages are rendered once per version and served from memory, compressed, to anonymous
//! readers, and still show every change to the next request: publishing, unpublishing, edits,
//! ticker posts, a banner or a scheduled article reaching its time; on every instance.

use std::{
    io::Read,
    time::{Duration, Instant},
};

use crate::helpers::*;
use app::{
    articles::{
        store::{self, NewArticle},
        ArticleStatus,
    },
    live::{BannerPost, TickerPost},
    slug::Slug,
};
use reqwest::{header, StatusCode};

const ARTICLE: &str =
    "/nieuws/gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging";

async fn fetch(app: &TestApp, path: &str) -> (String, String) {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let cache = r
        .headers()
        .get("x-cache")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (cache, r.text().await.unwrap())
}

/// The form token's signed time in a page.
fn token_time(html: &str) -> i64 {
    html.split(r#"name="geladen" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .expect("a form token")
        .parse()
        .unwrap()
}

fn new_article(slug: &str, status: ArticleStatus, published_at: i64) -> NewArticle {
    NewArticle {
        slug: Slug::parse(slug).unwrap(),
        section: "nieuws".into(),
        title: format!("Kop van {slug}"),
        lead: "Een inleiding.".into(),
        body_md: "Tekst.".into(),
        hero: None,
        place: "Lindewijk".into(),
        status,
        published_at: Some(published_at),
        created_at: published_at,
        updated_at: published_at,
        authors: vec![],
        tags: vec![],
    }
}

async fn readers_get_a_kept_page_and_editors_never_do(engine: Engine) {
    let app = spawn_app(engine).await;
    let (first, page) = fetch(&app, "/nieuws").await;
    assert_eq!(first, "MISS");
    let (second, again) = fetch(&app, "/nieuws").await;
    assert_eq!(second, "HIT");
    assert_eq!(page, again, "the same bytes");

    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = editor.get(app.url("/nieuws")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers().get("x-cache").is_none(),
        "rendered for the editor"
    );
    assert_eq!(r.headers()[header::CACHE_CONTROL], "private, no-cache");
}

async fn every_change_reaches_the_next_reader(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    for path in ["/", "/nieuws", ARTICLE] {
        fetch(&app, path).await;
        assert_eq!(fetch(&app, path).await.0, "HIT", "{path} is kept");
    }

    // A publication.
    let id = store::insert(
        &app.db,
        &new_article("veerpont-vaart-weer", ArticleStatus::Published, now - 5),
    )
    .await
    .unwrap();
    assert!(fetch(&app, "/")
        .await
        .1
        .contains("Kop van veerpont-vaart-weer"));
    assert!(fetch(&app, "/nieuws")
        .await
        .1
        .contains("Kop van veerpont-vaart-weer"));
    let path = "/nieuws/veerpont-vaart-weer";
    // An edit.
    let r = save_as_editor(
        &app,
        id,
        "opslaan",
        &[("titel", "Veerpont vaart weer, ook 's avonds")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let edited = fetch(&app, path).await.1;
    assert!(
        edited.contains("Veerpont vaart weer, ook"),
        "the edit shows"
    );
    // Unpublished.
    let r = save_as_editor(&app, id, "depubliceren", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND);
    assert!(!fetch(&app, "/").await.1.contains("Veerpont vaart weer"));

    // A ticker post, and a banner that runs out by itself.
    let post = TickerPost::new("Markt verplaatst naar het Kerkplein", "").unwrap();
    app::live::store::post_ticker(&app.db, &post, None, None, app::db::now())
        .await
        .unwrap();
    assert!(fetch(&app, ARTICLE).await.1.contains("Markt verplaatst"));
    let banner = BannerPost::new("Let op: de Dorpsstraat is dicht", "").unwrap();
    let now = app::db::now();
    app::live::store::start_banner(&app.db, &banner, Some(now + 2), now)
        .await
        .unwrap();
    assert!(fetch(&app, "/").await.1.contains("de Dorpsstraat is dicht"));
    tokio::time::sleep(Duration::from_millis(2600)).await;
    assert!(
        !fetch(&app, "/").await.1.contains("de Dorpsstraat is dicht"),
        "ran out"
    );

    // A scheduled article coming due.
    let now = app::db::now();
    store::insert(
        &app.db,
        &new_article("straks-op-de-site", ArticleStatus::Scheduled, now + 2),
    )
    .await
    .unwrap();
    assert!(!fetch(&app, "/nieuws")
        .await
        .1
        .contains("Kop van straks-op-de-site"));
    tokio::time::sleep(Duration::from_millis(2600)).await;
    assert!(
        fetch(&app, "/nieuws")
            .await
            .1
            .contains("Kop van straks-op-de-site"),
        "due"
    );
}

async fn pages_are_sent_compressed_as_kept(engine: Engine) {
    let app = spawn_app(engine).await;
    let (_, plain) = fetch(&app, ARTICLE).await;
    let get = |coding: &'static str| {
        let request = app
            .client
            .get(app.url(ARTICLE))
            .header(header::ACCEPT_ENCODING, coding);
        async move { request.send().await.unwrap() }
    };
    let r = get("gzip, deflate, br, zstd").await;
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
    let sent = r.bytes().await.unwrap();
    assert!(
        sent.len() * 3 < plain.len(),
        "{} of {}",
        sent.len(),
        plain.len()
    );
    let mut page = String::new();
    brotli::Decompressor::new(&sent[..], 4096)
        .read_to_string(&mut page)
        .unwrap();
    assert_eq!(page, plain, "the kept page, as it was rendered");
    let r = get("gzip").await;
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
    let mut page = String::new();
    flate2::read::GzDecoder::new(&r.bytes().await.unwrap()[..])
        .read_to_string(&mut page)
        .unwrap();
    assert_eq!(page, plain);
}

async fn a_stampede_renders_a_page_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let path = "/tag/bouw?stormloop=1";
    let requests = (0..20).map(|_| {
        let request = app.client.get(app.url(path));
        async move { request.send().await.unwrap() }
    });
    let responses = futures::future::join_all(requests).await;
    let misses = responses
        .iter()
        .filter(|r| r.status() == StatusCode::OK && r.headers()["x-cache"] == "MISS")
        .count();
    assert_eq!(misses, 1, "one render for twenty readers at once");
}

async fn a_kept_pages_form_token_is_at_most_seconds_old(engine: Engine) {
    let app = spawn_app(engine).await;
    fetch(&app, ARTICLE).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let (_, page) = fetch(&app, ARTICLE).await;
    let age = app::db::now() - token_time(&page);
    assert!(age <= 4, "the token is {age} s old");
}

#[tokio::test]
async fn postgres_two_instances_show_a_change_within_a_second() {
    if postgres_admin_url().is_none() {
        return;
    }
    let a = spawn_app(Engine::Postgres).await;
    let b = spawn_second_instance(&a).await;
    fetch(&b, "/").await;
    assert_eq!(fetch(&b, "/").await.0, "HIT");
    let post = TickerPost::new("Geplaatst op instantie A", "").unwrap();
    app::live::store::post_ticker(&a.db, &post, None, None, app::db::now())
        .await
        .unwrap();
    let posted = Instant::now();
    loop {
        if fetch(&b, "/").await.1.contains("Geplaatst op instantie A") {
            break;
        }
        assert!(
            posted.elapsed() < Duration::from_secs(1),
            "instance B still shows the page from before"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

on_both_engines!(
    readers_get_a_kept_page_and_editors_never_do,
    every_change_reaches_the_next_reader,
    pages_are_sent_compressed_as_kept,
    a_stampede_renders_a_page_once,
    a_kept_pages_form_token_is_at_most_seconds_old,
);
