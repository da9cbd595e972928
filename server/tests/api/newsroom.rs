//! The newsroom over real HTTP on both engines: logging in, sessions, roles, and getting an
//! article from draft to the public site.

use crate::helpers::{spawn_app, Engine, TestApp, DEMO_CONTRIBUTOR, DEMO_EDITOR, DEMO_PASSWORD};
use app::{
    accounts::{auth, store as accounts, CurrentUser, Email, Role},
    articles::{
        draft::{ArticleForm, EditAction},
        editing, store,
    },
};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

fn article_form(title: &str, action: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titel", title.to_string()),
        ("rubriek", "cultuur".into()),
        ("intro", "Een intro voor de test.".into()),
        (
            "tekst",
            "## Tussenkop\n\nDe tekst van het testartikel.".into(),
        ),
        ("onderwerpen", "test, cultuur".into()),
        ("plaats", "Lindewijk".into()),
        ("actie", action.into()),
    ]
}

/// A login straight through `auth::login`, as `client` at `at`.
async fn login_as(
    app: &TestApp,
    email: &str,
    password: &str,
    client: &str,
    at: i64,
) -> Result<(app::accounts::CurrentUser, String), auth::LoginError> {
    auth::login(
        &app.db,
        email,
        password.into(),
        client,
        "Firefox op Linux",
        at,
    )
    .await
}

