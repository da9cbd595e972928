//! `/redactie/live`: post, edit and remove ticker items; start and end the breaking-news banner.
//! Plain forms (they work without JavaScript); after posting, the page comes back with the
//! message field empty and focused for the next post.

use crate::paths;
use leptos::prelude::*;

use super::{query, NewsroomShell};
use crate::{
    accounts::Role,
    dates,
    live::{blog::BlogStatus, newsroom_live, LiveScreen, TICKER_MAX_CHARS},
    markup::textarea_html,
};

/// A refused live form, shown again with what was typed.
#[derive(Clone, Debug, Default)]
pub struct LiveSubmission {
    /// Which form: "ticker" or "breaking".
    pub form: String,
    pub text: String,
    pub link: String,
    pub error: String,
}

fn notice(code: &str) -> Option<&'static str> {
    match code {
        "ticker" => Some("Geplaatst: het bericht staat in de ticker."),
        "bewerkt" => Some("Opgeslagen: de ticker toont de nieuwe tekst."),
        "verwijderd" => Some("Verwijderd uit de ticker."),
        "breaking" => Some("De banner staat nu bovenaan elke pagina."),
        "beeindigd" => Some("De banner is weg."),
        "artikel" => Some("Kies een gepubliceerd artikel dat nog geen liveblog is."),
        _ => None,
    }
}

#[component]
pub fn LivePage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Live">
            <LiveScreenView/>
        </NewsroomShell>
    }
}

