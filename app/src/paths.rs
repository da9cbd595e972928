//! Every address that a handler answers and a page links or posts to, named once.
//!
//! A [`Path`] with holes (`{id}`) is both the route the server matches (axum's template syntax)
//! and, filled in, the address a page prints, so a renamed address cannot leave a form posting to
//! nowhere. The reader pages' own routes (`/nieuws/...`, `/tag/...`) are Leptos routes in
//! `lib.rs`, written in the router's syntax.

use std::fmt::Display;

/// An address with `{name}` holes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Path(&'static str);

impl Path {
    /// What the server's router matches.
    pub const fn template(self) -> &'static str {
        self.0
    }

    /// The address with each hole filled, in order, by the next value. (`Sync`, so a handler
    /// that fills one in the statement it awaits in stays `Send`.)
    pub fn to(self, values: &[&(dyn Display + Sync)]) -> String {
        let mut out = String::with_capacity(self.0.len() + 8 * values.len());
        let mut values = values.iter();
        let mut rest = self.0;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = start + rest[start..].find('}').expect("a hole is closed");
            let value = values.next().expect("a value for every hole");
            out.push_str(&value.to_string());
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        debug_assert!(
            values.next().is_none(),
            "more values than holes in {}",
            self.0
        );
        out
    }
}

/// Whether an address is the newsroom's (never kept, never framed, signed-in only).
pub fn in_newsroom(path: &str) -> bool {
    path.strip_prefix(NEWSROOM)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
}

// The newsroom.
pub const NEWSROOM: &str = "/redactie";
pub const LOGIN: &str = "/redactie/inloggen";
pub const LOGOUT: &str = "/redactie/uitloggen";
pub const PASSWORD: &str = "/redactie/wachtwoord";
pub const SESSION_END: Path = Path("/redactie/sessies/{handle}/beeindigen");
pub const OTHER_SESSIONS_END: &str = "/redactie/sessies/andere/beeindigen";
pub const USERS: &str = "/redactie/gebruikers";
pub const USER: Path = Path("/redactie/gebruikers/{id}");
pub const AUDIT: &str = "/redactie/logboek";

pub const ARTICLES: &str = "/redactie/artikelen";
pub const NEW_ARTICLE: &str = "/redactie/artikelen/nieuw";
pub const ARTICLE: Path = Path("/redactie/artikelen/{id}");
pub const ARTICLE_REVISION: Path = Path("/redactie/artikelen/{id}/versies/{revision}");
pub const ARTICLE_COMMENTS: Path = Path("/redactie/artikelen/{id}/reacties");
pub const ARTICLE_AUTOSAVE_DISCARD: Path = Path("/redactie/artikelen/{id}/concept/weggooien");
pub const MEDIA: &str = "/redactie/media";

pub const LIVE_DESK: &str = "/redactie/live";
pub const TICKER: &str = "/redactie/live/ticker";
pub const TICKER_ITEM: Path = Path("/redactie/live/ticker/{id}");
pub const TICKER_ITEM_REMOVE: Path = Path("/redactie/live/ticker/{id}/verwijderen");
pub const BANNER: &str = "/redactie/live/breaking";
pub const BANNER_END: Path = Path("/redactie/live/breaking/{id}/beeindigen");

pub const BLOGS: &str = "/redactie/liveblogs";
pub const BLOG: Path = Path("/redactie/liveblog/{article}");
pub const BLOG_UPDATES: Path = Path("/redactie/liveblog/{article}/updates");
pub const BLOG_UPDATE: Path = Path("/redactie/liveblog/{article}/updates/{post}");
pub const BLOG_UPDATE_REMOVE: Path =
    Path("/redactie/liveblog/{article}/updates/{post}/verwijderen");
pub const BLOG_UPDATE_PIN: Path = Path("/redactie/liveblog/{article}/updates/{post}/vastzetten");
pub const BLOG_UNPIN: Path = Path("/redactie/liveblog/{article}/losmaken");
pub const BLOG_CLOSE: Path = Path("/redactie/liveblog/{article}/sluiten");
pub const BLOG_REOPEN: Path = Path("/redactie/liveblog/{article}/heropenen");

pub const MODERATION: &str = "/redactie/reacties";
pub const COMMENT_ANSWER: Path = Path("/redactie/reacties/{id}/antwoord");
pub const BANNED_WORDS: &str = "/redactie/reacties/woorden";
pub const DELETE_BY_EMAIL: &str = "/redactie/reacties/verwijderen";

