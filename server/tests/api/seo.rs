//! Being found: the sitemaps and robots.txt, structured data and share tags, tag and author
//! pages, and HTTP caching of public pages with conditional requests; over real HTTP, on both
//! engines, with the demo content loaded.

use std::{collections::HashSet, time::Duration};

use crate::helpers::*;
use app::{
    articles::{
        store::{self, NewArticle, NewAuthor},
        ArticleStatus,
    },
    live::TickerPost,
    slug::Slug,
};
use chrono::DateTime;
use reqwest::{header, StatusCode};
use serde_json::Value;

/// The demo's running live blog.
const STORM: &str = "/nieuws/storm-velt-tientallen-bomen-in-meerveld-en-hooghuizen-geen-gewonden";
/// A demo article by Anouk Verhaar, tagged "gemeenteraad" and "begroting".
const BUDGET: &str =
    "/nieuws/gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging";
const BUDGET_TITLE: &str =
    "Gemeenteraad Lindewijk neemt begroting aan na lang debat over ozb-verhoging";

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

fn article(slug: &str, status: ArticleStatus, published_at: Option<i64>) -> NewArticle {
    let at = published_at.unwrap_or_else(app::db::now);
    NewArticle {
        slug: Slug::parse(slug).unwrap(),
        section: "nieuws".into(),
        title: format!("Titel {slug}"),
        lead: "Een korte inleiding.".into(),
        body_md: "Tekst.".into(),
        hero: None,
        place: "Lindewijk".into(),
        status,
        published_at,
        created_at: at,
        updated_at: at,
        authors: vec![],
        tags: vec![],
    }
}

fn published(slug: &str, at: i64) -> NewArticle {
    article(slug, ArticleStatus::Published, Some(at))
}

/// Paths of the visible articles matching `filter` (`$1` is now), newest first, by a query of the
/// test's own.
async fn visible_paths(app: &TestApp, filter: &str) -> Vec<String> {
    let sql = format!(
        "SELECT '/' || s.slug || '/' || a.slug FROM articles a \
         JOIN sections s ON s.id = a.section_id \
         WHERE a.status IN ('published', 'scheduled') AND a.published_at <= $1 {filter} \
         ORDER BY a.published_at DESC, a.id DESC"
    );
    sqlx::query_scalar(&sql)
        .bind(app::db::now())
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

fn is_rfc3339(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
}

/// One `<url>` of a sitemap.
#[derive(Debug)]
struct UrlEntry {
    loc: String,
    lastmod: Option<String>,
    /// `news:name`, `news:language`, `news:publication_date`, `news:title`.
    news: Option<[String; 4]>,
}

/// A sitemap read with a real XML parser.
async fn sitemap(app: &TestApp, path: &str) -> Vec<UrlEntry> {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let kind = r.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("application/xml"), "{path}: {kind}");
    let body = r.text().await.unwrap();
    let doc = roxmltree::Document::parse(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
    root.children()
        .filter(|n| n.is_element())
        .map(|url| {
            assert_eq!(url.tag_name().name(), "url");
            let text = |ns: &str, name: &str| {
                url.descendants()
                    .find(|n| n.tag_name().namespace() == Some(ns) && n.tag_name().name() == name)
                    .map(|n| n.text().unwrap_or_default().to_string())
            };
            let news = text(NEWS_NS, "news").map(|_| {
                ["name", "language", "publication_date", "title"]
                    .map(|name| text(NEWS_NS, name).unwrap_or_default())
            });
            UrlEntry {
                loc: text(SITEMAP_NS, "loc").expect("loc"),
                lastmod: text(SITEMAP_NS, "lastmod"),
                news,
            }
        })
        .collect()
}

async fn the_sitemap_lists_every_public_page_and_nothing_unpublished(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    store::insert_author(
        &app.db,
        &NewAuthor {
            slug: Slug::parse("nog-geen-stukken").unwrap(),
            name: "Nog Geen Stukken".into(),
            bio: String::new(),
        },
    )
    .await
    .unwrap();
    let mut draft = article("nog-een-concept", ArticleStatus::Draft, None);
    draft.authors = vec!["nog-geen-stukken".into()];
    draft.tags = vec!["Geheimtag".into()];
    store::insert(&app.db, &draft).await.unwrap();
    let mut later = article(
        "straks-gepubliceerd",
        ArticleStatus::Scheduled,
        Some(now + 3600),
    );
    later.tags = vec!["Geheimtag".into()];
    later.authors = vec!["nog-geen-stukken".into()];
    store::insert(&app.db, &later).await.unwrap();

    let entries = sitemap(&app, "/sitemap.xml").await;
    let base = &app.base;
    let locs: HashSet<&str> = entries.iter().map(|e| e.loc.as_str()).collect();
    assert_eq!(locs.len(), entries.len(), "no page twice");
    assert!(entries
        .iter()
        .all(|e| e.loc.starts_with(&format!("{base}/"))));
    assert!(locs.contains(format!("{base}/").as_str()), "home");
    for section in &app.state.site.sections {
        let loc = format!("{base}{}", section.url());
        assert!(locs.contains(loc.as_str()), "section {loc}");
    }
    let articles = visible_paths(&app, "").await;
    assert!(articles.len() >= 30, "{} articles", articles.len());
    for path in &articles {
        let entry = entries
            .iter()
            .find(|e| e.loc == format!("{base}{path}"))
            .unwrap_or_else(|| panic!("article {path} listed"));
        assert!(
            is_rfc3339(entry.lastmod.as_deref().unwrap_or_default()),
            "{entry:?}"
        );
    }
    let article_locs = entries
        .iter()
        .filter(|e| e.loc[base.len()..].matches('/').count() == 2)
        .filter(|e| {
            !e.loc.contains("/tag/") && !e.loc.contains("/auteur/") && !e.loc.contains("/pagina/")
        })
        .count();
    assert_eq!(article_locs, articles.len(), "only visible articles");
    for path in [
        "/tag/bouw",
        "/tag/gemeenteraad",
        "/auteur/ravi-doelman",
        "/auteur/anouk-verhaar",
    ] {
        assert!(locs.contains(format!("{base}{path}").as_str()), "{path}");
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::OK,
            "{path} exists"
        );
    }
    for hidden in [
        "nog-een-concept",
        "straks-gepubliceerd",
        "/tag/geheimtag",
        "/auteur/nog-geen-stukken",
    ] {
        assert!(
            entries.iter().all(|e| !e.loc.contains(hidden)),
            "{hidden} is not public"
        );
    }
}

