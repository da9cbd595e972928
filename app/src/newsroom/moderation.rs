//! `/redactie/reacties`: every comment waiting for a moderator, newest first, with its article.
//! Approve, reject or mark as spam one by one or in bulk; ban an author; answer as the
//! newsroom. Admins can also delete all comments of an e-mail address.

use crate::paths;
use leptos::prelude::*;

use super::{query, signed_in, NewsroomShell};
use crate::{
    accounts::Role,
    comments::{moderation_queue, ModerationScreen, QueuedComment},
    dates,
    markup::textarea_html,
};

fn notice(code: &str, n: &str) -> Option<String> {
    Some(match code {
        "goedgekeurd" => format!("{n} goedgekeurd: zichtbaar onder het artikel."),
        "afgewezen" => format!("{n} afgewezen."),
        "spam" => format!("{n} gemarkeerd als spam."),
        "geblokkeerd" => {
            "Afzender geblokkeerd; wachtende reacties van deze afzender zijn spam.".into()
        }
        "beantwoord" => "Je antwoord staat onder het artikel.".into(),
        "verwijderd" => format!("{n} reacties van dit e-mailadres verwijderd."),
        "niets" => "Kies eerst een of meer reacties.".into(),
        "leeg" => "Schrijf een antwoord van minstens 3 tekens.".into(),
        "email" => "Dat is geen geldig e-mailadres.".into(),
        "woorden" => "De lijst met verboden woorden is opgeslagen.".into(),
        _ => return None,
    })
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Reacties">
            <ModerationView/>
        </NewsroomShell>
    }
}

#[component]
fn ModerationView() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| moderation_queue());
    let done = notice(&query("gelukt"), &query("n"));
    let admin = signed_in().is_some_and(|u| u.may(Role::Admin));
    view! {
        {done.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(screen) => view! { <Queue screen admin/> }.into_any(),
                    Err(_) => view! { <p class="form-error">"Dit scherm kon niet worden geladen."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(screen: ModerationScreen, admin: bool) -> impl IntoView {
    let empty = screen.queue.is_empty();
    let banned_words = screen.banned_words.clone();
    let replies = screen.queue.clone();
    view! {
        <p>{format!("{} wachtend.", screen.pending)}</p>
        {empty.then(|| view! { <p class="empty">"Er wachten geen reacties. Goed bezig!"</p> })}
        {(!empty).then(|| view! {
            <form method="post" action=paths::MODERATION id="moderatie">
                <fieldset class="bulk-actions">
                    <legend>"Met de aangevinkte reacties"</legend>
                    <button type="submit" name="actie" value="goedkeuren">"Goedkeuren"</button>
                    <button type="submit" name="actie" value="afwijzen">"Afwijzen"</button>
                    <button type="submit" name="actie" value="spam">"Spam"</button>
                </fieldset>
                <ol class="queue">
                    {screen.queue.into_iter().map(|c| view! { <QueuedItem c/> }).collect_view()}
                </ol>
            </form>
        })}
        // Answer forms sit outside the moderation form (forms cannot nest); each queue item's
        // answer field belongs to its own form through the `form` attribute.
        {replies.into_iter().map(|c| view! {
            <form method="post" action=paths::COMMENT_ANSWER.to(&[&c.id])
                id=format!("antwoord-{}", c.id)></form>
        }).collect_view()}
        {admin.then(|| view! {
            <section class="live-console" aria-labelledby="woorden-titel">
                <h2 id="woorden-titel">"Verboden woorden"</h2>
                <form method="post" action=paths::BANNED_WORDS class="stack">
                    <label for="woorden">"Reacties met een van deze woorden wachten altijd op een moderator (gescheiden door komma's)"</label>
                    <textarea id="woorden" name="woorden" rows="3"
                        inner_html=textarea_html(&banned_words)></textarea>
                    <button type="submit">"Opslaan"</button>
                </form>
            </section>
            <section class="live-console" aria-labelledby="privacy-titel">
                <h2 id="privacy-titel">"Alle reacties van een e-mailadres verwijderen"</h2>
                <form method="post" action=paths::DELETE_BY_EMAIL class="stack">
                    <label for="verwijder-email">"E-mailadres *"</label>
                    <input id="verwijder-email" name="email" type="email" required/>
                    <button type="submit">"Alles van dit adres verwijderen"</button>
                </form>
            </section>
        })}
    }
}

#[component]
fn QueuedItem(c: QueuedComment) -> impl IntoView {
    let id = c.id;
    let check = format!("kies-{id}");
    let answer = format!("antwoord-tekst-{id}");
    view! {
        <li class="queue-item">
            <p class="queue-meta">
                <input type="checkbox" name="id" value=id.to_string() id=check.clone()/>
                <label for=check>
                    <strong>{c.author_name.clone()}</strong>
                    {format!(" <{}>", c.email)}
                </label>
                " · " <time datetime=dates::iso(c.created_at)>{format!("{} {}", dates::date(c.created_at), dates::clock(c.created_at))}</time>
                " · bij " <a href=c.article_path.clone()>{c.article_title.clone()}</a>
                {c.parent_name.clone().map(|p| format!(" · reageert op {p}"))}
            </p>
            {c.held_for.clone().map(|why| view! { <p class="muted">{format!("Vastgehouden: {why}")}</p> })}
            <p class="queue-body">{c.body.clone()}</p>
            <p class="queue-actions">
                <button type="submit" name="een" value=format!("goedkeuren:{id}")>"Goedkeuren"</button>
                <button type="submit" name="een" value=format!("afwijzen:{id}")>"Afwijzen"</button>
                <button type="submit" name="een" value=format!("spam:{id}")>"Spam"</button>
                <button type="submit" name="een" value=format!("blokkeer-email:{id}")>"Blokkeer e-mailadres"</button>
                <button type="submit" name="een" value=format!("blokkeer-ip:{id}")>
                    {format!("Blokkeer afzender ({}…)", &c.ip_hash[..c.ip_hash.len().min(8)])}
                </button>
            </p>
            <details>
                <summary>"Antwoorden als redactie"</summary>
                <label for=answer.clone()>"Antwoord *"</label>
                <textarea id=answer name="bericht" rows="3" form=format!("antwoord-{id}")></textarea>
                <button type="submit" form=format!("antwoord-{id}")>"Antwoord plaatsen"</button>
            </details>
        </li>
    }
}
