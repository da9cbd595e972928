//! What the paged lists of articles (section, tag and author pages) share: the page number in the
//! address, the title, the cards and the links between pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    articles::ArticleCard,
    components::cards::Card,
    i18n::{fill, ui},
};

/// Query parameter for the page number: `/nieuws?pagina=2`.
const PAGE_PARAM: &str = "pagina";

/// The page number asked for; 0, a page that does not exist, when it is not a positive number.
pub(super) fn requested_page() -> u32 {
    match use_query_map().get_untracked().get(PAGE_PARAM) {
        None => 1,
        Some(raw) => raw.parse::<u32>().unwrap_or(0),
    }
}

/// The address of page `page` of the list at `list_url`; the first page has no number.
pub(super) fn page_url(list_url: &str, page: u32) -> String {
    if page <= 1 {
        list_url.to_string()
    } else {
        format!("{list_url}?{PAGE_PARAM}={page}")
    }
}

/// "Nieuws – Omroep Lindewijk", with "Pagina 2 van 3" between them after the first page.
pub(super) fn page_title(name: &str, page: u32, pages: u32, site_name: &str) -> String {
    if page > 1 {
        let page_of = fill(ui().page_of, &[("page", &page), ("pages", &pages)]);
        format!("{name} – {page_of} – {site_name}")
    } else {
        format!("{name} – {site_name}")
    }
}

/// The cards of one page, or a note that there are none.
#[component]
pub(super) fn CardGrid(cards: Vec<ArticleCard>) -> impl IntoView {
    view! {
        {cards.is_empty().then(|| view! { <p class="empty">{ui().no_articles}</p> })}
        <div class="card-grid">
            {cards.into_iter().map(|card| view! { <Card card/> }).collect_view()}
        </div>
    }
}

/// Links to the previous and next page, when there is more than one.
#[component]
pub(super) fn Pagination(list_url: String, page: u32, pages: u32) -> impl IntoView {
    let ui = ui();
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=ui.pagination_label>
                {(page > 1).then(|| view! {
                    <a rel="prev" href=page_url(&list_url, page - 1)>{ui.previous_page}</a>
                })}
                <span aria-current="page">
                    {fill(ui.page_of, &[("page", &page), ("pages", &pages)])}
                </span>
                {(page < pages).then(|| view! {
                    <a rel="next" href=page_url(&list_url, page + 1)>{ui.next_page}</a>
                })}
            </nav>
        }
    })
}
