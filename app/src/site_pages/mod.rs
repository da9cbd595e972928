//! The broadcaster's own pages: Over ons, Contact, Colofon, Privacyverklaring and the
//! toegankelijkheidsverklaring. Markdown, sanitised like articles, at `/pagina/<slug>`, linked
//! from the footer in their order, kept with revisions. Editors manage them in the newsroom.

#[cfg(feature = "ssr")]
pub mod store;

use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::{
    dates,
    pages::{absolute, NotFound, ServerError},
    paths,
    site::SiteInfo,
    slug::Slug,
};

#[cfg(feature = "ssr")]
const DOING: &str = "loading a site page";

/// Longest title, in characters.
pub const TITLE_MAX: usize = 120;
/// Longest text, in characters (a long privacy statement fits many times over).
pub const BODY_MAX: usize = 100_000;

/// A page as readers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePage {
    pub slug: String,
    pub title: String,
    pub body_html: String,
    pub updated_at: i64,
}

/// A link in the footer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FooterLink {
    pub slug: String,
    pub title: String,
}

impl FooterLink {
    pub fn url(&self) -> String {
        paths::SITE_PAGE.to(&[&self.slug])
    }
}

/// A page in the newsroom's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PageSummary {
    pub id: i64,
    pub slug: String,
    pub title: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "i64"))]
    pub in_footer: Flag,
    pub position: i64,
    pub updated_at: i64,
}

/// A 0/1 column as a bool (both engines store integers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag(pub bool);

impl From<i64> for Flag {
    fn from(value: i64) -> Self {
        Flag(value != 0)
    }
}

/// A saved version, for the list under the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PageRevision {
    pub id: i64,
    pub title: String,
    pub user_name: Option<String>,
    pub created_at: i64,
}

/// A page in the editor: what is saved (or a revision put back), and its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageForEditing {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub in_footer: bool,
    pub position: i64,
    pub version: i64,
    /// The revision shown instead of the saved text, when one was asked for.
    pub from_revision: Option<i64>,
    pub revisions: Vec<PageRevision>,
}

/// A page as the editor sent it, checked: a title, an address and a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageDraft {
    pub slug: Slug,
    pub title: String,
    pub body_md: String,
    pub in_footer: bool,
    pub position: i64,
}

impl PageDraft {
    /// Checks what the form holds; the error says what to fix, in Dutch.
    pub fn parse(
        title: &str,
        slug: &str,
        body: &str,
        in_footer: bool,
        position: &str,
    ) -> Result<Self, &'static str> {
        let title = title.trim();
        if title.is_empty() {
            return Err("Geef de pagina een titel.");
        }
        if title.chars().count() > TITLE_MAX {
            return Err("De titel is te lang (hoogstens 120 tekens).");
        }
        let slug = Slug::parse(slug.trim()).map_err(|_| {
            "Het adres mag alleen kleine letters, cijfers en streepjes bevatten, zoals over-ons."
        })?;
        if body.trim().is_empty() {
            return Err("Schrijf de tekst van de pagina.");
        }
        if body.chars().count() > BODY_MAX {
            return Err("De tekst is te lang (hoogstens 100.000 tekens).");
        }
        let position = match position.trim() {
            "" => 0,
            n => n
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=1000).contains(n))
                .ok_or("De volgorde is een getal van 0 tot 1000.")?,
        };
        Ok(PageDraft {
            slug,
            title: title.to_string(),
            body_md: body.replace("\r\n", "\n"),
            in_footer,
            position,
        })
    }
}

#[server]
pub async fn load_site_page(slug: String) -> Result<Option<SitePage>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    store::visible(&state.db, &slug)
        .await
        .map_err(crate::internal(DOING))
}

/// The footer's links, read once per version of the pages.
#[server]
pub async fn footer_links() -> Result<Vec<FooterLink>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    let version = state.live.version(crate::db::now());
    if let Some(kept) = state.footer.get(version) {
        return Ok(kept.to_vec());
    }
    let links: std::sync::Arc<[FooterLink]> = store::footer(&state.db)
        .await
        .map_err(crate::internal(DOING))?
        .into();
    state.footer.keep(version, links.clone());
    Ok(links.to_vec())
}

/// `/pagina/<slug>`.
#[component]
pub fn SitePageRoute() -> impl IntoView {
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let data = Resource::new_blocking(move || slug.clone(), load_site_page);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(page)) => EitherOf3::A(view! { <SitePageView page/> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound/> }),
                    Err(_) => EitherOf3::C(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SitePageView(page: SitePage) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let path = paths::SITE_PAGE.to(&[&page.slug]);
    view! {
        <Title text=format!("{} – {}", page.title, site.name)/>
        <Meta name="description" content=format!("{} van {}", page.title, site.name)/>
        <Link rel="canonical" href=absolute(&site, &path)/>
        <article class="site-page">
            <h1 class="page-title">{page.title}</h1>
            <div class="article-body" inner_html=page.body_html></div>
            <p class="site-page-updated">
                "Bijgewerkt op "
                <time datetime=dates::iso(page.updated_at)>{dates::date(page.updated_at)}</time>
            </p>
        </article>
    }
}

/// The footer's list of pages.
#[component]
pub fn FooterLinks() -> impl IntoView {
    let links = Resource::new_blocking(|| (), |_| footer_links());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let links = links.await.unwrap_or_default();
                (!links.is_empty()).then(|| view! {
                    <nav class="footer-pages" aria-label="Over de omroep">
                        <ul>
                            {links.into_iter().map(|link| {
                                let href = link.url();
                                view! { <li><a href=href>{link.title}</a></li> }
                            }).collect_view()}
                        </ul>
                    </nav>
                })
            })}
        </Suspense>
    }
}
