//! Calamity mode: the site as the town's emergency channel.
//!
//! The newsroom switches it on (editor role, confirmed twice) with a title, the areas hit and
//! links to the live blog and the stream. While it is on, every page carries the calamity strip,
//! the home page leads with the official messages, and `/calamiteit` is a text-only page that
//! stays up when the database does not (`emergency`, kept by the server). Official messages come
//! from the authorities, not the newsroom, and look it: each names its source and time, and is
//! never edited in place. A correction is a message of its own that names the one it corrects;
//! readers see the correction as such, with the earlier text. Switched off, a calamity stays as
//! its archive page.
//!
//! Shared here: the rules for what an editor types (checked by the server, in Dutch), the types
//! pages show, and the components that render them (the strip, the message list).

#[cfg(feature = "ssr")]
pub mod emergency;
mod front;
#[cfg(feature = "ssr")]
pub mod store;

pub use front::{load_front, CalamityFront, CalamityHome, Front};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{dates, paths};

pub const TITLE_MAX: usize = 120;
pub const AREAS_MAX: usize = 300;
pub const SOURCE_MAX: usize = 120;
pub const MESSAGE_MAX: usize = 2000;
pub const REASON_MAX: usize = 300;
/// What an editor types to confirm switching the mode on (the second confirmation).
pub const CONFIRM_WORD: &str = "AAN";

/// Who an official message comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Authority {
    Veiligheidsregio,
    Gemeente,
    Politie,
    Brandweer,
    Ggd,
    Waterschap,
    Rijkswaterstaat,
    Other,
}

impl Authority {
    pub const ALL: [Authority; 8] = [
        Authority::Veiligheidsregio,
        Authority::Gemeente,
        Authority::Politie,
        Authority::Brandweer,
        Authority::Ggd,
        Authority::Waterschap,
        Authority::Rijkswaterstaat,
        Authority::Other,
    ];

    /// As stored and as forms send it.
    pub fn as_str(self) -> &'static str {
        match self {
            Authority::Veiligheidsregio => "veiligheidsregio",
            Authority::Gemeente => "gemeente",
            Authority::Politie => "politie",
            Authority::Brandweer => "brandweer",
            Authority::Ggd => "ggd",
            Authority::Waterschap => "waterschap",
            Authority::Rijkswaterstaat => "rijkswaterstaat",
            Authority::Other => "overig",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Authority::Veiligheidsregio => "Veiligheidsregio",
            Authority::Gemeente => "Gemeente",
            Authority::Politie => "Politie",
            Authority::Brandweer => "Brandweer",
            Authority::Ggd => "GGD / GHOR",
            Authority::Waterschap => "Waterschap",
            Authority::Rijkswaterstaat => "Rijkswaterstaat",
            Authority::Other => "Andere overheid",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Authority::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// The live blog a calamity links to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogLink {
    pub article_id: i64,
    pub title: String,
    pub path: String,
}

/// A calamity, on or (with `ended_at`) in the archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calamity {
    pub id: i64,
    pub title: String,
    /// The gemeenten or areas hit, as the newsroom wrote them.
    pub areas: String,
    pub blog: Option<BlogLink>,
    pub stream_url: Option<String>,
    /// Article pages leave out comments and related lists while it is on.
    pub light_pages: bool,
    pub started_at: i64,
    pub started_by: String,
    pub updated_at: i64,
    pub ended_at: Option<i64>,
    pub ended_by: Option<String>,
}

impl Calamity {
    pub fn is_on(&self) -> bool {
        self.ended_at.is_none()
    }

    /// Its page once it is over.
    pub fn archive_path(&self) -> String {
        paths::CALAMITY_ARCHIVE_ITEM.to(&[&self.id])
    }
}

/// An earlier text of a corrected message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierText {
    pub body: String,
    pub issued_at: i64,
}

/// An official message as readers see it: its current text, and when it was corrected, why and
/// what it said before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialMessage {
    /// The id of this text (a correction has an id of its own).
    pub id: i64,
    /// The id of the first text: the message's identity through its corrections.
    pub first_id: i64,
    pub authority: Authority,
    pub source: String,
    pub body: String,
    pub issued_at: i64,
    pub posted_at: i64,
    pub posted_by: String,
    /// Why it was corrected, when this text is a correction.
    pub reason: Option<String>,
    /// What it said before, newest first.
    pub earlier: Vec<EarlierText>,
}

