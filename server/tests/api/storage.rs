//! Article storage on both engines: visibility, paging, related articles, atomic writes.

use crate::helpers::{empty_db, Engine};
use app::{
    articles::{
        store::{self, NewArticle, NewAuthor},
        ArticleStatus, PAGE_SIZE,
    },
    db::StoreError,
    slug::Slug,
};

const NOW: i64 = 1_731_503_100;

fn article(slug: &str, section: &str, published_at: i64) -> NewArticle {
    NewArticle {
        slug: Slug::parse(slug).unwrap(),
        section: section.into(),
        title: format!("Titel {slug}"),
        lead: "Een korte inleiding.".into(),
        body_md: "## Kop\n\nTekst met *nadruk*.".into(),
        hero: None,
        place: "Lindewijk".into(),
        status: ArticleStatus::Published,
        published_at: Some(published_at),
        created_at: published_at,
        updated_at: published_at,
        authors: vec![],
        tags: vec![],
    }
}

/// The home page as readers get it at `now`.
async fn home_page(db: &app::db::Db, now: i64) -> app::articles::HomeData {
    let newest = store::newest(db, now).await.unwrap();
    store::home(db, &newest, now).await.unwrap()
}

async fn a_fresh_database_has_the_five_sections_in_order(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    let names: Vec<String> = store::sections(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        [
            "Nieuws",
            "Cultuur",
            "Educatie",
            "Informatie",
            "Entertainment"
        ]
    );
    assert_eq!(store::count_all(&db).await.unwrap(), 0);
}

async fn section_pages_list_newest_first_and_end_after_the_last_page(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    let total = PAGE_SIZE as i64 + 2;
    for i in 0..total {
        store::insert(
            &db,
            &article(&format!("bericht-{i}"), "nieuws", NOW - 1000 + i),
        )
        .await
        .unwrap();
    }
    store::insert(&db, &article("ander-bericht", "cultuur", NOW - 10))
        .await
        .unwrap();

    let first = store::section_page(&db, "nieuws", 1, NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.pages, 2);
    assert_eq!(first.articles.len(), PAGE_SIZE as usize);
    assert_eq!(first.articles[0].slug, format!("bericht-{}", total - 1));
    assert!(first.articles.iter().all(|c| c.section.slug == "nieuws"));

    let second = store::section_page(&db, "nieuws", 2, NOW)
        .await
        .unwrap()
        .unwrap();
    let slugs: Vec<&str> = second.articles.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["bericht-1", "bericht-0"]);

    assert!(store::section_page(&db, "nieuws", 3, NOW)
        .await
        .unwrap()
        .is_none());
    assert!(store::section_page(&db, "nieuws", 0, NOW)
        .await
        .unwrap()
        .is_none());
    assert!(store::section_page(&db, "bestaat-niet", 1, NOW)
        .await
        .unwrap()
        .is_none());
}

async fn an_empty_section_has_one_empty_page(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    let page = store::section_page(&db, "educatie", 1, NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((page.page, page.pages), (1, 1));
    assert!(page.articles.is_empty());
}

async fn drafts_and_future_articles_stay_hidden_until_their_time(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    let mut draft = article("concept", "nieuws", NOW - 100);
    draft.status = ArticleStatus::Draft;
    store::insert(&db, &draft).await.unwrap();
    let mut scheduled = article("gepland", "nieuws", NOW + 3600);
    scheduled.status = ArticleStatus::Scheduled;
    store::insert(&db, &scheduled).await.unwrap();

    let home = home_page(&db, NOW).await;
    assert!(home.top.is_none(), "nothing is visible yet");
    assert!(store::article_page(&db, "nieuws", "concept", NOW)
        .await
        .unwrap()
        .is_none());
    assert!(store::article_page(&db, "nieuws", "gepland", NOW)
        .await
        .unwrap()
        .is_none());

    let later = NOW + 3600;
    let home = home_page(&db, later).await;
    assert_eq!(home.top.map(|c| c.slug), Some("gepland".to_string()));
    assert!(store::article_page(&db, "nieuws", "gepland", later)
        .await
        .unwrap()
        .is_some());
    assert!(store::article_page(&db, "nieuws", "concept", later)
        .await
        .unwrap()
        .is_none());
}

async fn an_article_page_has_bylines_tags_and_related_articles(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    for (slug, name) in [("anouk", "Anouk"), ("joost", "Joost")] {
        store::insert_author(
            &db,
            &NewAuthor {
                slug: Slug::parse(slug).unwrap(),
                name: name.into(),
                bio: String::new(),
            },
        )
        .await
        .unwrap();
    }
    let mut main = article("raad-stemt", "nieuws", NOW - 500);
    main.authors = vec!["joost".into(), "anouk".into()];
    main.tags = vec!["Gemeenteraad".into(), "Begroting".into()];
    store::insert(&db, &main).await.unwrap();
    let mut shares_two = article("begroting-uitleg", "informatie", NOW - 400);
    shares_two.tags = vec!["begroting".into(), "gemeenteraad".into()];
    store::insert(&db, &shares_two).await.unwrap();
    let mut shares_one = article("raad-vergadert", "cultuur", NOW - 300);
    shares_one.tags = vec!["gemeenteraad".into()];
    store::insert(&db, &shares_one).await.unwrap();
    store::insert(&db, &article("zelfde-rubriek", "nieuws", NOW - 200))
        .await
        .unwrap();
    store::insert(&db, &article("los-bericht", "entertainment", NOW - 100))
        .await
        .unwrap();

    let page = store::article_page(&db, "nieuws", "raad-stemt", NOW)
        .await
        .unwrap()
        .unwrap();
    let authors: Vec<&str> = page
        .article
        .authors
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(authors, ["Joost", "Anouk"], "byline order is kept");
    let tags: Vec<&str> = page.article.tags.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(tags, ["begroting", "gemeenteraad"]);
    assert!(page.article.body_html.contains("<h2>Kop</h2>"));
    let related: Vec<&str> = page.related.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(
        related,
        ["begroting-uitleg", "raad-vergadert", "zelfde-rubriek"]
    );
    assert_eq!(page.latest[0].slug, "los-bericht");
    assert!(page.latest.iter().all(|c| c.slug != "raad-stemt"));
    assert!(store::article_page(&db, "cultuur", "raad-stemt", NOW)
        .await
        .unwrap()
        .is_none());
}

async fn a_failed_insert_leaves_nothing_behind(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    let mut broken = article("half-bericht", "nieuws", NOW);
    broken.tags = vec!["nieuw-onderwerp".into()];
    broken.authors = vec!["niemand".into()];
    let err = store::insert(&db, &broken).await.unwrap_err();
    assert!(matches!(err, StoreError::UnknownAuthor(_)), "{err:?}");
    assert_eq!(store::count_all(&db).await.unwrap(), 0);

    let err = store::insert(&db, &article("x", "geen-rubriek", NOW))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownSection(_)), "{err:?}");
}

