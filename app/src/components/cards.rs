//! How articles appear in lists.

use leptos::prelude::*;

use crate::{
    articles::{ArticleCard, HeroImage},
    dates,
};

/// A `<time>` element with the machine-readable instant beside the Dutch text.
#[component]
pub fn Time(ts: i64, text: String) -> impl IntoView {
    view! { <time datetime=dates::iso(ts)>{text}</time> }
}

/// An article image; uploads come with a `srcset` so small screens fetch a small file.
/// `eager` for the image at the top of a page, `sizes` for how wide it is shown.
#[component]
pub fn HeroPicture(
    hero: HeroImage,
    #[prop(optional)] eager: bool,
    #[prop(optional)] sizes: Option<&'static str>,
) -> impl IntoView {
    let loading = if eager { "eager" } else { "lazy" };
    let srcset = crate::media::srcset(&hero.src);
    let sizes = srcset
        .as_ref()
        .map(|_| sizes.unwrap_or("(min-width: 60rem) 25vw, (min-width: 36rem) 50vw, 100vw"));
    view! {
        <img src=hero.src alt=hero.alt srcset=srcset sizes=sizes loading=loading decoding="async"
            width="1200" height="675"/>
    }
}

/// The headline as a link, flagged "LIVE" while the article's live blog runs.
#[component]
fn Headline(card: ArticleCard) -> impl IntoView {
    let link = view! { <a href=card.url()>{card.title.clone()}</a> };
    if card.live {
        view! { <span class="live-flag">"LIVE"</span> " " {link} }.into_any()
    } else {
        link.into_any()
    }
}

/// A card with image, section, headline and lead; `large` for the top story.
#[component]
pub fn Card(card: ArticleCard, #[prop(optional)] large: bool) -> impl IntoView {
    let class = if large { "card card-large" } else { "card" };
    view! {
        <article class=class>
            {card.hero.clone().map(|hero| view! {
                <div class="card-image"><HeroPicture hero eager=large/></div>
            })}
            <div class="card-body">
                <p class="card-section">{card.section.name.clone()}</p>
                <h3 class="card-title"><Headline card=card.clone()/></h3>
                {large.then(|| view! { <p class="card-lead">{card.lead.clone()}</p> })}
                <p class="card-meta">
                    <Time ts=card.published_at text=dates::date(card.published_at)/>
                </p>
            </div>
        </article>
    }
}

/// A compact list of headlines with their time, for "Laatste nieuws" and sidebars.
#[component]
pub fn HeadlineList(cards: Vec<ArticleCard>) -> impl IntoView {
    let now = chrono::Utc::now().timestamp();
    view! {
        <ol class="headlines">
            {cards.into_iter().map(|card| view! {
                <li>
                    <Time ts=card.published_at text=dates::list_time(card.published_at, now)/>
                    " "
                    <Headline card/>
                </li>
            }).collect_view()}
        </ol>
    }
}
