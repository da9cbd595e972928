//! `/redactie/logboek`: the audit log, filtered by who and what (admins). The overview shows
//! its newest lines to editors.

use leptos::prelude::*;

use super::{newsroom_audit, query, NewsroomShell};
use crate::{
    accounts::Role,
    audit::{action, AuditEntry, AuditFilter},
    dates, paths,
};

#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Admin title="Logboek">
            <AuditView/>
        </NewsroomShell>
    }
}

#[component]
fn AuditView() -> impl IntoView {
    let filter = AuditFilter {
        user: query("wie"),
        action: query("wat"),
    };
    let chosen = filter.clone();
    let data = Resource::new_blocking(move || filter.clone(), newsroom_audit);
    view! {
        <Suspense>
            {move || {
                let chosen = chosen.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(log) => view! {
                            <form method="get" action=paths::AUDIT class="filters">
                                <div class="field">
                                    <label for="logboek-wie">"Wie"</label>
                                    <select id="logboek-wie" name="wie">
                                        <option value="">"Iedereen"</option>
                                        {log.people.into_iter().map(|name| {
                                            let selected = name == chosen.user;
                                            let value = name.clone();
                                            view! { <option value=value selected=selected>{name}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="logboek-wat">"Wat"</label>
                                    <select id="logboek-wat" name="wat">
                                        <option value="">"Alles"</option>
                                        {action::ALL.into_iter().map(|done| view! {
                                            <option value=done selected={done == chosen.action}>{done}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">"Tonen"</button>
                            </form>
                            <AuditList entries=log.entries/>
                        }.into_any(),
                        Err(_) => view! { <p class="form-error">"Het logboek kon niet worden geladen."</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Lines of the log, newest first.
#[component]
pub fn AuditList(entries: Vec<AuditEntry>) -> impl IntoView {
    let empty = entries.is_empty();
    view! {
        {empty.then(|| view! { <p class="empty">"Nog niets in het logboek."</p> })}
        <ol class="audit-log">
            {entries.into_iter().map(|entry| view! {
                <li>
                    <time datetime=dates::iso(entry.at)>{dates::long_datetime(entry.at)}</time>
                    " · " {entry.user_name} " · " <strong>{entry.action}</strong>
                    {(!entry.detail.is_empty()).then(|| view! { " · " {entry.detail} })}
                    " " <span class="muted">"(" {entry.subject} ")"</span>
                </li>
            }).collect_view()}
        </ol>
    }
}
