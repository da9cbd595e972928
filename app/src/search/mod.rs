//! Search: `/zoeken?q=…` over published articles, ranked, without regard to case or accents,
//! with highlighted snippets and pages. The page works without JavaScript; the lazy
//! `SearchAsYouType` island (loaded on this page only) refreshes the results as the reader types.

mod island;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod text;

use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub use island::SearchAsYouType;

use crate::{
    articles::{ArticleCard, Tag},
    dates,
    pages::{NotFound, ServerError},
    site::{Section, SiteInfo},
};

/// Results per page.
pub const PAGE_SIZE: u32 = 10;
/// The page, and the form's action.
pub const SEARCH_PATH: &str = "/zoeken";
/// Just the results, as HTML, for the island.
pub const RESULTS_PATH: &str = "/zoeken/resultaten";

/// A run of text, marked when it matched the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlighted {
    pub text: String,
    pub mark: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub card: ArticleCard,
    pub title: Vec<Highlighted>,
    pub snippet: Vec<Highlighted>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub hits: Vec<SearchHit>,
}

/// What the results part shows: the results, and what to try when there are none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPageData {
    pub results: SearchResults,
    /// Topics to try when nothing was found.
    pub suggestions: Vec<Tag>,
}

/// Longer queries are cut: nobody types more, and it bounds the work.
pub const MAX_QUERY_CHARS: usize = 200;

/// Topics offered on "niets gevonden".
#[cfg(feature = "ssr")]
const SUGGESTED_TAGS: i64 = 8;

/// Runs a search, with suggestions when nothing was found. Shared by the page and the island's
/// results endpoint.
#[cfg(feature = "ssr")]
pub async fn run(
    db: &crate::db::Db,
    query: &str,
    page: u32,
) -> Result<SearchPageData, crate::db::StoreError> {
    let now = crate::db::now();
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let query = query.as_str();
    let results = store::search(db, query, page, now).await?;
    let suggestions = if results.total == 0 && !query.trim().is_empty() {
        store::popular_tags(db, now, SUGGESTED_TAGS).await?
    } else {
        Vec::new()
    };
    Ok(SearchPageData {
        results,
        suggestions,
    })
}

#[server]
pub async fn search_articles(q: String, page: u32) -> Result<SearchPageData, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    run(&state.db, &q, page)
        .await
        .map_err(crate::internal("searching"))
}

/// A query as it goes into a link.
fn encode(query: &str) -> String {
    let mut out = String::new();
    for byte in query.trim().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

pub fn search_url(query: &str, page: u32) -> String {
    if page <= 1 {
        format!("{SEARCH_PATH}?q={}", encode(query))
    } else {
        format!("{SEARCH_PATH}?q={}&pagina={page}", encode(query))
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let params = use_query_map().get_untracked();
    // What is searched for (and shown back) is at most this long.
    let query: String = params
        .get("q")
        .unwrap_or_default()
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect();
    // Not a positive number: the first page.
    let page = params
        .get("pagina")
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    let site = expect_context::<SiteInfo>();
    let title = if query.trim().is_empty() {
        format!("Zoeken – {}", site.name)
    } else {
        format!("‘{}’ – Zoeken – {}", query.trim(), site.name)
    };
    let shown = query.clone();
    let data = Resource::new_blocking(
        move || (query.clone(), page),
        |(query, page)| search_articles(query, page),
    );
    view! {
        <Title text=title/>
        // Result pages are for readers, not for search engines' indexes.
        <Meta name="robots" content="noindex, follow"/>
        <h1 class="page-title">"Zoeken"</h1>
        <form id="zoekformulier" class="search-form" role="search" method="get" action=SEARCH_PATH
            aria-label="Zoekformulier">
            <label for="zoekterm">"Zoek in alle artikelen"</label>
            <div class="search-row">
                <input id="zoekterm" name="q" type="search" value=shown maxlength="200"
                    autocomplete="off" enterkeyhint="search"/>
                <button type="submit">"Zoeken"</button>
            </div>
        </form>
        <p id="zoekstatus" class="visually-hidden" aria-live="polite"></p>
        <div id="zoekresultaten">
            <Suspense>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) if data.results.pages > 0 && data.results.page > data.results.pages => {
                            Either::Right(view! { <NotFound/> }.into_any())
                        }
                        Ok(data) => Either::Left(view! { <SearchResultsView data/> }),
                        Err(_) => Either::Right(view! { <ServerError/> }.into_any()),
                    }
                })}
            </Suspense>
        </div>
        <SearchAsYouType/>
    }
}