pub const CALAMITY_DESK: &str = "/redactie/calamiteit";
pub const CALAMITY_ON: &str = "/redactie/calamiteit/aan";
pub const CALAMITY_EDIT: &str = "/redactie/calamiteit/wijzigen";
pub const CALAMITY_OFF: &str = "/redactie/calamiteit/uit";
pub const OFFICIAL_MESSAGES: &str = "/redactie/calamiteit/berichten";
pub const OFFICIAL_CORRECTION: Path = Path("/redactie/calamiteit/berichten/{id}/correctie");

pub const PROGRAMMING: &str = "/redactie/programmering";
pub const PROGRAMMING_SLOTS: &str = "/redactie/programmering/tijdsloten";
pub const PROGRAMMING_SLOT_REMOVE: Path =
    Path("/redactie/programmering/tijdsloten/{id}/verwijderen");
pub const PROGRAMMING_ONE_OFFS: &str = "/redactie/programmering/eenmalig";
pub const PROGRAMMING_ONE_OFF_REMOVE: Path =
    Path("/redactie/programmering/eenmalig/{id}/verwijderen");
pub const PROGRAMMING_CANCEL: &str = "/redactie/programmering/vervalt";
pub const PROGRAMMING_PROGRAMMES: &str = "/redactie/programmering/programmas";
pub const PROGRAMMING_STATIONS: &str = "/redactie/programmering/zenders";

pub const SITE_PAGES: &str = "/redactie/paginas";
pub const NEW_SITE_PAGE: &str = "/redactie/paginas/nieuw";
pub const SITE_PAGE_EDIT: Path = Path("/redactie/paginas/{id}");

pub const INBOX: &str = "/redactie/inbox";
pub const INBOX_ITEM: Path = Path("/redactie/inbox/{id}");
pub const INBOX_PHOTO: Path = Path("/redactie/inbox/{id}/foto");

// The broadcaster's own pages (Over ons, Contact, …).
pub const SITE_PAGE: Path = Path("/pagina/{slug}");

// On air: the programme guide and programme pages.
pub const GUIDE: &str = "/gids";
pub const GUIDE_ICS: &str = "/gids.ics";
pub const PROGRAMME: Path = Path("/programma/{slug}");

// What readers post to, and the live stream.
pub const COMMENT: Path = Path("/reageren/{article}");
pub const CORRECTION: Path = Path("/correctie/{article}");
pub const LIVE: &str = "/live";
pub const LIVE_SNAPSHOT: &str = "/live.json";

// Calamity mode: the text-only emergency page, its archive and its machine-readable forms.
pub const CALAMITY: &str = "/calamiteit";
pub const CALAMITY_ARCHIVE: &str = "/calamiteit/archief";
pub const CALAMITY_ARCHIVE_ITEM: Path = Path("/calamiteit/archief/{id}");
pub const CALAMITY_RSS: &str = "/calamiteit/rss.xml";
pub const CALAMITY_CAP: &str = "/calamiteit/cap.xml";

// Feeds and machine-readable pages.
pub const SITE_RSS: &str = "/feeds/rss.xml";
pub const SITE_ATOM: &str = "/feeds/atom.xml";
pub const SECTION_RSS: Path = Path("/feeds/{section}/rss.xml");
pub const SECTION_ATOM: Path = Path("/feeds/{section}/atom.xml");
pub const SITEMAP: &str = "/sitemap.xml";
pub const SITEMAP_PART: Path = Path("/sitemaps/{part}");
pub const NEWS_SITEMAP: &str = "/news-sitemap.xml";
pub const ROBOTS: &str = "/robots.txt";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_fills_its_holes_in_order() {
        assert_eq!(
            BLOG_UPDATE_PIN.to(&[&7, &12]),
            "/redactie/liveblog/7/updates/12/vastzetten"
        );
        assert_eq!(ARTICLE.to(&[&3]), "/redactie/artikelen/3");
        assert_eq!(SITEMAP_PART.to(&[&"2.xml"]), "/sitemaps/2.xml");
    }

    #[test]
    fn the_newsroom_is_its_address_and_what_lies_below_it() {
        for inside in [
            "/redactie",
            "/redactie/",
            "/redactie/artikelen/3",
            "/redactie?x=1",
        ] {
            assert!(in_newsroom(inside), "{inside}");
        }
        for outside in ["/redactiekamer", "/", "/nieuws/redactie", "/redactiex/a"] {
            assert!(!in_newsroom(outside), "{outside}");
        }
    }
}
