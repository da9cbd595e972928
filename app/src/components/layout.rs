//! Header, section navigation and footer around every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    components::menu::MobileMenu,
    i18n::ui,
    live::{load_live, Banner, BannerStrip, TickerEntry},
    site::SiteInfo,
};

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
    let reader_page = !path.starts_with("/redactie");
    let live = Resource::new_blocking(|| (), |_| load_live());
    let live_part = move |ticker: bool| {
        Suspend::new(async move {
            let snapshot = live.await.unwrap_or_default();
            let since = snapshot.last_event_id;
            // Server-rendered for now: the islands that keep them live push the reader bundle
            // over its 100 KB budget (serde props); they return once they carry no serde.
            let _ = since;
            if ticker {
                view! { <StaticTicker items=snapshot.ticker/> }.into_any()
            } else {
                view! { <StaticBanner current=snapshot.breaking/> }.into_any()
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
        <Suspense>{move || live_part(false)}</Suspense>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href="/">
                    <span class="brand-name">{site.name.clone()}</span>
                    <span class="brand-tagline">{site.tagline.clone()}</span>
                </a>
                <MobileMenu>
                    <nav id="hoofdmenu" class="site-nav" aria-label=ui.sections_nav_label>
                        <ul>{nav}</ul>
                    </nav>
                </MobileMenu>
            </div>
        </header>
        <div class="wrap page-grid" class:has-ticker=reader_page>
            <main id="inhoud" tabindex="-1">{children()}</main>
            {reader_page.then(|| view! {
                <aside class="ticker-aside" aria-label="Kort nieuws">
                    <Suspense>{move || live_part(true)}</Suspense>
                </aside>
            })}
        </div>
        <footer class="site-footer">
            <div class="wrap">
                <p class="footer-name">{site.name.clone()}</p>
                <p>{site.tagline.clone()}</p>
                <p class="demo-notice">{ui.footer_demo_notice}</p>
            </div>
        </footer>
    }
}

/// The ticker as the server renders it: the latest items and a link that reloads.
#[component]
fn StaticTicker(items: Vec<TickerEntry>) -> impl IntoView {
    view! {
        <section class="ticker" aria-labelledby="ticker-titel">
            <h2 id="ticker-titel" class="block-title">"Kort nieuws"</h2>
            <ol class="ticker-list">
                {items.iter().map(|item| view! {
                    <li class="ticker-item" inner_html=item.html.clone()></li>
                }).collect_view()}
            </ol>
            {items.is_empty().then(|| view! { <p class="ticker-empty">"Nog geen korte berichten."</p> })}
            <p class="ticker-reload"><a href="">"Vernieuwen"</a></p>
        </section>
    }
}

#[component]
fn StaticBanner(current: Option<Banner>) -> impl IntoView {
    view! {
        <div class="breaking-slot">
            {current.map(|banner| view! { <BannerStrip banner/> })}
        </div>
    }
}
