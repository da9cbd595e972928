//! Structured data for search engines: JSON-LD `NewsArticle` (or `LiveBlogPosting` with its
//! updates) on articles, `BreadcrumbList` on articles and sections, `SpecialAnnouncement` on the
//! calamity pages.
//!
//! Built on the server only: the browser bundle carries none of it.

use leptos::prelude::*;

use crate::{
    articles::Article,
    calamity::{Calamity, OfficialMessage},
    live::blog::LiveBlog,
    site::SiteInfo,
};

/// JSON-LD blocks, each in its own script element.
#[component]
pub(crate) fn JsonLd(blocks: Vec<String>) -> impl IntoView {
    blocks
        .into_iter()
        .map(|json| view! { <script type="application/ld+json" inner_html=json></script> })
        .collect_view()
}

/// The blocks of an article page: the article, or live blog, and its breadcrumbs.
pub(super) fn article(site: &SiteInfo, article: &Article, blog: Option<&LiveBlog>) -> Vec<String> {
    #[cfg(feature = "ssr")]
    {
        let card = &article.card;
        let crumbs = [
            (card.section.name.as_str(), card.section.url()),
            (card.title.as_str(), card.url()),
        ];
        vec![
            ssr::article(site, article, blog),
            ssr::breadcrumbs(site, &crumbs),
        ]
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (site, article, blog);
        Vec::new()
    }
}

/// The block of a calamity page: a `SpecialAnnouncement` with the official messages.
pub(crate) fn calamity(
    site: &SiteInfo,
    calamity: &Calamity,
    messages: &[OfficialMessage],
) -> Vec<String> {
    #[cfg(feature = "ssr")]
    {
        vec![ssr::special_announcement(site, calamity, messages)]
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (site, calamity, messages);
        Vec::new()
    }
}

/// The blocks of a section page: its breadcrumbs.
pub(super) fn section(site: &SiteInfo, section: &crate::site::Section) -> Vec<String> {
    #[cfg(feature = "ssr")]
    {
        vec![ssr::breadcrumbs(
            site,
            &[(section.name.as_str(), section.url())],
        )]
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (site, section);
        Vec::new()
    }
}

/// The guide: each station as a `BroadcastService` (`RadioBroadcastService` for radio) with its
/// broadcasts as `BroadcastEvent`s.
pub(crate) fn on_air_guide(site: &SiteInfo, guide: &crate::on_air::Guide) -> Vec<String> {
    #[cfg(feature = "ssr")]
    {
        guide
            .stations
            .iter()
            .map(|gs| {
                let events: Vec<serde_json::Value> = gs
                    .entries
                    .iter()
                    .map(|e| {
                        ssr::broadcast_event(
                            site,
                            &gs.station,
                            e,
                            &e.programme_title,
                            &e.programme_slug,
                        )
                    })
                    .collect();
                let mut service = ssr::broadcast_service(site, &gs.station);
                service["event"] = serde_json::Value::Array(events);
                ssr::script_safe(&service)
            })
            .collect()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (site, guide);
        Vec::new()
    }
}

