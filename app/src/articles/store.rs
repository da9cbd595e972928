//! Article storage: the SQL for articles, their sections, authors and tags, on either engine.
//!
//! "Visible" is decided here, in one place: published (or scheduled) and `published_at` reached.
//! A scheduled article therefore appears at its time without any job having to run.

use crate::{
    articles::{
        markdown, Article, ArticleCard, ArticlePageData, ArticleStatus, Byline, HeroImage,
        HomeData, SectionBlock, SectionPageData, Tag, PAGE_SIZE,
    },
    db::{Db, StoreError},
    in_write_tx, on_db,
    site::Section,
    slug::Slug,
};

/// Links the tags named in `$names` to article `$id` inside transaction `$tx`, creating tags on
/// first use. A macro so that it runs inside either engine's transaction.
#[macro_export]
macro_rules! link_tags {
    ($tx:ident, $id:expr, $names:expr) => {
        for name in $names {
            let Some(slug) = $crate::slug::slugify(name) else {
                continue;
            };
            sqlx::query(
                "INSERT INTO tags (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING",
            )
            .bind(slug.as_str())
            .bind(name.trim())
            .execute(&mut *$tx)
            .await?;
            sqlx::query(
                "INSERT INTO article_tags (article_id, tag_id) \
                 SELECT $1, id FROM tags WHERE slug = $2 ON CONFLICT DO NOTHING",
            )
            .bind($id)
            .bind(slug.as_str())
            .execute(&mut *$tx)
            .await?;
        }
    };
}

/// Cards in the home page's "latest" list, after the top story.
const HOME_LATEST: i64 = 10;
/// Cards per section block on the home page.
const HOME_PER_SECTION: i64 = 4;
const RELATED: i64 = 4;
const SIDEBAR_LATEST: i64 = 5;

/// The columns of a [`CardRow`], from `articles a` joined with `sections s`.
macro_rules! card_columns {
    () => {
        "a.id, a.slug, a.title, a.lead, a.hero_src, a.hero_alt, a.hero_caption, \
         a.hero_credit, a.place, a.published_at, a.live_state, s.slug AS section_slug, \
         s.name AS section_name"
    };
}

/// [`card_columns!`] for queries built elsewhere (search).
pub(crate) const VISIBLE_CARD_COLUMNS: &str = card_columns!();

/// Selects card columns of visible articles; `$1` is "now".
macro_rules! visible_cards {
    ($($extra:literal),*) => {
        concat!(
            "SELECT ",
            card_columns!(),
            $($extra,)*
            " FROM articles a JOIN sections s ON s.id = a.section_id \
             WHERE a.status IN ('published', 'scheduled') AND a.published_at <= $1"
        )
    };
}

#[derive(sqlx::FromRow)]
pub(crate) struct CardRow {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) lead: String,
    pub(crate) hero_src: Option<String>,
    pub(crate) hero_alt: Option<String>,
    pub(crate) hero_caption: Option<String>,
    pub(crate) hero_credit: Option<String>,
    pub(crate) place: String,
    pub(crate) published_at: Option<i64>,
    pub(crate) live_state: Option<String>,
    pub(crate) section_slug: String,
    pub(crate) section_name: String,
}

impl From<CardRow> for ArticleCard {
    fn from(row: CardRow) -> Self {
        let hero = row.hero_src.map(|src| HeroImage {
            src,
            alt: row.hero_alt.unwrap_or_default(),
            caption: row.hero_caption,
            credit: row.hero_credit,
        });
        ArticleCard {
            slug: row.slug,
            section: Section {
                slug: row.section_slug,
                name: row.section_name,
            },
            title: row.title,
            lead: row.lead,
            hero,
            place: row.place,
            published_at: row.published_at.unwrap_or_default(),
            live: row.live_state.as_deref() == Some("live"),
        }
    }
}

fn cards(rows: Vec<CardRow>) -> Vec<ArticleCard> {
    rows.into_iter().map(ArticleCard::from).collect()
}

