//! Comments under articles: the shared rules (`rules`), what pages show, the reader's form (which
//! works without JavaScript; the `CommentFormHelper` island adds validation as you type), and
//! the newsroom's moderation.

mod form;
mod island;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod store;

pub use form::{CommentSubmission, CommentsSection};
pub use island::CommentFormHelper;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dates;

/// Replies nest this deep on the page; deeper replies join the deepest level shown.
pub const MAX_DEPTH: usize = 3;
/// Comments per page of a thread: an article with a thousand comments stays a page a phone
/// can load.
pub const PER_PAGE: usize = 50;

/// Where a comment stands. Stored as its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentStatus {
    /// Waiting for a moderator.
    Pending,
    Approved,
    Rejected,
    Spam,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Pending => "pending",
            CommentStatus::Approved => "approved",
            CommentStatus::Rejected => "rejected",
            CommentStatus::Spam => "spam",
        }
    }
}

/// An approved comment as readers see it (no e-mail address: that is for editors only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub author_name: String,
    pub body: String,
    pub newsroom: bool,
    pub created_at: i64,
    /// Who the comment answers, for a reply shown without its parent (on another page).
    pub parent_name: Option<String>,
}

/// One page of an article's thread: a stretch of the order the whole thread is shown in
/// ([`display_order`]). The last page is the newest and the one kept live.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPage {
    /// In display order.
    pub comments: Vec<Comment>,
    pub page: u32,
    pub pages: u32,
    /// Approved comments in the whole thread.
    pub total: usize,
}

impl ThreadPage {
    pub fn is_latest(&self) -> bool {
        self.page >= self.pages
    }
}

/// Which page of a thread to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageChoice {
    /// The newest page.
    #[default]
    Latest,
    Number(u32),
    /// The page that shows this comment (the one being answered).
    Showing(i64),
}

/// The order a thread is shown in, as [`CommentThread`] renders it: top-level comments oldest
/// first, each followed by its replies; from [`MAX_DEPTH`] on, all further replies in time
/// order. `comments` are `(id, parent)` pairs oldest first; a reply whose parent is not among
/// them counts as top-level.
pub fn display_order(comments: &[(i64, Option<i64>)]) -> Vec<i64> {
    use std::collections::HashMap;
    let position: HashMap<i64, usize> = comments
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut roots = Vec::new();
    for (id, parent) in comments {
        match parent.filter(|p| position.contains_key(p)) {
            Some(parent) => children.entry(parent).or_default().push(*id),
            None => roots.push(*id),
        }
    }
    fn descendants(id: i64, children: &HashMap<i64, Vec<i64>>, into: &mut Vec<i64>) {
        for child in children.get(&id).into_iter().flatten() {
            into.push(*child);
            descendants(*child, children, into);
        }
    }
    fn visit(
        id: i64,
        depth: usize,
        children: &HashMap<i64, Vec<i64>>,
        position: &HashMap<i64, usize>,
        out: &mut Vec<i64>,
    ) {
        out.push(id);
        for child in children.get(&id).into_iter().flatten() {
            if depth + 1 >= MAX_DEPTH {
                out.push(*child);
                let mut below = Vec::new();
                descendants(*child, children, &mut below);
                below.sort_by_key(|c| position[c]);
                out.extend(below);
            } else {
                visit(*child, depth + 1, children, position, out);
            }
        }
    }
    let mut out = Vec::with_capacity(comments.len());
    for root in roots {
        visit(root, 1, &children, &position, &mut out);
    }
    out
}

/// An article's comments: one page of the approved ones, and whether new ones are welcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleComments {
    pub article_id: i64,
    pub open: bool,
    pub thread: ThreadPage,
    /// Signed render time: the server refuses forms sent back implausibly fast.
    pub token: String,
    /// The last live event when this was read.
    pub since: i64,
}

/// A comment in the moderation queue, with what an editor needs to judge it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct QueuedComment {
    pub id: i64,
    pub article_id: i64,
    pub article_title: String,
    pub article_path: String,
    pub parent_name: Option<String>,
    pub author_name: String,
    pub email: String,
    pub ip_hash: String,
    pub body: String,
    pub held_for: Option<String>,
    pub created_at: i64,
}

/// The newsroom's moderation screen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationScreen {
    pub queue: Vec<QueuedComment>,
    pub pending: i64,
    /// The banned words in force, comma-separated.
    pub banned_words: String,
}

/// The pending count for the newsroom navigation, and the event it is current up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub pending: i64,
    pub since: i64,
}

#[cfg(feature = "ssr")]
const DOING: &str = "loading comments for the newsroom";

