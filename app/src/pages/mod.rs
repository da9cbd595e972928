//! The reader pages. Each loads its data on the server and renders to plain HTML.

mod article;
mod home;
mod not_found;
mod section;

pub use article::{ArticleContent, ArticlePage};
pub use home::HomePage;
pub use not_found::{NotFound, ServerError};
pub use section::SectionPage;

/// Sets the HTTP status of the page being rendered.
#[cfg(feature = "ssr")]
fn set_status(status: http::StatusCode) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}
