//! `/auteur/<slug>`: an author's name and bio, and their visible articles, newest first, a page
//! at a time.

use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use super::{
    listing::{page_title, page_url, requested_page, CardGrid, Pagination},
    share::{absolute, ShareMeta},
};
use crate::{
    articles::{load_author, AuthorPageData},
    i18n::{fill, ui},
    pages::{NotFound, ServerError},
    site::SiteInfo,
};

#[component]
pub fn AuthorPage() -> impl IntoView {
    let author = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let page = requested_page();
    let data = Resource::new_blocking(
        move || (author.clone(), page),
        |(author, page)| load_author(author, page),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(data)) => EitherOf3::A(view! { <AuthorView data/> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound/> }),
                    Err(_) => EitherOf3::C(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuthorView(data: AuthorPageData) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let ui = ui();
    let author = data.author;
    let name = author.byline.name.clone();
    let description = if author.bio.trim().is_empty() {
        fill(
            ui.author_description,
            &[("name", &name), ("site", &site.name)],
        )
    } else {
        author.bio.clone()
    };
    let url = author.byline.url();
    let path = page_url(&url, data.page);
    let bio =
        (!author.bio.trim().is_empty()).then(|| view! { <p class="author-bio">{author.bio}</p> });
    view! {
        <Title text=page_title(&name, data.page, data.pages, &site.name)/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=absolute(&site, &path)/>
        <ShareMeta title=name.clone() description path/>
        <header class="author-header">
            <h1 class="page-title">{name.clone()}</h1>
            {bio}
        </header>
        <h2 class="block-title">{fill(ui.author_articles, &[("name", &name)])}</h2>
        <CardGrid cards=data.articles/>
        <Pagination list_url=url page=data.page pages=data.pages/>
    }
}
