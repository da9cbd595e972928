//! Sessions: a session ends after 12 idle hours as well as after 30 days, a user sees where
//! they are signed in and ends the sessions they do not recognise (never someone else's), and a
//! public site's cookie is `__Host-` and `Secure`.

use crate::helpers::*;
use reqwest::StatusCode;

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like \
                     Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

/// A browser signed in as `email` whose `User-Agent` is `agent`.
async fn signed_in_on(app: &TestApp, email: &str, agent: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", app.base.parse().unwrap());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .user_agent(agent)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(app.url("/redactie/inloggen"))
        .form(&[("email", email), ("wachtwoord", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/redactie");
    client
}

async fn status(app: &TestApp, client: &reqwest::Client, path: &str) -> StatusCode {
    client.get(app.url(path)).send().await.unwrap().status()
}

/// Form actions that end a session, in the order the page lists them.
fn end_actions(html: &str) -> Vec<String> {
    html.split("action=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|action| action.starts_with("/redactie/sessies/"))
        .map(str::to_string)
        .collect()
}

async fn a_session_unused_for_twelve_hours_has_ended(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = signed_in_on(&app, DEMO_EDITOR, FIREFOX).await;
    let now = app::db::now();
    // Used eleven hours ago: still open, and marked used again.
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(now - 11 * 3600)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status(&app, &editor, "/redactie").await, StatusCode::OK);
    let seen: i64 = sqlx::query_scalar("SELECT MAX(last_seen_at) FROM sessions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(seen >= now, "the session was marked used");
    // Unused for thirteen hours: ended, though its thirty days are far from over.
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(now - 13 * 3600)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        status(&app, &editor, "/redactie").await,
        StatusCode::SEE_OTHER
    );
}

async fn a_user_sees_their_sessions_and_ends_the_others(engine: Engine) {
    let app = spawn_app(engine).await;
    let laptop = signed_in_on(&app, DEMO_EDITOR, FIREFOX).await;
    let phone = signed_in_on(&app, DEMO_EDITOR, PHONE).await;
    let colleague = signed_in_on(&app, DEMO_CONTRIBUTOR, FIREFOX).await;
    let page = app.page(&laptop, "/redactie/wachtwoord").await;
    assert!(
        page.contains("Firefox op Linux") && page.contains("(dit apparaat)"),
        "{page}"
    );
    assert!(page.contains("Chrome op Android"), "{page}");
    let actions = end_actions(&page);
    // One per other session, and one for all others; none for this one.
    assert_eq!(actions.len(), 2, "{actions:?}");
    let end_phone = actions
        .iter()
        .find(|a| !a.contains("/andere/"))
        .unwrap()
        .clone();
    // Nobody ends a session that is not theirs.
    let theirs = colleague.post(app.url(&end_phone)).send().await.unwrap();
    assert!(theirs.headers()["location"]
        .to_str()
        .unwrap()
        .contains("onbekend"));
    assert_eq!(status(&app, &phone, "/redactie").await, StatusCode::OK);
    // Its owner does.
    let ended = laptop.post(app.url(&end_phone)).send().await.unwrap();
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status(&app, &phone, "/redactie").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(status(&app, &laptop, "/redactie").await, StatusCode::OK);
    // "All others" keeps only the one asking.
    let tablet = signed_in_on(&app, DEMO_EDITOR, PHONE).await;
    let r = laptop
        .post(app.url("/redactie/sessies/andere/beeindigen"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status(&app, &tablet, "/redactie").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(status(&app, &laptop, "/redactie").await, StatusCode::OK);
    assert_eq!(status(&app, &colleague, "/redactie").await, StatusCode::OK);
}

on_both_engines!(
    a_session_unused_for_twelve_hours_has_ended,
    a_user_sees_their_sessions_and_ends_the_others,
);

#[tokio::test]
async fn a_public_sites_session_cookie_is_host_prefixed_and_secure() {
    let public = "https://omroep.example";
    let app = spawn_app_with(Engine::Sqlite, |config| {
        config.public_url = Some(public.into());
    })
    .await;
    let r = app
        .client
        .post(app.url("/redactie/inloggen"))
        .header("origin", public)
        .form(&[("email", DEMO_EDITOR), ("wachtwoord", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-zender_sessie="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string();
    let with = |cookie: String| {
        app.client
            .get(app.url("/redactie"))
            .header("cookie", cookie)
            .send()
    };
    let prefixed = with(format!("__Host-zender_sessie={token}")).await.unwrap();
    assert_eq!(prefixed.status(), StatusCode::OK);
    // The same token under a name any plain-http page or subdomain could set counts for nothing.
    let plain = with(format!("zender_sessie={token}")).await.unwrap();
    assert_eq!(plain.status(), StatusCode::SEE_OTHER);
}