async fn user(app: &TestApp, email: &str) -> CurrentUser {
    let credentials = accounts::credentials(&app.db, &Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap();
    let token = accounts::create_session(&app.db, credentials.user_id, "test", app::db::now())
        .await
        .unwrap();
    accounts::session_user(&app.db, &token, app::db::now())
        .await
        .unwrap()
        .unwrap()
}

async fn logging_in_opens_the_dashboard_and_logging_out_closes_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let anonymous = app.browser();
    let response = anonymous.get(app.url("/redactie")).send().await.unwrap();
    assert!(response.status().is_redirection());
    assert!(response.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/redactie/inloggen"));

    let response = app
        .browser()
        .post(app.url("/redactie/inloggen"))
        .form(&[("email", DEMO_EDITOR), ("wachtwoord", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("zender_sessie="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    for page in [
        "/redactie/artikelen",
        "/redactie/artikelen/nieuw",
        "/redactie/wachtwoord",
    ] {
        let r = editor.get(app.url(page)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{page}");
    }
    let new = editor
        .get(app.url("/redactie/artikelen/nieuw"))
        .send()
        .await
        .unwrap();
    assert!(new.text().await.unwrap().contains("Nieuw artikel"));
    let dashboard = editor.get(app.url("/redactie")).send().await.unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK);
    assert_eq!(dashboard.headers()["cache-control"], "no-store");
    let html = dashboard.text().await.unwrap();
    assert!(html.contains("Overzicht") && html.contains("Demo Redacteur"));
    // What needs attention now: the demo's waiting comment and its running live blog.
    assert!(html.contains("1 reactie wacht op moderatie."));
    assert!(html.contains("/redactie/liveblog/"));

    let out = editor
        .post(app.url("/redactie/uitloggen"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.headers()["location"], "/redactie/inloggen?uitgelogd=1");
    let after = editor.get(app.url("/redactie")).send().await.unwrap();
    assert!(after.status().is_redirection(), "the session is gone");
}

async fn a_wrong_password_gets_the_dutch_message(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.browser();
    let response = client
        .post(app.url("/redactie/inloggen"))
        .form(&[("email", DEMO_EDITOR), ("wachtwoord", "helemaal verkeerd")])
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/redactie/inloggen?fout=onjuist"),
        "{location}"
    );
    assert!(response.headers().get("set-cookie").is_none());
    let page = app.page(&client, &location).await;
    assert!(page.contains("horen niet bij elkaar"));
    assert!(
        page.contains("value=\"redactie@lindewijk.example\""),
        "e-mail kept"
    );
}

async fn every_login_gets_a_new_session(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    let (_, first) = login_as(&app, DEMO_EDITOR, DEMO_PASSWORD, "c", now)
        .await
        .unwrap();
    let (_, second) = login_as(&app, DEMO_EDITOR, DEMO_PASSWORD, "c", now)
        .await
        .unwrap();
    assert_ne!(first, second);
    assert!(accounts::session_user(&app.db, &first, now)
        .await
        .unwrap()
        .is_some());
    assert!(
        accounts::session_user(&app.db, &first, now + accounts::SESSION_SECS + 1)
            .await
            .unwrap()
            .is_none(),
        "sessions expire"
    );
}

async fn repeated_failures_lock_for_a_while_but_not_forever(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    for _ in 0..accounts::THROTTLE_FREE_FAILURES {
        let err = login_as(&app, DEMO_EDITOR, "fout", "aanvaller", now).await;
        assert!(matches!(err, Err(auth::LoginError::Invalid)));
    }
    // One more failure locks; now even the right password is refused for a while.
    let _ = login_as(&app, DEMO_EDITOR, "fout", "aanvaller", now).await;
    let locked = login_as(&app, DEMO_EDITOR, DEMO_PASSWORD, "elders", now + 1).await;
    let Err(auth::LoginError::Throttled { until }) = locked else {
        panic!("expected a lock, got {locked:?}");
    };
    assert!(until > now && until <= now + accounts::THROTTLE_MAX_LOCK_SECS);
    // Many more failures never lock longer than the maximum.
    for i in 0..8 {
        let _ = login_as(&app, DEMO_EDITOR, "fout", "x", until + i * 1000).await;
    }
    let later = now + 100_000;
    assert!(
        login_as(&app, DEMO_EDITOR, DEMO_PASSWORD, "y", later)
            .await
            .is_ok(),
        "the lock ends"
    );

    // Over HTTP the lock is explained in Dutch.
    let client = app.browser();
    for _ in 0..7 {
        client
            .post(app.url("/redactie/inloggen"))
            .form(&[("email", DEMO_CONTRIBUTOR), ("wachtwoord", "fout")])
            .send()
            .await
            .unwrap();
    }
    let response = client
        .post(app.url("/redactie/inloggen"))
        .form(&[("email", DEMO_CONTRIBUTOR), ("wachtwoord", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("fout=geblokkeerd"), "{location}");
    let page = app.page(&client, &location).await;
    assert!(page.contains("Te veel mislukte pogingen"));
}

async fn roles_are_checked_on_the_server(engine: Engine) {
    let app = spawn_app(engine).await;
    let anonymous = app.browser();
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;

    // Form posts.
    let post = |client: &reqwest::Client, path: &str, form: Vec<(&'static str, String)>| {
        client.post(app.url(path)).form(&form).send()
    };
    let r = post(
        &anonymous,
        "/redactie/artikelen/nieuw",
        article_form("Anoniem stuk", "opslaan"),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = post(
        &contributor,
        "/redactie/artikelen/nieuw",
        article_form("Mag niet live", "publiceren"),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Alleen een redacteur kan publiceren"));
    let r = post(
        &editor,
        "/redactie/gebruikers",
        vec![
            ("email", "nieuw@lindewijk.example".into()),
            ("naam", "Nieuw".into()),
            ("rol", "admin".into()),
            ("wachtwoord", "een lang genoeg wachtwoord".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "only admins manage users"
    );

    // Pages.
    let r = contributor
        .get(app.url("/redactie/gebruikers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Server functions, called directly.
    let users_fn = app.url(app::newsroom::NewsroomUsers::PATH);
    let r = anonymous.post(&users_fn).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = editor.post(&users_fn).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Every newsroom server function refuses a caller who is not signed in.
    let empty_filter = "filter[status]=&filter[section]=&filter[author]=&filter[search]=";
    for (path, args) in [
        (app::newsroom::NewsroomOverview::PATH, ""),
        (app::newsroom::NewsroomArticles::PATH, empty_filter),
        (app::newsroom::NewsroomArticle::PATH, "id=1"),
        (app::newsroom::NewsroomUsers::PATH, ""),
        (app::live::NewsroomLive::PATH, ""),
        (app::newsroom::PreviewArticle::PATH, "form=titel%3Dx"),
    ] {
        let r = anonymous
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(args)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let r = contributor.post(&users_fn).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "users are for admins");
    // The preview is the public article component, filled from the unsaved form.
    let form = serde_urlencoded::to_string([
        ("titel", "Voorbeeldkop voor het voorbeeld"),
        ("rubriek", "cultuur"),
        ("intro", "Een intro <b>zonder</b> opmaak."),
        ("tekst", "> citaat\n\n<script>alert(1)</script>"),
        ("plaats", "Oosterbroek"),
        ("beeld_src", "/media/demo/theater.svg"),
        ("beeld_alt", "Een getekend theater"),
        ("onderwerpen", "toneel, dorpshuis"),
    ])
    .unwrap();
    let preview = contributor
        .post(app.url(app::newsroom::PreviewArticle::PATH))
        .form(&[("form", form)])
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    let html: String = preview.json().await.unwrap();
    for expected in [
        "<h1>Voorbeeldkop voor het voorbeeld</h1>",
        "Een intro &lt;b&gt;zonder&lt;/b&gt; opmaak.",
        "OOSTERBROEK",
        ">Cultuur</a>",
        "alt=\"Een getekend theater\"",
        "<blockquote>",
        "dorpshuis",
        "Demo Medewerker",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(!html.contains("<script"), "{html}");

    // And no server function accepts a cross-site post.
    let r = reqwest::Client::new()
        .post(&users_fn)
        .header("origin", "https://kwaad.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn an_editor_publishes_and_readers_see_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = editor
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&article_form(
            "Kunstroute langs twaalf ateliers",
            "publiceren",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("?gelukt=publiceren"), "{location}");
    let page = app.page(&editor, &location).await;
    assert!(page.contains("Gepubliceerd: het artikel staat op de site."));

    let public = app.get("/cultuur/kunstroute-langs-twaalf-ateliers").await;
    assert_eq!(public.status(), StatusCode::OK);
    let html = public.text().await.unwrap();
    assert!(html.contains("Kunstroute langs twaalf ateliers"));
    assert!(
        html.contains(r#"rel="author">Demo Redacteur</a>"#),
        "the editor's byline, linking to the author's page"
    );
    assert!(!html.contains("Bijgewerkt om"));
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("/cultuur/kunstroute-langs-twaalf-ateliers"));
}

async fn a_refused_submission_keeps_the_text_and_explains(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let mut form = article_form("Kop", "opslaan");
    form.push(("beeld_src", "/media/demo/brug.svg".into()));
    let r = editor
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Geef het artikel een kop van minstens 5 tekens."));
    assert!(
        html.contains("De tekst van het testartikel."),
        "the text is kept"
    );
    assert_eq!(
        store::count_all(&app.db).await.unwrap(),
        36,
        "nothing saved"
    );
}

async fn scheduling_publishes_at_the_chosen_time(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = user(&app, DEMO_EDITOR).await;
    let now = app::db::now();
    let at = now + 7200;
    let mut form = ArticleForm {
        titel: "Ingepland bericht over de markt".into(),
        rubriek: "nieuws".into(),
        tekst: "Tekst.".into(),
        actie: "opslaan".into(),
        ..Default::default()
    };
    let mut draft = form.validate(&app::site::default_sections(), now).unwrap();
    draft.action = EditAction::Schedule(at);
    editing::save(&app.db, None, &draft, &editor, now)
        .await
        .unwrap();
    let slug = "ingepland-bericht-over-de-markt";
    assert!(store::article_page(&app.db, "nieuws", slug, now)
        .await
        .unwrap()
        .is_none());
    assert!(store::article_page(&app.db, "nieuws", slug, at - 1)
        .await
        .unwrap()
        .is_none());
    assert!(store::article_page(&app.db, "nieuws", slug, at)
        .await
        .unwrap()
        .is_some());

    // Contributors cannot schedule.
    let contributor = user(&app, DEMO_CONTRIBUTOR).await;
    form.titel = "Nog een ingepland bericht".into();
    let mut draft = form.validate(&app::site::default_sections(), now).unwrap();
    draft.action = EditAction::Schedule(at);
    let err = editing::save(&app.db, None, &draft, &contributor, now)
        .await
        .unwrap_err();
    assert!(matches!(err, editing::SaveError::Forbidden(_)));
}

async fn editing_after_publication_stamps_an_update_and_keeps_revisions(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = user(&app, DEMO_EDITOR).await;
    let now = app::db::now() - 7200;
    let form = ArticleForm {
        titel: "Brug weer open".into(),
        rubriek: "nieuws".into(),
        tekst: "Eerste versie.".into(),
        actie: "publiceren".into(),
        ..Default::default()
    };
    let draft = form.validate(&app::site::default_sections(), now).unwrap();
    let id = editing::save(&app.db, None, &draft, &editor, now)
        .await
        .unwrap();
    let page = store::article_page(&app.db, "nieuws", "brug-weer-open", now + 10)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.article.updated_after_publication(), None);

    let mut edited = form.clone();
    edited.tekst = "Tweede versie, met een correctie.".into();
    edited.actie = "opslaan".into();
    edited.versie = "1".into();
    let draft = edited
        .validate(&app::site::default_sections(), now)
        .unwrap();
    editing::save(&app.db, Some(id), &draft, &editor, now + 3600)
        .await
        .unwrap();
    let page = store::article_page(&app.db, "nieuws", "brug-weer-open", now + 3600)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        page.article.card.published_at, now,
        "publication time stays"
    );
    assert_eq!(page.article.updated_after_publication(), Some(now + 3600));
    assert!(page.article.body_html.contains("Tweede versie"));

    let loaded = editing::load(&app.db, id, &user(&app, DEMO_EDITOR).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.revisions.len(), 2);
    let oldest = loaded.revisions.last().unwrap();
    let (_, _, body) = editing::revision(&app.db, id, oldest.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(body, "Eerste versie.");
}

async fn disabling_a_user_or_changing_a_password_ends_sessions(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = app::db::now();
    let (user, token) = login_as(&app, DEMO_CONTRIBUTOR, DEMO_PASSWORD, "c", now)
        .await
        .unwrap();
    let (_, other) = login_as(&app, DEMO_CONTRIBUTOR, DEMO_PASSWORD, "c", now)
        .await
        .unwrap();
    accounts::set_password(&app.db, user.id, "nieuwe-hash", Some(&token))
        .await
        .unwrap();
    assert!(
        accounts::session_user(&app.db, &token, now)
            .await
            .unwrap()
            .is_some(),
        "kept"
    );
    assert!(
        accounts::session_user(&app.db, &other, now)
            .await
            .unwrap()
            .is_none(),
        "ended"
    );

    accounts::set_disabled(&app.db, user.id, true)
        .await
        .unwrap();
    assert!(accounts::session_user(&app.db, &token, now)
        .await
        .unwrap()
        .is_none());
    let err = login_as(&app, DEMO_CONTRIBUTOR, DEMO_PASSWORD, "c", now).await;
    assert!(err.is_err(), "a disabled account cannot log in");
}

async fn an_admin_creates_a_user_who_can_then_log_in(engine: Engine) {
    let app = spawn_app(engine).await;
    let hash = app::accounts::password::hash("beheerder-wachtwoord".into()).await;
    accounts::create_user(
        &app.db,
        &accounts::NewUser {
            email: Email::parse("beheer@lindewijk.example").unwrap(),
            display_name: "Beheer".into(),
            role: Role::Admin,
            password_hash: hash,
        },
        app::db::now(),
    )
    .await
    .unwrap();
    let admin = app
        .signed_in("beheer@lindewijk.example", "beheerder-wachtwoord")
        .await;
    let r = admin
        .post(app.url("/redactie/gebruikers"))
        .form(&[
            ("email", "Nieuwe.Collega@Lindewijk.example"),
            ("naam", "Nieuwe Collega"),
            ("rol", "editor"),
            ("wachtwoord", "een lang genoeg wachtwoord"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        "/redactie/gebruikers?melding=aangemaakt"
    );
    app.signed_in(
        "nieuwe.collega@lindewijk.example",
        "een lang genoeg wachtwoord",
    )
    .await;
    let list = app.page(&admin, "/redactie/gebruikers").await;
    assert!(list.contains("Nieuwe Collega"));
}

on_both_engines!(
    logging_in_opens_the_dashboard_and_logging_out_closes_it,
    a_wrong_password_gets_the_dutch_message,
    every_login_gets_a_new_session,
    repeated_failures_lock_for_a_while_but_not_forever,
    roles_are_checked_on_the_server,
    an_editor_publishes_and_readers_see_it,
    a_refused_submission_keeps_the_text_and_explains,
    scheduling_publishes_at_the_chosen_time,
    editing_after_publication_stamps_an_update_and_keeps_revisions,
    disabling_a_user_or_changing_a_password_ends_sessions,
    an_admin_creates_a_user_who_can_then_log_in,
    the_command_line_creates_an_admin,
);

/// `zender user add` creates the first admin of a real install, who can then log in.
async fn the_command_line_creates_an_admin(engine: Engine) {
    use std::io::Write;
    let database = crate::helpers::fresh_database(engine).await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zender"))
        .args([
            "user",
            "add",
            "--email",
            "Hoofd@Omroep.example",
            "--name",
            "Hoofdredactie",
        ])
        .args(["--role", "admin"])
        .env("ZENDER_DATABASE_URL", &database.url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "een lang beheerderswachtwoord").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let db = app::db::Db::connect(&database.url).await.unwrap();
    let (user, _) = auth::login(
        &db,
        "hoofd@omroep.example",
        "een lang beheerderswachtwoord".into(),
        "c",
        "test",
        app::db::now(),
    )
    .await
    .unwrap();
    assert_eq!(user.role, Role::Admin);
    db.close().await;
}

/// Every address the newsroom's pages link or post to is one the server answers: a renamed
/// address in `app::paths` or in the router cannot leave a link or a form leading nowhere.
#[tokio::test]
async fn every_newsroom_link_and_form_leads_somewhere() {
    let app = spawn_app(Engine::Sqlite).await;
    let admin = crate::helpers::signed_in_admin(&app).await;
    let links = scraper::Selector::parse("a[href], form[action]").expect("selector");
    // One address of each shape (one article's editor stands for all of them).
    let shape = |path: &str| {
        path.split('/')
            .map(|part| match part.parse::<i64>() {
                Ok(_) => "{n}",
                Err(_) => part,
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut shapes = std::collections::BTreeSet::new();
    let mut seen = Vec::new();
    let mut queue = vec![app::paths::NEWSROOM.to_string()];
    shapes.insert(shape(app::paths::NEWSROOM));
    while let Some(path) = queue.pop() {
        // A form's address may take posts only (405 to a GET), but it must exist.
        let response = admin.get(app.url(&path)).send().await.expect("request");
        let status = response.status();
        assert!(
            status != StatusCode::NOT_FOUND && !status.is_server_error(),
            "{path}: {status}"
        );
        seen.push(path);
        if status != StatusCode::OK {
            continue;
        }
        let html = scraper::Html::parse_document(&response.text().await.expect("body"));
        let found: Vec<String> = html
            .select(&links)
            .filter_map(|element| {
                let value = element.attr("href").or(element.attr("action"))?;
                let path = value.split(['?', '#']).next()?;
                app::paths::in_newsroom(path).then(|| path.to_string())
            })
            .collect();
        for next in found {
            if shapes.insert(shape(&next)) {
                queue.push(next);
            }
        }
    }
    for expected in [
        app::paths::ARTICLES,
        app::paths::NEW_ARTICLE,
        app::paths::LIVE_DESK,
        app::paths::MODERATION,
        app::paths::INBOX,
        app::paths::USERS,
        app::paths::PASSWORD,
        app::paths::LOGOUT,
    ] {
        assert!(
            seen.iter().any(|s| s == expected),
            "{expected} is not linked from the newsroom: {seen:?}"
        );
    }
    for shape_expected in ["/redactie/artikelen/{n}", "/redactie/liveblog/{n}"] {
        assert!(
            shapes.contains(shape_expected),
            "{shape_expected} is not linked: {seen:?}"
        );
    }
}
