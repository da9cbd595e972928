//! For search engines and news aggregators: the sitemap, the Google News sitemap and
//! `robots.txt`, which points at both.
//!
//! `GET /sitemap.xml`, `/news-sitemap.xml`, `/robots.txt`.

use super::error::AppError;
use app::{articles::sitemap, state::AppState};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use quick_xml::{
    events::{BytesDecl, BytesText, Event},
    Writer,
};

use super::{
    error::internal,
    feeds::{absolute, rfc3339},
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

/// URLs one sitemap file may list (sitemaps.org); a larger site gets an index of parts.
pub const SITEMAP_MAX_URLS: usize = 50_000;

type XmlWriter = Writer<Vec<u8>>;

fn document(
    root: &str,
    namespaces: &[(&str, &str)],
    content: impl FnOnce(&mut XmlWriter) -> std::io::Result<()>,
) -> Response {
    let mut writer = Writer::new(Vec::new());
    // Writing to memory cannot fail.
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing XML to memory");
    writer
        .create_element(root)
        .with_attributes(namespaces.iter().copied())
        .write_inner_content(content)
        .expect("writing XML to memory");
    xml(String::from_utf8(writer.into_inner()).expect("XML written from strings"))
}

fn text(writer: &mut XmlWriter, name: &str, content: &str) -> std::io::Result<()> {
    writer
        .create_element(name)
        .write_text_content(BytesText::new(content))?;
    Ok(())
}

fn url(writer: &mut XmlWriter, loc: &str, modified: Option<i64>) -> std::io::Result<()> {
    writer.create_element("url").write_inner_content(|w| {
        text(w, "loc", loc)?;
        if let Some(ts) = modified {
            text(w, "lastmod", &rfc3339(ts))?;
        }
        Ok(())
    })?;
    Ok(())
}

const SITEMAP_NS: (&str, &str) = ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9");

/// Every address of the sitemap, in order: home, the sections, every visible article, and the
/// tag and author pages that show one.
async fn entries(state: &AppState) -> Result<Vec<(String, Option<i64>)>, app::db::StoreError> {
    let pages = sitemap::pages(&state.db, app::db::now()).await?;
    let newest_in = |prefix: &str| {
        pages
            .articles
            .iter()
            .filter(|a| a.path.starts_with(prefix))
            .map(|a| a.modified)
            .max()
    };
    let mut entries = vec![(absolute(state, "/"), newest_in("/"))];
    for section in &state.site.sections {
        let path = section.url();
        entries.push((absolute(state, &path), newest_in(&format!("{path}/"))));
    }
    for (slug, modified) in app::site_pages::store::sitemap(&state.db).await? {
        entries.push((
            absolute(state, &app::paths::SITE_PAGE.to(&[&slug])),
            Some(modified),
        ));
    }
    entries.extend(
        pages
            .articles
            .iter()
            .chain(&pages.tags)
            .chain(&pages.authors)
            .map(|entry| (absolute(state, &entry.path), Some(entry.modified))),
    );
    Ok(entries)
}

fn urlset(entries: &[(String, Option<i64>)]) -> Response {
    document("urlset", &[SITEMAP_NS], |w| {
        for (loc, modified) in entries {
            url(w, loc, *modified)?;
        }
        Ok(())
    })
}

/// `/sitemap.xml`: every address, or past [`SITEMAP_MAX_URLS`] an index of the parts at
/// `/sitemaps/<n>.xml`.
pub async fn site_map(State(state): State<AppState>) -> Response {
    let entries = match entries(&state).await {
        Ok(entries) => entries,
        Err(err) => return internal(err),
    };
    if entries.len() <= SITEMAP_MAX_URLS {
        return urlset(&entries);
    }
    let parts = entries.chunks(SITEMAP_MAX_URLS).len();
    document("sitemapindex", &[SITEMAP_NS], |w| {
        for n in 1..=parts {
            w.create_element("sitemap").write_inner_content(|w| {
                text(w, "loc", &absolute(&state, &format!("/sitemaps/{n}.xml")))
            })?;
        }
        Ok(())
    })
}

/// `/sitemaps/<n>.xml`: the n-th part of a sitemap too large for one file.
pub async fn site_map_part(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let Some(n) = name
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
    else {
        return AppError::NotFound("Dit deel van de sitemap bestaat niet.").into_response();
    };
    let entries = match entries(&state).await {
        Ok(entries) => entries,
        Err(err) => return internal(err),
    };
    match entries.chunks(SITEMAP_MAX_URLS).nth(n - 1) {
        Some(part) if entries.len() > SITEMAP_MAX_URLS => urlset(part),
        _ => AppError::NotFound("Dit deel van de sitemap bestaat niet.").into_response(),
    }
}

/// The articles of the last 48 hours, with the facts Google News asks for.
pub async fn news_map(State(state): State<AppState>) -> Response {
    let now = app::db::now();
    let items = match sitemap::news(&state.db, now - NEWS_WINDOW_SECS, now).await {
        Ok(items) => items,
        Err(err) => return internal(err),
    };
    let news_ns = (
        "xmlns:news",
        "http://www.google.com/schemas/sitemap-news/0.9",
    );
    document("urlset", &[SITEMAP_NS, news_ns], |w| {
        for item in &items {
            w.create_element("url").write_inner_content(|w| {
                text(w, "loc", &absolute(&state, &item.path))?;
                w.create_element("news:news").write_inner_content(|w| {
                    w.create_element("news:publication")
                        .write_inner_content(|w| {
                            text(w, "news:name", &state.site.name)?;
                            text(w, "news:language", "nl")
                        })?;
                    text(w, "news:publication_date", &rfc3339(item.published_at))?;
                    text(w, "news:title", &item.title)
                })?;
                Ok(())
            })?;
        }
        Ok(())
    })
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

/// Sitemaps and robots.txt.
pub(super) fn routes() -> axum::Router<AppState> {
    use app::paths;
    use axum::routing::get;
    axum::Router::new()
        .route(paths::SITEMAP, get(site_map))
        .route(paths::SITEMAP_PART.template(), get(site_map_part))
        .route(paths::NEWS_SITEMAP, get(news_map))
        .route(paths::ROBOTS, get(robots))
}
