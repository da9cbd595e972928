//! `/calamiteit`, the emergency page: text only (no script, no image, no web font, one small
//! inline stylesheet), a few kilobytes compressed, so it arrives in the first round trip and
//! reads on the oldest phone. The server keeps it in memory and as a file, rendered anew on
//! every change, and serves it without touching the database (see the server's `calamity`
//! keeper). The archive pages of calamities that are over use the same document.

use leptos::prelude::*;

use super::{Calamity, OfficialMessage};
use crate::{
    dates,
    db::{Db, StoreError},
    live::{blog, store as live},
    markup::{escape_text, render},
    paths,
    site::SiteInfo,
};

/// Newsroom updates the page lists.
const UPDATES: usize = 10;

/// The page's only styles. Inline (a stylesheet would be a second round trip), allowed by its
/// hash in the page's Content Security Policy. No `>` in it: nothing here needs escaping.
pub const STYLE: &str = "body{margin:0 auto;max-width:40rem;padding:1rem;\
font:1.0625rem/1.5 system-ui,sans-serif;color:#111;background:#fff}\
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem}\
a{color:#0b3d91}.label{margin:0;color:#6b1a00;font-weight:bold;text-transform:uppercase}\
.official{border-left:.35rem solid #b32400;background:#fff4ef;padding:.5rem .75rem;margin:0 0 1rem}\
.official p{margin:.25rem 0}.from{color:#6b1a00;font-weight:bold}.meta{color:#444;font-size:.9rem}\
.storing{border:2px solid #b32400;padding:.5rem .75rem;font-weight:bold}\
ol{padding-left:1.25rem}li{margin-bottom:.5rem}\
@media (prefers-color-scheme:dark){body{color:#eee;background:#111}a{color:#9cc3ff}\
.label,.from{color:#ffb59c}.official{background:#2a1a14}.meta{color:#bbb}}";

/// The page's Content Security Policy: nothing may load, run or be framed by another site; its
/// one stylesheet is allowed by its hash.
pub fn content_security_policy() -> http::HeaderValue {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE));
    let policy = format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'self'"
    );
    http::HeaderValue::from_str(&policy).expect("a policy of ASCII directives")
}

/// A newsroom update as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub at: i64,
    pub text: String,
}

/// What the emergency page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Content {
    pub calamity: Option<Calamity>,
    pub messages: Vec<OfficialMessage>,
    /// The live blog's latest updates, or without a blog the ticker's.
    pub updates: Vec<Update>,
}

/// Reads what the page shows now.
pub async fn load(db: &Db, now: i64) -> Result<Content, StoreError> {
    let Some(calamity) = super::store::active(db, now).await? else {
        return Ok(Content {
            calamity: None,
            messages: Vec::new(),
            updates: Vec::new(),
        });
    };
    let messages = super::store::messages(db, calamity.id).await?;
    let blog = match &calamity.blog {
        Some(link) => blog::store::blog(db, link.article_id).await?,
        None => None,
    };
    let updates = match blog {
        Some(blog) => blog
            .posts
            .iter()
            .take(UPDATES)
            .map(|post| Update {
                at: post.created_at,
                text: crate::text::plain_text(&post.html),
            })
            .collect(),
        None => live::ticker_records(db, now)
            .await?
            .into_iter()
            .take(UPDATES)
            .map(|item| Update {
                at: item.created_at,
                text: item.body,
            })
            .collect(),
    };
    Ok(Content {
        calamity: Some(calamity),
        messages,
        updates,
    })
}

/// The whole document. `outage`: the database cannot be reached, so this copy (of `built_at`)
/// may be behind, and the page says so.
pub fn page(site: &SiteInfo, content: &Content, built_at: i64, outage: bool) -> String {
    let title = match &content.calamity {
        Some(calamity) => format!("Calamiteit: {} – {}", calamity.title, site.name),
        None => format!("Geen calamiteit – {}", site.name),
    };
    let structured_data = content
        .calamity
        .as_ref()
        .map(|calamity| {
            crate::pages::calamity_structured_data(site, calamity, &content.messages).join("")
        })
        .unwrap_or_default();
    let site_name = site.name.clone();
    let content = content.clone();
    let body = render(move || view! { <Emergency site_name content built_at outage/> });
    document(&title, &structured_data, &body)
}

/// A calamity that is over, with every message it had: its archive page.
pub fn archive_page(site: &SiteInfo, calamity: &Calamity, messages: &[OfficialMessage]) -> String {
    let title = format!("Archief: {} – {}", calamity.title, site.name);
    let site_name = site.name.clone();
    let calamity = calamity.clone();
    let messages = messages.to_vec();
    let body = render(move || view! { <Archived site_name calamity messages/> });
    document(&title, "", &body)
}

/// The list of calamities that are over.
pub fn archive_index(site: &SiteInfo, calamities: &[Calamity]) -> String {
    let title = format!("Archief calamiteiten – {}", site.name);
    let site_name = site.name.clone();
    let calamities = calamities.to_vec();
    let body = render(move || view! { <ArchiveIndex site_name calamities/> });
    document(&title, "", &body)
}

fn document(title: &str, head_extra: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <title>{}</title><style>{STYLE}</style>{head_extra}</head><body>{body}</body></html>",
        escape_text(title)
    )
}