/// The site's sections in menu order.
pub async fn sections(db: &Db) -> Result<Vec<Section>, StoreError> {
    let rows: Vec<(String, String)> = on_db!(db, pool => {
        sqlx::query_as("SELECT slug, name FROM sections ORDER BY position, id")
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(slug, name)| Section { slug, name })
        .collect())
}

/// Makes the stored sections match the configured ones: adds missing ones, renames and reorders.
/// Sections no longer configured stay (their articles keep working) but sort last.
pub async fn sync_sections(db: &Db, configured: &[Section]) -> Result<(), StoreError> {
    in_write_tx!(db, tx => {
        sqlx::query("UPDATE sections SET position = 1000 + id")
            .execute(&mut *tx)
            .await?;
        for (position, section) in configured.iter().enumerate() {
            sqlx::query(
                "INSERT INTO sections (slug, name, position) VALUES ($1, $2, $3) \
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name, position = excluded.position",
            )
            .bind(&section.slug)
            .bind(&section.name)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
    });
    Ok(())
}

pub async fn home(db: &Db, now: i64) -> Result<HomeData, StoreError> {
    let (latest, ranked, sections) = on_db!(db, pool => {
        let latest: Vec<CardRow> = sqlx::query_as(concat!(
            visible_cards!(),
            " ORDER BY a.published_at DESC, a.id DESC LIMIT $2"
        ))
        .bind(now)
        .bind(HOME_LATEST + 1)
        .fetch_all(pool)
        .await?;
        let ranked: Vec<CardRow> = sqlx::query_as(concat!(
            "SELECT * FROM (",
            visible_cards!(
                ", ROW_NUMBER() OVER (PARTITION BY a.section_id \
                 ORDER BY a.published_at DESC, a.id DESC) AS rank_in_section"
            ),
            ") ranked WHERE rank_in_section <= $2 ORDER BY published_at DESC, id DESC"
        ))
        .bind(now)
        .bind(HOME_PER_SECTION)
        .fetch_all(pool)
        .await?;
        let sections: Vec<(String, String)> =
            sqlx::query_as("SELECT slug, name FROM sections ORDER BY position, id")
                .fetch_all(pool)
                .await?;
        (latest, ranked, sections)
    });
    let mut latest = cards(latest);
    let top = (!latest.is_empty()).then(|| latest.remove(0));
    let ranked = cards(ranked);
    let sections = sections
        .into_iter()
        .map(|(slug, name)| {
            let articles = ranked
                .iter()
                .filter(|card| card.section.slug == slug)
                .cloned()
                .collect();
            SectionBlock {
                section: Section { slug, name },
                articles,
            }
        })
        .filter(|block| !block.articles.is_empty())
        .collect();
    Ok(HomeData {
        top,
        latest,
        sections,
    })
}

/// One page of a section, newest first; `None` for an unknown section or a page past the end.
pub async fn section_page(
    db: &Db,
    section_slug: &str,
    page: u32,
    now: i64,
) -> Result<Option<SectionPageData>, StoreError> {
    if page == 0 {
        return Ok(None);
    }
    let found = on_db!(db, pool => {
        let section: Option<(i64, String, String)> =
            sqlx::query_as("SELECT id, slug, name FROM sections WHERE slug = $1")
                .bind(section_slug)
                .fetch_optional(pool)
                .await?;
        match section {
            None => None,
            Some((id, slug, name)) => {
                let total: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM articles a WHERE a.section_id = $2 \
                     AND a.status IN ('published', 'scheduled') AND a.published_at <= $1",
                )
                .bind(now)
                .bind(id)
                .fetch_one(pool)
                .await?;
                let rows: Vec<CardRow> = sqlx::query_as(concat!(
                    visible_cards!(),
                    " AND a.section_id = $2 ORDER BY a.published_at DESC, a.id DESC \
                     LIMIT $3 OFFSET $4"
                ))
                .bind(now)
                .bind(id)
                .bind(i64::from(PAGE_SIZE))
                .bind(i64::from(page - 1) * i64::from(PAGE_SIZE))
                .fetch_all(pool)
                .await?;
                Some((Section { slug, name }, total, rows))
            }
        }
    });
    let Some((section, total, rows)) = found else {
        return Ok(None);
    };
    let pages = (total.max(1) as u32).div_ceil(PAGE_SIZE);
    if page > pages {
        return Ok(None);
    }
    Ok(Some(SectionPageData {
        section,
        articles: cards(rows),
        page,
        pages,
    }))
}

