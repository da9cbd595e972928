//! Article storage: the SQL for articles, their sections, authors and tags.
//!
//! "Visible" is decided here, in one place ([`VISIBLE`]): published (or scheduled) and
//! `published_at` reached. A scheduled article therefore appears at its time without any job
//! having to run. Every article is written by [`write`], whoever saves it (the newsroom, the demo,
//! tests), together with its tags, its search index row and a revision.

use crate::{
    articles::{
        markdown, Article, ArticleCard, ArticlePageData, ArticleStatus, Byline, HeroImage,
        HomeData, SectionBlock, SectionPageData, Tag, PAGE_SIZE,
    },
    db::{Db, Purpose, StoreError, WriteTx},
    site::Section,
    slug::{slugify, Slug},
};
use sqlx::AnyConnection;

/// The one rule for "readers can see it", on `articles a`, with `$1` the time now. Every query
/// that shows articles to readers uses it (and binds now as `$1`).
pub const VISIBLE: &str = "a.status IN ('published', 'scheduled') AND a.published_at <= $1";

/// An article's site path, on `articles a` joined with `sections s`.
pub const PATH: &str = "'/' || s.slug || '/' || a.slug";

/// Cards in the home page's "latest" list, after the top story.
const HOME_LATEST: usize = 10;
/// The newest articles kept for every page: the top story and the home page's latest list,
/// which covers an article page's latest list without the article itself.
const NEWEST: i64 = HOME_LATEST as i64 + 1;
/// Cards per section block on the home page.
const HOME_PER_SECTION: i64 = 4;
const RELATED: i64 = 4;
const SIDEBAR_LATEST: usize = 5;

/// The columns of a [`CardRow`], from `articles a` joined with `sections s`.
pub(crate) const CARD_COLUMNS: &str = "a.id, a.slug, a.title, a.lead, a.hero_src, a.hero_alt, \
     a.hero_caption, a.hero_credit, a.place, a.published_at, a.live_state, \
     s.slug AS section_slug, s.name AS section_name";

/// `SELECT` of card columns (and `extra` ones) of visible articles, `$1` now; `rest` continues
/// the `WHERE`.
fn visible_cards(extra: &str, rest: &str) -> String {
    format!(
        "SELECT {CARD_COLUMNS}{extra} FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE {VISIBLE}{rest}"
    )
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
            live: crate::live::blog::BlogStatus::parse(row.live_state.as_deref())
                == Some(crate::live::blog::BlogStatus::Live),
        }
    }
}

fn cards(rows: Vec<CardRow>) -> Vec<ArticleCard> {
    rows.into_iter().map(ArticleCard::from).collect()
}

const SECTIONS: &str = "SELECT slug, name FROM sections ORDER BY position, id";

/// The site's sections in menu order.
pub async fn sections(db: &Db) -> Result<Vec<Section>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(SECTIONS)
        .fetch_all(db.pool())
        .await
        .purpose("listing the sections")?;
    Ok(rows
        .into_iter()
        .map(|(slug, name)| Section { slug, name })
        .collect())
}

/// Makes the stored sections match the configured ones: adds missing ones, renames and reorders.
/// Sections no longer configured stay (their articles keep working) but sort last.
pub async fn sync_sections(db: &Db, configured: &[Section]) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
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
    tx.commit().await.purpose("storing the sections")
}

/// The newest visible articles, newest first: the home page's top story and latest list, and
/// (the article itself left out) every article page's "net binnen". Every page of one version
/// shows the same ones, so pages take them from the state's keeper (`articles::newest`).
pub async fn newest(db: &Db, now: i64) -> Result<Vec<ArticleCard>, StoreError> {
    let rows: Vec<CardRow> = sqlx::query_as(&visible_cards(
        "",
        " ORDER BY a.published_at DESC, a.id DESC LIMIT $2",
    ))
    .bind(now)
    .bind(NEWEST)
    .fetch_all(db.pool())
    .await
    .purpose("reading the newest articles")?;
    Ok(cards(rows))
}