fn highlighted(parts: Vec<Highlighted>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| {
            if part.mark {
                Either::Left(view! { <mark>{part.text}</mark> })
            } else {
                Either::Right(part.text)
            }
        })
        .collect_view()
}

fn count_text(total: u64, query: &str) -> String {
    match total {
        1 => format!("1 artikel gevonden voor ‘{}’", query.trim()),
        n => format!("{n} artikelen gevonden voor ‘{}’", query.trim()),
    }
}

/// The results part: rendered in the page and, for the island, on its own.
#[component]
pub fn SearchResultsView(data: SearchPageData) -> impl IntoView {
    let SearchPageData {
        results,
        suggestions,
    } = data;
    let query = results.query.clone();
    if query.trim().is_empty() {
        return view! {
            <p class="search-hint" data-count="">"Typ een of meer woorden, bijvoorbeeld een plaats, een naam of een onderwerp."</p>
        }
        .into_any();
    }
    if results.total == 0 {
        let sections = use_context::<SiteInfo>()
            .map(|site| site.sections)
            .unwrap_or_else(crate::site::default_sections);
        return view! { <NothingFound query suggestions sections/> }.into_any();
    }
    let (page, pages) = (results.page, results.pages);
    let hits = results
        .hits
        .into_iter()
        .map(|hit| {
            let url = hit.card.url();
            view! {
                <li class="search-hit">
                    <h2 class="search-hit-title"><a href=url>{highlighted(hit.title)}</a></h2>
                    <p class="search-hit-meta">
                        <span class="kicker">{hit.card.section.name.clone()}</span>
                        " • "
                        <time datetime=dates::iso(hit.card.published_at)>
                            {dates::long_datetime(hit.card.published_at)}
                        </time>
                    </p>
                    <p class="search-hit-snippet">{highlighted(hit.snippet)}</p>
                </li>
            }
        })
        .collect_view();
    let count = count_text(results.total, &query);
    view! {
        <p class="search-count" data-count=count.clone()>{count.clone()}</p>
        <ol class="search-hits">{hits}</ol>
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label="Pagina's met resultaten">
                {(page > 1).then(|| view! {
                    <a rel="prev" href=search_url(&query, page - 1)>"Vorige"</a>
                })}
                <span aria-current="page">{format!("Pagina {page} van {pages}")}</span>
                {(page < pages).then(|| view! {
                    <a rel="next" href=search_url(&query, page + 1)>"Volgende"</a>
                })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn NothingFound(query: String, suggestions: Vec<Tag>, sections: Vec<Section>) -> impl IntoView {
    let words: Vec<String> = query.split_whitespace().map(str::to_string).collect();
    let fewer = (words.len() > 1).then(|| {
        view! {
            <li>
                "Zoek op één woord: "
                {words.iter().map(|w| view! {
                    <a class="search-try" href=search_url(w, 1)>{w.clone()}</a>" "
                }).collect_view()}
            </li>
        }
    });
    let status = format!("Niets gevonden voor ‘{}’", query.trim());
    view! {
        <section class="nothing-found" aria-labelledby="niets-gevonden">
            <h2 id="niets-gevonden" data-count=status.clone()>{status.clone()}</h2>
            <p>"Misschien helpt een van deze tips:"</p>
            <ul class="search-tips">
                <li>"Controleer de spelling; hoofdletters en accenten maken niet uit."</li>
                <li>"Gebruik minder of algemenere woorden."</li>
                {fewer}
            </ul>
            {(!suggestions.is_empty()).then(|| view! {
                <h3>"Populaire onderwerpen"</h3>
                <ul class="tags">
                    {suggestions.into_iter().map(|tag| view! {
                        <li class="tag"><a href=format!("/tag/{}", tag.slug)>{tag.name}</a></li>
                    }).collect_view()}
                </ul>
            })}
            <h3>"Of kijk in een rubriek"</h3>
            <ul class="search-sections">
                {sections.into_iter().map(|s| view! {
                    <li><a href=s.url()>{s.name.clone()}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_links_encode_the_query() {
        assert_eq!(search_url("taal café", 1), "/zoeken?q=taal+caf%C3%A9");
        assert_eq!(search_url("a&b=c", 2), "/zoeken?q=a%26b%3Dc&pagina=2");
    }

    #[test]
    fn the_count_speaks_dutch() {
        assert_eq!(count_text(1, " fiets "), "1 artikel gevonden voor ‘fiets’");
        assert_eq!(
            count_text(12, "fiets"),
            "12 artikelen gevonden voor ‘fiets’"
        );
    }
}