impl OfficialMessage {
    pub fn is_correction(&self) -> bool {
        !self.earlier.is_empty()
    }

    /// "Officiële informatie van Veiligheidsregio Lindewijk-Oost"
    pub fn label(&self) -> String {
        format!("Officiële informatie van {}", self.source)
    }
}

/// A problem with what an editor typed, in plain Dutch.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalamityError {
    #[error("Geef de calamiteit een titel.")]
    NoTitle,
    #[error("Een titel is hoogstens {TITLE_MAX} tekens; dit zijn er {0}.")]
    TitleTooLong(usize),
    #[error("Noem de getroffen gemeenten of gebieden.")]
    NoAreas,
    #[error("De gebieden zijn hoogstens {AREAS_MAX} tekens; dit zijn er {0}.")]
    AreasTooLong(usize),
    #[error("De link naar de livestream begint met https://, http:// of /.")]
    BadStreamLink,
    #[error("Kies een liveblog uit de lijst.")]
    UnknownBlog,
    #[error("Kies van welke overheid het bericht komt.")]
    UnknownAuthority,
    #[error("Noem de bron, bijvoorbeeld ‘Veiligheidsregio Lindewijk-Oost’.")]
    NoSource,
    #[error("De bron is hoogstens {SOURCE_MAX} tekens; dit zijn er {0}.")]
    SourceTooLong(usize),
    #[error("Schrijf de tekst van het bericht.")]
    NoText,
    #[error("Een bericht is hoogstens {MESSAGE_MAX} tekens; dit zijn er {0}.")]
    TextTooLong(usize),
    #[error("Schrijf de tijd als uu:mm, bijvoorbeeld 14:05, en niet later dan nu.")]
    BadTime,
    #[error("Schrijf waarom het bericht wordt gecorrigeerd.")]
    NoReason,
    #[error("De reden is hoogstens {REASON_MAX} tekens; dit zijn er {0}.")]
    ReasonTooLong(usize),
    #[error("De correctie is gelijk aan het bericht; verander de tekst.")]
    SameText,
    #[error("Bevestig beide keren: vink het vakje aan en typ {CONFIRM_WORD}.")]
    NotConfirmed,
    #[error("Er is al een calamiteit actief.")]
    AlreadyOn,
    #[error("Er is geen calamiteit actief.")]
    NotOn,
}

/// `text` trimmed, 1 to `max` characters.
fn required(
    text: &str,
    max: usize,
    empty: CalamityError,
    too_long: fn(usize) -> CalamityError,
) -> Result<String, CalamityError> {
    let text = text.trim();
    match text.chars().count() {
        0 => Err(empty),
        n if n > max => Err(too_long(n)),
        _ => Ok(text.to_string()),
    }
}

/// What the newsroom sets for a calamity, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalamitySettings {
    pub title: String,
    pub areas: String,
    pub blog_article_id: Option<i64>,
    pub stream_url: Option<String>,
    pub light_pages: bool,
}

impl CalamitySettings {
    pub fn new(
        title: &str,
        areas: &str,
        blog: &str,
        stream: &str,
        light_pages: bool,
    ) -> Result<Self, CalamityError> {
        let title = required(
            title,
            TITLE_MAX,
            CalamityError::NoTitle,
            CalamityError::TitleTooLong,
        )?;
        let areas = required(
            areas,
            AREAS_MAX,
            CalamityError::NoAreas,
            CalamityError::AreasTooLong,
        )?;
        let blog_article_id = match blog.trim() {
            "" => None,
            id => Some(
                id.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or(CalamityError::UnknownBlog)?,
            ),
        };
        let stream_url =
            crate::live::check_link(stream).map_err(|_| CalamityError::BadStreamLink)?;
        Ok(CalamitySettings {
            title,
            areas,
            blog_article_id,
            stream_url,
            light_pages,
        })
    }
}

/// An official message as the newsroom posts it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessagePost {
    pub authority: Authority,
    pub source: String,
    pub body: String,
    pub issued_at: i64,
}

