//! Articles: the shared types every page uses, and the server functions that load them.

#[cfg(feature = "ssr")]
pub mod checks;
#[cfg(feature = "ssr")]
pub mod conflict;
pub mod draft;
#[cfg(feature = "ssr")]
pub mod editing;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod presence;
#[cfg(feature = "ssr")]
pub mod search_index;
#[cfg(feature = "ssr")]
pub mod sitemap;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::site::Section;

/// Cards per page on section pages.
pub const PAGE_SIZE: u32 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArticleStatus {
    Draft,
    /// Published, but only visible from its `published_at` on.
    Scheduled,
    Published,
}

impl ArticleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Scheduled => "scheduled",
            ArticleStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(ArticleStatus::Draft),
            "scheduled" => Some(ArticleStatus::Scheduled),
            "published" => Some(ArticleStatus::Published),
            _ => None,
        }
    }

    /// The newsroom's word for it.
    pub fn label(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "Concept",
            ArticleStatus::Scheduled => "Ingepland",
            ArticleStatus::Published => "Gepubliceerd",
        }
    }
}

/// Rows carry the status as its stored name (`#[sqlx(try_from = "String")]`).
impl TryFrom<String> for ArticleStatus {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        ArticleStatus::parse(&name).ok_or_else(|| format!("unknown article status {name:?}"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeroImage {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Byline {
    pub slug: String,
    pub name: String,
}

impl Byline {
    /// The author's page.
    pub fn url(&self) -> String {
        format!("/auteur/{}", self.slug)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

impl Tag {
    /// The tag's page: every article about it.
    pub fn url(&self) -> String {
        format!("/tag/{}", self.slug)
    }
}

/// What a list shows of an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleCard {
    pub slug: String,
    pub section: Section,
    pub title: String,
    pub lead: String,
    pub hero: Option<HeroImage>,
    pub place: String,
    pub published_at: i64,
    /// A running live blog: lists flag it "LIVE".
    pub live: bool,
}

impl ArticleCard {
    pub fn url(&self) -> String {
        format!("/{}/{}", self.section.slug, self.slug)
    }
}

/// A whole published article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub card: ArticleCard,
    /// Rendered from Markdown and sanitised when saved; safe to insert as HTML.
    pub body_html: String,
    pub updated_at: i64,
    pub authors: Vec<Byline>,
    pub tags: Vec<Tag>,
}

/// Edits within this many seconds of publication are not worth a "Bijgewerkt" stamp.
const UPDATE_GRACE_SECS: i64 = 60;

impl Article {
    /// When the article was edited after publication, if it was.
    pub fn updated_after_publication(&self) -> Option<i64> {
        (self.updated_at > self.card.published_at + UPDATE_GRACE_SECS).then_some(self.updated_at)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionBlock {
    pub section: Section,
    pub articles: Vec<ArticleCard>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub top: Option<ArticleCard>,
    pub latest: Vec<ArticleCard>,
    pub sections: Vec<SectionBlock>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionPageData {
    pub section: Section,
    pub articles: Vec<ArticleCard>,
    pub page: u32,
    pub pages: u32,
}

/// One page of the articles about a tag, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagPageData {
    pub tag: Tag,
    pub articles: Vec<ArticleCard>,
    pub page: u32,
    pub pages: u32,
}

/// An author as their page introduces them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorProfile {
    pub byline: Byline,
    pub bio: String,
}

/// One page of an author's articles, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorPageData {
    pub author: AuthorProfile,
    pub articles: Vec<ArticleCard>,
    pub page: u32,
    pub pages: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticlePageData {
    pub article: Article,
    pub related: Vec<ArticleCard>,
    pub latest: Vec<ArticleCard>,
    /// The article's live blog, when it is one.
    pub blog: Option<crate::live::blog::LiveBlog>,
    pub article_id: i64,
    /// The newsroom closed its comments (they may also close with age: see the comments' store).
    pub comments_closed: bool,
    /// Filled in for the page (the form's token is per render).
    pub comments: Option<crate::comments::ArticleComments>,
}

#[cfg(feature = "ssr")]
const DOING: &str = "loading a page";

/// The newest articles as of the pages' version now: read once per version, whichever page
/// asks first ([`store::newest`]).
#[cfg(feature = "ssr")]
pub async fn newest(
    state: &crate::state::AppState,
    now: i64,
) -> Result<std::sync::Arc<[ArticleCard]>, crate::db::StoreError> {
    // The version is taken before the read, so what is kept shows it or a newer one.
    let version = state.live.version(now);
    if let Some(kept) = state.newest.get(version) {
        return Ok(kept);
    }
    let cards: std::sync::Arc<[ArticleCard]> = store::newest(&state.db, now).await?.into();
    state.newest.keep(version, cards.clone());
    Ok(cards)
}

#[server]
pub async fn load_section(
    section: String,
    page: u32,
) -> Result<Option<SectionPageData>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    store::section_page(&state.db, &section, page, crate::db::now())
        .await
        .map_err(crate::internal(DOING))
}

#[server]
pub async fn load_tag(tag: String, page: u32) -> Result<Option<TagPageData>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    store::tag_page(&state.db, &tag, page, crate::db::now())
        .await
        .map_err(crate::internal(DOING))
}

#[server]
pub async fn load_author(
    author: String,
    page: u32,
) -> Result<Option<AuthorPageData>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    store::author_page(&state.db, &author, page, crate::db::now())
        .await
        .map_err(crate::internal(DOING))
}

/// A visible article with its page; `comments` says which page of its comments to show.
#[server]
pub async fn load_article(
    section: String,
    slug: String,
    comments: crate::comments::PageChoice,
) -> Result<Option<ArticlePageData>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    let now = crate::db::now();
    // Before the page's connection is taken: a request never holds two.
    let newest = newest(&state, now).await.map_err(crate::internal(DOING))?;
    // While a calamity is on, the newsroom may keep article pages light: no comments, no
    // related list.
    let light = crate::calamity::store::current(&state, now)
        .await
        .map_err(crate::internal(DOING))?
        .is_some_and(|calamity| calamity.light_pages);
    // One connection for everything the page reads.
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .map_err(crate::internal(DOING))?;
    let Some(mut page) = store::article_page_on(&mut conn, &section, &slug, &newest, !light, now)
        .await
        .map_err(crate::internal(DOING))?
    else {
        return Ok(None);
    };
    if light {
        return Ok(Some(page));
    }
    let open = crate::comments::store::takes_comments(
        &state.comments,
        page.comments_closed,
        page.article.card.published_at,
        now,
    );
    let comments = crate::comments::store::for_article(
        &mut conn,
        &state.comments,
        page.article_id,
        open,
        comments,
        state.live.last_id(),
        now,
    )
    .await
    .map_err(crate::internal(DOING))?;
    page.comments = Some(comments);
    Ok(Some(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(published_at: i64, updated_at: i64) -> Article {
        Article {
            card: ArticleCard {
                slug: "a".into(),
                section: Section {
                    slug: "nieuws".into(),
                    name: "Nieuws".into(),
                },
                title: "T".into(),
                lead: "L".into(),
                hero: None,
                place: "LINDEWIJK".into(),
                published_at,
                live: false,
            },
            body_html: String::new(),
            updated_at,
            authors: vec![],
            tags: vec![],
        }
    }

    #[test]
    fn an_edit_long_after_publication_is_shown_as_update() {
        assert_eq!(article(1000, 5000).updated_after_publication(), Some(5000));
    }

    #[test]
    fn publishing_itself_is_not_an_update() {
        assert_eq!(article(1000, 1000).updated_after_publication(), None);
        assert_eq!(article(1000, 1030).updated_after_publication(), None);
    }

    #[test]
    fn status_round_trips_through_its_storage_name() {
        for status in [
            ArticleStatus::Draft,
            ArticleStatus::Scheduled,
            ArticleStatus::Published,
        ] {
            assert_eq!(ArticleStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ArticleStatus::parse("weg"), None);
    }
}