async fn the_news_sitemap_has_the_articles_of_the_last_two_days(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    let mut fresh = published("vers-van-de-pers", now - 600);
    fresh.title = "Brand & water in 'De Hoek' <ernstig>".into();
    store::insert(&app.db, &fresh).await.unwrap();
    store::insert(&app.db, &published("drie-dagen-oud", now - 3 * 86_400))
        .await
        .unwrap();
    store::insert(
        &app.db,
        &article("nog-niet", ArticleStatus::Scheduled, Some(now + 600)),
    )
    .await
    .unwrap();

    let entries = sitemap(&app, "/news-sitemap.xml").await;
    let recent = visible_paths(&app, &format!("AND a.published_at >= {}", now - 48 * 3600)).await;
    let listed: HashSet<String> = entries.iter().map(|e| e.loc.clone()).collect();
    let expected: HashSet<String> = recent.iter().map(|p| app.url(p)).collect();
    assert_eq!(listed, expected);
    assert!(listed.contains(&app.url("/nieuws/vers-van-de-pers")));
    assert!(!listed
        .iter()
        .any(|l| l.contains("drie-dagen-oud") || l.contains("nog-niet")));
    for entry in &entries {
        let [name, language, date, title] = entry.news.clone().expect("news:news");
        assert_eq!(name, app.state.site.name);
        assert_eq!(language, "nl");
        let date = DateTime::parse_from_rfc3339(&date).unwrap();
        assert!(date.timestamp() >= now - 48 * 3600, "{entry:?}");
        assert!(!title.is_empty());
    }
    let fresh = entries
        .iter()
        .find(|e| e.loc.ends_with("/vers-van-de-pers"))
        .unwrap();
    assert_eq!(
        fresh.news.as_ref().unwrap()[3],
        "Brand & water in 'De Hoek' <ernstig>"
    );
}

