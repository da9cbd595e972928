//! Live: the ticker of short newsroom posts, the breaking-news banner and live blogs, pushed to
//! every open page. Shared here: what a post is and the rules it meets, and the events browsers
//! receive.
//!
//! A page marks each live part (`data-live="ticker"`, `"breaking"`, `"blog:42"`); events carry
//! HTML rendered on the server, so the browser only puts it in place.

pub mod blog;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod hub;
mod islands;
#[cfg(feature = "ssr")]
pub mod store;

pub use islands::LiveUpdates;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Topic names: the SSE event names, and what `/live?onderwerpen=` accepts (with `blog:<id>`
/// and `comments:<id>`; see `events::Topic`).
pub const TICKER: &str = "ticker";
pub const BREAKING: &str = "breaking";
/// The newsroom's count of comments waiting; for editors only.
pub const MODERATION: &str = "moderation";
/// The calamity strip on every page, and the official messages on the calamity home.
pub const CALAMITY: &str = "calamity";
pub const OFFICIAL: &str = "official";

pub const TICKER_MAX_CHARS: usize = 280;
pub const BANNER_MAX_CHARS: usize = 200;
/// How many ticker items a page shows.
pub const TICKER_SHOWN: usize = 12;
/// How often a client that cannot hold a stream should ask `/live.json` again.
pub const POLL_SECONDS: u32 = 15;

/// A live part of a page, as streams name it (`/live?onderwerpen=ticker,blog:42`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    Ticker,
    Breaking,
    /// The newsroom's count of comments waiting.
    Moderation,
    /// The calamity strip on every page.
    Calamity,
    /// The official messages of the calamity that is on.
    Official,
    /// The live blog of an article.
    Blog(i64),
    /// The comments under an article.
    Comments(i64),
    /// Who has an article open in the editor; for the newsroom only.
    Editing(i64),
    /// Articles themselves (a save, comments opened or closed): no page follows it, but every
    /// instance's hub sees it, so cached pages everywhere become a new version.
    Site,
}

impl Topic {
    /// The topic a page may follow under this name; `None` for anything else.
    pub fn parse(name: &str) -> Option<Topic> {
        let article = |rest: &str| rest.parse().ok().filter(|id: &i64| *id > 0);
        match name {
            TICKER => Some(Topic::Ticker),
            BREAKING => Some(Topic::Breaking),
            MODERATION => Some(Topic::Moderation),
            CALAMITY => Some(Topic::Calamity),
            OFFICIAL => Some(Topic::Official),
            _ => {
                if let Some(rest) = name.strip_prefix("blog:") {
                    article(rest).map(Topic::Blog)
                } else if let Some(rest) = name.strip_prefix("editing:") {
                    article(rest).map(Topic::Editing)
                } else {
                    article(name.strip_prefix("comments:")?).map(Topic::Comments)
                }
            }
        }
    }

    /// The article whose part this is, for the parts only readers of that article see.
    pub fn article(self) -> Option<i64> {
        match self {
            Topic::Blog(id) | Topic::Comments(id) => Some(id),
            _ => None,
        }
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Topic::Ticker => f.write_str(TICKER),
            Topic::Breaking => f.write_str(BREAKING),
            Topic::Moderation => f.write_str(MODERATION),
            Topic::Calamity => f.write_str(CALAMITY),
            Topic::Official => f.write_str(OFFICIAL),
            Topic::Blog(id) => write!(f, "blog:{id}"),
            Topic::Comments(id) => write!(f, "comments:{id}"),
            Topic::Editing(id) => write!(f, "editing:{id}"),
            Topic::Site => f.write_str("site"),
        }
    }
}

/// A ticker item as pages show it: rendered once on the server (so the browser needs no
/// formatting code), with its expiry so an open page can drop it on time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickerEntry {
    pub id: i64,
    pub html: String,
    pub expires_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banner {
    pub id: i64,
    pub text: String,
    pub link: Option<String>,
    pub ends_at: Option<i64>,
}

