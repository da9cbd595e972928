use crate::paths;
use leptos::{either::Either, prelude::*};

use super::{articles::ArticleTable, audit::AuditList, newsroom_overview, NewsroomShell};
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
                        <section>
                            <h2>"Nu"</h2>
                            <ul class="live-items">
                                {o.pending_comments.map(|pending| view! {
                                    <li>
                                        <a href=paths::MODERATION>
                                            {match pending {
                                                0 => "Geen reacties wachten op moderatie.".to_string(),
                                                1 => "1 reactie wacht op moderatie.".to_string(),
                                                n => format!("{n} reacties wachten op moderatie."),
                                            }}
                                        </a>
                                    </li>
                                })}
                                {o.open_inbox.map(|open| view! {
                                    <li>
                                        <a href=paths::INBOX>
                                            {match open {
                                                0 => "Geen open tips of correcties.".to_string(),
                                                1 => "1 tip of correctie in de inbox.".to_string(),
                                                n => format!("{n} tips en correcties in de inbox."),
                                            }}
                                        </a>
                                    </li>
                                })}
                                {o.on_air.into_iter().map(|(station, entry)| view! {
                                    <li>
                                        {format!("Nu op {station}: ")}
                                        <a href=paths::PROGRAMME.to(&[&entry.programme_slug])>{entry.programme_title}</a>
                                        {format!(" (tot {})", crate::dates::clock(entry.ends_at))}
                                    </li>
                                }).collect_view()}
                                {o.live_blogs.into_iter().map(|(id, title)| view! {
                                    <li>
                                        <span class="live-flag">"LIVE"</span> " "
                                        <a href=paths::BLOG.to(&[&id])>{title}</a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section><h2>"Ter beoordeling"</h2><ArticleTable rows=o.awaiting_review/></section>
                        <section><h2>"Ingepland"</h2><ArticleTable rows=o.scheduled/></section>
                        <section><h2>"Recent gepubliceerd"</h2><ArticleTable rows=o.recently_published/></section>
                        {o.recent_activity.map(|entries| view! {
                            <section aria-labelledby="recente-activiteit">
                                <h2 id="recente-activiteit">"Recente activiteit"</h2>
                                <AuditList entries/>
                                <p><a href=paths::AUDIT>"Het hele logboek"</a></p>
                            </section>
                        })}
                    }),
                    Err(_) => Either::Right(view! { <p class="form-error">"Het overzicht kon niet worden geladen."</p> }),
                }
            })}
        </Suspense>
    }
}
