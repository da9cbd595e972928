//! The home page while a calamity is on: the official messages first, then the newsroom's live
//! blog, then the latest articles. Otherwise the home page as always.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use serde::{Deserialize, Serialize};

use super::{Calamity, MessageList, OfficialMessage};
use crate::{
    articles::{ArticleCard, HomeData},
    components::cards::HeadlineList,
    dates,
    live::blog::{LiveBlog, LiveBlogSection},
    paths,
    site::SiteInfo,
};

/// Articles the calamity home lists after the messages and the blog.
#[cfg(feature = "ssr")]
const LATEST: usize = 8;

/// What the calamity home shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalamityFront {
    pub calamity: Calamity,
    pub messages: Vec<OfficialMessage>,
    pub blog: Option<LiveBlog>,
    pub latest: Vec<ArticleCard>,
    /// The event the messages are current up to.
    pub since: i64,
}

/// The home page: as always, or the calamity's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Front {
    Normal(HomeData),
    Calamity(CalamityFront),
}

#[cfg(feature = "ssr")]
const DOING: &str = "loading the home page";

#[server]
pub async fn load_front() -> Result<Front, ServerFnError> {
    use crate::{articles, live::blog};
    let state = expect_context::<crate::state::AppState>();
    let now = crate::db::now();
    let fail = crate::internal(DOING);
    // Read before the messages: anything that lands meanwhile is sent again.
    let since = state.live.content_id();
    let newest = articles::newest(&state, now).await.map_err(&fail)?;
    let Some(calamity) = super::store::current(&state, now).await.map_err(&fail)? else {
        return articles::store::home(&state.db, &newest, now)
            .await
            .map(Front::Normal)
            .map_err(fail);
    };
    let messages = super::store::messages(&state.db, calamity.id)
        .await
        .map_err(&fail)?;
    let blog = match &calamity.blog {
        Some(link) => blog::store::blog(&state.db, link.article_id)
            .await
            .map_err(&fail)?,
        None => None,
    };
    Ok(Front::Calamity(CalamityFront {
        calamity: (*calamity).clone(),
        messages,
        blog,
        latest: newest.iter().take(LATEST).cloned().collect(),
        since,
    }))
}

#[component]
pub fn CalamityHome(front: CalamityFront) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let CalamityFront {
        calamity,
        messages,
        blog,
        latest,
        since,
    } = front;
    let structured_data = crate::pages::calamity_structured_data(&site, &calamity, &messages);
    let blog_title = calamity
        .blog
        .as_ref()
        .map(|b| (b.title.clone(), b.path.clone()));
    view! {
        <Title text=format!("Calamiteit: {} – {}", calamity.title, site.name)/>
        <Meta name="description" content=format!("Officiële informatie en nieuws over: {}", calamity.title)/>
        <Link rel="canonical" href=format!("{}/", site.base_url)/>
        <Link rel="alternate" type_="application/rss+xml" href=paths::CALAMITY_RSS title="Officiële berichten"/>
        <crate::pages::JsonLd blocks=structured_data/>
        <div class="calamity-home">
            <header class="calamity-header">
                <p class="calamity-kicker">"Calamiteit"</p>
                <h1>{calamity.title.clone()}</h1>
                <p class="calamity-meta">
                    "Gebied: " {calamity.areas.clone()} " · sinds "
                    <time datetime=dates::iso(calamity.started_at)>{dates::long_datetime(calamity.started_at)}</time>
                </p>
                <ul class="calamity-actions">
                    {calamity.stream_url.clone().map(|href| view! { <li><a href=href class="button-primary">"Luister live"</a></li> })}
                    <li><a href=paths::CALAMITY>"Tekstversie (werkt ook bij storing)"</a></li>
                    <li><a href=paths::CALAMITY_RSS>"Officiële berichten als RSS"</a></li>
                </ul>
            </header>
            <section class="officials" aria-labelledby="officiele-berichten">
                <h2 id="officiele-berichten" class="block-title">"Officiële berichten"</h2>
                <p class="official-note">
                    "Deze berichten komen van de overheid (veiligheidsregio, gemeente, politie) en staan apart van het nieuws van de redactie."
                </p>
                <div class="official-part" data-live=crate::live::OFFICIAL data-since=since>
                    <MessageList messages/>
                </div>
            </section>
            {blog.map(|blog| view! {
                <section class="calamity-blog" aria-labelledby="calamiteit-liveblog">
                    <h2 id="calamiteit-liveblog" class="block-title">
                        "Nieuws van de redactie"
                        {blog_title.map(|(title, path)| view! { ": " <a href=path>{title}</a> })}
                    </h2>
                    <LiveBlogSection blog/>
                </section>
            })}
            <section class="latest" aria-labelledby="calamiteit-laatste">
                <h2 id="calamiteit-laatste" class="block-title">"Laatste nieuws"</h2>
                <HeadlineList cards=latest/>
            </section>
            <p class="see-also">
                "Zie ook " <a href="https://www.nl-alert.nl/">"nl-alert.nl"</a> " en "
                <a href="https://www.crisis.nl/">"crisis.nl"</a> "."
            </p>
        </div>
    }
}