#[derive(sqlx::FromRow)]
struct ArticleRow {
    #[sqlx(flatten)]
    card: CardRow,
    body_html: String,
    updated_at: i64,
    section_id: i64,
}

#[derive(sqlx::FromRow)]
struct ListedCardRow {
    #[sqlx(flatten)]
    card: CardRow,
    list: String,
}

/// A visible article with what its page shows beside it; `None` when there is no such article.
pub async fn article_page(
    db: &Db,
    section_slug: &str,
    slug: &str,
    now: i64,
) -> Result<Option<ArticlePageData>, StoreError> {
    let found = on_db!(db, pool => {
        let row: Option<ArticleRow> = sqlx::query_as(concat!(
            visible_cards!(", a.body_html, a.updated_at, a.section_id"),
            " AND s.slug = $2 AND a.slug = $3"
        ))
        .bind(now)
        .bind(section_slug)
        .bind(slug)
        .fetch_optional(pool)
        .await?;
        match row {
            None => None,
            Some(row) => {
                let id = row.card.id;
                // Bylines and tags in one round trip: kind 'a' rows are authors, 't' rows tags.
                let people_and_tags: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT 'a' AS kind, au.slug, au.name, aa.position AS pos \
                     FROM article_authors aa JOIN authors au ON au.id = aa.author_id \
                     WHERE aa.article_id = $1 \
                     UNION ALL \
                     SELECT 't' AS kind, t.slug, t.name, 0 AS pos \
                     FROM article_tags at JOIN tags t ON t.id = at.tag_id \
                     WHERE at.article_id = $1 \
                     ORDER BY kind, pos, name",
                )
                .bind(id)
                .fetch_all(pool)
                .await?;
                // Related (most shared tags, then same section, then newest) and latest, in one
                // round trip; `list` tells them apart.
                let lists: Vec<ListedCardRow> = sqlx::query_as(concat!(
                    "SELECT * FROM (SELECT * FROM (",
                    visible_cards!(
                        ", 'related' AS list, \
                         (SELECT COUNT(*) FROM article_tags mine \
                         JOIN article_tags theirs ON theirs.tag_id = mine.tag_id \
                         WHERE mine.article_id = $2 AND theirs.article_id = a.id) AS shared_tags, \
                         CASE WHEN a.section_id = $3 THEN 1 ELSE 0 END AS same_section"
                    ),
                    " AND a.id <> $2) candidates WHERE shared_tags > 0 OR same_section = 1 \
                     ORDER BY shared_tags DESC, same_section DESC, published_at DESC, id DESC \
                     LIMIT $4) related \
                     UNION ALL \
                     SELECT * FROM (",
                    visible_cards!(", 'latest' AS list, 0 AS shared_tags, 0 AS same_section"),
                    " AND a.id <> $2 ORDER BY a.published_at DESC, a.id DESC LIMIT $5) latest \
                     ORDER BY list DESC, shared_tags DESC, same_section DESC, published_at DESC, id DESC"
                ))
                .bind(now)
                .bind(id)
                .bind(row.section_id)
                .bind(RELATED)
                .bind(SIDEBAR_LATEST)
                .fetch_all(pool)
                .await?;
                Some((row, people_and_tags, lists))
            }
        }
    });
    let Some((row, people_and_tags, lists)) = found else {
        return Ok(None);
    };
    let article_id = row.card.id;
    let blog = match row.card.live_state {
        Some(_) => crate::live::blog::store::blog(db, row.card.id).await?,
        None => None,
    };
    let article = Article {
        card: row.card.into(),
        body_html: row.body_html,
        updated_at: row.updated_at,
        authors: people_and_tags
            .iter()
            .filter(|(kind, _, _)| kind == "a")
            .map(|(_, slug, name)| Byline {
                slug: slug.clone(),
                name: name.clone(),
            })
            .collect(),
        tags: people_and_tags
            .iter()
            .filter(|(kind, _, _)| kind == "t")
            .map(|(_, slug, name)| Tag {
                slug: slug.clone(),
                name: name.clone(),
            })
            .collect(),
    };
    let (related, latest): (Vec<ListedCardRow>, Vec<ListedCardRow>) =
        lists.into_iter().partition(|row| row.list == "related");
    Ok(Some(ArticlePageData {
        article,
        related: related.into_iter().map(|r| r.card.into()).collect(),
        latest: latest.into_iter().map(|r| r.card.into()).collect(),
        blog,
        article_id,
        comments: None,
    }))
}