impl MessagePost {
    /// `issued` is the authority's time as `uu:mm` today (Europe/Amsterdam), empty for now; a
    /// time later than now is refused (a message from just before midnight is yesterday's).
    pub fn new(
        authority: &str,
        source: &str,
        body: &str,
        issued: &str,
        now: i64,
    ) -> Result<Self, CalamityError> {
        let authority =
            Authority::parse(authority.trim()).ok_or(CalamityError::UnknownAuthority)?;
        let source = required(
            source,
            SOURCE_MAX,
            CalamityError::NoSource,
            CalamityError::SourceTooLong,
        )?;
        let body = required(
            body,
            MESSAGE_MAX,
            CalamityError::NoText,
            CalamityError::TextTooLong,
        )?;
        let issued_at = issued_time(issued, now)?;
        Ok(MessagePost {
            authority,
            source,
            body,
            issued_at,
        })
    }
}

/// `uu:mm` today in Amsterdam, at most now; empty: now.
fn issued_time(clock: &str, now: i64) -> Result<i64, CalamityError> {
    let clock = clock.trim();
    if clock.is_empty() {
        return Ok(now);
    }
    let at = dates::today_at(clock, now).ok_or(CalamityError::BadTime)?;
    if at > now {
        return Err(CalamityError::BadTime);
    }
    Ok(at)
}

/// A correction of an official message, checked: the new text and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    pub body: String,
    pub reason: String,
}

impl Correction {
    pub fn new(body: &str, reason: &str, current: &str) -> Result<Self, CalamityError> {
        let body = required(
            body,
            MESSAGE_MAX,
            CalamityError::NoText,
            CalamityError::TextTooLong,
        )?;
        let reason = required(
            reason,
            REASON_MAX,
            CalamityError::NoReason,
            CalamityError::ReasonTooLong,
        )?;
        if body == current.trim() {
            return Err(CalamityError::SameText);
        }
        Ok(Correction { body, reason })
    }
}

/// The strip across the top of every page while a calamity is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strip {
    pub title: String,
    pub areas: String,
    pub blog_path: Option<String>,
    pub stream_url: Option<String>,
}

impl From<&Calamity> for Strip {
    fn from(calamity: &Calamity) -> Self {
        Strip {
            title: calamity.title.clone(),
            areas: calamity.areas.clone(),
            blog_path: calamity.blog.as_ref().map(|b| b.path.clone()),
            stream_url: calamity.stream_url.clone(),
        }
    }
}

/// The strip's inside. Pushed to open pages when the mode is switched on with `announce`: then
/// it is an alert, which screen readers read out once, as it arrives. Pages rendered while the
/// mode is on, and later changes to it, show it quietly.
#[component]
pub fn CalamityStrip(strip: Strip, #[prop(optional)] announce: bool) -> impl IntoView {
    view! {
        <section class="calamity-strip" aria-labelledby="calamiteit-strook">
            <div class="wrap calamity-inner">
                <p class="calamity-label" role=announce.then_some("alert")>
                    <strong>"Calamiteit"</strong> " " <span id="calamiteit-strook">{strip.title}</span>
                </p>
                <p class="calamity-areas">"Gebied: " {strip.areas}</p>
                <ul class="calamity-links">
                    <li><a href=paths::CALAMITY>"Officiële informatie"</a></li>
                    {strip.blog_path.map(|href| view! { <li><a href=href>"Liveblog"</a></li> })}
                    {strip.stream_url.map(|href| view! { <li><a href=href>"Luister live"</a></li> })}
                </ul>
            </div>
        </section>
    }
}

/// The slot for the strip on every page, kept current by `LiveUpdates`.
#[component]
pub fn StripSlot(strip: Option<Strip>, since: i64) -> impl IntoView {
    view! {
        <div class="calamity-slot" data-live=crate::live::CALAMITY data-since=since>
            {strip.map(|strip| view! { <CalamityStrip strip/> })}
        </div>
    }
}