/// The home page: the top story and latest list from `newest` ([`newest`]), and a block per
/// section.
pub async fn home(db: &Db, newest: &[ArticleCard], now: i64) -> Result<HomeData, StoreError> {
    let ranked: Vec<CardRow> = sqlx::query_as(&format!(
        "SELECT * FROM ({}) ranked WHERE rank_in_section <= $2 \
         ORDER BY published_at DESC, id DESC",
        visible_cards(
            ", ROW_NUMBER() OVER (PARTITION BY a.section_id \
             ORDER BY a.published_at DESC, a.id DESC) AS rank_in_section",
            ""
        )
    ))
    .bind(now)
    .bind(HOME_PER_SECTION)
    .fetch_all(db.pool())
    .await
    .purpose("reading the home page's section blocks")?;
    let top = newest.first().cloned();
    let latest = newest.iter().skip(1).take(HOME_LATEST).cloned().collect();
    let ranked = cards(ranked);
    let sections = sections(db)
        .await?
        .into_iter()
        .map(|section| {
            let articles = ranked
                .iter()
                .filter(|card| card.section.slug == section.slug)
                .cloned()
                .collect();
            SectionBlock { section, articles }
        })
        .filter(|block| !block.articles.is_empty())
        .collect();
    Ok(HomeData {
        top,
        latest,
        sections,
    })
}

/// Which visible articles a listing page shows; `$2` is the section's, tag's or author's id.
#[derive(Clone, Copy)]
enum Listing {
    Section,
    Tag,
    Author,
}

impl Listing {
    fn filter(self) -> &'static str {
        match self {
            Listing::Section => " AND a.section_id = $2",
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
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM articles a WHERE {VISIBLE}{}",
        listing.filter()
    ))
    .bind(now)
    .bind(id)
    .fetch_one(db.pool())
    .await
    .purpose("counting a listing's articles")?;
    let rows: Vec<CardRow> = sqlx::query_as(&visible_cards(
        "",
        &format!(
            "{} ORDER BY a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4",
            listing.filter()
        ),
    ))
    .bind(now)
    .bind(id)
    .bind(i64::from(PAGE_SIZE))
    .bind(i64::from(page - 1) * i64::from(PAGE_SIZE))
    .fetch_all(db.pool())
    .await
    .purpose("reading a listing page")?;
    let pages = (total.max(1) as u32).div_ceil(PAGE_SIZE);
    Ok((page <= pages).then(|| (cards(rows), pages)))
}

