//! What a shared link shows: the Open Graph and Twitter card tags of every reader page.

use leptos::prelude::*;
use leptos_meta::Meta;

use crate::{articles::HeroImage, dates, site::SiteInfo};

/// The absolute address of `path` on this site; an address that is already absolute stays.
pub(crate) fn absolute(site: &SiteInfo, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{}{}", site.base_url, path)
    }
}

/// What an article adds to its share tags.
pub(super) struct ArticleFacts {
    pub published: i64,
    pub modified: i64,
    pub section: String,
    pub tags: Vec<String>,
}

/// The share tags of a page at site path `path`; with `article`, those of an article.
#[component]
pub(super) fn ShareMeta(
    title: String,
    description: String,
    path: String,
    #[prop(optional_no_strip)] image: Option<HeroImage>,
    #[prop(optional)] article: Option<ArticleFacts>,
) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let kind = if article.is_some() {
        "article"
    } else {
        "website"
    };
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    let image = image.map(|hero| {
        view! {
            <Meta property="og:image" content=absolute(&site, &hero.src)/>
            <Meta property="og:image:alt" content=hero.alt/>
        }
    });
    let article = article.map(|facts| {
        view! {
            <Meta property="article:published_time" content=dates::iso(facts.published)/>
            <Meta property="article:modified_time" content=dates::iso(facts.modified)/>
            <Meta property="article:section" content=facts.section/>
            {facts.tags.into_iter().map(|tag| view! {
                <Meta property="article:tag" content=tag/>
            }).collect_view()}
        }
    });
    view! {
        <Meta property="og:site_name" content=site.name.clone()/>
        <Meta property="og:locale" content="nl_NL"/>
        <Meta property="og:type" content=kind/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=absolute(&site, &path)/>
        {image}
        <Meta name="twitter:card" content=card/>
        {article}
    }
}
