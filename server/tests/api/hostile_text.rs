//! Text that tries to end its element early stays text, on every form that shows typed text
//! again: the newsroom's editor, consoles and settings, and the readers' refused forms. Each
//! page is parsed as a browser parses it (html5ever), so "inert" means what it means there.

use crate::helpers::*;
use reqwest::StatusCode;
use scraper::{Html, Selector};

/// Closes a `<textarea>` (or a `<title>`) early and runs a script, if the markup lets it.
const PAYLOAD: &str = "</textarea><script>window.__x=1</script>";

/// Asserts that `html` runs nothing of [`PAYLOAD`] and shows it whole in its text fields:
/// no script element and no event attribute carries it, and every textarea holding part of it
/// holds all of it (markup that broke out would end the textarea at its `</textarea>`).
/// Returns how many textareas hold it.
fn assert_inert(html: &str, page: &str) -> usize {
    let document = Html::parse_document(html);
    let scripts = Selector::parse("script").unwrap();
    for script in document.select(&scripts) {
        let text: String = script.text().collect();
        assert!(!text.contains("__x"), "{page}: a script runs the payload");
    }
    let everything = Selector::parse("*").unwrap();
    for element in document.select(&everything) {
        for (name, value) in element.value().attrs() {
            assert!(
                !(name.starts_with("on") && value.contains("__x")),
                "{page}: an event attribute carries the payload"
            );
        }
    }
    let textareas = Selector::parse("textarea").unwrap();
    let mut holding = 0;
    for textarea in document.select(&textareas) {
        let text: String = textarea.text().collect();
        if text.contains("__x") {
            assert!(text.contains(PAYLOAD), "{page}: a textarea shows {text:?}");
            holding += 1;
        }
    }
    holding
}

fn hostile_article_form() -> Vec<(&'static str, String)> {
    vec![
        ("titel", format!("Kop {PAYLOAD}")),
        ("rubriek", "cultuur".into()),
        ("intro", PAYLOAD.into()),
        ("tekst", PAYLOAD.into()),
        ("onderwerpen", PAYLOAD.into()),
        ("plaats", PAYLOAD.into()),
        ("beeld_src", "/media/demo/brug.svg".into()),
        ("beeld_alt", PAYLOAD.into()),
        ("beeld_bijschrift", PAYLOAD.into()),
        ("beeld_credit", PAYLOAD.into()),
        ("actie", "ter-beoordeling".into()),
    ]
}

async fn a_contributors_hostile_draft_is_inert_in_the_editors_session(engine: Engine) {
    let app = spawn_app(engine).await;
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let r = contributor
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&hostile_article_form())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let html = app.page(&editor, &location).await;
    assert_eq!(
        assert_inert(&html, "editor page"),
        2,
        "the intro and the text, each whole"
    );
    let html = app.page(&editor, "/redactie/artikelen").await;
    assert_inert(&html, "article list");

    // Refused (no section): the form comes back with every field as typed.
    let mut form = hostile_article_form();
    form.retain(|(name, _)| *name != "rubriek");
    let r = editor
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(assert_inert(&r.text().await.unwrap(), "refused save"), 2);
}