/// One page of a section, newest first; `None` for an unknown section or a page past the end.
pub async fn section_page(
    db: &Db,
    section_slug: &str,
    page: u32,
    now: i64,
) -> Result<Option<SectionPageData>, StoreError> {
    let section: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, slug, name FROM sections WHERE slug = $1")
            .bind(section_slug)
            .fetch_optional(db.pool())
            .await
            .purpose("finding a section")?;
    let Some((id, slug, name)) = section else {
        return Ok(None);
    };
    let Some((articles, pages)) = listing_page(db, Listing::Section, id, page, now).await? else {
        return Ok(None);
    };
    Ok(Some(SectionPageData {
        section: Section { slug, name },
        articles,
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
    comments_closed: i64,
}

/// A visible article with what its page shows beside it; `None` when there is no such article.
pub async fn article_page(
    db: &Db,
    section_slug: &str,
    slug: &str,
    now: i64,
) -> Result<Option<ArticlePageData>, StoreError> {
    let newest = newest(db, now).await?;
    article_page_on(
        &mut *db.pool().acquire().await?,
        section_slug,
        slug,
        &newest,
        true,
        now,
    )
    .await
}

/// [`article_page`], on a connection the caller holds. A page reads everything it shows on one
/// connection: each one given back to the pool costs a round trip to its thread on SQLite
/// (sqlx checks it), and one is taken only once. Its latest list comes from `newest`
/// ([`newest`]); the related list is read only `with_related`.
pub async fn article_page_on(
    conn: &mut AnyConnection,
    section_slug: &str,
    slug: &str,
    newest: &[ArticleCard],
    with_related: bool,
    now: i64,
) -> Result<Option<ArticlePageData>, StoreError> {
    let row: Option<ArticleRow> = sqlx::query_as(&visible_cards(
        ", a.body_html, a.updated_at, a.section_id, a.comments_closed",
        " AND s.slug = $2 AND a.slug = $3",
    ))
    .bind(now)
    .bind(section_slug)
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await
    .purpose("reading an article")?;
    let Some(row) = row else {
        return Ok(None);
    };
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
    .fetch_all(&mut *conn)
    .await
    .purpose("reading an article's bylines and tags")?;
    // Related: most shared tags, then the same section, then newest. The candidates are read
    // from the article's own tags and its section's newest, never from every article (the
    // `CROSS JOIN` keeps SQLite's planner starting from them).
    let related: Vec<CardRow> = if !with_related {
        Vec::new()
    } else {
        sqlx::query_as(&format!(
            "SELECT {CARD_COLUMNS} FROM ( \
           SELECT id, SUM(shared) AS shared_tags FROM ( \
             SELECT theirs.article_id AS id, 1 AS shared FROM article_tags mine \
             JOIN article_tags theirs ON theirs.tag_id = mine.tag_id \
             WHERE mine.article_id = $2 AND theirs.article_id <> $2 \
             UNION ALL \
             SELECT id, 0 AS shared FROM (SELECT a.id FROM articles a \
               WHERE a.section_id = $3 AND {VISIBLE} AND a.id <> $2 \
               ORDER BY a.published_at DESC, a.id DESC LIMIT $4) newest \
           ) hits GROUP BY id \
         ) c CROSS JOIN articles a JOIN sections s ON s.id = a.section_id \
         WHERE a.id = c.id AND {VISIBLE} \
         ORDER BY c.shared_tags DESC, CASE WHEN a.section_id = $3 THEN 0 ELSE 1 END, \
         a.published_at DESC, a.id DESC LIMIT $4"
        ))
        .bind(now)
        .bind(id)
        .bind(row.section_id)
        .bind(RELATED)
        .fetch_all(&mut *conn)
        .await
        .purpose("reading an article's related articles")?
    };
    let blog = match row.card.live_state {
        Some(_) => crate::live::blog::store::blog_on(conn, id).await?,
        None => None,
    };
    let comments_closed = row.comments_closed != 0;
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
    Ok(Some(ArticlePageData {
        related: cards(related),
        latest: newest
            .iter()
            // Slugs are unique across sections.
            .filter(|card| card.slug != article.card.slug)
            .take(SIDEBAR_LATEST)
            .cloned()
            .collect(),
        article,
        blog,
        article_id: id,
        comments_closed,
        comments: None,
    }))
}

/// A visible article's title and path; `None` when readers cannot see it (now).
pub async fn visible_path(
    db: &Db,
    article: i64,
    now: i64,
) -> Result<Option<(String, String)>, StoreError> {
    sqlx::query_as(&format!(
        "SELECT a.title, {PATH} FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE {VISIBLE} AND a.id = $2"
    ))
    .bind(now)
    .bind(article)
    .fetch_optional(db.pool())
    .await
    .purpose("finding a visible article")
}

/// How many articles exist in any state; zero means a fresh database.
pub async fn count_all(db: &Db) -> Result<i64, StoreError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(db.pool())
        .await
        .purpose("counting articles")
}

pub struct NewAuthor {
    pub slug: Slug,
    pub name: String,
    pub bio: String,
}

pub async fn insert_author(db: &Db, author: &NewAuthor) -> Result<i64, StoreError> {
    sqlx::query_scalar("INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3) RETURNING id")
        .bind(author.slug.as_str())
        .bind(&author.name)
        .bind(&author.bio)
        .fetch_one(db.pool())
        .await
        .purpose("adding an author")
}

/// Everything a save of an article writes.
pub struct ArticleRecord<'a> {
    pub slug: &'a Slug,
    /// The section's slug.
    pub section: &'a str,
    pub title: &'a str,
    pub lead: &'a str,
    pub body_md: &'a str,
    pub hero: Option<&'a HeroImage>,
    pub place: &'a str,
    pub status: ArticleStatus,
    /// When it is (or will be) visible; a draft has none.
    pub published_at: Option<i64>,
    pub review_requested: bool,
    /// Tag names; tags are created on first use.
    pub tags: &'a [String],
    /// Author slugs in byline order, for a new article; an existing one keeps its bylines.
    pub authors: &'a [String],
    /// Who saved it, for the revision.
    pub saved_by: Option<i64>,
}

/// Saves a new (`id` None) or existing article inside `tx` (from `live::events::begin`: the save
/// may touch the live event log): the row, its tags, its search index row and a revision, all
/// or nothing. Returns the article's id.
pub async fn write(
    tx: &mut WriteTx,
    id: Option<i64>,
    record: &ArticleRecord<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let body_html = markdown::render(record.body_md);
    let hero = record.hero;
    // A draft is never visible, whatever time it carries.
    let published_at = match record.status {
        ArticleStatus::Draft => None,
        _ => record.published_at,
    };
    let section_id: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE slug = $1")
        .bind(record.section)
        .fetch_optional(&mut **tx)
        .await?;
    let section_id =
        section_id.ok_or_else(|| StoreError::UnknownSection(record.section.to_string()))?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1 AND id <> $2")
            .bind(record.slug.as_str())
            .bind(id.unwrap_or(0))
            .fetch_optional(&mut **tx)
            .await?;
    if taken.is_some() {
        return Err(StoreError::SlugTaken(record.slug.to_string()));
    }
    let was_visible = match id {
        Some(id) => sqlx::query_scalar::<_, i64>(&format!(
            "SELECT a.id FROM articles a WHERE {VISIBLE} AND a.id = $2"
        ))
        .bind(now)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some(),
        None => false,
    };
    // A new article starts as an empty row with its bylines; from there new and existing
    // articles take the same UPDATE.
    let id = match id {
        Some(id) => {
            sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            id
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO articles (slug, section_id, title, lead, body_md, body_html, \
                 status, created_at, updated_at) \
                 VALUES ($1, $2, '', '', '', '', 'draft', $3, $3) RETURNING id",
            )
            .bind(record.slug.as_str())
            .bind(section_id)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            for (position, author) in record.authors.iter().enumerate() {
                let added = sqlx::query(
                    "INSERT INTO article_authors (article_id, author_id, position) \
                     SELECT $1, id, $2 FROM authors WHERE slug = $3",
                )
                .bind(id)
                .bind(position as i64)
                .bind(author)
                .execute(&mut **tx)
                .await?;
                if added.rows_affected() == 0 {
                    return Err(StoreError::UnknownAuthor(author.clone()));
                }
            }
            id
        }
    };
    sqlx::query(
        "UPDATE articles SET slug = $1, section_id = $2, title = $3, lead = $4, \
         body_md = $5, body_html = $6, hero_src = $7, hero_alt = $8, \
         hero_caption = $9, hero_credit = $10, place = $11, status = $12, \
         published_at = $13, updated_at = $14, review_requested = $15 WHERE id = $16",
    )
    .bind(record.slug.as_str())
    .bind(section_id)
    .bind(record.title)
    .bind(record.lead)
    .bind(record.body_md)
    .bind(&body_html)
    .bind(hero.map(|h| h.src.as_str()))
    .bind(hero.map(|h| h.alt.as_str()))
    .bind(hero.and_then(|h| h.caption.as_deref()))
    .bind(hero.and_then(|h| h.credit.as_deref()))
    .bind(record.place)
    .bind(record.status.as_str())
    .bind(published_at)
    .bind(now)
    .bind(i64::from(record.review_requested))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    link_tags(tx, id, record.tags).await?;
    let index =
        super::search_index::IndexRow::new(record.title, record.lead, &body_html, record.tags);
    super::search_index::replace(tx, id, &index).await?;
    // Hidden from readers now (unpublished, or scheduled for later): nothing of its blog or
    // comments may stay in the live event log. Back again: pages that followed it reload them.
    if published_at.is_none_or(|at| at > now) {
        crate::live::events::forget_article(tx, id).await?;
    } else if !was_visible {
        crate::live::events::article_back(tx, id, now).await?;
    }
    crate::live::events::site_changed(tx, now).await?;
    sqlx::query(
        "INSERT INTO article_revisions (article_id, user_id, title, lead, body_md, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(record.saved_by)
    .bind(record.title)
    .bind(record.lead)
    .bind(record.body_md)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Links the tags named in `names` to article `id`, creating tags on first use.
async fn link_tags(tx: &mut WriteTx, id: i64, names: &[String]) -> Result<(), sqlx::Error> {
    for name in names {
        let Some(slug) = slugify(name) else {
            continue;
        };
        sqlx::query("INSERT INTO tags (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING")
            .bind(slug.as_str())
            .bind(name.trim())
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO article_tags (article_id, tag_id) \
             SELECT $1, id FROM tags WHERE slug = $2 ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(slug.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// An article as demo content and tests write it: with its own bylines and times. It goes
/// through [`write`], as the newsroom's saves do.
pub struct NewArticle {
    pub slug: Slug,
    pub section: String,
    pub title: String,
    pub lead: String,
    /// Markdown.
    pub body_md: String,
    pub hero: Option<HeroImage>,
    pub place: String,
    pub status: ArticleStatus,
    pub published_at: Option<i64>,
    pub created_at: i64,
    /// The time of the save (a later one than publication shows as "Bijgewerkt").
    pub updated_at: i64,
    /// Author slugs, in byline order.
    pub authors: Vec<String>,
    /// Tag names; tags are created on first use.
    pub tags: Vec<String>,
}

/// Saves a new article with its bylines and tags in one transaction.
pub async fn insert(db: &Db, article: &NewArticle) -> Result<i64, StoreError> {
    let mut tx = crate::live::events::begin(db).await?;
    let record = ArticleRecord {
        slug: &article.slug,
        section: &article.section,
        title: &article.title,
        lead: &article.lead,
        body_md: &article.body_md,
        hero: article.hero.as_ref(),
        place: &article.place,
        status: article.status,
        published_at: article.published_at,
        review_requested: false,
        tags: &article.tags,
        authors: &article.authors,
        saved_by: None,
    };
    let id = write(&mut tx, None, &record, article.updated_at).await?;
    sqlx::query("UPDATE articles SET created_at = $1 WHERE id = $2")
        .bind(article.created_at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await.purpose("saving an article")?;
    Ok(id)
}

/// One page of the articles about a tag; `None` for an unknown tag, a tag no visible article
/// carries (yet), or a page past the end.
pub async fn tag_page(
    db: &Db,
    tag_slug: &str,
    page: u32,
    now: i64,
) -> Result<Option<super::TagPageData>, StoreError> {
    let tag: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, slug, name FROM tags WHERE slug = $1")
            .bind(tag_slug)
            .fetch_optional(db.pool())
            .await
            .purpose("finding a tag")?;
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
    let author: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, slug, name, bio FROM authors WHERE slug = $1")
            .bind(author_slug)
            .fetch_optional(db.pool())
            .await
            .purpose("finding an author")?;
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