#[component]
fn LiveScreenView() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| newsroom_live());
    let submission = use_context::<LiveSubmission>().unwrap_or_default();
    let done = notice(&query("gelukt")).or(notice(&query("fout")));
    view! {
        {done.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
        <Suspense>
            {move || {
                let submission = submission.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(screen) => view! { <Screen screen submission/> }.into_any(),
                        Err(_) => view! { <p class="form-error">"Dit scherm kon niet worden geladen."</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn expiry_options(label_none: &'static str) -> impl IntoView {
    view! {
        <option value="">{label_none}</option>
        <option value="30">"30 minuten"</option>
        <option value="60">"1 uur"</option>
        <option value="180">"3 uur"</option>
        <option value="360">"6 uur"</option>
        <option value="1440">"24 uur"</option>
    }
}

#[component]
fn Screen(screen: LiveScreen, submission: LiveSubmission) -> impl IntoView {
    let (ticker_text, ticker_link, ticker_error) = if submission.form == "ticker" {
        (
            submission.text.clone(),
            submission.link.clone(),
            Some(submission.error.clone()),
        )
    } else {
        Default::default()
    };
    let (banner_text, banner_link, banner_error) = if submission.form == "breaking" {
        (
            submission.text.clone(),
            submission.link.clone(),
            Some(submission.error.clone()),
        )
    } else {
        Default::default()
    };
    view! {
        <section class="live-console" aria-labelledby="ticker-plaatsen">
            <h2 id="ticker-plaatsen">"Tickerbericht plaatsen"</h2>
            <form method="post" action=paths::TICKER class="stack">
                <div class="field">
                    <label for="bericht">{format!("Bericht * (hoogstens {TICKER_MAX_CHARS} tekens)")}</label>
                    <textarea id="bericht" name="bericht" rows="3" required autofocus
                        maxlength=TICKER_MAX_CHARS.to_string()
                        aria-invalid=ticker_error.is_some().then_some("true")
                        aria-describedby=ticker_error.as_ref().map(|_| "fout-bericht")
                        inner_html=textarea_html(&ticker_text)></textarea>
                    {ticker_error.map(|e| view! { <p class="field-error" id="fout-bericht">{e}</p> })}
                </div>
                <div class="field">
                    <label for="ticker-link">"Link (optioneel)"</label>
                    <input id="ticker-link" name="link" value=ticker_link placeholder="https://… of /nieuws/…"/>
                </div>
                <div class="field">
                    <label for="verloopt">"Verdwijnt na"</label>
                    <select id="verloopt" name="verloopt">{expiry_options("Blijft staan")}</select>
                </div>
                <button type="submit" class="button-primary">"Plaatsen"</button>
            </form>
        </section>
        <section aria-labelledby="in-de-ticker">
            <h2 id="in-de-ticker">"Nu in de ticker"</h2>
            {screen.ticker.is_empty().then(|| view! { <p class="empty">"Geen berichten."</p> })}
            <ol class="live-items">
                {screen.ticker.into_iter().map(|item| {
                    let id = item.id;
                    view! {
                        <li>
                            <time datetime=dates::iso(item.created_at)>{dates::clock(item.created_at)}</time>
                            " " {item.body.clone()}
                            {item.expires_at.map(|t| view! { <span class="muted">{format!(" · verdwijnt om {}", dates::clock(t))}</span> })}
                            <details>
                                <summary>"Bewerken"</summary>
                                <form method="post" action=paths::TICKER_ITEM.to(&[&id]) class="stack">
                                    <label for=format!("bericht-{id}")>"Nieuwe tekst *"</label>
                                    <textarea id=format!("bericht-{id}") name="bericht" rows="3" required
                                        maxlength=TICKER_MAX_CHARS.to_string()
                                        inner_html=textarea_html(&item.body)></textarea>
                                    <label for=format!("link-{id}")>"Nieuwe link"</label>
                                    <input id=format!("link-{id}") name="link" value=item.link.clone().unwrap_or_default()/>
                                    <button type="submit">"Opslaan"</button>
                                </form>
                            </details>
                            <form method="post" action=paths::TICKER_ITEM_REMOVE.to(&[&id]) class="inline">
                                <button type="submit">"Verwijderen"</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        <section class="live-console" aria-labelledby="breaking-titel">
            <h2 id="breaking-titel">"Breaking news"</h2>
            {screen.banner.map(|banner| view! {
                <div class="current-banner">
                    <p>"Nu zichtbaar: " <strong>{banner.text}</strong>
                        {banner.ends_at.map(|t| format!(" (tot {})", dates::clock(t)))}</p>
                    <form method="post" action=paths::BANNER_END.to(&[&banner.id]) class="inline">
                        <button type="submit">"Banner beëindigen"</button>
                    </form>
                </div>
            })}
            <form method="post" action=paths::BANNER class="stack">
                <div class="field">
                    <label for="banner-tekst">"Tekst van de banner *"</label>
                    <input id="banner-tekst" name="bericht" required value=banner_text
                        aria-invalid=banner_error.is_some().then_some("true")
                        aria-describedby=banner_error.as_ref().map(|_| "fout-banner")/>
                    {banner_error.map(|e| view! { <p class="field-error" id="fout-banner">{e}</p> })}
                </div>
                <div class="field">
                    <label for="banner-link">"Link (optioneel)"</label>
                    <input id="banner-link" name="link" value=banner_link/>
                </div>
                <div class="field">
                    <label for="banner-duur">"Verdwijnt na"</label>
                    <select id="banner-duur" name="verloopt">{expiry_options("Tot ik hem beëindig")}</select>
                </div>
                <button type="submit" class="button-primary">"Banner tonen"</button>
            </form>
        </section>
        <Blogs blogs=screen.blogs/>
    }
}

#[component]
fn Blogs(blogs: Vec<crate::live::blog::BlogListing>) -> impl IntoView {
    let (running, candidates): (Vec<_>, Vec<_>) =
        blogs.into_iter().partition(|b| b.status.is_some());
    view! {
        <section class="live-console" aria-labelledby="liveblogs-titel">
            <h2 id="liveblogs-titel">"Liveblogs"</h2>
            {running.is_empty().then(|| view! { <p class="empty">"Er is nog geen liveblog."</p> })}
            <ul class="live-items">
                {running.into_iter().map(|b| view! {
                    <li>
                        {(b.status == Some(BlogStatus::Live)).then(|| view! { <span class="live-flag">"LIVE"</span> " " })}
                        <a href=paths::BLOG.to(&[&b.article_id])>{b.title}</a>
                        {(b.status == Some(BlogStatus::Closed)).then_some(" · gesloten")}
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=paths::BLOGS class="stack">
                <div class="field">
                    <label for="liveblog-artikel">"Liveblog starten bij artikel"</label>
                    <select id="liveblog-artikel" name="artikel" required>
                        {candidates.into_iter().map(|b| view! {
                            <option value=b.article_id.to_string()>{b.title}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit">"Liveblog starten"</button>
            </form>
        </section>
    }
}