/// The moderation queue; editors only.
#[server]
pub async fn moderation_queue() -> Result<ModerationScreen, ServerFnError> {
    crate::accounts::auth::authorize(crate::accounts::Role::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    Ok(ModerationScreen {
        queue: store::queue(&state.db, 200)
            .await
            .map_err(crate::internal(DOING))?,
        pending: store::pending_count(&state.db)
            .await
            .map_err(crate::internal(DOING))?,
        banned_words: settings::banned_words(&state.db, &state.comments)
            .await
            .map_err(crate::internal(DOING))?
            .join(", "),
    })
}

/// The navigation's pending count; editors only (others get none).
#[server]
pub async fn pending_badge() -> Result<Pending, ServerFnError> {
    crate::accounts::auth::authorize(crate::accounts::Role::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    Ok(Pending {
        // Read first: never ahead of the count.
        since: state.live.last_id(),
        pending: store::pending_count(&state.db)
            .await
            .map_err(crate::internal(DOING))?,
    })
}

/// The navigation badge's text: the pending count, or nothing.
pub fn badge_text(pending: i64) -> String {
    if pending > 0 {
        pending.to_string()
    } else {
        String::new()
    }
}

/// "1 reactie", "3 reacties".
pub fn count_text(n: usize) -> String {
    if n == 1 {
        "1 reactie".into()
    } else {
        format!("{n} reacties")
    }
}

enum Piece {
    Text(String),
    Link { href: String, text: String },
    Break,
}

/// Splits a comment into runs of text, links and line breaks (adjacent text merged).
fn pieces(body: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let push_text = |out: &mut Vec<Piece>, text: &str| match out.last_mut() {
        Some(Piece::Text(run)) => run.push_str(text),
        _ => out.push(Piece::Text(text.to_string())),
    };
    for (i, line) in body.lines().enumerate() {
        if i > 0 {
            out.push(Piece::Break);
        }
        for word in line.split_inclusive(char::is_whitespace) {
            match rules::link_in(word) {
                Some(link) => {
                    let at = word.find(link).unwrap_or(0);
                    push_text(&mut out, &word[..at]);
                    let href = if link.to_ascii_lowercase().starts_with("www.") {
                        format!("https://{link}")
                    } else {
                        link.to_string()
                    };
                    out.push(Piece::Link {
                        href,
                        text: link.to_string(),
                    });
                    push_text(&mut out, &word[at + link.len()..]);
                }
                None => push_text(&mut out, word),
            }
        }
    }
    out
}

/// A comment's text: plain text with its line breaks, web addresses as links that search
/// engines do not follow. Everything else is escaped.
#[component]
pub fn CommentText(body: String) -> impl IntoView {
    pieces(&body)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.into_any(),
            Piece::Link { href, text } => {
                view! { <a href=href rel="nofollow ugc noopener">{text}</a> }.into_any()
            }
            Piece::Break => view! { <br/> }.into_any(),
        })
        .collect_view()
}

/// One comment with its replies (as deep as `MAX_DEPTH`). Also what live events carry.
#[component]
pub fn CommentItem(
    comment: Comment,
    replies: Vec<Comment>,
    depth: usize,
    /// A reply shown without its parent (that one is on an earlier page): say whom it answers.
    #[prop(optional)]
    detached: bool,
) -> impl IntoView {
    let id = comment.id;
    let answers = detached.then(|| comment.parent_name.clone()).flatten();
    let children: Vec<Comment> = replies
        .iter()
        .filter(|c| c.parent_id == Some(id))
        .cloned()
        .collect();
    view! {
        <li class="comment" class:is-newsroom=comment.newsroom id=format!("reactie-{id}") data-id=id>
            <article aria-labelledby=format!("reactie-{id}-naam")>
                <p class="comment-meta">
                    <strong id=format!("reactie-{id}-naam")>{comment.author_name.clone()}</strong>
                    {comment.newsroom.then_some(" (redactie)")}
                    " · "
                    <time datetime=dates::iso(comment.created_at)>
                        {format!("{} {}", dates::date(comment.created_at), dates::clock(comment.created_at))}
                    </time>
                </p>
                {answers.map(|name| view! { <p class="comment-answers">{format!("In antwoord op {name}")}</p> })}
                <p class="comment-body"><CommentText body=comment.body.clone()/></p>
                <p class="comment-actions">
                    <a href=format!("?antwoord={id}#reageren") data-reply=id
                        data-reply-name=comment.author_name.clone()>
                        "Reageer"<span class="visually-hidden">{format!(" op {}", comment.author_name)}</span>
                    </a>
                </p>
            </article>
            <ol class="comment-replies" id=format!("antwoorden-{id}")>
                {children.into_iter().map(|child| {
                    // Deeper replies are shown at the deepest level, in time order.
                    let mut below = Vec::new();
                    if depth + 1 >= MAX_DEPTH {
                        collect_descendants(child.id, &replies, &mut below);
                    }
                    let replies = if depth + 1 >= MAX_DEPTH { Vec::new() } else { replies.clone() };
                    let flat = below.into_iter().map(|c| view! {
                        <CommentItem comment=c replies=Vec::new() depth=MAX_DEPTH/>
                    }).collect_view();
                    view! { <CommentItem comment=child replies depth=depth + 1/> {flat} }.into_any()
                }).collect_view()}
            </ol>
        </li>
    }
}

