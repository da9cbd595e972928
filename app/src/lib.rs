//! Zender's application: shared types, pages, islands and server functions.
//!
//! Compiled twice: with `ssr` into the server, with `hydrate` into the browser bundle, where only
//! the `#[island]` components end up. Server-only modules sit behind `#[cfg(feature = "ssr")]`.
#![recursion_limit = "256"]

pub mod accounts;
pub mod articles;
pub mod audit;
pub mod calamity;
pub mod comments;
pub mod components;
pub mod dates;
pub mod i18n;
pub mod live;
pub mod markup;
pub mod media;
pub mod newsroom;
pub mod on_air;
pub mod pages;
pub mod paths;
pub mod search;
pub mod site;
pub mod site_pages;
pub mod slug;
pub mod tips;

#[cfg(feature = "ssr")]
pub mod clients;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod freshness;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod text;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    components::layout::Layout,
    i18n::ui,
    newsroom::{
        ArticlesPage, BlogConsolePage, EditorPage, LivePage, LoginPage, ModerationPage,
        OverviewPage, PasswordPage, UsersPage,
    },
    pages::{ArticlePage, AuthorPage, HomePage, NotFound, SectionPage, TagPage},
};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::send_policy();
    view! {
        <!DOCTYPE html>
        <html lang=ui().lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="stylesheet" id="zender" href=stylesheet_href(&options)/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The stylesheet's address, its content hash in the name when the build hashes assets (read
/// from `hash.txt` beside the executable once, not for every page as leptos_meta's
/// `HashedStylesheet` does).
fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
            })
            .flatten()
            .and_then(|hashes| {
                hashes.lines().find_map(|line| {
                    let (file, hash) = line.trim().split_once(':')?;
                    (file == "css").then(|| format!(".{}", hash.trim()))
                })
            })
            .unwrap_or_default();
        format!(
            "/{}/{}{hash}.css",
            options.site_pkg_dir, options.output_name
        )
    })
}

/// For server functions: logs a failure with its cause and what was being done, and gives the
/// browser a bare "internal error" (the detail stays in the log).
#[cfg(feature = "ssr")]
pub fn internal<E: std::fmt::Display>(doing: &'static str) -> impl Fn(E) -> ServerFnError {
    move |err| {
        tracing::error!(error = %err, "{doing} failed");
        ServerFnError::new("internal error")
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Link rel="alternate" type_="application/rss+xml" href=paths::SITE_RSS title="RSS"/>
        <Link rel="alternate" type_="application/atom+xml" href=paths::SITE_ATOM title="Atom"/>
        <Meta name="theme-color" content="#0b2545"/>
        // leptos_meta writes the title's text into <title> unescaped; a title holding
        // "</title><script>" (a search query, say) must stay text.
        <Title formatter=|text: String| markup::escape_text(&text)/>
        <Router>
            <Layout>
                // Pages render completely before the first byte, so the status code is right and
                // a reader without JavaScript gets the whole page.
                <Routes fallback=NotFound>
                    <Route path=path!("/redactie") view=OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/inloggen") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/wachtwoord") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/gebruikers") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/logboek") view=crate::newsroom::AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/live") view=LivePage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/reacties") view=ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/liveblog/:id") view=BlogConsolePage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/artikelen") view=ArticlesPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/artikelen/nieuw") view=EditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/artikelen/:id") view=EditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/inbox") view=crate::newsroom::InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/calamiteit") view=crate::newsroom::CalamityPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/programmering") view=crate::newsroom::ProgrammingPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/paginas") view=crate::newsroom::SitePagesPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/paginas/nieuw") view=crate::newsroom::SitePageEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/redactie/paginas/:id") view=crate::newsroom::SitePageEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/pagina/:slug") view=crate::site_pages::SitePageRoute ssr=SsrMode::Async/>
                    <Route path=path!("/gids") view=crate::on_air::GuidePage ssr=SsrMode::Async/>
                    <Route path=path!("/programma/:slug") view=crate::on_air::ProgrammeRoute ssr=SsrMode::Async/>
                    <Route path=path!("/tip") view=crate::tips::TipPage ssr=SsrMode::Async/>
                    <Route path=path!("/correctie/:article") view=crate::tips::CorrectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/zoeken") view=crate::search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/:section") view=SectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/tag/:slug") view=TagPage ssr=SsrMode::Async/>
                    <Route path=path!("/auteur/:slug") view=AuthorPage ssr=SsrMode::Async/>
                    <Route path=path!("/:section/:slug") view=ArticlePage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
