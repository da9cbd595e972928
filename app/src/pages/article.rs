use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    share::{absolute, ArticleFacts, ShareMeta},
    structured_data::{self, JsonLd},
};
use crate::{
    articles::{load_article, Article, ArticlePageData, Byline},
    comments::{CommentSubmission, CommentsSection, PageChoice},
    components::cards::{HeadlineList, HeroPicture, Time},
    dates,
    i18n::ui,
    live::blog::LiveBlogSection,
    pages::{NotFound, ServerError},
    site::SiteInfo,
};

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map().get_untracked();
    let section = params.get("section").unwrap_or_default();
    let slug = params.get("slug").unwrap_or_default();
    let comments = comment_page(&use_query_map().get_untracked());
    let data = Resource::new_blocking(
        move || (section.clone(), slug.clone()),
        move |(section, slug)| load_article(section, slug, comments),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(data)) => EitherOf3::A(view! { <ArticleView data/> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound/> }),
                    Err(_) => EitherOf3::C(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

/// Which page of the comments to show: the one with the comment being answered (a "Reageer"
/// link, or a refused reply shown again) or just placed (`?bij=`), else `?reacties=N`, else the
/// newest.
fn comment_page(query: &leptos_router::params::ParamsMap) -> PageChoice {
    let answering = use_context::<CommentSubmission>()
        .and_then(|s| s.parent)
        .or_else(|| query.get("antwoord")?.parse().ok())
        .or_else(|| query.get("bij")?.parse().ok());
    let number = query.get("reacties").and_then(|n| n.parse().ok());
    match (answering, number) {
        (Some(id), _) => PageChoice::Showing(id),
        (None, Some(n)) => PageChoice::Number(n),
        (None, None) => PageChoice::Latest,
    }
}

/// "Bijgewerkt om 15:20", with the date too when the edit was on a later day.
fn updated_text(article: &Article, updated: i64) -> String {
    let when = if dates::date(updated) == dates::date(article.card.published_at) {
        dates::clock(updated)
    } else {
        format!("{} ({})", dates::clock(updated), dates::date(updated))
    };
    format!("{} {}", ui().updated_at, when)
}

#[component]
fn ArticleView(data: ArticlePageData) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let ui = ui();
    let ArticlePageData {
        article,
        related,
        latest,
        blog,
        comments,
        ..
    } = data;
    let card = article.card.clone();
    let structured_data = structured_data::article(&site, &article, blog.as_ref());
    let facts = ArticleFacts {
        published: card.published_at,
        modified: article.updated_at.max(card.published_at),
        section: card.section.name.clone(),
        tags: article.tags.iter().map(|t| t.name.clone()).collect(),
    };
    view! {
        <Title text=format!("{} – {}", card.title, site.name)/>
        <Meta name="description" content=card.lead.clone()/>
        <Link rel="canonical" href=absolute(&site, &card.url())/>
        <ShareMeta title=card.title.clone() description=card.lead.clone() path=card.url()
            image=card.hero.clone() article=facts/>
        <JsonLd blocks=structured_data/>
        <div class="article-layout">
            <div class="article-main">
                <ArticleContent article/>
                {blog.map(|blog| view! { <LiveBlogSection blog/> })}
                {comments.as_ref().map(|c| view! {
                    <crate::tips::ReaderServices article=c.article_id token=c.token.clone()/>
                })}
                {comments.map(|comments| view! { <CommentsSection comments/> })}
            </div>
            <aside class="article-aside">
                {(!related.is_empty()).then(|| view! {
                    <section aria-labelledby="gerelateerd">
                        <h2 id="gerelateerd" class="block-title">{ui.related}</h2>
                        <HeadlineList cards=related/>
                    </section>
                })}
                <section aria-labelledby="net-binnen">
                    <h2 id="net-binnen" class="block-title">{ui.latest}</h2>
                    <HeadlineList cards=latest/>
                </section>
            </aside>
        </div>
    }
}

/// The article itself: header, hero, body and tags. The newsroom's preview renders this same
/// component, so what an editor sees is what readers get.
#[component]
pub fn ArticleContent(article: Article) -> impl IntoView {
    let ui = ui();
    let card = article.card.clone();
    let updated = article
        .updated_after_publication()
        .map(|ts| (ts, updated_text(&article, ts)));
    view! {
            <article class="article">
                <header class="article-header">
                    <p class="kicker"><a href=card.section.url()>{card.section.name.clone()}</a></p>
                    <h1>{card.title.clone()}</h1>
                    <p class="lead">{card.lead.clone()}</p>
                    <p class="dateline">
                        <span class="place">{dates::dateline_place(&card.place)}</span>
                        " • "
                        <Time ts=card.published_at text=dates::long_datetime(card.published_at)/>
                    </p>
                    {(!article.authors.is_empty()).then(|| view! {
                        <p class="byline">{ui.by} " " <AuthorLinks authors=article.authors.clone()/></p>
                    })}
                    {updated.map(|(ts, text)| view! {
                        <p class="updated"><time datetime=dates::iso(ts)>{text}</time></p>
                    })}
                </header>
                {card.hero.clone().map(|hero| {
                    let caption = hero.caption.clone();
                    let credit = hero.credit.clone();
                    view! {
                        <figure class="hero">
                            <HeroPicture hero eager=true sizes="(min-width: 60rem) 44rem, 100vw"/>
                            <figcaption>
                                {caption}
                                {credit.map(|credit| view! { " " <span class="credit">{credit}</span> })}
                            </figcaption>
                        </figure>
                    }
                })}
                <div class="article-body" inner_html=article.body_html.clone()></div>
                {(!article.tags.is_empty()).then(|| view! {
                    <footer class="article-footer">
                        <h2 class="visually-hidden">{ui.tags}</h2>
                        <ul class="tags">
                            {article.tags.iter().map(|tag| view! {
                                <li class="tag"><a href=tag.url()>{tag.name.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    </footer>
                })}
            </article>
    }
}

/// "Anouk Verhaar, Joost Brinkhorst en Fenna Lamberts", each name a link to the author's page.
#[component]
fn AuthorLinks(authors: Vec<Byline>) -> impl IntoView {
    let count = authors.len();
    authors
        .into_iter()
        .enumerate()
        .map(|(i, author)| {
            let separator = match i {
                0 => "",
                i if i + 1 == count => " en ",
                _ => ", ",
            };
            let href = author.url();
            view! { {separator} <a href=href rel="author">{author.name}</a> }
        })
        .collect_view()
}
