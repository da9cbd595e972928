//! `/redactie/paginas`: the broadcaster's own pages (editors): the list, and an editor per page
//! with its revisions. A refused save comes back with what was typed.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{query, NewsroomShell};
use crate::{
    accounts::Role,
    dates,
    markup::textarea_html,
    paths,
    site_pages::{PageForEditing, PageSummary, BODY_MAX, TITLE_MAX},
};

#[cfg(feature = "ssr")]
use crate::accounts::{auth::authorize, Role as ServerRole};

#[cfg(feature = "ssr")]
const DOING: &str = "loading the site pages";

/// A refused save, shown again with what was typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SitePageSubmission {
    pub title: String,
    pub slug: String,
    pub body: String,
    pub in_footer: bool,
    pub position: String,
    pub version: i64,
    pub error: String,
}

#[server]
pub async fn newsroom_site_pages() -> Result<Vec<PageSummary>, ServerFnError> {
    authorize(ServerRole::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    crate::site_pages::store::list(&state.db)
        .await
        .map_err(crate::internal(DOING))
}

#[server]
pub async fn newsroom_site_page(
    id: i64,
    revision: Option<i64>,
) -> Result<Option<PageForEditing>, ServerFnError> {
    authorize(ServerRole::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    crate::site_pages::store::for_editing(&state.db, id, revision)
        .await
        .map_err(crate::internal(DOING))
}

/// The form's fields, as the editor shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Fields {
    title: String,
    slug: String,
    body: String,
    in_footer: bool,
    position: String,
    version: i64,
}

fn notice(code: &str) -> Option<&'static str> {
    match code {
        "opgeslagen" => Some("De pagina is opgeslagen en staat op de site."),
        "aangemaakt" => Some("De pagina is aangemaakt en staat op de site."),
        _ => None,
    }
}

#[component]
pub fn SitePagesPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Pagina's">
            <PageList/>
        </NewsroomShell>
    }
}