fn collect_descendants(id: i64, all: &[Comment], into: &mut Vec<Comment>) {
    for c in all.iter().filter(|c| c.parent_id == Some(id)) {
        into.push(c.clone());
        collect_descendants(c.id, all, into);
    }
    into.sort_by_key(|c| (c.created_at, c.id));
}

/// The live part of the comments: heading with the count, the thread page and the links to
/// the other pages. `data-count` holds the count, so a live comment can add one to it.
#[component]
pub fn CommentsPart(thread: ThreadPage) -> impl IntoView {
    let ThreadPage {
        comments,
        page,
        pages,
        total,
    } = thread;
    let first = (page as usize - 1) * PER_PAGE + 1;
    let last = first + comments.len().saturating_sub(1);
    view! {
        <h2 id="reacties-titel" class="block-title">
            "Reacties " <span class="comment-count" data-count=total>{format!("({})", count_text(total))}</span>
        </h2>
        {(total == 0).then(|| view! { <p class="comments-empty" data-empty="1">"Nog geen reacties."</p> })}
        {(pages > 1).then(|| view! {
            <nav class="comment-pages" aria-label="Pagina's met reacties">
                <p>{format!("Reacties {first}–{last} van {total}")}</p>
                {(page > 1).then(|| view! {
                    <a href=format!("?reacties={}#reacties", page - 1) rel="prev">"Eerdere reacties"</a>
                })}
                " "
                {(page < pages).then(|| view! {
                    <a href=format!("?reacties={}#reacties", page + 1) rel="next">"Nieuwere reacties"</a>
                })}
            </nav>
        })}
        <CommentThread comments/>
    }
}

/// The thread (or one page of it): top-level comments oldest first, replies nested. A reply
/// whose parent is not on this page starts a branch of its own.
#[component]
pub fn CommentThread(comments: Vec<Comment>) -> impl IntoView {
    let shown: std::collections::HashSet<i64> = comments.iter().map(|c| c.id).collect();
    let top: Vec<Comment> = comments
        .iter()
        .filter(|c| c.parent_id.is_none_or(|p| !shown.contains(&p)))
        .cloned()
        .collect();
    view! {
        <ol class="comments" id="reacties-lijst">
            {top.into_iter().map(|comment| {
                let detached = comment.parent_id.is_some();
                view! { <CommentItem comment replies=comments.clone() depth=1 detached/> }
            }).collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    fn render(body: &str) -> String {
        let body = body.to_string();
        Owner::new().with(|| view! { <CommentText body/> }.to_html())
    }

    // Rendering to HTML needs the server build.
    #[cfg(feature = "ssr")]
    #[test]
    fn comment_text_is_escaped_with_line_breaks_and_safe_links() {
        let html = render("<script>alert(1)</script>\nZie www.voorbeeld.nl.");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<br>") || html.contains("<br/>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://www.voorbeeld.nl" rel="nofollow ugc noopener">www.voorbeeld.nl</a>."#),
            "{html}"
        );
        let html = render("javascript:alert(1) \"onmouseover=alert(2)");
        assert!(!html.contains("<a"), "{html}");
    }

    fn comment(id: i64, parent_id: Option<i64>) -> Comment {
        Comment {
            id,
            parent_id,
            author_name: format!("Lezer {id}"),
            body: format!("Reactie {id}"),
            newsroom: false,
            created_at: id,
            parent_name: parent_id.map(|p| format!("Lezer {p}")),
        }
    }

    // The pages are cut from `display_order`, so it must be the order the thread renders in.
    #[cfg(feature = "ssr")]
    #[test]
    fn the_display_order_is_the_order_the_thread_renders_in() {
        // 1 ← 2 ← 4 ← 6 ← 7, 1 ← 3, 5 top-level, 8 answers 2; ids are also the time order.
        let pairs = [
            (1, None),
            (2, Some(1)),
            (3, Some(1)),
            (4, Some(2)),
            (5, None),
            (6, Some(4)),
            (7, Some(6)),
            (8, Some(2)),
        ];
        let order = display_order(&pairs);
        assert_eq!(order, [1, 2, 4, 6, 7, 8, 3, 5]);
        let comments: Vec<Comment> = pairs.iter().map(|(id, p)| comment(*id, *p)).collect();
        let html = Owner::new().with(|| view! { <CommentThread comments/> }.to_html());
        let rendered: Vec<i64> = html
            .match_indices("data-id=\"")
            .map(|(at, m)| {
                let rest = &html[at + m.len()..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(rendered, order, "{html}");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_reply_without_its_parent_on_the_page_says_whom_it_answers() {
        let comments = vec![comment(4, Some(2)), comment(9, None)];
        let html = Owner::new().with(|| view! { <CommentThread comments/> }.to_html());
        assert!(html.contains("In antwoord op Lezer 2"), "{html}");
        assert_eq!(html.matches("In antwoord op").count(), 1, "{html}");
    }

    #[test]
    fn a_reply_to_a_comment_not_in_the_thread_counts_as_top_level() {
        assert_eq!(display_order(&[(5, Some(99)), (6, None)]), [5, 6]);
    }
}