/// What an event for one live part of a page carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PartEvent {
    /// Put this item in place of the item with this id; a new one goes on top of the part's
    /// list, or at the end of the element `into` names (comments and their replies).
    Upsert {
        id: i64,
        html: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        into: Option<String>,
    },
    Remove {
        id: i64,
    },
    /// Replace the whole part.
    Set {
        html: String,
    },
    /// The client is further behind than the log reaches: fetch the whole part again.
    Reload,
}

/// A ticker item with its raw fields, for the newsroom screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickerRecord {
    pub id: i64,
    pub body: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

/// What the newsroom's live screen shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveScreen {
    pub ticker: Vec<TickerRecord>,
    pub banner: Option<Banner>,
    /// Live blogs, and recent articles that could become one.
    pub blogs: Vec<blog::BlogListing>,
}

/// What a page shows when it is rendered, and the event it is current up to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSnapshot {
    pub ticker: Vec<TickerEntry>,
    pub breaking: Option<Banner>,
    /// The calamity strip, while one is on.
    pub calamity: Option<crate::calamity::Strip>,
    pub last_event_id: i64,
}

/// `/live.json`: each asked-for part's HTML as of now, for clients that poll.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveParts {
    pub parts: std::collections::BTreeMap<String, String>,
    pub last_event_id: i64,
    pub poll_seconds: u32,
}

/// A problem with what an editor typed, in plain Dutch.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    #[error("Schrijf een bericht.")]
    Empty,
    #[error("Een tickerbericht is hoogstens {TICKER_MAX_CHARS} tekens; dit zijn er {0}.")]
    TooLong(usize),
    #[error("Een bannertekst is hoogstens {BANNER_MAX_CHARS} tekens; dit zijn er {0}.")]
    BannerTooLong(usize),
    #[error("Een update is hoogstens 5000 tekens; dit zijn er {0}.")]
    UpdateTooLong(usize),
    #[error("Een link begint met https://, http:// of / (een pagina op deze site).")]
    BadLink,
}

/// A link a reader may follow: web addresses and paths on this site, nothing else
/// (no `javascript:`).
pub fn check_link(link: &str) -> Result<Option<String>, PostError> {
    let link = link.trim();
    if link.is_empty() {
        return Ok(None);
    }
    let web = (link.starts_with("https://") || link.starts_with("http://"))
        && link.len() > "https://".len()
        && !link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    let ok = web || crate::markup::is_site_path(link);
    if ok && !link.chars().any(|c| c == '"' || c == '<') {
        Ok(Some(link.to_string()))
    } else {
        Err(PostError::BadLink)
    }
}

/// A ticker post that meets the rules: 1–280 characters, an optional safe link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TickerPost {
    pub body: String,
    pub link: Option<String>,
}

/// `text` trimmed, if it is 1 to `max` characters; `too_long` gets the count otherwise.
pub(crate) fn checked_text(
    text: &str,
    max: usize,
    too_long: fn(usize) -> PostError,
) -> Result<String, PostError> {
    let text = text.trim();
    match text.chars().count() {
        0 => Err(PostError::Empty),
        n if n > max => Err(too_long(n)),
        _ => Ok(text.to_string()),
    }
}

impl TickerPost {
    pub fn new(body: &str, link: &str) -> Result<Self, PostError> {
        Ok(TickerPost {
            body: checked_text(body, TICKER_MAX_CHARS, PostError::TooLong)?,
            link: check_link(link)?,
        })
    }
}

/// A banner text that meets the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BannerPost {
    pub text: String,
    pub link: Option<String>,
}

impl BannerPost {
    pub fn new(text: &str, link: &str) -> Result<Self, PostError> {
        Ok(BannerPost {
            text: checked_text(text, BANNER_MAX_CHARS, PostError::BannerTooLong)?,
            link: check_link(link)?,
        })
    }
}

/// The inside of one ticker item. Rendered on the server only; the same markup is pushed to
/// open pages as HTML, so the browser needs no date or layout code.
#[component]
pub fn TickerItem(body: String, link: Option<String>, at: i64) -> impl IntoView {
    view! {
        <time datetime=crate::dates::iso(at)>{crate::dates::clock(at)}</time>
        " "
        {match link {
            Some(href) => view! { <a href=href>{body}</a> }.into_any(),
            None => view! { <span>{body}</span> }.into_any(),
        }}
    }
}

