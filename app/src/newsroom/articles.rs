use crate::paths;
use leptos::{either::Either, prelude::*};

use super::{newsroom_articles, query, NewsroomShell};
use crate::{
    accounts::Role,
    articles::{
        draft::{NewsroomFilter, NewsroomRow},
        ArticleStatus,
    },
    dates,
    site::SiteInfo,
};

/// A table of articles with their state, for the overview and the list.
#[component]
pub fn ArticleTable(rows: Vec<NewsroomRow>) -> impl IntoView {
    if rows.is_empty() {
        return Either::Left(view! { <p class="empty">"Geen artikelen."</p> });
    }
    Either::Right(view! {
        <table class="newsroom-table">
            <thead>
                <tr><th>"Titel"</th><th>"Rubriek"</th><th>"Status"</th><th>"Bijgewerkt"</th></tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let status = match (row.status, row.published_at) {
                        (ArticleStatus::Scheduled, Some(at)) => format!("Ingepland: {}", dates::long_datetime(at)),
                        (status, _) if row.review_requested => format!("{} · ter beoordeling", status.label()),
                        (status, _) => status.label().to_string(),
                    };
                    view! {
                        <tr>
                            <td><a href=paths::ARTICLE.to(&[&row.id])>{row.title}</a></td>
                            <td>{row.section_name}</td>
                            <td>{status}</td>
                            <td><time datetime=dates::iso(row.updated_at)>{dates::long_datetime(row.updated_at)}</time></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    })
}

/// `/redactie/artikelen`: every article, filtered by status, section, author and title.
#[component]
pub fn ArticlesPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Contributor title="Artikelen">
            <ArticleList/>
        </NewsroomShell>
    }
}

#[component]
fn ArticleList() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let filter = NewsroomFilter {
        status: query("status"),
        section: query("rubriek"),
        author: query("auteur"),
        search: query("zoek"),
    };
    let rows = Resource::new_blocking(move || filter.clone(), newsroom_articles);
    let selected = |current: &str, value: &str| (current == value).then_some("selected");
    let status = query("status");
    let section = query("rubriek");
    view! {
        <form method="get" class="filters" role="search">
            <label>"Status "
                <select name="status">
                    <option value="">"Alle"</option>
                    {[("draft", "Concept"), ("scheduled", "Ingepland"), ("published", "Gepubliceerd")]
                        .into_iter()
                        .map(|(value, label)| view! {
                            <option value=value selected=selected(&status, value)>{label}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label>"Rubriek "
                <select name="rubriek">
                    <option value="">"Alle"</option>
                    {site.sections.iter().map(|s| view! {
                        <option value=s.slug.clone() selected=selected(&section, &s.slug)>{s.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Auteur (slug) " <input name="auteur" value=query("auteur") size="14"/></label>
            <label>"Titel bevat " <input type="search" name="zoek" value=query("zoek")/></label>
            <button type="submit">"Filteren"</button>
        </form>
        <p><a class="button-primary" href=paths::NEW_ARTICLE>"Nieuw artikel"</a></p>
        <Suspense>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => Either::Left(view! { <ArticleTable rows/> }),
                    Err(_) => Either::Right(view! { <p class="form-error">"De lijst kon niet worden geladen."</p> }),
                }
            })}
        </Suspense>
    }
}
