//! Live blogs: an article in live mode carries short updates, newest first, that reach open
//! pages as they are posted. Shared here: the update rules, what pages show, and the components
//! that render a blog, both in the page and in the events that keep it current.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{checked_text, PostError};
use crate::dates;

#[cfg(feature = "ssr")]
pub mod store;

/// Also in `PostError::UpdateTooLong`'s message.
pub const POST_MAX_CHARS: usize = 5000;
/// Most updates a page shows: a blog that runs for days stays a page a phone can load.
pub const POSTS_SHOWN: i64 = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlogStatus {
    Live,
    Closed,
}

impl BlogStatus {
    /// From the `articles.live_state` column; `None` for an article that is no live blog.
    pub fn parse(value: Option<&str>) -> Option<Self> {
        match value {
            Some("live") => Some(BlogStatus::Live),
            Some("closed") => Some(BlogStatus::Closed),
            _ => None,
        }
    }

    /// Its name in `articles.live_state`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlogStatus::Live => "live",
            BlogStatus::Closed => "closed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogPost {
    pub id: i64,
    pub body_md: String,
    /// Rendered from Markdown and sanitised when saved.
    pub html: String,
    pub author: Option<String>,
    pub key_event: bool,
    pub pinned: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveBlog {
    pub article_id: i64,
    pub status: BlogStatus,
    /// Newest first.
    pub posts: Vec<BlogPost>,
    /// The last live event when this was read: the page's stream resumes after it.
    pub since: i64,
}

/// An update that meets the rules: 1 to 5,000 characters of Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateText(String);

impl UpdateText {
    pub fn new(text: &str) -> Result<Self, PostError> {
        checked_text(text, POST_MAX_CHARS, PostError::UpdateTooLong).map(UpdateText)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One update, as the page renders it and events carry it.
#[component]
pub fn BlogPostItem(post: BlogPost) -> impl IntoView {
    view! {
        <li class="live-post" class:is-key=post.key_event class:is-pinned=post.pinned
            id=format!("update-{}", post.id) data-id=post.id>
            <p class="live-post-meta">
                <time datetime=dates::iso(post.created_at)>{dates::clock(post.created_at)}</time>
                {post.author.map(|name| view! { " " <span class="live-post-author">{name}</span> })}
                {post.pinned.then(|| view! { " " <span class="live-post-label">"Vastgezet"</span> })}
                {post.key_event.then(|| view! { " " <span class="live-post-label is-key">"Hoofdpunt"</span> })}
            </p>
            <div class="live-post-body" inner_html=post.html></div>
            {post.edited_at.map(|t| view! {
                <p class="live-post-edited">
                    <time datetime=dates::iso(t)>{format!("Aangepast om {}", dates::clock(t))}</time>
                </p>
            })}
        </li>
    }
}

/// The changing inside of a blog: status, the pinned update, the updates. Events that change
/// the status or the pin replace all of it.
#[component]
pub fn BlogFeed(blog: LiveBlog) -> impl IntoView {
    let (pinned, posts): (Vec<_>, Vec<_>) = blog.posts.into_iter().partition(|p| p.pinned);
    let empty = pinned.is_empty() && posts.is_empty();
    view! {
        {match blog.status {
            BlogStatus::Live => view! {
                <p class="liveblog-status">
                    <span class="live-flag">"LIVE"</span>
                    " Dit liveblog wordt bijgewerkt zodra er nieuws is."
                </p>
            }.into_any(),
            BlogStatus::Closed => view! {
                <p class="liveblog-status is-closed">"Liveblog gesloten"</p>
            }.into_any(),
        }}
        <button type="button" class="liveblog-more" data-more="1" hidden=true>"Nieuwe updates"</button>
        {(!pinned.is_empty()).then(|| view! {
            <ol class="liveblog-pinned" aria-label="Vastgezet">
                {pinned.into_iter().map(|post| view! { <BlogPostItem post/> }).collect_view()}
            </ol>
        })}
        <ol class="liveblog-posts" data-items="1" aria-live="polite" aria-relevant="additions">
            {posts.into_iter().map(|post| view! { <BlogPostItem post/> }).collect_view()}
        </ol>
        {empty.then(|| view! { <p class="liveblog-empty" data-empty="1">"Nog geen updates."</p> })}
    }
}

/// The blog under an article. "Alleen hoofdpunten" is a checkbox the stylesheet reacts to, so
/// the filter works without JavaScript and without a reload.
#[component]
pub fn LiveBlogSection(blog: LiveBlog) -> impl IntoView {
    let live = blog.status == BlogStatus::Live;
    let part = live.then(|| super::Topic::Blog(blog.article_id).to_string());
    let since = live.then_some(blog.since);
    view! {
        <section class="liveblog" aria-labelledby="liveblog-titel">
            <h2 id="liveblog-titel" class="block-title">"Liveblog"</h2>
            <p class="liveblog-filter">
                <input type="checkbox" id="alleen-hoofdpunten"/>
                " "
                <label for="alleen-hoofdpunten">"Alleen hoofdpunten"</label>
            </p>
            <div class="liveblog-feed" data-live=part data-since=since data-hold=live.then_some("1")>
                <BlogFeed blog/>
            </div>
            {live.then(|| view! {
                <p class="live-reload" data-live-reload="1"><a href="">"Vernieuwen"</a></p>
            })}
        </section>
    }
}

/// A live blog as the newsroom's console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogConsole {
    pub article_id: i64,
    pub title: String,
    pub url: String,
    pub status: BlogStatus,
    pub posts: Vec<BlogPost>,
}

/// A blog or a candidate for one, in the newsroom's lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogListing {
    pub article_id: i64,
    pub title: String,
    pub status: Option<BlogStatus>,
}

/// One blog's console data; editors only.
#[server]
pub async fn newsroom_blog(article_id: i64) -> Result<Option<BlogConsole>, ServerFnError> {
    crate::accounts::auth::authorize(crate::accounts::Role::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    store::console(&state.db, article_id)
        .await
        .map_err(crate::internal("loading the blog console"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_one_to_5000_characters() {
        assert_eq!(UpdateText::new(" \n "), Err(PostError::Empty));
        assert_eq!(
            UpdateText::new(&"ë".repeat(5001)),
            Err(PostError::UpdateTooLong(5001))
        );
        assert_eq!(UpdateText::new(" Kort. ").unwrap().as_str(), "Kort.");
    }

    #[test]
    fn blog_states_round_trip_through_their_stored_names() {
        for status in [BlogStatus::Live, BlogStatus::Closed] {
            assert_eq!(BlogStatus::parse(Some(status.as_str())), Some(status));
        }
        assert_eq!(BlogStatus::parse(None), None);
    }
}
