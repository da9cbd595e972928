//! `/redactie/liveblog/:id`: the console of one live blog. Posting is fast: after each update
//! the page comes back with the field empty and focused. Plain forms, so it works without
//! JavaScript too.

use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{query, NewsroomShell};
use crate::{
    accounts::Role,
    dates,
    live::blog::{newsroom_blog, BlogConsole, BlogPost, BlogStatus, POST_MAX_CHARS},
    markup::textarea_html,
};

/// A refused update, shown again with what was typed.
#[derive(Clone, Debug, Default)]
pub struct BlogSubmission {
    /// The update being edited; `None` for a new one.
    pub post: Option<i64>,
    pub text: String,
    pub key_event: bool,
    pub error: String,
}

fn notice(code: &str) -> Option<&'static str> {
    match code {
        "gestart" => Some("Het liveblog loopt: updates verschijnen meteen bij de lezers."),
        "geplaatst" => Some("Geplaatst: de update staat bovenaan het liveblog."),
        "bewerkt" => Some("Opgeslagen: lezers zien de update als aangepast."),
        "verwijderd" => Some("De update is verwijderd."),
        "vastgezet" => Some("De update staat vast bovenaan."),
        "losgemaakt" => Some("Er staat geen update meer vast."),
        "gesloten" => Some("Het liveblog is gesloten."),
        "heropend" => Some("Het liveblog loopt weer."),
        _ => None,
    }
}

#[component]
pub fn BlogConsolePage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Liveblog">
            <ConsoleView/>
        </NewsroomShell>
    }
}

#[component]
fn ConsoleView() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let data = Resource::new_blocking(move || id, newsroom_blog);
    let submission = use_context::<BlogSubmission>().unwrap_or_default();
    let done = notice(&query("gelukt"));
    view! {
        {done.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
        <Suspense>
            {move || {
                let submission = submission.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(Some(blog)) => view! { <Console blog submission/> }.into_any(),
                        Ok(None) => view! { <p class="form-error">"Dit artikel is geen liveblog."</p> }.into_any(),
                        Err(_) => view! { <p class="form-error">"Dit scherm kon niet worden geladen."</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Console(blog: BlogConsole, submission: BlogSubmission) -> impl IntoView {
    let id = blog.article_id;
    let live = blog.status == BlogStatus::Live;
    let (new_text, new_key, new_error) = match submission.post {
        None if !submission.error.is_empty() => (
            submission.text.clone(),
            submission.key_event,
            Some(submission.error.clone()),
        ),
        _ => Default::default(),
    };
    let pinned = blog.posts.iter().any(|p| p.pinned);
    view! {
        <p>
            <a href=blog.url.clone()>{blog.title.clone()}</a>
            " · "
            {if live { "loopt" } else { "gesloten" }}
        </p>
        {live.then(|| view! {
            <section class="live-console" aria-labelledby="update-plaatsen">
                <h2 id="update-plaatsen">"Update plaatsen"</h2>
                <form method="post" action=paths::BLOG_UPDATES.to(&[&id]) class="stack">
                    <div class="field">
                        <label for="update">{format!("Update * (Markdown, hoogstens {POST_MAX_CHARS} tekens)")}</label>
                        <textarea id="update" name="bericht" rows="5" required autofocus
                            maxlength=POST_MAX_CHARS.to_string()
                            aria-invalid=new_error.is_some().then_some("true")
                            aria-describedby=new_error.as_ref().map(|_| "fout-update")
                            inner_html=textarea_html(&new_text)></textarea>
                        {new_error.map(|e| view! { <p class="field-error" id="fout-update">{e}</p> })}
                    </div>
                    <div class="field checkbox">
                        <input type="checkbox" id="hoofdpunt" name="hoofdpunt" checked=new_key/>
                        <label for="hoofdpunt">"Hoofdpunt"</label>
                    </div>
                    <button type="submit" class="button-primary">"Update plaatsen"</button>
                </form>
            </section>
        })}
        <section aria-labelledby="updates-titel">
            <h2 id="updates-titel">"Updates"</h2>
            {blog.posts.is_empty().then(|| view! { <p class="empty">"Nog geen updates."</p> })}
            {pinned.then(|| view! {
                <form method="post" action=paths::BLOG_UNPIN.to(&[&id]) class="inline">
                    <button type="submit">"Niets meer vastzetten"</button>
                </form>
            })}
            <ol class="live-items">
                {blog.posts.into_iter().map(|post| {
                    let submission = (submission.post == Some(post.id)).then(|| submission.clone());
                    view! { <ConsolePost article=id post submission/> }
                }).collect_view()}
            </ol>
        </section>
        <section class="live-console" aria-labelledby="blog-status">
            <h2 id="blog-status">"Liveblog"</h2>
            {if live {
                view! {
                    <form method="post" action=paths::BLOG_CLOSE.to(&[&id])>
                        <button type="submit">"Liveblog sluiten"</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <form method="post" action=paths::BLOG_REOPEN.to(&[&id])>
                        <button type="submit">"Liveblog heropenen"</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ConsolePost(article: i64, post: BlogPost, submission: Option<BlogSubmission>) -> impl IntoView {
    let id = post.id;
    let base = paths::BLOG_UPDATE.to(&[&article, &id]);
    let (text, key, error) = match submission {
        Some(s) => (s.text, s.key_event, Some(s.error)),
        None => (post.body_md.clone(), post.key_event, None),
    };
    let open = error.is_some();
    view! {
        <li class:is-pinned=post.pinned>
            <time datetime=dates::iso(post.created_at)>{dates::clock(post.created_at)}</time>
            {post.pinned.then_some(" · vastgezet")}
            {post.key_event.then_some(" · hoofdpunt")}
            {post.edited_at.map(|t| format!(" · aangepast om {}", dates::clock(t)))}
            <div class="live-post-body" inner_html=post.html.clone()></div>
            <details open=open>
                <summary>"Bewerken"</summary>
                <form method="post" action=base.clone() class="stack">
                    <label for=format!("update-{id}")>"Nieuwe tekst *"</label>
                    <textarea id=format!("update-{id}") name="bericht" rows="4" required
                        maxlength=POST_MAX_CHARS.to_string()
                        aria-invalid=error.is_some().then_some("true")
                        aria-describedby=error.as_ref().map(|_| format!("fout-update-{id}"))
                        inner_html=textarea_html(&text)></textarea>
                    {error.map(|e| view! { <p class="field-error" id=format!("fout-update-{id}")>{e}</p> })}
                    <div class="field checkbox">
                        <input type="checkbox" id=format!("hoofdpunt-{id}") name="hoofdpunt" checked=key/>
                        <label for=format!("hoofdpunt-{id}")>"Hoofdpunt"</label>
                    </div>
                    <button type="submit">"Opslaan"</button>
                </form>
            </details>
            {(!post.pinned).then(|| view! {
                <form method="post" action=format!("{base}/vastzetten") class="inline">
                    <button type="submit">"Vastzetten"</button>
                </form>
            })}
            <form method="post" action=format!("{base}/verwijderen") class="inline">
                <button type="submit">"Verwijderen"</button>
            </form>
        </li>
    }
}
