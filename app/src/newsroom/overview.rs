use leptos::{either::Either, prelude::*};

use super::{articles::ArticleTable, newsroom_overview, NewsroomShell};
use crate::accounts::Role;

/// `/redactie`: what needs attention.
#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Contributor title="Overzicht">
            <Overview/>
        </NewsroomShell>
    }
}

#[component]
fn Overview() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| newsroom_overview());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => Either::Left(view! {
                        <section><h2>"Ter beoordeling"</h2><ArticleTable rows=o.awaiting_review/></section>
                        <section><h2>"Ingepland"</h2><ArticleTable rows=o.scheduled/></section>
                        <section><h2>"Recent gepubliceerd"</h2><ArticleTable rows=o.recently_published/></section>
                    }),
                    Err(_) => Either::Right(view! { <p class="form-error">"Het overzicht kon niet worden geladen."</p> }),
                }
            })}
        </Suspense>
    }
}
