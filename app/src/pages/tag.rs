//! `/tag/<slug>`: every visible article about one tag, newest first, a page at a time.

use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use super::{
    listing::{page_title, page_url, requested_page, CardGrid, Pagination},
    share::{absolute, ShareMeta},
};
use crate::{
    articles::{load_tag, TagPageData},
    i18n::{fill, ui},
    pages::{NotFound, ServerError},
    site::SiteInfo,
};

#[component]
pub fn TagPage() -> impl IntoView {
    let tag = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let page = requested_page();
    let data = Resource::new_blocking(
        move || (tag.clone(), page),
        |(tag, page)| load_tag(tag, page),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(data)) => EitherOf3::A(view! { <TagView data/> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound/> }),
                    Err(_) => EitherOf3::C(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TagView(data: TagPageData) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let ui = ui();
    let heading = fill(ui.tag_title, &[("tag", &data.tag.name)]);
    let description = fill(
        ui.tag_description,
        &[("site", &site.name), ("tag", &data.tag.name)],
    );
    let url = data.tag.url();
    let path = page_url(&url, data.page);
    view! {
        <Title text=page_title(&heading, data.page, data.pages, &site.name)/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=absolute(&site, &path)/>
        <ShareMeta title=heading.clone() description path/>
        <h1 class="page-title">{heading}</h1>
        <CardGrid cards=data.articles/>
        <Pagination list_url=url page=data.page pages=data.pages/>
    }
}