async fn robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_the_newsroom(engine: Engine) {
    let app = spawn_app(engine).await;
    let r = app.get("/robots.txt").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = r.text().await.unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for line in [
        "User-agent: *".to_string(),
        "Disallow: /redactie".to_string(),
        "Disallow: /live".to_string(),
        format!("Sitemap: {}/sitemap.xml", app.base),
        format!("Sitemap: {}/news-sitemap.xml", app.base),
    ] {
        assert!(lines.contains(&line.as_str()), "{line:?} in\n{text}");
    }
    assert!(
        !lines.contains(&"Disallow: /"),
        "the site itself may be crawled"
    );
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    html.match_indices(OPEN)
        .map(|(at, _)| {
            let rest = &html[at + OPEN.len()..];
            let json = &rest[..rest.find("</script>").expect("closed script")];
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
        })
        .collect()
}

fn of_type<'a>(blocks: &'a [Value], kind: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {blocks:#?}"))
}

async fn page(app: &TestApp, path: &str) -> String {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.unwrap()
}

async fn an_article_has_news_article_json_ld_and_breadcrumbs(engine: Engine) {
    let app = spawn_app(engine).await;
    let base = &app.base;
    let blocks = json_ld(&page(&app, BUDGET).await);
    let article = of_type(&blocks, "NewsArticle");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["headline"], BUDGET_TITLE);
    assert!(!article["description"].as_str().unwrap().is_empty());
    let image = article["image"][0].as_str().unwrap();
    assert!(image.starts_with(&format!("{base}/media/")), "{image}");
    let published = article["datePublished"].as_str().unwrap();
    let modified = article["dateModified"].as_str().unwrap();
    assert!(is_rfc3339(published) && is_rfc3339(modified));
    assert!(
        DateTime::parse_from_rfc3339(modified).unwrap()
            >= DateTime::parse_from_rfc3339(published).unwrap()
    );
    assert_eq!(article["author"][0]["@type"], "Person");
    assert_eq!(article["author"][0]["name"], "Anouk Verhaar");
    assert_eq!(
        article["author"][0]["url"],
        format!("{base}/auteur/anouk-verhaar")
    );
    assert_eq!(article["publisher"]["@type"], "Organization");
    assert_eq!(article["publisher"]["name"], app.state.site.name);
    assert_eq!(
        article["publisher"]["logo"]["url"],
        format!("{base}/favicon.svg")
    );
    assert_eq!(
        article["mainEntityOfPage"]["@id"],
        format!("{base}{BUDGET}")
    );

    let crumbs = of_type(&blocks, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .clone();
    let trail: Vec<(i64, &str, &str)> = crumbs
        .iter()
        .map(|c| {
            (
                c["position"].as_i64().unwrap(),
                c["name"].as_str().unwrap(),
                c["item"].as_str().unwrap(),
            )
        })
        .collect();
    let (home, section, this) = (
        format!("{base}/"),
        format!("{base}/nieuws"),
        format!("{base}{BUDGET}"),
    );
    assert_eq!(
        trail,
        [
            (1, app.state.site.name.as_str(), home.as_str()),
            (2, "Nieuws", section.as_str()),
            (3, BUDGET_TITLE, this.as_str()),
        ]
    );
    let section_blocks = json_ld(&page(&app, "/nieuws").await);
    let section_crumbs = &of_type(&section_blocks, "BreadcrumbList")["itemListElement"];
    assert_eq!(section_crumbs.as_array().unwrap().len(), 2);
    assert_eq!(section_crumbs[1]["item"], section);
}

async fn a_headline_cannot_break_out_of_the_json_ld(engine: Engine) {
    let app = spawn_app(engine).await;
    let title = "Opgelet </script><script>alert(1)</script> & meer";
    let mut hostile = published("vreemde-kop", app::db::now() - 60);
    hostile.title = title.into();
    store::insert(&app.db, &hostile).await.unwrap();
    let html = page(&app, "/nieuws/vreemde-kop").await;
    assert!(!html.contains("<script>alert(1)"), "the title stays text");
    let blocks = json_ld(&html);
    assert_eq!(of_type(&blocks, "NewsArticle")["headline"], title);
}