async fn the_live_consoles_show_hostile_text_as_text(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let request = editor.post(app.url(path)).form(&form);
        async move { request.send().await.unwrap() }
    };
    let r = post("/redactie/live/ticker", vec![("bericht", PAYLOAD.into())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.page(&editor, "/redactie/live").await;
    assert_eq!(assert_inert(&html, "ticker console"), 1, "the edit field");
    let r = post(
        "/redactie/live/ticker",
        vec![("bericht", PAYLOAD.into()), ("link", "javascript:x".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(assert_inert(&r.text().await.unwrap(), "refused ticker post") >= 1);

    let html = app.get("/").await.text().await.unwrap();
    assert_inert(&html, "home page with the ticker item");

    let blog = app::live::blog::store::listings(&app.db, app::db::now())
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.status == Some(app::live::blog::BlogStatus::Live))
        .expect("the demo blog")
        .article_id;
    let updates = format!("/redactie/liveblog/{blog}/updates");
    let r = editor
        .post(app.url(&updates))
        .form(&[("bericht", PAYLOAD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let console = app
        .page(&editor, &format!("/redactie/liveblog/{blog}"))
        .await;
    assert_eq!(assert_inert(&console, "blog console"), 1, "the edit field");
    let too_long = format!("{PAYLOAD}{}", "x".repeat(5000));
    let r = editor
        .post(app.url(&updates))
        .form(&[("bericht", too_long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert_inert(&html, "refused blog update");
    assert!(
        html.contains("&lt;/textarea&gt;&lt;script&gt;"),
        "kept, as text"
    );
}

async fn banned_words_are_shown_as_text(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = signed_in_admin(&app).await;
    let r = admin
        .post(app.url("/redactie/reacties/woorden"))
        .form(&[("woorden", PAYLOAD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.page(&admin, "/redactie/reacties").await;
    assert_eq!(assert_inert(&html, "moderation"), 1);
}

/// A visible demo article that takes comments: its id and path.
async fn open_article(app: &TestApp) -> (i64, String) {
    let html = app.get("/").await.text().await.unwrap();
    let path = html
        .split("href=\"/nieuws/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|slug| format!("/nieuws/{slug}"))
        .expect("a news article on the home page");
    let page = app.get(&path).await.text().await.unwrap();
    let id = page
        .split("action=\"/reageren/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a comment form")
        .parse()
        .unwrap();
    (id, path)
}

async fn refused_reader_forms_show_hostile_text_as_text(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let (id, path) = open_article(&app).await;
    let token = form_token(&app.get(&path).await.text().await.unwrap());
    let reader = app.browser();
    let send = |fields: Vec<(&'static str, String)>| {
        let request = reader
            .post(app.url(&format!("/reageren/{id}")))
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    let comment = |email: &str| {
        vec![
            ("naam", format!("Lezer {PAYLOAD}")),
            ("email", email.to_string()),
            ("bericht", PAYLOAD.to_string()),
            ("geladen", token.clone()),
        ]
    };
    // A bad address: refused, the text kept.
    let r = send(comment("geen-adres")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(assert_inert(&r.text().await.unwrap(), "refused comment"), 1);
    // Placed, then sent again: the duplicate refusal shows it too.
    let r = send(comment("lezer@voorbeeld.nl")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_inert(
        &app.get(&path).await.text().await.unwrap(),
        "article with the comment",
    );
    let r = send(comment("lezer@voorbeeld.nl")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        assert_inert(&r.text().await.unwrap(), "duplicate comment"),
        1
    );

    // The tip line without a way to reach the sender.
    let token = form_token(&app.get("/tip").await.text().await.unwrap());
    let form = reqwest::multipart::Form::new()
        .text("geladen", token)
        .text("naam", PAYLOAD)
        .text("bericht", PAYLOAD);
    let r = reader
        .post(app.url("/tip"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(assert_inert(&r.text().await.unwrap(), "refused tip"), 1);

    // A correction whose token belongs to another article.
    let correction = format!("/correctie/{id}");
    let other = form_token(&app.get("/tip").await.text().await.unwrap());
    let r = reader
        .post(app.url(&correction))
        .form(&[
            ("geladen", other.as_str()),
            ("naam", "x"),
            ("email", "geen-adres"),
            ("bericht", PAYLOAD),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    assert_inert(&r.text().await.unwrap(), "refused correction");
    let token = form_token(&app.get(&correction).await.text().await.unwrap());
    let r = reader
        .post(app.url(&correction))
        .form(&[
            ("geladen", token.as_str()),
            ("email", "geen-adres"),
            ("bericht", PAYLOAD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        assert_inert(&r.text().await.unwrap(), "refused correction"),
        1
    );
}

async fn login_redirects_with_control_characters_go_to_the_newsroom(engine: Engine) {
    let app = spawn_app(engine).await;
    for next in [
        "/redactie/artikelen\n",
        "/redactie\r\nSet-Cookie: x=1",
        "/redactie/\0",
        "/\t/evil.example",
        "/\\evil.example",
        "/nieuws",
    ] {
        let r = app
            .browser()
            .post(app.url("/redactie/inloggen"))
            .form(&[
                ("email", DEMO_EDITOR),
                ("wachtwoord", DEMO_PASSWORD),
                ("volgende", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(r.headers()["location"], "/redactie", "{next:?}");
    }
}

async fn addresses_that_lead_off_the_site_are_refused_for_images_and_links(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let mut form = hostile_article_form();
    form.retain(|(name, _)| *name != "beeld_src");
    form.push(("beeld_src", "/\\evil.example/beeld.jpg".into()));
    let r = editor
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Gebruik een afbeelding van deze site"));
    for (path, field) in [
        ("/redactie/live/ticker", "bericht"),
        ("/redactie/live/breaking", "bericht"),
    ] {
        let r = editor
            .post(app.url(path))
            .form(&[(field, "Weg afgesloten"), ("link", "/\\evil.example")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Een link begint met https://"));
    }
}

on_both_engines!(
    a_contributors_hostile_draft_is_inert_in_the_editors_session,
    the_live_consoles_show_hostile_text_as_text,
    banned_words_are_shown_as_text,
    refused_reader_forms_show_hostile_text_as_text,
    login_redirects_with_control_characters_go_to_the_newsroom,
    addresses_that_lead_off_the_site_are_refused_for_images_and_links,
);