/// One official message: unmistakably the authority's, not the newsroom's.
#[component]
pub fn MessageItem(message: OfficialMessage) -> impl IntoView {
    let (label, heading) = (message.label(), message.label());
    let corrected = message.is_correction();
    let reason = message.reason.clone();
    let earlier = message.earlier.clone();
    view! {
        <li class="official" data-id=message.first_id>
            <article aria-label=label>
                <p class="official-label">
                    <span class="official-kind">{message.authority.label()}</span>
                    " " <strong>{heading}</strong>
                </p>
                <p class="official-time">
                    <time datetime=dates::iso(message.issued_at)>{dates::clock(message.issued_at)}</time>
                    {corrected.then(|| view! {
                        " · " <span class="official-corrected">
                            {format!("Gecorrigeerd om {}", dates::clock(message.posted_at))}
                        </span>
                    })}
                </p>
                <p class="official-body">{message.body}</p>
                {reason.map(|reason| view! { <p class="official-reason">"Reden van de correctie: " {reason}</p> })}
                {corrected.then(|| view! {
                    <details class="official-earlier">
                        <summary>"Eerdere versie"</summary>
                        {earlier.into_iter().map(|text| view! {
                            <p><time datetime=dates::iso(text.issued_at)>{dates::clock(text.issued_at)}</time>
                                " " <s>{text.body}</s></p>
                        }).collect_view()}
                    </details>
                })}
            </article>
        </li>
    }
}

/// The official messages, newest first; what the `official` part holds.
#[component]
pub fn MessageList(messages: Vec<OfficialMessage>) -> impl IntoView {
    let empty = messages.is_empty();
    view! {
        {empty.then(|| view! { <p class="empty">"Nog geen officiële berichten."</p> })}
        <ol class="official-list">
            {messages.into_iter().map(|message| view! { <MessageItem message/> }).collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_765_000_000;

    #[test]
    fn a_calamity_needs_a_title_and_areas_and_a_safe_stream_link() {
        assert_eq!(
            CalamitySettings::new(" ", "Lindewijk", "", "", true),
            Err(CalamityError::NoTitle)
        );
        assert_eq!(
            CalamitySettings::new("Brand", "  ", "", "", true),
            Err(CalamityError::NoAreas)
        );
        assert_eq!(
            CalamitySettings::new("Brand", "Lindewijk", "", "javascript:alert(1)", true),
            Err(CalamityError::BadStreamLink)
        );
        assert_eq!(
            CalamitySettings::new("Brand", "Lindewijk", "x", "", true),
            Err(CalamityError::UnknownBlog)
        );
        let ok = CalamitySettings::new(
            " Brand ",
            "Lindewijk",
            "7",
            "https://radio.example/live",
            false,
        )
        .unwrap();
        assert_eq!(ok.title, "Brand");
        assert_eq!(ok.blog_article_id, Some(7));
        assert!(!ok.light_pages);
    }

    #[test]
    fn an_official_message_names_its_authority_and_source_and_is_not_from_the_future() {
        assert_eq!(
            MessagePost::new("krant", "Bron", "Tekst", "", NOW),
            Err(CalamityError::UnknownAuthority)
        );
        assert_eq!(
            MessagePost::new("politie", " ", "Tekst", "", NOW),
            Err(CalamityError::NoSource)
        );
        assert_eq!(
            MessagePost::new("politie", "Politie Oost", "", "", NOW),
            Err(CalamityError::NoText)
        );
        let long = "a".repeat(MESSAGE_MAX + 1);
        assert_eq!(
            MessagePost::new("politie", "Politie Oost", &long, "", NOW),
            Err(CalamityError::TextTooLong(MESSAGE_MAX + 1))
        );
        assert_eq!(
            MessagePost::new("politie", "Politie Oost", "Tekst", "25:00", NOW),
            Err(CalamityError::BadTime)
        );
        let later = dates::clock(NOW + 3600);
        assert_eq!(
            MessagePost::new("politie", "Politie Oost", "Tekst", &later, NOW),
            Err(CalamityError::BadTime),
            "{later} is later than now"
        );
        let now = MessagePost::new("gemeente", "Gemeente Lindewijk", "Tekst", "", NOW).unwrap();
        assert_eq!(now.issued_at, NOW);
        let earlier = dates::clock(NOW - 600);
        let at = MessagePost::new("gemeente", "Gemeente Lindewijk", "Tekst", &earlier, NOW)
            .unwrap()
            .issued_at;
        assert!(NOW - 660 < at && at <= NOW - 600, "{at}");
    }

    #[test]
    fn a_correction_changes_the_text_and_says_why() {
        assert_eq!(
            Correction::new("Nieuw", " ", "Oud"),
            Err(CalamityError::NoReason)
        );
        assert_eq!(
            Correction::new("Oud", "Tikfout", "Oud"),
            Err(CalamityError::SameText)
        );
        assert!(Correction::new("Nieuw", "Tikfout", "Oud").is_ok());
    }
}
