//! `/redactie/inbox`: readers' tips and corrections, newest first. Mark one handled (or open it
//! again), see its article, reach the sender, look at the photo.

use crate::paths;
use leptos::prelude::*;

use super::{query, NewsroomShell};
use crate::{
    accounts::Role,
    dates,
    tips::{inbox, InboxItem, InboxScreen},
};

fn notice(code: &str) -> Option<&'static str> {
    match code {
        "afgehandeld" => Some("Gemarkeerd als afgehandeld."),
        "heropend" => Some("Weer bij de open berichten gezet."),
        _ => None,
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Inbox">
            <InboxView/>
        </NewsroomShell>
    }
}

#[component]
fn InboxView() -> impl IntoView {
    let handled = query("toon") == "afgehandeld";
    let data = Resource::new_blocking(move || handled, inbox);
    let done = notice(&query("gelukt"));
    view! {
        {done.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
        <nav class="inbox-tabs" aria-label="Welke berichten">
            <a href=paths::INBOX aria-current=(!handled).then_some("page")>"Open"</a>
            " · "
            <a href=format!("{}?toon=afgehandeld", paths::INBOX) aria-current=handled.then_some("page")>
                "Afgehandeld"
            </a>
        </nav>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(screen) => view! { <Messages screen handled/> }.into_any(),
                    Err(_) => view! { <p class="form-error">"Dit scherm kon niet worden geladen."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Messages(screen: InboxScreen, handled: bool) -> impl IntoView {
    let empty = screen.items.is_empty();
    view! {
        <p>{format!("{} open.", screen.open)}</p>
        {empty.then(|| view! {
            <p class="empty">{if handled { "Nog niets afgehandeld." } else { "Geen open tips of correcties." }}</p>
        })}
        <ol class="queue inbox">
            {screen.items.into_iter().map(|item| view! { <Message item/> }).collect_view()}
        </ol>
    }
}

#[component]
fn Message(item: InboxItem) -> impl IntoView {
    let action = paths::INBOX_ITEM.to(&[&item.id]);
    let lines = item
        .message
        .lines()
        .map(|line| view! { <p>{line.to_string()}</p> })
        .collect_view();
    let photo = item.photo.then(|| {
        let src = paths::INBOX_PHOTO.to(&[&item.id]);
        let href = src.clone();
        view! {
            <a class="inbox-photo" href=href target="_blank">
                <img src=src alt="Foto bij dit bericht" loading="lazy" width="240"/>
            </a>
        }
    });
    let handled_text = item.handled_at.map(|at| {
        format!(
            "Afgehandeld {} door {}",
            dates::long_datetime(at),
            item.handled_by
                .clone()
                .unwrap_or_else(|| "de redactie".into())
        )
    });
    view! {
        <li class="queue-item inbox-item" data-kind=item.kind.as_str()>
            <p class="queue-meta">
                <strong class="inbox-kind">{item.kind.label()}</strong>
                " · "
                <time datetime=dates::iso(item.created_at)>{dates::long_datetime(item.created_at)}</time>
                {item.article.clone().map(|(title, url)| view! {
                    " · over " <a href=url>{title}</a>
                })}
                {item.article_id.map(|id| view! {
                    " (" <a href=paths::ARTICLE.to(&[&id])>"bewerken"</a> ")"
                })}
            </p>
            <div class="inbox-message">{lines}</div>
            {photo}
            <p class="inbox-sender">
                {if item.name.is_empty() { "Anoniem".to_string() } else { item.name.clone() }}
                {(!item.email.is_empty()).then(|| view! {
                    " · " <a href=mailto(&item.email)>{item.email.clone()}</a>
                })}
                {(!item.phone.is_empty()).then(|| view! {
                    " · " <a href=tel(&item.phone)>{item.phone.clone()}</a>
                })}
            </p>
            {handled_text.map(|t| view! { <p class="inbox-handled">{t}</p> })}
            <form method="post" action=action>
                {if item.handled_at.is_some() {
                    view! { <button type="submit" name="actie" value="heropenen">"Weer openzetten"</button> }.into_any()
                } else {
                    view! { <button type="submit" name="actie" value="afgehandeld">"Afgehandeld"</button> }.into_any()
                }}
            </form>
        </li>
    }
}

/// A `mailto:` link to a sender's address, percent-encoded: what a sender typed cannot add
/// `?cc=` or `&body=` to the newsroom's reply.
fn mailto(address: &str) -> String {
    let mut link = String::from("mailto:");
    for byte in address.trim().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'@' | b'.' | b'-' | b'_' | b'+' => {
                link.push(byte as char)
            }
            _ => link.push_str(&format!("%{byte:02X}")),
        }
    }
    link
}

/// A `tel:` link: digits and a leading plus only.
fn tel(number: &str) -> String {
    let digits: String = number
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect();
    format!("tel:{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_senders_address_cannot_add_fields_to_the_reply() {
        assert_eq!(mailto("petra@voorbeeld.nl"), "mailto:petra@voorbeeld.nl");
        assert_eq!(
            mailto("a@b.nl?cc=kwaad@x.nl&body=hoi"),
            "mailto:a@b.nl%3Fcc%3Dkwaad@x.nl%26body%3Dhoi"
        );
        assert_eq!(tel("+31 6 1234 5678"), "tel:+31612345678");
        assert_eq!(tel("06-1234?x=1"), "tel:0612341");
    }
}