/// One ticker item in the list, as pages render it and events carry it.
#[component]
pub fn TickerLi(item: TickerEntry) -> impl IntoView {
    view! {
        <li class="ticker-item" data-id=item.id data-expires=item.expires_at inner_html=item.html></li>
    }
}

/// The ticker list's items, newest first.
pub fn ticker_items(items: Vec<TickerEntry>) -> impl IntoView {
    items
        .into_iter()
        .map(|item| view! { <TickerLi item/> })
        .collect_view()
}

/// The banner across the top of the page.
#[component]
pub fn BannerStrip(banner: Banner) -> impl IntoView {
    view! {
        <div class="breaking" role="region" aria-label="Breaking news" data-id=banner.id
            data-expires=banner.ends_at>
            <div class="wrap breaking-inner">
                <strong class="breaking-label">"Breaking"</strong>
                {match banner.link {
                    Some(href) => view! { <a href=href class="breaking-text">{banner.text}</a> }.into_any(),
                    None => view! { <span class="breaking-text">{banner.text}</span> }.into_any(),
                }}
            </div>
        </div>
    }
}

/// The ticker and banner as of now, for the page being rendered.
#[server]
pub async fn load_live() -> Result<LiveSnapshot, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    store::snapshot(&state.db, &state.live, crate::db::now())
        .await
        .map_err(crate::internal("loading the ticker and banner"))
}

/// The live screen's data; editors only.
#[server]
pub async fn newsroom_live() -> Result<LiveScreen, ServerFnError> {
    crate::accounts::auth::authorize(crate::accounts::Role::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    let now = crate::db::now();
    let load = async {
        Ok::<_, crate::db::StoreError>(LiveScreen {
            ticker: store::ticker_records(&state.db, now).await?,
            banner: store::current_banner(&state.db, now).await?,
            blogs: blog::store::listings(&state.db, now).await?,
        })
    };
    load.await
        .map_err(crate::internal("loading the newsroom's live screen"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticker_post_is_one_to_280_characters() {
        assert_eq!(TickerPost::new("  ", ""), Err(PostError::Empty));
        let long = "é".repeat(281);
        assert_eq!(TickerPost::new(&long, ""), Err(PostError::TooLong(281)));
        let exact = "é".repeat(280);
        assert_eq!(TickerPost::new(&exact, "").unwrap().body, exact);
    }

    #[test]
    fn links_are_web_addresses_or_paths_on_this_site() {
        assert_eq!(check_link(""), Ok(None));
        assert_eq!(
            check_link(" /nieuws/brug ").unwrap().as_deref(),
            Some("/nieuws/brug")
        );
        assert!(check_link("https://example.org/a").is_ok());
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "ftp://x",
            "https://",
            "https://a b",
            "/\"><script>",
            "/\\evil.example",
            "/\t/evil.example",
        ] {
            assert_eq!(check_link(bad), Err(PostError::BadLink), "{bad}");
        }
    }

    #[test]
    fn topics_round_trip_through_their_names() {
        for topic in [
            Topic::Ticker,
            Topic::Breaking,
            Topic::Moderation,
            Topic::Calamity,
            Topic::Official,
            Topic::Blog(42),
            Topic::Comments(7),
            Topic::Editing(3),
        ] {
            assert_eq!(Topic::parse(&topic.to_string()), Some(topic));
        }
        for bad in [
            "",
            "blog:",
            "blog:0",
            "blog:-1",
            "blog:x",
            "comments:1;2",
            "tickers",
            "site",
            "blog:1 ",
        ] {
            assert_eq!(Topic::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn events_travel_as_tagged_json() {
        let event = PartEvent::Remove { id: 7 };
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(json, r#"{"op":"remove","id":7}"#);
        assert_eq!(serde_json::from_str::<PartEvent>(&json).unwrap(), event);
    }
}