async fn a_slug_is_used_once(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    store::insert(&db, &article("uniek", "nieuws", NOW))
        .await
        .unwrap();
    let err = store::insert(&db, &article("uniek", "cultuur", NOW))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::SlugTaken(_)), "{err:?}");
}

async fn concurrent_writers_all_succeed(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    let writers = (0..24).map(|i| {
        let db = db.clone();
        tokio::spawn(async move {
            let mut new = article(&format!("tegelijk-{i}"), "nieuws", NOW - i);
            new.tags = vec!["drukte".into(), format!("tag {}", i % 3)];
            store::insert(&db, &new).await
        })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer
            .await
            .unwrap()
            .expect("every concurrent write succeeds");
    }
    assert_eq!(store::count_all(&db).await.unwrap(), 24);
}

async fn the_demo_content_fills_all_five_sections(engine: Engine) {
    let (db, _guard) = empty_db(engine).await;
    server::demo::load(&db, NOW).await.unwrap();
    assert!(store::count_all(&db).await.unwrap() >= 30);
    let home = home_page(&db, NOW).await;
    assert_eq!(home.sections.len(), 5);
    assert!(home.latest.len() >= 10);
    let top = home.top.unwrap();
    let page = store::article_page(&db, &top.section.slug, &top.slug, NOW)
        .await
        .unwrap()
        .unwrap();
    assert!(!page.article.authors.is_empty());
    assert!(page.article.body_html.contains("<h2>"));
}

/// Found by bench/scan.sh: a request cancelled while its `BEGIN` ran left a transaction no one
/// owned, and SQLite's write lock with it: every later write failed with "database is locked".
async fn a_transaction_begun_for_a_cancelled_request_does_not_lock_the_database(engine: Engine) {
    use sqlx::TransactionManager;
    let (db, _keep) = empty_db(engine).await;
    {
        let mut conn = db.pool().acquire().await.unwrap();
        // What the cancelled request leaves behind: a transaction the database began and no
        // `Transaction` owns (sqlx counts it, nothing will roll it back).
        let begin = match engine {
            Engine::Sqlite => Some("BEGIN IMMEDIATE".into()),
            Engine::Postgres => None,
        };
        <sqlx::Any as sqlx::Database>::TransactionManager::begin(&mut conn, begin)
            .await
            .unwrap();
    }
    // Every write after it goes through, on whichever connection it gets.
    for n in 0..8 {
        let write = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            let mut tx = db.write().await?;
            sqlx::query("INSERT INTO site_settings (key, value) VALUES ($1, 'ja')")
                .bind(format!("schrijf-{n}"))
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })
        .await;
        assert!(matches!(write, Ok(Ok(()))), "write {n}: {write:?}");
    }
}

on_both_engines!(
    a_transaction_begun_for_a_cancelled_request_does_not_lock_the_database,
    a_fresh_database_has_the_five_sections_in_order,
    section_pages_list_newest_first_and_end_after_the_last_page,
    an_empty_section_has_one_empty_page,
    drafts_and_future_articles_stay_hidden_until_their_time,
    an_article_page_has_bylines_tags_and_related_articles,
    a_failed_insert_leaves_nothing_behind,
    a_slug_is_used_once,
    concurrent_writers_all_succeed,
    the_demo_content_fills_all_five_sections,
);