#[component]
fn PageList() -> impl IntoView {
    let pages = Resource::new_blocking(|| (), |_| newsroom_site_pages());
    view! {
        <p>
            "Vaste pagina's van de omroep, zoals Over ons en de toegankelijkheidsverklaring. "
            "Pagina's met een vinkje bij Voettekst staan onderaan elke pagina."
        </p>
        <p><a class="button-primary" href=paths::NEW_SITE_PAGE>"Nieuwe pagina"</a></p>
        <Suspense>
            {move || Suspend::new(async move {
                match pages.await {
                    Ok(list) => view! {
                        <table class="newsroom-table">
                            <thead><tr><th>"Titel"</th><th>"Adres"</th><th>"Voettekst"</th><th>"Bijgewerkt"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|page| {
                                    let public = paths::SITE_PAGE.to(&[&page.slug]);
                                    view! {
                                        <tr>
                                            <td><a href=paths::SITE_PAGE_EDIT.to(&[&page.id])>{page.title}</a></td>
                                            <td><a href=public.clone()>{public.clone()}</a></td>
                                            <td>{if page.in_footer.0 { "ja" } else { "nee" }}</td>
                                            <td>{dates::long_datetime(page.updated_at)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(_) => view! { <p class="form-error">"De pagina's konden niet worden geladen."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/redactie/paginas/nieuw` and `/redactie/paginas/<id>` (`?versie=<revision>` puts a
/// revision back into the form).
#[component]
pub fn SitePageEditorPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Pagina bewerken">
            <SitePageEditor/>
        </NewsroomShell>
    }
}

#[component]
fn SitePageEditor() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok());
    let revision = query("versie").parse::<i64>().ok();
    let submission = use_context::<SitePageSubmission>();
    let data = Resource::new_blocking(
        move || (id, revision),
        |(id, revision)| async move {
            match id {
                Some(id) => newsroom_site_page(id, revision).await,
                None => Ok(None),
            }
        },
    );
    let done = notice(&query("gelukt"));
    view! {
        {done.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
        <Suspense>
            {move || {
                let submission = submission.clone();
                Suspend::new(async move {
                    let page = match data.await {
                        Ok(page) => page,
                        Err(_) => return view! { <p class="form-error">"Deze pagina kon niet worden geladen."</p> }.into_any(),
                    };
                    if id.is_some() && page.is_none() {
                        return view! { <p class="form-error">"Deze pagina bestaat niet (meer)."</p> }.into_any();
                    }
                    let (fields, error) = match (&submission, &page) {
                        (Some(sent), _) => (
                            Fields {
                                title: sent.title.clone(),
                                slug: sent.slug.clone(),
                                body: sent.body.clone(),
                                in_footer: sent.in_footer,
                                position: sent.position.clone(),
                                version: sent.version,
                            },
                            Some(sent.error.clone()),
                        ),
                        (None, Some(page)) => (
                            Fields {
                                title: page.title.clone(),
                                slug: page.slug.clone(),
                                body: page.body_md.clone(),
                                in_footer: page.in_footer,
                                position: page.position.to_string(),
                                version: page.version,
                            },
                            None,
                        ),
                        (None, None) => (Fields { in_footer: true, ..Default::default() }, None),
                    };
                    let action = match id {
                        Some(id) => paths::SITE_PAGE_EDIT.to(&[&id]),
                        None => paths::NEW_SITE_PAGE.to_string(),
                    };
                    let restored = page.as_ref().and_then(|p| p.from_revision);
                    let revisions = page.as_ref().map(|p| p.revisions.clone()).unwrap_or_default();
                    view! {
                        {error.filter(|e| !e.is_empty()).map(|text| view! {
                            <p class="form-error" role="alert" id="pagina-fout">{text}</p>
                        })}
                        {restored.map(|_| view! {
                            <p class="form-notice" role="status">
                                "Een eerdere versie staat in het formulier. Opslaan maakt er de huidige versie van."
                            </p>
                        })}
                        <form method="post" action=action class="stack">
                            <input type="hidden" name="versie" value=fields.version/>
                            <label for="pagina-titel">"Titel " <span aria-hidden="true">"*"</span></label>
                            <input id="pagina-titel" name="titel" required maxlength=TITLE_MAX value=fields.title/>
                            <label for="pagina-adres">"Adres " <span aria-hidden="true">"*"</span></label>
                            <p class="hint" id="pagina-adres-uitleg">
                                "Kleine letters, cijfers en streepjes; de pagina staat dan op /pagina/<adres>."
                            </p>
                            <input id="pagina-adres" name="adres" required pattern="[a-z0-9]+(-[a-z0-9]+)*"
                                aria-describedby="pagina-adres-uitleg" value=fields.slug/>
                            <label for="pagina-tekst">"Tekst (Markdown) " <span aria-hidden="true">"*"</span></label>
                            <p class="hint" id="pagina-tekst-uitleg">
                                "Tussenkopjes met ##, opsommingen met -, links als [tekst](/pagina/contact)."
                            </p>
                            <textarea id="pagina-tekst" name="tekst" rows="24" required maxlength=BODY_MAX
                                aria-describedby="pagina-tekst-uitleg"
                                inner_html=textarea_html(&fields.body)></textarea>
                            <label class="checkbox">
                                <input type="checkbox" name="voettekst" value="1" checked=fields.in_footer/>
                                " In de voettekst van elke pagina"
                            </label>
                            <label for="pagina-volgorde">"Volgorde in de voettekst"</label>
                            <input id="pagina-volgorde" name="volgorde" inputmode="numeric" value=fields.position/>
                            <button type="submit" class="button-primary">"Opslaan en publiceren"</button>
                        </form>
                        {(!revisions.is_empty()).then(|| {
                            let id = id.unwrap_or_default();
                            view! {
                                <h2>"Versies"</h2>
                                <ol class="revisions">
                                    {revisions.into_iter().map(|r| view! {
                                        <li>
                                            {dates::long_datetime(r.created_at)} " · "
                                            {r.user_name.unwrap_or_else(|| "onbekend".into())} " · " {r.title} " · "
                                            <a href=format!("{}?versie={}", paths::SITE_PAGE_EDIT.to(&[&id]), r.id)>
                                                "In het formulier zetten"
                                            </a>
                                        </li>
                                    }).collect_view()}
                                </ol>
                            }
                        })}
                    }.into_any()
                })
            }}
        </Suspense>
    }
}
