//! For search engines and news aggregators: the sitemap, the Google News sitemap and
//! `robots.txt`, which points at both.
//!
//! `GET /sitemap.xml`, `/news-sitemap.xml`, `/robots.txt`.

use app::{articles::sitemap, state::AppState};
use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};

use super::{
    feeds::{absolute, esc, rfc3339},
    newsroom::internal,
};

/// How far back the news sitemap reaches (Google News: two days).
const NEWS_WINDOW_SECS: i64 = 48 * 3600;

fn xml(body: String) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    response
}

fn url(xml: &mut String, loc: &str, modified: Option<i64>) {
    xml.push_str(&format!("<url><loc>{}</loc>", esc(loc)));
    if let Some(ts) = modified {
        xml.push_str(&format!("<lastmod>{}</lastmod>", rfc3339(ts)));
    }
    xml.push_str("</url>");
}

/// Home, every section, every visible article, and the tag and author pages that show one.
pub async fn site_map(State(state): State<AppState>) -> Response {
    let pages = match sitemap::pages(&state.db, app::db::now()).await {
        Ok(pages) => pages,
        Err(err) => return internal(err),
    };
    let newest_in = |prefix: &str| {
        pages
            .articles
            .iter()
            .filter(|a| a.path.starts_with(prefix))
            .map(|a| a.modified)
            .max()
    };
    let mut body = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    body.push_str(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
    url(&mut body, &absolute(&state, "/"), newest_in("/"));
    for section in &state.site.sections {
        let path = section.url();
        url(
            &mut body,
            &absolute(&state, &path),
            newest_in(&format!("{path}/")),
        );
    }
    for entry in pages
        .articles
        .iter()
        .chain(&pages.tags)
        .chain(&pages.authors)
    {
        url(
            &mut body,
            &absolute(&state, &entry.path),
            Some(entry.modified),
        );
    }
    body.push_str("</urlset>");
    xml(body)
}

/// The articles of the last 48 hours, with the facts Google News asks for.
pub async fn news_map(State(state): State<AppState>) -> Response {
    let now = app::db::now();
    let items = match sitemap::news(&state.db, now - NEWS_WINDOW_SECS, now).await {
        Ok(items) => items,
        Err(err) => return internal(err),
    };
    let mut body = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    body.push_str(
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">"#,
    );
    for item in &items {
        body.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name>\
             <news:language>nl</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date><news:title>{}</news:title>\
             </news:news></url>",
            esc(&absolute(&state, &item.path)),
            esc(&state.site.name),
            rfc3339(item.published_at),
            esc(&item.title)
        ));
    }
    body.push_str("</urlset>");
    xml(body)
}

/// Everything may be crawled but the newsroom and the live stream; the sitemaps are named.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /redactie\nDisallow: /live\n\nSitemap: {}\nSitemap: {}\n",
        absolute(&state, "/sitemap.xml"),
        absolute(&state, "/news-sitemap.xml")
    );
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
