use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    articles::{load_section, SectionPageData},
    components::cards::Card,
    i18n::{fill, ui},
    pages::{NotFound, ServerError},
    site::SiteInfo,
};

/// Query parameter for the page number: `/nieuws?pagina=2`.
const PAGE_PARAM: &str = "pagina";

#[component]
pub fn SectionPage() -> impl IntoView {
    let section = use_params_map()
        .get_untracked()
        .get("section")
        .unwrap_or_default();
    // A page number that is not a positive number is a page that does not exist.
    let page = match use_query_map().get_untracked().get(PAGE_PARAM) {
        None => 1,
        Some(raw) => raw.parse::<u32>().unwrap_or(0),
    };
    let data = Resource::new_blocking(
        move || (section.clone(), page),
        |(section, page)| load_section(section, page),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(data)) => EitherOf3::A(view! { <Section data/> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound/> }),
                    Err(_) => EitherOf3::C(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

fn page_url(section_url: &str, page: u32) -> String {
    if page <= 1 {
        section_url.to_string()
    } else {
        format!("{section_url}?{PAGE_PARAM}={page}")
    }
}

#[component]
fn Section(data: SectionPageData) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let ui = ui();
    let url = data.section.url();
    let title = if data.page > 1 {
        format!(
            "{} – {} – {}",
            data.section.name,
            fill(ui.page_of, &[("page", &data.page), ("pages", &data.pages)]),
            site.name
        )
    } else {
        format!("{} – {}", data.section.name, site.name)
    };
    let description = format!("{}: {}", data.section.name, site.tagline);
    let canonical = format!("{}{}", site.base_url, page_url(&url, data.page));
    let (page, pages) = (data.page, data.pages);
    view! {
        <Title text=title/>
        <Meta name="description" content=description/>
        <Link rel="canonical" href=canonical/>
        <h1 class="page-title">{data.section.name.clone()}</h1>
        {if data.articles.is_empty() {
            Some(view! { <p class="empty">{ui.no_articles}</p> })
        } else {
            None
        }}
        <div class="card-grid">
            {data.articles.into_iter().map(|card| view! { <Card card/> }).collect_view()}
        </div>
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label=ui.pagination_label>
                {(page > 1).then(|| view! {
                    <a rel="prev" href=page_url(&url, page - 1)>{ui.previous_page}</a>
                })}
                <span aria-current="page">
                    {fill(ui.page_of, &[("page", &page), ("pages", &pages)])}
                </span>
                {(page < pages).then(|| view! {
                    <a rel="next" href=page_url(&url, page + 1)>{ui.next_page}</a>
                })}
            </nav>
        })}
    }
}
