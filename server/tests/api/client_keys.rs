//! Stored client addresses are HMACs under a key of the day: the key rotates at midnight (a
//! limit still counts what came just before), keys go after two days, and with them every
//! hash and address ban made under them.

use crate::helpers::*;
use app::comments::{
    rules::{AuthorName, CommentBody, Email},
    store::{self, NewComment, Refusal},
};
use reqwest::StatusCode;

const DAY: i64 = 24 * 3600;

async fn stored_hashes(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT ip_hash FROM comments WHERE email = 'sleutel@voorbeeld.nl'")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

async fn client_addresses_are_stored_under_a_key_that_changes_daily(engine: Engine) {
    let app = spawn_app_with(engine, |config| config.comments_per_client = 1).await;
    let (id, path) = newest_visible_article(&app).await;
    let token = form_token(&app.get(&path).await.text().await.unwrap());
    let r = app
        .browser()
        .post(app.url(&format!("/reageren/{id}")))
        .form(&[
            ("naam", "Sleutel"),
            ("email", "sleutel@voorbeeld.nl"),
            (
                "bericht",
                "Een reactie om de opslag van adressen te bekijken.",
            ),
            ("geladen", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let now = app::db::now();
    let today = app
        .state
        .clients
        .hash(&app.db, "127.0.0.1", now)
        .await
        .unwrap();
    let stored = stored_hashes(&app).await;
    assert_eq!(stored, vec![today.current.clone()]);
    assert!(!stored[0].contains("127"));

    // Tomorrow the same address hashes differently; what was sent just before midnight still
    // counts against its limit.
    let tomorrow = app
        .state
        .clients
        .hash(&app.db, "127.0.0.1", now + DAY)
        .await
        .unwrap();
    assert_ne!(tomorrow.current, today.current);
    assert_eq!(tomorrow.previous, today.current);
    let (name, email, body) = (
        AuthorName::parse("Sleutel").unwrap(),
        Email::parse("ander@voorbeeld.nl").unwrap(),
        CommentBody::parse("Nog een reactie, vlak na middernacht.").unwrap(),
    );
    let next = NewComment {
        article_id: id,
        parent_id: None,
        name: &name,
        email: &email,
        body: &body,
        client: tomorrow,
    };
    let outcome = store::submit(&app.db, &app.state.comments, &next, now)
        .await
        .unwrap();
    assert_eq!(outcome, Err(Refusal::RateLimited));

    // Two days on, the first key is gone and with it every hash made under it.
    sqlx::query("INSERT INTO comment_bans (kind, value, created_at) VALUES ('ip', $1, $2)")
        .bind(&today.current)
        .bind(now)
        .execute(app.db.pool())
        .await
        .unwrap();
    app.state
        .clients
        .hash(&app.db, "127.0.0.1", now + 2 * DAY)
        .await
        .unwrap();
    assert_eq!(stored_hashes(&app).await, vec![String::new()]);
    let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM client_keys")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(keys, 2, "today's and yesterday's");
    let bans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comment_bans WHERE kind = 'ip'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(bans, 0);
}

async fn every_instance_hashes_an_address_alike(engine: Engine) {
    let first = spawn_app(engine).await;
    let second = spawn_second_instance(&first).await;
    let now = app::db::now();
    let a = first
        .state
        .clients
        .hash(&first.db, "198.51.100.4", now)
        .await
        .unwrap();
    let b = second
        .state
        .clients
        .hash(&second.db, "198.51.100.4", now)
        .await
        .unwrap();
    assert_eq!(a, b);
}

on_both_engines!(
    client_addresses_are_stored_under_a_key_that_changes_daily,
    every_instance_hashes_an_address_alike,
);