/// A programme page: the programme (`RadioSeries` or `TVSeries`) and its next broadcasts.
pub(crate) fn on_air_programme(
    site: &SiteInfo,
    programme: &crate::on_air::ProgrammePage,
) -> Vec<String> {
    #[cfg(feature = "ssr")]
    {
        let events: Vec<serde_json::Value> = programme
            .upcoming
            .iter()
            .map(|e| {
                ssr::broadcast_event(
                    site,
                    &programme.station,
                    e,
                    &programme.title,
                    &programme.slug,
                )
            })
            .collect();
        let series = serde_json::json!({
            "@context": "https://schema.org",
            "@type": match programme.station.kind {
                crate::on_air::StationKind::Radio => "RadioSeries",
                crate::on_air::StationKind::Tv => "TVSeries",
            },
            "name": programme.title,
            "description": programme.summary,
            "url": super::share::absolute(site, &crate::paths::PROGRAMME.to(&[&programme.slug])),
            "actor": programme.presenters.iter().map(|p| serde_json::json!({
                "@type": "Person",
                "name": p.name,
                "url": super::share::absolute(site, &format!("/auteur/{}", p.slug)),
            })).collect::<Vec<_>>(),
        });
        let mut service = ssr::broadcast_service(site, &programme.station);
        service["event"] = serde_json::Value::Array(events);
        vec![ssr::script_safe(&series), ssr::script_safe(&service)]
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (site, programme);
        Vec::new()
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use serde_json::{json, Value};

    use super::super::share::absolute;
    use crate::{
        articles::Article,
        calamity::{Calamity, OfficialMessage},
        dates,
        live::blog::{BlogPost, BlogStatus, LiveBlog},
        site::SiteInfo,
    };

    /// Longest headline search engines show for an update.
    const HEADLINE_CHARS: usize = 110;

    /// JSON for inside a `<script>` element: `<`, `>` and `&` as escapes, so no text in it can
    /// end the element (`</script>`) or open a comment.
    pub(super) fn script_safe(value: &Value) -> String {
        // Through the serializer into one buffer (`Value`'s `Display` writes piece by piece).
        let json = serde_json::to_string(value).expect("JSON values serialise");
        let mut safe = String::with_capacity(json.len() + 32);
        for c in json.chars() {
            match c {
                '<' => safe.push_str("\\u003c"),
                '>' => safe.push_str("\\u003e"),
                '&' => safe.push_str("\\u0026"),
                c => safe.push(c),
            }
        }
        safe
    }

    pub(super) fn broadcast_service(site: &SiteInfo, station: &crate::on_air::Station) -> Value {
        json!({
            "@context": "https://schema.org",
            "@type": match station.kind {
                crate::on_air::StationKind::Radio => "RadioBroadcastService",
                crate::on_air::StationKind::Tv => "BroadcastService",
            },
            "name": station.name,
            "broadcastDisplayName": station.name,
            "url": absolute(site, crate::paths::GUIDE),
            "broadcaster": publisher(site),
            "inLanguage": "nl",
        })
    }

    pub(super) fn broadcast_event(
        site: &SiteInfo,
        station: &crate::on_air::Station,
        entry: &crate::on_air::GuideEntry,
        title: &str,
        slug: &str,
    ) -> Value {
        json!({
            "@type": "BroadcastEvent",
            "name": title,
            "startDate": dates::iso(entry.starts_at),
            "endDate": dates::iso(entry.ends_at),
            "isLiveBroadcast": true,
            "url": absolute(site, &crate::paths::PROGRAMME.to(&[&slug])),
            "publishedOn": { "@type": "BroadcastService", "name": station.name },
        })
    }

    pub(super) fn special_announcement(
        site: &SiteInfo,
        calamity: &Calamity,
        messages: &[OfficialMessage],
    ) -> String {
        let text = messages
            .iter()
            .map(|m| format!("{} ({}): {}", m.label(), dates::clock(m.issued_at), m.body))
            .collect::<Vec<_>>()
            .join("\n");
        let areas: Vec<Value> = calamity
            .areas
            .split([',', ';'])
            .map(str::trim)
            .filter(|area| !area.is_empty())
            .map(|area| json!({ "@type": "AdministrativeArea", "name": area }))
            .collect();
        let mut value = json!({
            "@context": "https://schema.org",
            "@type": "SpecialAnnouncement",
            "name": calamity.title,
            "text": if text.is_empty() { calamity.title.clone() } else { text },
            "datePosted": dates::iso(calamity.started_at),
            "url": absolute(site, crate::paths::CALAMITY),
            "spatialCoverage": areas,
            "publisher": publisher(site),
        });
        if let Some(ended) = calamity.ended_at {
            value["expires"] = json!(dates::iso(ended));
        }
        script_safe(&value)
    }

    fn publisher(site: &SiteInfo) -> Value {
        json!({
            "@type": "Organization",
            "name": site.name,
            "url": absolute(site, "/"),
            "logo": { "@type": "ImageObject", "url": absolute(site, "/favicon.svg") },
        })
    }

    /// An update's text as readers see it: from the sanitised HTML, so nothing the sanitiser
    /// removed (a script's text, say) comes back here.
    pub(super) fn plain_text(html: &str) -> String {
        crate::text::plain_text(html)
    }

    /// The start of `text`, cut at a word and marked with an ellipsis when it is too long.
    pub(super) fn headline(text: &str) -> String {
        if text.chars().count() <= HEADLINE_CHARS {
            return text.to_string();
        }
        let cut: String = text.chars().take(HEADLINE_CHARS - 1).collect();
        let cut = match cut.rfind(' ') {
            Some(space) if space > 0 => &cut[..space],
            _ => cut.as_str(),
        };
        format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
    }

    fn update(page_url: &str, post: &BlogPost) -> Value {
        let text = plain_text(&post.html);
        let mut value = json!({
            "@type": "BlogPosting",
            "url": format!("{page_url}#update-{}", post.id),
            "headline": headline(&text),
            "articleBody": text,
            "datePublished": dates::iso(post.created_at),
            "dateModified": dates::iso(post.edited_at.unwrap_or(post.created_at)),
        });
        if let Some(name) = &post.author {
            value["author"] = json!({ "@type": "Person", "name": name });
        }
        value
    }

    pub(super) fn article(site: &SiteInfo, article: &Article, blog: Option<&LiveBlog>) -> String {
        let card = &article.card;
        let url = absolute(site, &card.url());
        let mut authors: Vec<Value> = article
            .authors
            .iter()
            .map(|a| json!({ "@type": "Person", "name": a.name, "url": absolute(site, &a.url()) }))
            .collect();
        if authors.is_empty() {
            // Without a byline, the newsroom is the author.
            authors.push(publisher(site));
        }
        let mut value = json!({
            "@context": "https://schema.org",
            "@type": if blog.is_some() { "LiveBlogPosting" } else { "NewsArticle" },
            "mainEntityOfPage": { "@type": "WebPage", "@id": url },
            "url": url,
            "headline": card.title,
            "description": card.lead,
            "datePublished": dates::iso(card.published_at),
            "dateModified": dates::iso(article.updated_at.max(card.published_at)),
            "inLanguage": "nl",
            "articleSection": card.section.name,
            "author": authors,
            "publisher": publisher(site),
        });
        if let Some(hero) = &card.hero {
            value["image"] = json!([absolute(site, &hero.src)]);
        }
        if !article.tags.is_empty() {
            let tags: Vec<&str> = article.tags.iter().map(|t| t.name.as_str()).collect();
            value["keywords"] = json!(tags.join(", "));
        }
        if let Some(blog) = blog {
            // Posts are newest first.
            let first = blog.posts.iter().map(|p| p.created_at).min();
            let start = first.map_or(card.published_at, |t| t.min(card.published_at));
            value["coverageStartTime"] = json!(dates::iso(start));
            if blog.status == BlogStatus::Closed {
                let end = blog.posts.iter().map(|p| p.created_at).max();
                value["coverageEndTime"] = json!(dates::iso(end.unwrap_or(start)));
            }
            value["liveBlogUpdate"] = blog.posts.iter().map(|p| update(&url, p)).collect();
        }
        script_safe(&value)
    }

    /// Home, then `crumbs` (name and site path) in order.
    pub(super) fn breadcrumbs(site: &SiteInfo, crumbs: &[(&str, String)]) -> String {
        let home = (site.name.as_str(), "/".to_string());
        let items: Vec<Value> = std::iter::once(&home)
            .chain(crumbs)
            .enumerate()
            .map(|(i, (name, path))| {
                json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": name,
                    "item": absolute(site, path),
                })
            })
            .collect();
        script_safe(&json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items,
        }))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn script_safe_json_cannot_close_its_script_element() {
            let json = script_safe(&json!({ "headline": "</script><!-- & -->" }));
            assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
            let back: Value = serde_json::from_str(&json).unwrap();
            assert_eq!(back["headline"], "</script><!-- & -->");
        }

        #[test]
        fn an_update_reads_as_plain_text_with_a_short_headline() {
            assert_eq!(
                plain_text("<p><strong>Let op:</strong> de <a href=\"https://example.nl\">N302</a> is\ndicht.</p><ul><li>echt</li></ul>"),
                "Let op: de N302 is dicht. echt"
            );
            let long = "woord ".repeat(40);
            let short = headline(long.trim());
            assert!(short.chars().count() <= HEADLINE_CHARS, "{short}");
            assert!(short.ends_with("woord…"), "{short}");
            assert_eq!(headline("Kort."), "Kort.");
        }
    }
}