/// How many articles exist in any state; zero means a fresh database.
pub async fn count_all(db: &Db) -> Result<i64, StoreError> {
    Ok(on_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM articles")
            .fetch_one(pool)
            .await?
    }))
}

pub struct NewAuthor {
    pub slug: Slug,
    pub name: String,
    pub bio: String,
}

pub async fn insert_author(db: &Db, author: &NewAuthor) -> Result<i64, StoreError> {
    Ok(on_db!(db, pool => {
        sqlx::query_scalar("INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3) RETURNING id")
            .bind(author.slug.as_str())
            .bind(&author.name)
            .bind(&author.bio)
            .fetch_one(pool)
            .await?
    }))
}

/// An article as the newsroom writes it; the body is Markdown.
pub struct NewArticle {
    pub slug: Slug,
    pub section: String,
    pub title: String,
    pub lead: String,
    pub body_md: String,
    pub hero: Option<HeroImage>,
    pub place: String,
    pub status: ArticleStatus,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Author slugs, in byline order.
    pub authors: Vec<String>,
    /// Tag names; tags are created on first use.
    pub tags: Vec<String>,
}

/// Saves a new article with its bylines and tags in one transaction.
pub async fn insert(db: &Db, article: &NewArticle) -> Result<i64, StoreError> {
    let body_html = markdown::render(&article.body_md);
    let hero = article.hero.as_ref();
    let id = in_write_tx!(db, tx => {
        let section_id: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE slug = $1")
            .bind(&article.section)
            .fetch_optional(&mut *tx)
            .await?;
        let section_id =
            section_id.ok_or_else(|| StoreError::UnknownSection(article.section.clone()))?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
            .bind(article.slug.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::SlugTaken(article.slug.to_string()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO articles (slug, section_id, title, lead, body_md, body_html, hero_src, \
             hero_alt, hero_caption, hero_credit, place, status, published_at, created_at, \
             updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(article.slug.as_str())
        .bind(section_id)
        .bind(&article.title)
        .bind(&article.lead)
        .bind(&article.body_md)
        .bind(&body_html)
        .bind(hero.map(|h| h.src.as_str()))
        .bind(hero.map(|h| h.alt.as_str()))
        .bind(hero.and_then(|h| h.caption.as_deref()))
        .bind(hero.and_then(|h| h.credit.as_deref()))
        .bind(&article.place)
        .bind(article.status.as_str())
        .bind(article.published_at)
        .bind(article.created_at)
        .bind(article.updated_at)
        .fetch_one(&mut *tx)
        .await?;
        for (position, author) in article.authors.iter().enumerate() {
            let author_id: Option<i64> = sqlx::query_scalar("SELECT id FROM authors WHERE slug = $1")
                .bind(author)
                .fetch_optional(&mut *tx)
                .await?;
            let author_id = author_id.ok_or_else(|| StoreError::UnknownAuthor(author.clone()))?;
            sqlx::query(
                "INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(author_id)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        link_tags!(tx, id, &article.tags);
        crate::index_article!(
            db,
            tx,
            id,
            &crate::search::store::IndexRow::new(&article.title, &article.lead, &body_html, &article.tags)
        );
        id
    });
    Ok(id)
}

/// Which articles a listing page shows; `$2` is the tag's or the author's id.
#[derive(Clone, Copy)]
enum Listing {
    Tag,
    Author,
}

impl Listing {
    fn filter(self) -> &'static str {
        match self {
            Listing::Tag => {
                " AND EXISTS (SELECT 1 FROM article_tags at \
                 WHERE at.article_id = a.id AND at.tag_id = $2)"
            }
            Listing::Author => {
                " AND EXISTS (SELECT 1 FROM article_authors aa \
                 WHERE aa.article_id = a.id AND aa.author_id = $2)"
            }
        }
    }
}

/// One page of a listing's visible articles, newest first, and how many pages there are;
/// `None` for a page past the end.
async fn listing_page(
    db: &Db,
    listing: Listing,
    id: i64,
    page: u32,
    now: i64,
) -> Result<Option<(Vec<ArticleCard>, u32)>, StoreError> {
    if page == 0 {
        return Ok(None);
    }
    let count = format!(
        "SELECT COUNT(*) FROM articles a \
         WHERE a.status IN ('published', 'scheduled') AND a.published_at <= $1{}",
        listing.filter()
    );
    let select = format!(
        "{}{} ORDER BY a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4",
        visible_cards!(),
        listing.filter()
    );
    let (total, rows) = on_db!(db, pool => {
        let total: i64 = sqlx::query_scalar(&count)
            .bind(now)
            .bind(id)
            .fetch_one(pool)
            .await?;
        let rows: Vec<CardRow> = sqlx::query_as(&select)
            .bind(now)
            .bind(id)
            .bind(i64::from(PAGE_SIZE))
            .bind(i64::from(page - 1) * i64::from(PAGE_SIZE))
            .fetch_all(pool)
            .await?;
        (total, rows)
    });
    let pages = (total.max(1) as u32).div_ceil(PAGE_SIZE);
    Ok((page <= pages).then(|| (cards(rows), pages)))
}

/// One page of the articles about a tag; `None` for an unknown tag, a tag no visible article
/// carries (yet), or a page past the end.
pub async fn tag_page(
    db: &Db,
    tag_slug: &str,
    page: u32,
    now: i64,
) -> Result<Option<super::TagPageData>, StoreError> {
    let tag: Option<(i64, String, String)> = on_db!(db, pool => {
        sqlx::query_as("SELECT id, slug, name FROM tags WHERE slug = $1")
            .bind(tag_slug)
            .fetch_optional(pool)
            .await?
    });
    let Some((id, slug, name)) = tag else {
        return Ok(None);
    };
    let Some((articles, pages)) = listing_page(db, Listing::Tag, id, page, now).await? else {
        return Ok(None);
    };
    if articles.is_empty() {
        return Ok(None);
    }
    Ok(Some(super::TagPageData {
        tag: Tag { slug, name },
        articles,
        page,
        pages,
    }))
}

/// One page of an author's articles with their bio; `None` for an unknown author or a page past
/// the end. An author without visible articles yet has a first page, with the bio only.
pub async fn author_page(
    db: &Db,
    author_slug: &str,
    page: u32,
    now: i64,
) -> Result<Option<super::AuthorPageData>, StoreError> {
    let author: Option<(i64, String, String, String)> = on_db!(db, pool => {
        sqlx::query_as("SELECT id, slug, name, bio FROM authors WHERE slug = $1")
            .bind(author_slug)
            .fetch_optional(pool)
            .await?
    });
    let Some((id, slug, name, bio)) = author else {
        return Ok(None);
    };
    let Some((articles, pages)) = listing_page(db, Listing::Author, id, page, now).await? else {
        return Ok(None);
    };
    Ok(Some(super::AuthorPageData {
        author: super::AuthorProfile {
            byline: Byline { slug, name },
            bio,
        },
        articles,
        page,
        pages,
    }))
}
