//! The section menu's toggle on small screens: the site's smallest island.

use leptos::prelude::*;

use crate::i18n::ui;

/// Wraps the section navigation. Without JavaScript the menu is simply always open; once this
/// island hydrates it collapses on small screens behind a button.
#[island]
pub fn MobileMenu(children: Children) -> impl IntoView {
    let (open, set_open) = signal(false);
    let (ready, set_ready) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_ready.set(true));
    view! {
        <div class="menu" class:open=open data-ready=move || ready.get().to_string()>
            <button
                type="button"
                class="menu-toggle"
                aria-controls="hoofdmenu"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| set_open.update(|open| *open = !*open)
            >
                {move || if open.get() { ui().menu_close } else { ui().menu_open }}
            </button>
            {children()}
        </div>
    }
}
