//! Header, section navigation and footer around every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{components::menu::MobileMenu, i18n::ui, site::SiteInfo};

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
        <main id="inhoud" class="wrap" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p class="footer-name">{site.name.clone()}</p>
                <p>{site.tagline.clone()}</p>
                <p class="demo-notice">{ui.footer_demo_notice}</p>
            </div>
        </footer>
    }
}