#[component]
fn Emergency(site_name: String, content: Content, built_at: i64, outage: bool) -> impl IntoView {
    let stamp = format!("{}, {}", dates::date(built_at), dates::clock(built_at));
    let Content {
        calamity,
        messages,
        updates,
    } = content;
    let Some(calamity) = calamity else {
        return view! {
            <header><p class="label">{site_name}</p><h1>"Er is nu geen calamiteit"</h1></header>
            <main>
                {outage.then(|| view! { <Outage stamp=stamp.clone()/> })}
                <p>"Er is op dit moment geen calamiteit in ons gebied. Het nieuws staat op "
                    <a href="/">"de voorpagina"</a> "."</p>
                <p><a href=paths::CALAMITY_ARCHIVE>"Eerdere calamiteiten"</a></p>
                <SeeAlso/>
            </main>
        }
        .into_any();
    };
    view! {
        <header>
            <p class="label">{site_name} " · Calamiteit"</p>
            <h1>{calamity.title}</h1>
            <p>"Gebied: " {calamity.areas}</p>
            <p class="meta">"Bijgewerkt: " <time datetime=dates::iso(built_at)>{stamp.clone()}</time></p>
        </header>
        <main>
            {outage.then(|| view! { <Outage stamp=stamp.clone()/> })}
            <ul>
                {calamity.stream_url.map(|href| view! { <li><a href=href>"Luister live naar de radio"</a></li> })}
                {calamity.blog.map(|blog| view! { <li><a href=blog.path>"Liveblog: " {blog.title}</a></li> })}
                <li><a href="/">"De volledige website"</a></li>
                <li><a href=paths::CALAMITY_RSS>"Officiële berichten als RSS"</a></li>
            </ul>
            <h2>"Officiële berichten"</h2>
            <p class="meta">"Van de overheid, apart van het nieuws van de redactie."</p>
            <Messages messages/>
            <h2>"Laatste updates van de redactie"</h2>
            {updates.is_empty().then(|| view! { <p>"Nog geen updates."</p> })}
            <ol>
                {updates.into_iter().map(|update| view! {
                    <li><time datetime=dates::iso(update.at)>{dates::clock(update.at)}</time> " " {update.text}</li>
                }).collect_view()}
            </ol>
            <SeeAlso/>
        </main>
    }
    .into_any()
}

#[component]
fn Outage(stamp: String) -> impl IntoView {
    view! {
        <p class="storing" role="status">
            "Door een storing kan deze pagina achterlopen. Dit is de laatste versie, van " {stamp}
            ". Luister naar de radio voor het laatste nieuws."
        </p>
    }
}

#[component]
fn SeeAlso() -> impl IntoView {
    view! {
        <h2>"Meer informatie"</h2>
        <p>"Zie ook " <a href="https://www.nl-alert.nl/">"nl-alert.nl"</a> " en "
            <a href="https://www.crisis.nl/">"crisis.nl"</a> ". Bij direct gevaar: bel 112."</p>
    }
}

/// The messages as text, each unmistakably the authority's.
#[component]
fn Messages(messages: Vec<OfficialMessage>) -> impl IntoView {
    let empty = messages.is_empty();
    view! {
        {empty.then(|| view! { <p>"Nog geen officiële berichten."</p> })}
        {messages.into_iter().map(|message| {
            let corrected = message.is_correction().then(|| format!(
                " · gecorrigeerd om {}", dates::clock(message.posted_at)
            ));
            let (label, heading) = (message.label(), message.label());
            view! {
                <section class="official" aria-label=label>
                    <p class="from">{heading} " (" {message.authority.label()} ")"</p>
                    <p class="meta"><time datetime=dates::iso(message.issued_at)>{dates::clock(message.issued_at)}</time>
                        {corrected}</p>
                    <p>{message.body}</p>
                    {message.reason.map(|reason| view! { <p class="meta">"Reden van de correctie: " {reason}</p> })}
                    {message.earlier.into_iter().map(|text| view! {
                        <p class="meta">"Eerder (" {dates::clock(text.issued_at)} "): " <s>{text.body}</s></p>
                    }).collect_view()}
                </section>
            }
        }).collect_view()}
    }
}

#[component]
fn Archived(
    site_name: String,
    calamity: Calamity,
    messages: Vec<OfficialMessage>,
) -> impl IntoView {
    let ended = calamity.ended_at.unwrap_or(calamity.updated_at);
    view! {
        <header>
            <p class="label">{site_name} " · Archief"</p>
            <h1>{calamity.title}</h1>
            <p>"Gebied: " {calamity.areas}</p>
            <p class="meta">
                "Van " <time datetime=dates::iso(calamity.started_at)>{dates::long_datetime(calamity.started_at)}</time>
                " tot " <time datetime=dates::iso(ended)>{dates::long_datetime(ended)}</time>
            </p>
        </header>
        <main>
            <p>"Deze calamiteit is voorbij. Hieronder staan alle officiële berichten die er waren, met hun correcties."</p>
            {calamity.blog.map(|blog| view! { <p><a href=blog.path>"Liveblog: " {blog.title}</a></p> })}
            <h2>"Officiële berichten"</h2>
            <Messages messages/>
            <p><a href=paths::CALAMITY_ARCHIVE>"Alle eerdere calamiteiten"</a></p>
        </main>
    }
}

#[component]
fn ArchiveIndex(site_name: String, calamities: Vec<Calamity>) -> impl IntoView {
    let empty = calamities.is_empty();
    view! {
        <header><p class="label">{site_name}</p><h1>"Eerdere calamiteiten"</h1></header>
        <main>
            {empty.then(|| view! { <p>"Er zijn nog geen eerdere calamiteiten."</p> })}
            <ul>
                {calamities.into_iter().map(|calamity| view! {
                    <li><a href=calamity.archive_path()>{calamity.title.clone()}</a> " ("
                        {dates::date(calamity.started_at)} ")"</li>
                }).collect_view()}
            </ul>
            <p><a href=paths::CALAMITY>"Naar de calamiteitenpagina"</a></p>
        </main>
    }
}
