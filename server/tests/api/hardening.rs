//! Safe behind a proxy and against bursts: each reader behind a trusted proxy has limits of
//! their own, forwarded headers from anyone else change nothing, parallel password guesses are
//! all counted, and with the public address named only it counts as this site's origin.

use crate::helpers::*;
use reqwest::StatusCode;
use server::http::client::TrustedProxies;

const ARTICLE: &str =
    "/nieuws/gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging";

/// A comment on the demo article as the reader `forwarded_for` (through the proxy, if trusted).
async fn comment_from(app: &TestApp, forwarded_for: &str, n: usize) -> StatusCode {
    let page = app.get(ARTICLE).await.text().await.unwrap();
    let article = page
        .split("action=\"/reageren/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let email = format!("lezer{n}@voorbeeld.nl");
    let body = format!("Reactie nummer {n} van een lezer achter de proxy.");
    app.browser()
        .post(app.url(&format!("/reageren/{article}")))
        .header("x-forwarded-for", forwarded_for)
        .form(&[
            ("naam", "Lezer"),
            ("email", email.as_str()),
            ("bericht", body.as_str()),
            ("geladen", form_token(&page).as_str()),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

async fn login_from(
    app: &TestApp,
    forwarded_for: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.browser()
        .post(app.url("/redactie/inloggen"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("wachtwoord", password)])
        .send()
        .await
        .unwrap()
}

fn behind_nginx(config: &mut server::Config) {
    config.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    config.comments_premoderation = false;
}

async fn behind_a_trusted_proxy_each_reader_has_limits_of_their_own(engine: Engine) {
    let app = spawn_app_with(engine, behind_nginx).await;
    for n in 0..5 {
        assert_eq!(
            comment_from(&app, "198.51.100.1", n).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        comment_from(&app, "198.51.100.1", 5).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the sixth in ten minutes"
    );
    assert_eq!(
        comment_from(&app, "203.0.113.50", 6).await,
        StatusCode::SEE_OTHER,
        "another reader is not held up"
    );
    // What the client itself claims left of the proxy's entry does not count.
    assert_eq!(
        comment_from(&app, "192.0.2.99, 198.51.100.1", 7).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn without_trusted_proxies_forwarded_headers_change_nothing(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    for n in 0..5 {
        let claimed = format!("198.51.100.{n}");
        assert_eq!(comment_from(&app, &claimed, n).await, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        comment_from(&app, "198.51.100.77", 5).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a made-up address is no way around the limit"
    );
}

async fn one_readers_wrong_passwords_do_not_lock_the_newsroom_out(engine: Engine) {
    let app = spawn_app_with(engine, behind_nginx).await;
    for _ in 0..7 {
        login_from(&app, "198.51.100.1", DEMO_CONTRIBUTOR, "fout-wachtwoord").await;
    }
    let r = login_from(&app, "198.51.100.1", DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .contains("fout=geblokkeerd"),
        "the guesser is held up"
    );
    let r = login_from(&app, "203.0.113.50", DEMO_EDITOR, DEMO_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/redactie",
        "an editor elsewhere logs in"
    );
}

async fn parallel_guesses_are_all_counted(engine: Engine) {
    let app = spawn_app(engine).await;
    let guesses = (0..20).map(|i| {
        let request = app.browser().post(app.url("/redactie/inloggen")).form(&[
            ("email", DEMO_EDITOR.to_string()),
            ("wachtwoord", format!("gok-{i}")),
        ]);
        async move { request.send().await.unwrap() }
    });
    let answers = futures::future::join_all(guesses).await;
    let mut checked = 0;
    for r in &answers {
        assert!(
            r.status() == StatusCode::SEE_OTHER || r.status() == StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            r.status()
        );
        if r.status() == StatusCode::SEE_OTHER
            && r.headers()["location"]
                .to_str()
                .unwrap()
                .contains("fout=onjuist")
        {
            checked += 1;
        }
    }
    assert!(
        checked <= 6,
        "{checked} of 20 guesses at once were checked against the password"
    );
}

async fn with_the_public_address_named_only_it_is_this_sites_origin(engine: Engine) {
    let app = spawn_app_with(engine, |c| {
        c.public_url = Some("https://omroep.example".into());
    })
    .await;
    let post = |origin: String| {
        let request = app
            .client
            .post(app.url("/redactie/inloggen"))
            .header("origin", origin)
            .form(&[("email", DEMO_EDITOR), ("wachtwoord", DEMO_PASSWORD)]);
        async move { request.send().await.unwrap() }
    };
    let r = post(app.base.clone()).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "an Origin that only matches the Host header"
    );
    let r = post("https://omroep.example".into()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn contributors_see_and_edit_their_own_articles_only(engine: Engine) {
    let app = spawn_app(engine).await;
    let mine = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let form = |title: &'static str| {
        vec![
            ("titel", title),
            ("rubriek", "cultuur"),
            ("intro", "Een intro."),
            ("tekst", "Tekst van een medewerker."),
            ("actie", "opslaan"),
        ]
    };
    let r = mine
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&form("Concept van de eerste medewerker"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let draft = saved_at(&r);

    // Another contributor.
    let hash = app::accounts::password::hash("tweede-medewerker-wachtwoord".into()).await;
    app::accounts::store::create_user(
        &app.db,
        &app::accounts::store::NewUser {
            email: app::accounts::Email::parse("tweede@lindewijk.example").unwrap(),
            display_name: "Tweede Medewerker".into(),
            role: app::accounts::Role::Contributor,
            password_hash: hash,
        },
        app::db::now(),
    )
    .await
    .unwrap();
    let other = app
        .signed_in("tweede@lindewijk.example", "tweede-medewerker-wachtwoord")
        .await;
    let list = app.page(&other, "/redactie/artikelen").await;
    assert!(
        !list.contains("Concept van de eerste medewerker"),
        "not in their list"
    );
    let page = other.get(app.url(&draft)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(!page
        .text()
        .await
        .unwrap()
        .contains("Tekst van een medewerker."));
    let r = other
        .post(app.url(&draft))
        .form(&form("Overschreven door een ander"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nor saved over");
    // An embargoed article of the newsroom is not theirs to read either.
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let later = app::db::now() + 86_400;
    let r = editor
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&[
            ("titel", "Onder embargo tot morgen"),
            ("rubriek", "nieuws"),
            ("intro", "Een intro."),
            ("tekst", "Geheim tot morgen."),
            ("actie", "inplannen"),
            (
                "inplannen_op",
                &chrono::DateTime::from_timestamp(later, 0)
                    .unwrap()
                    .with_timezone(&chrono_tz::Europe::Amsterdam)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let embargoed = saved_at(&r);
    assert!(!app
        .page(&mine, "/redactie/artikelen")
        .await
        .contains("Onder embargo"));
    assert!(!app.page(&mine, "/redactie").await.contains("Onder embargo"));
    assert_eq!(
        mine.get(app.url(&embargoed)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    // The editor sees both; the first contributor still has their own.
    let all = app.page(&editor, "/redactie/artikelen").await;
    assert!(all.contains("Concept van de eerste medewerker") && all.contains("Onder embargo"));
    assert!(app
        .page(&mine, &draft)
        .await
        .contains("Tekst van een medewerker."));
}

#[tokio::test]
async fn addresses_and_queries_are_bounded() {
    let app = spawn_app(Engine::Sqlite).await;
    // A search of 1,000 characters is searched and shown back as its first 200.
    let long = "ozb".repeat(333);
    let page = app.get(&format!("/zoeken?q={long}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(&long[..200]));
    assert!(
        !html.contains(&long[..201]),
        "no more of the query than is searched"
    );
    // An address no page needs is refused before any work.
    let huge = "a".repeat(5000);
    let refused = app.get(&format!("/zoeken?q={huge}")).await;
    assert_eq!(refused.status(), StatusCode::URI_TOO_LONG);
    assert!(refused.text().await.unwrap().contains("te lang"));
    // Page numbers past the last, or past what a number holds, are pages that do not exist.
    for page in ["999999", "99999999999999999999999", "-1", "twee"] {
        let r = app.get(&format!("/nieuws?pagina={page}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "pagina={page}");
    }
}

/// The editor address a save redirected to, without its notice.
fn saved_at(response: &reqwest::Response) -> String {
    let location = response.headers()["location"].to_str().unwrap();
    location.split('?').next().unwrap().to_string()
}

on_both_engines!(
    behind_a_trusted_proxy_each_reader_has_limits_of_their_own,
    without_trusted_proxies_forwarded_headers_change_nothing,
    one_readers_wrong_passwords_do_not_lock_the_newsroom_out,
    parallel_guesses_are_all_counted,
    with_the_public_address_named_only_it_is_this_sites_origin,
    contributors_see_and_edit_their_own_articles_only,
);
