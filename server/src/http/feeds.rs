//! Feeds for feed readers and aggregators: RSS 2.0 and Atom, for the whole site and for each
//! section, with full titles, leads, publication and update dates, and the hero image.
//!
//! `GET /feeds/rss.xml`, `/feeds/atom.xml`, `/feeds/<section>/rss.xml`, `/feeds/<section>/atom.xml`.

use super::error::AppError;
use app::{
    articles::feed::{self, FeedItem},
    paths,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use chrono::{TimeZone, Utc};

use super::error::internal;

/// XML text: the five characters XML reserves, escaped.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn rfc2822(ts: i64) -> String {
    Utc.timestamp_opt(ts, 0)
        .single()
        .unwrap_or_default()
        .to_rfc2822()
}

pub(super) fn rfc3339(ts: i64) -> String {
    Utc.timestamp_opt(ts, 0)
        .single()
        .unwrap_or_default()
        .to_rfc3339()
}

/// The feed's title and site address for `section` (`None`: the whole site); `None` for an
/// unknown section.
fn scope(state: &AppState, section: Option<&str>) -> Option<(String, String)> {
    let site = &state.site;
    match section {
        None => Some((site.name.clone(), site.base_url.clone())),
        Some(slug) => site.sections.iter().find(|s| s.slug == slug).map(|s| {
            (
                format!("{} – {}", s.name, site.name),
                format!("{}/{}", site.base_url, s.slug),
            )
        }),
    }
}

pub(super) fn absolute(state: &AppState, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{}{}", state.site.base_url, path)
    }
}

fn rss(state: &AppState, title: &str, link: &str, self_url: &str, items: &[FeedItem]) -> String {
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str(r#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>"#);
    xml.push_str(&format!(
        "<title>{}</title><link>{}</link><description>{}</description><language>nl</language>\
         <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        esc(title),
        esc(link),
        esc(&state.site.tagline),
        esc(self_url)
    ));
    if let Some(newest) = items.iter().map(|i| i.updated_at.max(i.published_at)).max() {
        xml.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>",
            rfc2822(newest)
        ));
    }
    for item in items {
        let url = absolute(state, &item.path);
        xml.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"true\">{}</guid>\
             <description>{}</description><category>{}</category><pubDate>{}</pubDate>",
            esc(&item.title),
            esc(&url),
            esc(&url),
            esc(&item.lead),
            esc(&item.section_name),
            rfc2822(item.published_at)
        ));
        if let Some(src) = &item.hero_src {
            // The length is not known without reading the file; 0 is what feed validators accept.
            xml.push_str(&format!(
                "<enclosure url=\"{}\" type=\"image/jpeg\" length=\"0\"/>",
                esc(&absolute(state, src))
            ));
        }
        xml.push_str("</item>");
    }
    xml.push_str("</channel></rss>");
    xml
}

fn atom(state: &AppState, title: &str, link: &str, self_url: &str, items: &[FeedItem]) -> String {
    let updated = items
        .iter()
        .map(|i| i.updated_at.max(i.published_at))
        .max()
        .unwrap_or(0);
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\"><id>{}</id><title>{}</title>\
         <subtitle>{}</subtitle><updated>{}</updated><link rel=\"alternate\" href=\"{}\"/>\
         <link rel=\"self\" href=\"{}\"/><author><name>{}</name></author>",
        esc(self_url),
        esc(title),
        esc(&state.site.tagline),
        rfc3339(updated),
        esc(link),
        esc(self_url),
        esc(&state.site.name)
    ));
    for item in items {
        let url = absolute(state, &item.path);
        xml.push_str(&format!(
            "<entry><id>{}</id><title>{}</title><link rel=\"alternate\" href=\"{}\"/>\
             <published>{}</published><updated>{}</updated><summary>{}</summary>\
             <category term=\"{}\"/>",
            esc(&url),
            esc(&item.title),
            esc(&url),
            rfc3339(item.published_at),
            rfc3339(item.updated_at.max(item.published_at)),
            esc(&item.lead),
            esc(&item.section_name)
        ));
        for name in item.authors.iter().flat_map(|a| a.split(", ")) {
            xml.push_str(&format!("<author><name>{}</name></author>", esc(name)));
        }
        if let Some(src) = &item.hero_src {
            xml.push_str(&format!(
                "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"{}\"/>",
                esc(&absolute(state, src))
            ));
        }
        xml.push_str("</entry>");
    }
    xml.push_str("</feed>");
    xml
}

#[derive(Clone, Copy)]
enum Format {
    Rss,
    Atom,
}

async fn feed(state: AppState, section: Option<String>, format: Format) -> Response {
    let Some((title, link)) = scope(&state, section.as_deref()) else {
        return AppError::NotFound("Deze rubriek bestaat niet.").into_response();
    };
    let items = match feed::latest(&state.db, section.as_deref(), app::db::now()).await {
        Ok(items) => items,
        Err(err) => return internal(err),
    };
    let file = match format {
        Format::Rss => "rss.xml",
        Format::Atom => "atom.xml",
    };
    let self_url = match &section {
        Some(slug) => format!("{}/feeds/{slug}/{file}", state.site.base_url),
        None => format!("{}/feeds/{file}", state.site.base_url),
    };
    let (body, kind) = match format {
        Format::Rss => (
            rss(&state, &title, &link, &self_url, &items),
            "application/rss+xml; charset=utf-8",
        ),
        Format::Atom => (
            atom(&state, &title, &link, &self_url, &items),
            "application/atom+xml; charset=utf-8",
        ),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Feed readers poll; a few minutes of caching spares the origin.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

pub async fn site_rss(State(state): State<AppState>) -> Response {
    feed(state, None, Format::Rss).await
}

pub async fn site_atom(State(state): State<AppState>) -> Response {
    feed(state, None, Format::Atom).await
}

pub async fn section_rss(State(state): State<AppState>, Path(section): Path<String>) -> Response {
    feed(state, Some(section), Format::Rss).await
}

pub async fn section_atom(State(state): State<AppState>, Path(section): Path<String>) -> Response {
    feed(state, Some(section), Format::Atom).await
}

/// RSS and Atom, for the site and each section.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(paths::SITE_RSS, get(site_rss))
        .route(paths::SITE_ATOM, get(site_atom))
        .route(paths::SECTION_RSS.template(), get(section_rss))
        .route(paths::SECTION_ATOM.template(), get(section_atom))
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn xml_text_is_escaped_and_stripped_of_forbidden_characters() {
        assert_eq!(
            esc("a < b & \"c\" 'd' > e"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e"
        );
        assert_eq!(esc("bel\u{0007}l"), "bell");
    }
}
