//! The reader pages. Each loads its data on the server and renders to plain HTML.

mod article;
mod author;
mod home;
mod listing;
mod not_found;
mod section;
mod share;
pub(crate) use share::absolute;
pub(crate) use structured_data::{on_air_guide, on_air_programme};
mod structured_data;
mod tag;

pub use article::{ArticleContent, ArticlePage};
pub use author::AuthorPage;
pub use home::HomePage;
pub use not_found::{NotFound, ServerError};
pub use section::SectionPage;
pub use tag::TagPage;

pub(crate) use structured_data::{calamity as calamity_structured_data, JsonLd};

/// Sets the HTTP status of the page being rendered.
#[cfg(feature = "ssr")]
fn set_status(status: http::StatusCode) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}
