//! Header, section navigation and footer around every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    calamity::StripSlot,
    components::menu::MobileMenu,
    i18n::ui,
    live::{load_live, ticker_items, Banner, BannerStrip, LiveUpdates, TickerEntry, TICKER_SHOWN},
    site::SiteInfo,
};

/// The live parts the layout places, all from one snapshot.
#[derive(Clone, Copy)]
enum Part {
    Calamity,
    Banner,
    Ticker,
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let path = use_location().pathname.get_untracked();
    let current_section = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
        .to_string();
    let ui = ui();
    // Reader pages carry the ticker; the banner is on every page, the newsroom's too.
    let reader_page = !crate::paths::in_newsroom(&path);
    let live = Resource::new_blocking(|| (), |_| load_live());
    let live_part = move |part: Part| {
        Suspend::new(async move {
            let snapshot = live.await.unwrap_or_default();
            let since = snapshot.last_event_id;
            match part {
                Part::Calamity => view! { <StripSlot strip=snapshot.calamity since/> }.into_any(),
                Part::Banner => view! { <BannerPart current=snapshot.breaking since/> }.into_any(),
                Part::Ticker => view! { <TickerPart items=snapshot.ticker since/> }.into_any(),
            }
        })
    };
    let nav = site
        .sections
        .iter()
        .map(|section| {
            let current = (section.slug == current_section).then_some("page");
            view! {
                <li>
                    <a href=section.url() aria-current=current>{section.name.clone()}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <a class="skip-link" href="#inhoud">{ui.skip_to_content}</a>
        <Suspense>{move || live_part(Part::Calamity)}</Suspense>
        <Suspense>{move || live_part(Part::Banner)}</Suspense>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href="/">
                    <span class="brand-name">{site.name.clone()}</span>
                    <span class="brand-tagline">{site.tagline.clone()}</span>
                </a>
                <form class="site-search" role="search" method="get" action=crate::search::SEARCH_PATH
                    aria-label="Zoeken op de site">
                    <label class="visually-hidden" for="zoeken-kop">"Zoeken"</label>
                    <input id="zoeken-kop" name="q" type="search" placeholder="Zoeken…"
                        maxlength="200" enterkeyhint="search"/>
                    <button type="submit">"Zoek"</button>
                </form>
                <MobileMenu>
                    <nav id="hoofdmenu" class="site-nav" aria-label=ui.sections_nav_label>
                        <ul>
                            {nav}
                            <li>
                                <a href=crate::paths::GUIDE
                                    aria-current=(path == crate::paths::GUIDE).then_some("page")>"Gids"</a>
                            </li>
                        </ul>
                    </nav>
                </MobileMenu>
            </div>
        </header>
        <div class="wrap page-grid" class:has-ticker=reader_page>
            <main id="inhoud" tabindex="-1">{children()}</main>
            {reader_page.then(|| view! {
                <aside class="ticker-aside" aria-label="Kort nieuws">
                    <Suspense>{move || live_part(Part::Ticker)}</Suspense>
                </aside>
            })}
        </div>
        <footer class="site-footer">
            <div class="wrap">
                <p class="footer-name">{site.name.clone()}</p>
                <p>{site.tagline.clone()}</p>
                <crate::site_pages::FooterLinks/>
                <p class="demo-notice">{ui.footer_demo_notice}</p>
            </div>
        </footer>
        <LiveUpdates/>
    }
}

/// The ticker: the latest items, kept current by `LiveUpdates`; without JavaScript, a link
/// reloads.
#[component]
fn TickerPart(items: Vec<TickerEntry>, since: i64) -> impl IntoView {
    let empty = items.is_empty();
    view! {
        <section class="ticker" aria-labelledby="ticker-titel">
            <h2 id="ticker-titel" class="block-title">"Kort nieuws"</h2>
            <ol class="ticker-list" data-live="ticker" data-since=since
                data-max=TICKER_SHOWN aria-live="polite" aria-relevant="additions">
                {ticker_items(items)}
            </ol>
            {empty.then(|| view! { <p class="ticker-empty" data-empty="1">"Nog geen korte berichten."</p> })}
            <p class="live-reload" data-live-reload="1"><a href="">"Vernieuwen"</a></p>
        </section>
    }
}

#[component]
fn BannerPart(current: Option<Banner>, since: i64) -> impl IntoView {
    view! {
        <div class="breaking-slot" data-live="breaking" data-since=since aria-live="polite">
            {current.map(|banner| view! { <BannerStrip banner/> })}
        </div>
    }
}
