use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use super::{
    listing::{page_title, page_url, requested_page, CardGrid, Pagination},
    share::{absolute, ShareMeta},
    structured_data::{self, JsonLd},
};
use crate::{
    articles::{load_section, SectionPageData},
    pages::{NotFound, ServerError},
    site::SiteInfo,
};

#[component]
pub fn SectionPage() -> impl IntoView {
    let section = use_params_map()
        .get_untracked()
        .get("section")
        .unwrap_or_default();
    let page = requested_page();
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

#[component]
fn Section(data: SectionPageData) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let url = data.section.url();
    let title = page_title(&data.section.name, data.page, data.pages, &site.name);
    let description = format!("{}: {}", data.section.name, site.tagline);
    let path = page_url(&url, data.page);
    let structured_data = structured_data::section(&site, &data.section);
    view! {
        <Title text=title/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=absolute(&site, &path)/>
        <ShareMeta title=data.section.name.clone() description path/>
        <JsonLd blocks=structured_data/>
        <h1 class="page-title">{data.section.name.clone()}</h1>
        <CardGrid cards=data.articles/>
        <Pagination list_url=url page=data.page pages=data.pages/>
    }
}
