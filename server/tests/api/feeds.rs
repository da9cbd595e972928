//! RSS and Atom feeds, read with a real feed parser, on both engines.

use crate::helpers::*;
use feed_rs::model::FeedType;
use reqwest::StatusCode;

async fn parsed(app: &TestApp, path: &str) -> (String, feed_rs::model::Feed) {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let kind = r.headers()["content-type"].to_str().unwrap().to_string();
    let body = r.bytes().await.unwrap();
    let feed = feed_rs::parser::parse(&body[..]).unwrap_or_else(|e| panic!("{path}: {e}"));
    (kind, feed)
}

async fn the_site_feeds_list_the_latest_articles_with_dates_and_images(engine: Engine) {
    let app = spawn_app(engine).await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(r#"href="/feeds/rss.xml""#),
        "readers can find the feed"
    );
    for (path, kind, feed_type) in [
        ("/feeds/rss.xml", "application/rss+xml", FeedType::RSS2),
        ("/feeds/atom.xml", "application/atom+xml", FeedType::Atom),
    ] {
        let (content_type, feed) = parsed(&app, path).await;
        assert!(content_type.starts_with(kind), "{content_type}");
        assert_eq!(feed.feed_type, feed_type);
        assert_eq!(feed.title.unwrap().content, "Omroep Lindewijk");
        assert!(
            feed.entries.len() >= 20,
            "{path}: {} entries",
            feed.entries.len()
        );
        let newest = &feed.entries[0];
        let title = newest.title.as_ref().unwrap().content.clone();
        let link = &newest.links[0].href;
        assert!(link.starts_with("http://") && link.contains('/'), "{link}");
        let path_of_link = format!("/{}", link.splitn(4, '/').nth(3).unwrap());
        let page = app.get(&path_of_link).await;
        assert_eq!(page.status(), StatusCode::OK, "the link works: {link}");
        assert!(!title.is_empty());
        assert!(
            newest.published.is_some() && newest.summary.is_some(),
            "{path}"
        );
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
        // Hero images travel as enclosures.
        let with_image = feed
            .entries
            .iter()
            .filter(|e| {
                !e.media.is_empty()
                    || e.links
                        .iter()
                        .any(|l| l.rel.as_deref() == Some("enclosure"))
            })
            .count();
        assert!(with_image > 0, "{path}: enclosures");
    }
    let (_, atom) = parsed(&app, "/feeds/atom.xml").await;
    assert!(
        atom.entries.iter().any(|e| !e.authors.is_empty()),
        "bylines"
    );
    assert!(atom.entries.iter().all(|e| e.updated.is_some()));
    // Titles with quotes and ampersands survive the round trip.
    assert!(atom.entries.iter().any(|e| e
        .title
        .as_ref()
        .unwrap()
        .content
        .contains("'Het Veerhuis'")));
}

async fn a_section_feed_has_only_that_section(engine: Engine) {
    let app = spawn_app(engine).await;
    let (_, feed) = parsed(&app, "/feeds/cultuur/rss.xml").await;
    assert!(feed.title.unwrap().content.starts_with("Cultuur"));
    assert!(!feed.entries.is_empty());
    for entry in &feed.entries {
        assert!(
            entry.links[0].href.contains("/cultuur/"),
            "{}",
            entry.links[0].href
        );
    }
    let (_, atom) = parsed(&app, "/feeds/cultuur/atom.xml").await;
    assert_eq!(atom.entries.len(), feed.entries.len());
    let unknown = app.get("/feeds/geheim/rss.xml").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

on_both_engines!(
    the_site_feeds_list_the_latest_articles_with_dates_and_images,
    a_section_feed_has_only_that_section,
);
