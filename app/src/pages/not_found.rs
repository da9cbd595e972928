use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::ui;

/// The Dutch 404 page; answers with HTTP status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::set_status(http::StatusCode::NOT_FOUND);
    let ui = ui();
    view! {
        <Title text=ui.not_found_title/>
        <Meta name="robots" content="noindex"/>
        <section class="message-page">
            <h1>{ui.not_found_title}</h1>
            <p>{ui.not_found_text}</p>
            <p><a href="/">{ui.not_found_home}</a></p>
        </section>
    }
}

/// Shown when a page could not be loaded; answers with HTTP status 500. The cause is in the log.
#[component]
pub fn ServerError() -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    let ui = ui();
    view! {
        <Title text=ui.server_error_title/>
        <section class="message-page">
            <h1>{ui.server_error_title}</h1>
            <p>{ui.server_error_text}</p>
            <p><a href="/">{ui.not_found_home}</a></p>
        </section>
    }
}
