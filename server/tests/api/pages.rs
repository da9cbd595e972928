//! The reader pages over real HTTP, on both engines, with the demo content loaded.

use crate::helpers::{spawn_app, Engine};
use reqwest::StatusCode;

async fn home_shows_the_five_sections_and_many_articles(engine: Engine) {
    let app = spawn_app(engine).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = response.text().await.unwrap();
    for section in [
        "Nieuws",
        "Cultuur",
        "Educatie",
        "Informatie",
        "Entertainment",
    ] {
        assert!(
            html.contains(&format!(">{section}</a>")),
            "menu has {section}"
        );
    }
    let article_links = html.matches("class=\"card-title\"><a href=\"/").count()
        + html.matches("</time> <a href=\"/").count();
    assert!(article_links >= 10, "found {article_links} article links");
    assert!(html.contains("<html lang=\"nl\""));
}

async fn an_article_page_shows_headline_lead_dateline_and_body(engine: Engine) {
    let app = spawn_app(engine).await;
    let top = app_store_top(&app).await;
    let response = app.get(&top).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>"), "headline");
    assert!(html.contains("class=\"lead\""), "lead");
    assert!(html.contains("class=\"dateline\""), "dateline");
    assert!(html.contains(" • "), "dateline separator");
    assert!(html.contains("class=\"article-body\""), "body");
    assert!(html.contains("rel=\"canonical\""), "canonical link");
    assert!(
        html.contains("<meta name=\"description\""),
        "meta description"
    );
}

async fn app_store_top(app: &crate::helpers::TestApp) -> String {
    let newest = app::articles::store::newest(&app.db, app::db::now())
        .await
        .unwrap();
    newest.first().expect("a top story").url()
}

async fn unknown_pages_are_dutch_404s(engine: Engine) {
    let app = spawn_app(engine).await;
    for path in [
        "/bestaat-niet",
        "/nieuws/bestaat-niet",
        "/cultuur/een/twee",
        "/nieuws?pagina=999",
        "/nieuws?pagina=nul",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Pagina niet gevonden"),
            "{path}: Dutch message"
        );
    }
}

async fn a_section_page_links_to_its_next_page(engine: Engine) {
    let app = spawn_app(engine).await;
    let html = app.get("/nieuws").await.text().await.unwrap();
    assert!(html.contains("Pagina 1 van"), "page indicator");
    assert!(html.contains("href=\"/nieuws?pagina=2\""), "next link");
    let second = app.get("/nieuws?pagina=2").await;
    assert_eq!(second.status(), StatusCode::OK);
    let html = second.text().await.unwrap();
    assert!(html.contains("Pagina 2 van"));
    assert!(html.contains("href=\"/nieuws\""), "previous link");
}

async fn health_and_readiness_answer(engine: Engine) {
    let app = spawn_app(engine).await;
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    app.db.close().await;
    assert_eq!(
        app.get("/readyz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
}

async fn cross_origin_posts_are_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let url = format!("{}/api/anything", app.base);
    let foreign = app
        .client
        .post(&url)
        .header("origin", "https://kwaadwillend.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let anonymous = app.client.post(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::FORBIDDEN);
    let cross_site = app
        .client
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let own = app
        .client
        .post(&url)
        .header("origin", app.base.as_str())
        .send()
        .await
        .unwrap();
    assert_ne!(
        own.status(),
        StatusCode::FORBIDDEN,
        "same origin passes the check"
    );
}

async fn pages_are_compressed_for_clients_that_accept_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let response = app
        .client
        .get(format!("{}/", app.base))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
}

async fn demo_images_are_served(engine: Engine) {
    let app = spawn_app(engine).await;
    let html = app
        .get(&app_store_top(&app).await)
        .await
        .text()
        .await
        .unwrap();
    let start = html.find("src=\"/media/demo/").expect("hero image") + 5;
    let src = &html[start..start + html[start..].find('"').unwrap()];
    let image = app.get(src).await;
    assert_eq!(image.status(), StatusCode::OK, "{src}");
    assert_eq!(image.headers()["content-type"], "image/svg+xml");
}

on_both_engines!(
    home_shows_the_five_sections_and_many_articles,
    an_article_page_shows_headline_lead_dateline_and_body,
    unknown_pages_are_dutch_404s,
    a_section_page_links_to_its_next_page,
    health_and_readiness_answer,
    cross_origin_posts_are_refused,
    pages_are_compressed_for_clients_that_accept_it,
    demo_images_are_served,
);
