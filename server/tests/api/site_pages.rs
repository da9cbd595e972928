//! The broadcaster's own pages: in the footer and the sitemap, edited by editors with
//! revisions, sanitised, live at once for readers, and refused saves that keep what was typed.

use crate::helpers::*;
use reqwest::StatusCode;

async fn page_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM site_pages WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn version(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT version FROM site_pages WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

fn form<'a>(
    title: &'a str,
    slug: &'a str,
    body: &'a str,
    version: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("titel", title),
        ("adres", slug),
        ("tekst", body),
        ("voettekst", "1"),
        ("volgorde", "5"),
        ("versie", version),
    ]
}

async fn the_demo_pages_are_linked_from_every_footer_and_listed_in_the_sitemap(engine: Engine) {
    let app = spawn_app(engine).await;
    let home = app.get("/").await.text().await.unwrap();
    let footer = &home[home.find("class=\"site-footer\"").expect("a footer")..];
    let order: Vec<usize> = [
        "/pagina/over-ons",
        "/pagina/contact",
        "/pagina/colofon",
        "/pagina/privacyverklaring",
        "/pagina/toegankelijkheid",
    ]
    .iter()
    .map(|href| {
        footer
            .find(&format!("href=\"{href}\""))
            .unwrap_or_else(|| panic!("{href} in the footer"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "in their order: {order:?}"
    );
    let (_, article) = newest_visible_article(&app).await;
    let on_article = app.get(&article).await.text().await.unwrap();
    assert!(
        on_article.contains("href=\"/pagina/toegankelijkheid\""),
        "on every page"
    );

    let r = app.get("/pagina/toegankelijkheid").await;
    assert_eq!(r.status(), StatusCode::OK);
    let statement = r.text().await.unwrap();
    assert!(statement.contains("<h1 class=\"page-title\">Toegankelijkheidsverklaring</h1>"));
    // The structure of the Dutch model statement.
    for heading in ["Status", "Maatregelen", "Bekende beperkingen", "Contact"] {
        assert!(
            statement.contains(&format!("<h2>{heading}</h2>")),
            "section {heading}"
        );
    }
    assert_eq!(
        app.get("/pagina/bestaat-niet").await.status(),
        StatusCode::NOT_FOUND
    );

    let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("well-formed sitemap");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for slug in [
        "over-ons",
        "contact",
        "colofon",
        "privacyverklaring",
        "toegankelijkheid",
    ] {
        assert!(
            locs.iter().any(|l| l.ends_with(&format!("/pagina/{slug}"))),
            "{slug} in the sitemap"
        );
    }
}

async fn an_editor_changes_a_page_readers_see_it_at_once_sanitised_and_the_old_text_is_kept(
    engine: Engine,
) {
    let app = spawn_app(engine).await;
    let id = page_id(&app, "contact").await;
    // A reader has the page (now kept by the page cache).
    let before = app.get("/pagina/contact").await.text().await.unwrap();
    assert!(before.contains("redactie@lindewijk.example"));
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let list = app.page(&editor, "/redactie/paginas").await;
    assert!(list.contains("Toegankelijkheidsverklaring") && list.contains("/pagina/contact"));
    let v = version(&app, id).await.to_string();
    let body = "## Bel ons\n\nDe studio is **elke dag** open.<script>alert('x')</script>\n\n\
                [klik](javascript:alert(1))";
    let r = app
        .post_form(
            &editor,
            &format!("/redactie/paginas/{id}"),
            &form("Contact", "contact", body, &v),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/redactie/paginas/{id}?gelukt=opgeslagen")
    );

    let after = app.get("/pagina/contact").await.text().await.unwrap();
    assert!(after.contains("<h2>Bel ons</h2>") && after.contains("<strong>elke dag</strong>"));
    assert!(!after.contains("<script>alert"), "scripts are stripped");
    assert!(!after.contains("javascript:"), "so are javascript: links");

    // Both versions are kept; the first can be put back into the form.
    let editor_page = app.page(&editor, &format!("/redactie/paginas/{id}")).await;
    let first: i64 = sqlx::query_scalar(
        "SELECT id FROM site_page_revisions WHERE page_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let revisions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM site_page_revisions WHERE page_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(revisions, 2);
    assert!(editor_page.contains(&format!("?versie={first}")));
    let restored = app
        .page(&editor, &format!("/redactie/paginas/{id}?versie={first}"))
        .await;
    assert!(
        restored.contains("redactie@lindewijk.example"),
        "the old text in the form"
    );
    assert!(restored.contains("Een eerdere versie staat in het formulier"));

    let logged: String = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(format!("pagina:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(logged, "pagina opgeslagen");
}

async fn a_refused_save_says_why_in_dutch_and_keeps_every_word(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let id = page_id(&app, "colofon").await;
    let v = version(&app, id).await.to_string();
    let typed = "Een lange tekst die de redacteur net heeft getypt & niet kwijt wil.";

    let r = app
        .post_form(
            &editor,
            &format!("/redactie/paginas/{id}"),
            &form("", "colofon", typed, &v),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Geef de pagina een titel."));
    assert!(
        html.contains("niet kwijt wil."),
        "the text is still in the form"
    );

    let r = app
        .post_form(
            &editor,
            "/redactie/paginas/nieuw",
            &form("Nog een contact", "contact", typed, "0"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Er is al een pagina met dit adres"));

    let r = app
        .post_form(
            &editor,
            "/redactie/paginas/nieuw",
            &form("Adres", "Over Ons!", typed, "0"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("kleine letters, cijfers en streepjes"));

    // Someone else saved meanwhile: refused, the typed text kept, and the form now names the
    // newest version, so saving again is a knowing choice.
    let other = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = app
        .post_form(
            &other,
            &format!("/redactie/paginas/{id}"),
            &form("Colofon", "colofon", "Eerst.", &v),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &editor,
            &format!("/redactie/paginas/{id}"),
            &form("Colofon", "colofon", typed, &v),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("Iemand anders heeft deze pagina intussen opgeslagen"));
    assert!(html.contains("niet kwijt wil."));
    let newest = version(&app, id).await;
    assert!(
        html.contains(&format!("name=\"versie\" value=\"{newest}\"")),
        "{html}"
    );
    let r = app
        .post_form(
            &editor,
            &format!("/redactie/paginas/{id}"),
            &form("Colofon", "colofon", typed, &newest.to_string()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get("/pagina/colofon")
        .await
        .text()
        .await
        .unwrap()
        .contains("niet kwijt wil."));
}

async fn a_new_page_outside_the_footer_and_only_editors_may_write(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = app
        .post_form(
            &editor,
            "/redactie/paginas/nieuw",
            &[
                ("titel", "Vacatures"),
                ("adres", "vacatures"),
                ("tekst", "We zoeken vrijwilligers voor de nachtredactie."),
                ("volgorde", ""),
                ("versie", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get("/pagina/vacatures").await.text().await.unwrap();
    assert!(page.contains("nachtredactie"));
    assert!(
        !page.contains("href=\"/pagina/vacatures\""),
        "not in the footer"
    );

    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let r = contributor
        .get(app.url("/redactie/paginas"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let id = page_id(&app, "vacatures").await;
    let r = app
        .post_form(
            &contributor,
            &format!("/redactie/paginas/{id}"),
            &form("Weg", "vacatures", "Weg.", "1"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            &app.browser(),
            "/redactie/paginas/nieuw",
            &form("Spam", "spam", "Spam.", "0"),
        )
        .await;
    assert!(
        r.status() == StatusCode::SEE_OTHER || r.status() == StatusCode::UNAUTHORIZED,
        "signed out: {}",
        r.status()
    );
    assert!(app.get("/pagina/spam").await.status() == StatusCode::NOT_FOUND);
    assert!(app
        .get("/pagina/vacatures")
        .await
        .text()
        .await
        .unwrap()
        .contains("nachtredactie"));
}

on_both_engines!(
    the_demo_pages_are_linked_from_every_footer_and_listed_in_the_sitemap,
    an_editor_changes_a_page_readers_see_it_at_once_sanitised_and_the_old_text_is_kept,
    a_refused_save_says_why_in_dutch_and_keeps_every_word,
    a_new_page_outside_the_footer_and_only_editors_may_write,
);
