use leptos::{either::EitherOf4, prelude::*};
use leptos_meta::{Link, Meta, Title};

use crate::{
    articles::HomeData,
    calamity::{load_front, CalamityHome, Front},
    components::cards::{Card, HeadlineList},
    i18n::ui,
    pages::{share::ShareMeta, ServerError},
    site::SiteInfo,
};

#[component]
pub fn HomePage() -> impl IntoView {
    // While a calamity is on, the home page is the calamity's.
    let data = Resource::new_blocking(|| (), |_| load_front());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Front::Calamity(front)) => EitherOf4::A(view! { <CalamityHome front/> }),
                    Ok(Front::Normal(home)) if home.top.is_some() => EitherOf4::B(view! { <Home home/> }),
                    Ok(Front::Normal(_)) => EitherOf4::C(view! { <p class="empty">{ui().no_articles}</p> }),
                    Err(_) => EitherOf4::D(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(home: HomeData) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let ui = ui();
    let title = format!("{} – {}", site.name, site.tagline);
    view! {
        <Title text=title/>
        <Meta name="description" content=site.tagline.clone()/>
        <Link rel="canonical" href=format!("{}/", site.base_url)/>
        <ShareMeta title=site.name.clone() description=site.tagline.clone() path="/".to_string()/>
        <h1 class="visually-hidden">{site.name.clone()}</h1>
        <div class="home-top">
            <section class="top-story" aria-labelledby="uitgelicht">
                <h2 id="uitgelicht" class="visually-hidden">{ui.top_story}</h2>
                {home.top.map(|card| view! { <Card card large=true/> })}
            </section>
            <section class="latest" aria-labelledby="laatste-nieuws">
                <h2 id="laatste-nieuws" class="block-title">{ui.latest_news}</h2>
                <HeadlineList cards=home.latest/>
            </section>
        </div>
        {home.sections.into_iter().map(|block| {
            let heading_id = format!("rubriek-{}", block.section.slug);
            let labelled_by = heading_id.clone();
            view! {
                <section class="section-block" aria-labelledby=labelled_by>
                    <h2 id=heading_id class="block-title">
                        <a href=block.section.url()>{block.section.name.clone()}</a>
                    </h2>
                    <div class="card-grid">
                        {block.articles.into_iter().map(|card| view! { <Card card/> }).collect_view()}
                    </div>
                    <p class="more">
                        <a href=block.section.url()>
                            {format!("{} {}", ui.more_from_section, block.section.name)}
                        </a>
                    </p>
                </section>
            }
        }).collect_view()}
    }
}