async fn the_demo_live_blog_is_a_live_blog_posting_with_its_updates(engine: Engine) {
    let app = spawn_app(engine).await;
    let blocks = json_ld(&page(&app, STORM).await);
    assert!(blocks.iter().all(|b| b["@type"] != "NewsArticle"));
    let blog = of_type(&blocks, "LiveBlogPosting");
    assert!(is_rfc3339(blog["coverageStartTime"].as_str().unwrap()));
    assert!(!blog["headline"].as_str().unwrap().is_empty());
    assert!(blog["image"][0].as_str().unwrap().starts_with(&app.base));
    let updates = blog["liveBlogUpdate"].as_array().unwrap();
    assert!(!updates.is_empty(), "the demo blog's updates");
    for update in updates {
        assert_eq!(update["@type"], "BlogPosting");
        assert!(!update["headline"].as_str().unwrap().is_empty(), "{update}");
        assert!(
            !update["articleBody"].as_str().unwrap().is_empty(),
            "{update}"
        );
        assert!(
            !update["articleBody"].as_str().unwrap().contains("**"),
            "plain text"
        );
        assert!(is_rfc3339(update["datePublished"].as_str().unwrap()));
    }
    of_type(&blocks, "BreadcrumbList");
}

/// The `content` of the meta tags with `property` (or `name`) `key`.
fn meta(html: &str, key: &str) -> Vec<String> {
    ["property", "name"]
        .iter()
        .flat_map(|attr| {
            let needle = format!(r#"<meta {attr}="{key}" content=""#);
            html.match_indices(&needle)
                .map(|(at, _)| {
                    let rest = &html[at + needle.len()..];
                    rest[..rest.find('"').unwrap()].replace("&amp;", "&")
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn one_meta(html: &str, key: &str, path: &str) -> String {
    let found = meta(html, key);
    assert_eq!(found.len(), 1, "{path}: one {key}, found {found:?}");
    found[0].clone()
}

async fn reader_pages_have_open_graph_and_twitter_tags(engine: Engine) {
    let app = spawn_app(engine).await;
    for path in [
        "/",
        "/nieuws",
        "/nieuws?pagina=2",
        BUDGET,
        "/tag/bouw",
        "/auteur/ravi-doelman",
    ] {
        let html = page(&app, path).await;
        assert_eq!(one_meta(&html, "og:site_name", path), app.state.site.name);
        assert_eq!(one_meta(&html, "og:locale", path), "nl_NL");
        assert_eq!(one_meta(&html, "og:url", path), app.url(path));
        assert!(!one_meta(&html, "og:title", path).is_empty());
        assert!(!one_meta(&html, "og:description", path).is_empty());
        let is_article = path == BUDGET;
        let kind = if is_article { "article" } else { "website" };
        assert_eq!(one_meta(&html, "og:type", path), kind);
        let card = one_meta(&html, "twitter:card", path);
        if is_article {
            assert_eq!(one_meta(&html, "og:title", path), BUDGET_TITLE);
            let image = one_meta(&html, "og:image", path);
            assert!(
                image.starts_with(&format!("{}/media/", app.base)),
                "{image}"
            );
            assert_eq!(card, "summary_large_image");
            assert!(is_rfc3339(&one_meta(&html, "article:published_time", path)));
            assert!(is_rfc3339(&one_meta(&html, "article:modified_time", path)));
        } else {
            assert!(meta(&html, "og:image").is_empty(), "{path}");
            assert_eq!(card, "summary");
        }
    }
}

/// The article links of the cards on a page, in order.
fn card_links(html: &str) -> Vec<String> {
    html.match_indices(r#"class="card-title""#)
        .map(|(at, _)| {
            let rest = &html[at..];
            let href = &rest[rest.find("href=\"").unwrap() + 6..];
            href[..href.find('"').unwrap()].to_string()
        })
        .collect()
}

async fn a_tag_page_lists_its_articles_newest_first_a_page_at_a_time(engine: Engine) {
    let app = spawn_app(engine).await;
    let tagged = "AND EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id \
                  WHERE at.article_id = a.id AND t.slug = 'bouw')";
    let html = page(&app, "/tag/bouw").await;
    assert!(html.contains("Alles over bouw"), "heading");
    assert_eq!(card_links(&html), visible_paths(&app, tagged).await);

    let mut new = published("nieuwe-brug-voor-fietsers", app::db::now() - 5);
    new.tags = vec!["Bouw".into()];
    store::insert(&app.db, &new).await.unwrap();
    let expected = visible_paths(&app, tagged).await;
    assert!(
        expected.len() > app::articles::PAGE_SIZE as usize,
        "two pages"
    );
    let first = page(&app, "/tag/bouw").await;
    assert!(
        first.contains(r#"href="/tag/bouw?pagina=2""#),
        "a link to page 2"
    );
    let second = page(&app, "/tag/bouw?pagina=2").await;
    let listed: Vec<String> = card_links(&first)
        .into_iter()
        .chain(card_links(&second))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(
        listed[0], "/nieuws/nieuwe-brug-voor-fietsers",
        "newest first"
    );

    let mut draft = article("alleen-een-concept", ArticleStatus::Draft, None);
    draft.tags = vec!["Alleen concept".into()];
    store::insert(&app.db, &draft).await.unwrap();
    for missing in [
        "/tag/bouw?pagina=3",
        "/tag/bouw?pagina=0",
        "/tag/bestaat-niet",
        "/tag/alleen-concept",
    ] {
        let r = app.get(missing).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{missing}");
        assert!(r.text().await.unwrap().contains("Pagina niet gevonden"));
    }
    let article = page(&app, BUDGET).await;
    assert!(
        article.contains(r#"<a href="/tag/gemeenteraad">"#),
        "the article's tags link to their pages"
    );
}

async fn an_author_page_shows_the_bio_and_the_articles_a_page_at_a_time(engine: Engine) {
    let app = spawn_app(engine).await;
    let bio: String = sqlx::query_scalar("SELECT bio FROM authors WHERE slug = 'ravi-doelman'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let first = page(&app, "/auteur/ravi-doelman").await;
    assert!(first.contains(r#"<h1 class="page-title">Ravi Doelman</h1>"#));
    assert!(!bio.is_empty() && first.contains(&bio), "the bio");
    assert!(first.contains("Artikelen van Ravi Doelman"));
    let second = page(&app, "/auteur/ravi-doelman?pagina=2").await;
    let listed: Vec<String> = card_links(&first)
        .into_iter()
        .chain(card_links(&second))
        .collect();
    let expected = visible_paths(
        &app,
        "AND EXISTS (SELECT 1 FROM article_authors aa JOIN authors au ON au.id = aa.author_id \
         WHERE aa.article_id = a.id AND au.slug = 'ravi-doelman')",
    )
    .await;
    assert!(
        expected.len() > app::articles::PAGE_SIZE as usize,
        "two pages"
    );
    assert_eq!(listed, expected, "newest first, over two pages");

    store::insert_author(
        &app.db,
        &NewAuthor {
            slug: Slug::parse("nieuwe-collega").unwrap(),
            name: "Nieuwe Collega".into(),
            bio: "Begon deze week als verslaggever.".into(),
        },
    )
    .await
    .unwrap();
    let newcomer = page(&app, "/auteur/nieuwe-collega").await;
    assert!(newcomer.contains("Begon deze week als verslaggever."));
    assert!(newcomer.contains("Er zijn hier nog geen berichten."));

    for missing in [
        "/auteur/ravi-doelman?pagina=3",
        "/auteur/niemand",
        "/auteur/nieuwe-collega?pagina=2",
    ] {
        assert_eq!(
            app.get(missing).await.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    let article = page(&app, BUDGET).await;
    assert!(
        article.contains(r#"<a href="/auteur/anouk-verhaar" rel="author">Anouk Verhaar</a>"#),
        "the byline links to the author's page"
    );
}

/// A conditional GET of `path` as a reader.
async fn conditional(
    app: &TestApp,
    path: &str,
    name: header::HeaderName,
    value: &str,
) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header(name, value)
        .send()
        .await
        .unwrap()
}

fn etag_of(r: &reqwest::Response) -> String {
    r.headers()
        .get(header::ETAG)
        .unwrap_or_else(|| panic!("{}: an ETag", r.url()))
        .to_str()
        .unwrap()
        .to_string()
}

async fn conditional_requests_get_304_until_the_content_changes(engine: Engine) {
    let app = spawn_app(engine).await;
    let paths = [
        "/",
        "/nieuws",
        "/nieuws?pagina=2",
        BUDGET,
        STORM,
        "/tag/bouw",
        "/auteur/ravi-doelman",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/feeds/rss.xml",
    ];
    let mut tags = Vec::new();
    for path in paths {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let etag = etag_of(&r);
        assert!(
            etag.starts_with("W/\"") && etag.ends_with('"'),
            "{path}: {etag}"
        );
        let last_modified = r.headers()[header::LAST_MODIFIED]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            DateTime::parse_from_rfc2822(&last_modified).is_ok(),
            "{last_modified}"
        );
        let cache_control = r.headers()[header::CACHE_CONTROL].to_str().unwrap();
        assert!(
            cache_control.starts_with("public, "),
            "{path}: {cache_control}"
        );
        if !path.starts_with("/feeds/") {
            assert_eq!(
                cache_control, "public, no-cache, stale-if-error=86400",
                "{path}: kept, but asked again every time"
            );
        }
        let vary: Vec<String> = r
            .headers()
            .get_all(header::VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .collect();
        assert!(
            vary.iter().any(|v| v.contains("cookie")),
            "{path}: {vary:?}"
        );

        // Rendered again (an article's comment form has a new token): the same version.
        assert_eq!(etag_of(&app.get(path).await), etag, "{path}: stable");
        let r = conditional(&app, path, header::IF_NONE_MATCH, &etag).await;
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(etag_of(&r), etag);
        assert!(r.headers().contains_key(header::CACHE_CONTROL));
        assert!(r.bytes().await.unwrap().is_empty());
        let r = conditional(&app, path, header::IF_MODIFIED_SINCE, &last_modified).await;
        assert_eq!(
            r.status(),
            StatusCode::NOT_MODIFIED,
            "{path}: If-Modified-Since"
        );
        // If-None-Match decides over If-Modified-Since.
        let r = app
            .client
            .get(app.url(path))
            .header(header::IF_NONE_MATCH, "W/\"iets-anders\"")
            .header(header::IF_MODIFIED_SINCE, &last_modified)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}: another version");
        tags.push(etag);
    }
    assert_eq!(
        tags.iter().collect::<HashSet<_>>().len(),
        tags.len(),
        "each page has its own tag"
    );

    // A ticker post changes every page.
    let post = TickerPost::new("Veerpont vaart weer", "").unwrap();
    app::live::store::post_ticker(&app.db, &post, None, None, app::db::now())
        .await
        .unwrap();
    let mut changed = Vec::new();
    for (path, etag) in paths.iter().zip(&tags) {
        let r = conditional(&app, path, header::IF_NONE_MATCH, etag).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}: changed");
        let new = etag_of(&r);
        assert_ne!(&new, etag, "{path}");
        changed.push(new);
    }

    // So do a publication, and closing an article's comments.
    store::insert(&app.db, &published("net-gepubliceerd", app::db::now() - 1))
        .await
        .unwrap();
    let r = conditional(&app, "/tag/bouw", header::IF_NONE_MATCH, &changed[5]).await;
    assert_eq!(r.status(), StatusCode::OK, "after a publication");
    let before = etag_of(&r);
    let id: i64 = sqlx::query_scalar("SELECT id FROM articles WHERE slug = 'net-gepubliceerd'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    app::comments::store::set_closed(&app.db, id, true)
        .await
        .unwrap();
    let r = conditional(&app, "/tag/bouw", header::IF_NONE_MATCH, &before).await;
    assert_eq!(r.status(), StatusCode::OK, "after closing comments");

    // Unpublishing leaves no date on any visible article; a date-only revalidation sees it all
    // the same.
    let r = app.get(BUDGET).await;
    let last_modified = r.headers()[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_string();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let budget: i64 = sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
        .bind(BUDGET.rsplit('/').next().unwrap())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let r = save_as_editor(&app, budget, "depubliceren", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = conditional(&app, BUDGET, header::IF_MODIFIED_SINCE, &last_modified).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "unpublished");

    // A missing page is no version of anything.
    let r = app.get("/nieuws/bestaat-niet").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!r.headers().contains_key(header::ETAG));
    assert!(!r.headers().contains_key(header::LAST_MODIFIED));
}

async fn a_ticker_item_running_out_is_a_new_version(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    let post = TickerPost::new("Even kort: de markt begint later", "").unwrap();
    app::live::store::post_ticker(&app.db, &post, None, Some(now + 3), now)
        .await
        .unwrap();
    let r = app.get("/").await;
    let etag = etag_of(&r);
    assert!(r.text().await.unwrap().contains("de markt begint later"));
    // Running out writes no live event; the page changes all the same.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let r = conditional(&app, "/", header::IF_NONE_MATCH, &etag).await;
    assert_eq!(r.status(), StatusCode::OK, "the item is gone from the page");
    assert!(!r.text().await.unwrap().contains("de markt begint later"));
}

async fn a_signed_in_editor_gets_no_public_caching(engine: Engine) {
    let app = spawn_app(engine).await;
    let reader = app.get("/nieuws").await;
    let etag = etag_of(&reader);
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    for path in ["/nieuws", BUDGET] {
        let r = editor
            .get(app.url(path))
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(!r.headers().contains_key(header::ETAG), "{path}");
        assert!(!r.headers().contains_key(header::LAST_MODIFIED), "{path}");
        let cache_control = r.headers()[header::CACHE_CONTROL].to_str().unwrap();
        assert!(
            cache_control.contains("private") && !cache_control.contains("public"),
            "{path}: {cache_control}"
        );
    }
    // The newsroom has no public caching either.
    let r = editor.get(app.url("/redactie")).send().await.unwrap();
    assert!(!r.headers().contains_key(header::ETAG));
}

/// The `<loc>`s under `root` of a sitemap document, checking its root element.
fn locs(xml: &str, root: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("{e}: {}", &xml[..300.min(xml.len())]));
    assert_eq!(
        doc.root_element().tag_name().name(),
        root,
        "{}",
        &xml[..200.min(xml.len())]
    );
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

async fn a_sitemap_past_fifty_thousand_addresses_becomes_an_index_of_parts(engine: Engine) {
    let app = spawn_app(engine).await;
    let section: i64 = sqlx::query_scalar("SELECT MIN(id) FROM sections")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let now = app::db::now() - 60;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50001) \
         INSERT INTO articles (slug, section_id, title, lead, body_md, body_html, status, \
         published_at, created_at, updated_at) \
         SELECT 'archief-' || i, $1, 'Archief ' || i, 'Kort.', 'Kort.', '<p>Kort.</p>', \
         'published', $2, $2, $2 FROM n",
    )
    .bind(section)
    .bind(now)
    .execute(app.db.pool())
    .await
    .unwrap();
    let index = app.get("/sitemap.xml").await.text().await.unwrap();
    let parts = locs(&index, "sitemapindex");
    assert_eq!(
        parts,
        vec![app.url("/sitemaps/1.xml"), app.url("/sitemaps/2.xml")]
    );
    let first = locs(
        &app.get("/sitemaps/1.xml").await.text().await.unwrap(),
        "urlset",
    );
    let second = locs(
        &app.get("/sitemaps/2.xml").await.text().await.unwrap(),
        "urlset",
    );
    assert_eq!(first.len(), 50_000);
    assert!(!second.is_empty() && second.len() < 50_000);
    let all: HashSet<&String> = first.iter().chain(&second).collect();
    assert_eq!(all.len(), first.len() + second.len(), "no address twice");
    assert!(all.contains(&app.url("/nieuws/archief-50001")));
    assert!(all.contains(&app.url("/")));
    for missing in ["/sitemaps/3.xml", "/sitemaps/0.xml", "/sitemaps/een.xml"] {
        assert_eq!(
            app.get(missing).await.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

on_both_engines!(
    a_sitemap_past_fifty_thousand_addresses_becomes_an_index_of_parts,
    the_sitemap_lists_every_public_page_and_nothing_unpublished,
    the_news_sitemap_has_the_articles_of_the_last_two_days,
    robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_the_newsroom,
    an_article_has_news_article_json_ld_and_breadcrumbs,
    a_headline_cannot_break_out_of_the_json_ld,
    the_demo_live_blog_is_a_live_blog_posting_with_its_updates,
    reader_pages_have_open_graph_and_twitter_tags,
    a_tag_page_lists_its_articles_newest_first_a_page_at_a_time,
    an_author_page_shows_the_bio_and_the_articles_a_page_at_a_time,
    conditional_requests_get_304_until_the_content_changes,
    a_ticker_item_running_out_is_a_new_version,
    a_signed_in_editor_gets_no_public_caching,
);
