//! The live event log keeps nothing that was taken back and replays only what a page can still
//! use: deleted comments, removed ticker items and withdrawn blog updates leave it, an
//! unpublished article's parts are not streamed, a client far behind reloads, old events go.

use std::time::Duration;

use crate::helpers::*;
use app::live::events;
use reqwest::StatusCode;

/// Every event a stream sends within a short while (the replay, then what comes live).
/// The article of the demo's running live blog.
async fn running_blog(app: &TestApp) -> i64 {
    app::live::blog::store::listings(&app.db, app::db::now())
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.status == Some(app::live::blog::BlogStatus::Live))
        .expect("a running live blog")
        .article_id
}

async fn drain(app: &TestApp, topics: &str, since: i64) -> Vec<SseEvent> {
    let mut stream = open_stream(app, topics, Some(since)).await;
    let mut seen = Vec::new();
    while let Some(event) = stream.next(Duration::from_millis(700)).await {
        seen.push(event);
    }
    seen
}

/// How many stored events carry `text`.
async fn in_log(app: &TestApp, text: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM live_events WHERE payload LIKE $1")
        .bind(format!("%{text}%"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn comment(app: &TestApp, (id, path): &(i64, String), email: &str, body: &str) {
    let token = form_token(&app.get(path).await.text().await.unwrap());
    let r = app
        .browser()
        .post(app.url(&format!("/reageren/{id}")))
        .form(&[
            ("naam", "Lezer"),
            ("email", email),
            ("bericht", body),
            ("geladen", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn deleting_an_address_leaves_nothing_of_its_comments_on_the_live_endpoints(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let art = newest_visible_article(&app).await;
    let before = events::last_id(&app.db).await.unwrap();
    comment(&app, &art, "weg@voorbeeld.nl", "Haal dit later weg, graag.").await;
    comment(&app, &art, "blijft@voorbeeld.nl", "Dit mag blijven staan.").await;
    comment(
        &app,
        &art,
        "weg@voorbeeld.nl",
        "Ook deze zin moet verdwijnen.",
    )
    .await;
    let topics = format!("comments:{}", art.0);
    assert!(
        drain(&app, &topics, before)
            .await
            .iter()
            .any(|e| e.data.contains("Haal dit later weg")),
        "replayed while it stands"
    );

    let admin = signed_in_admin(&app).await;
    let r = admin
        .post(app.url("/redactie/reacties/verwijderen"))
        .form(&[("email", "weg@voorbeeld.nl")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for since in [0, before] {
        let seen = drain(&app, &topics, since).await;
        for gone in ["Haal dit later weg", "Ook deze zin moet verdwijnen"] {
            assert!(
                !seen.iter().any(|e| e.data.contains(gone)),
                "sinds={since}: {seen:?}"
            );
        }
    }
    let json = app
        .get(&format!("/live.json?onderwerpen={topics}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(json.contains("Dit mag blijven staan"), "{json}");
    assert!(!json.contains("Haal dit later weg") && !json.contains("moet verdwijnen"));
    assert_eq!(in_log(&app, "Haal dit later weg").await, 0);
    assert_eq!(in_log(&app, "moet verdwijnen").await, 0);
}

async fn removed_ticker_items_and_withdrawn_blog_updates_leave_the_log(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let before = events::last_id(&app.db).await.unwrap();
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let request = editor.post(app.url(&path)).form(&form);
        async move {
            let r = request.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        }
    };
    post(
        "/redactie/live/ticker".into(),
        vec![("bericht", "Vergissing: dit hoort niet in de ticker".into())],
    )
    .await;
    let item: i64 = sqlx::query_scalar("SELECT MAX(id) FROM ticker_items")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    post(
        format!("/redactie/live/ticker/{item}"),
        vec![
            ("bericht", "Vergissing, aangepast: nog steeds fout".into()),
            ("link", String::new()),
        ],
    )
    .await;
    post(format!("/redactie/live/ticker/{item}/verwijderen"), vec![]).await;
    let seen = drain(&app, "ticker", before).await;
    assert!(
        !seen.iter().any(|e| e.data.contains("Vergissing")),
        "{seen:?}"
    );
    assert!(seen.iter().any(|e| e.data.contains(r#""op":"remove""#)));
    assert_eq!(in_log(&app, "Vergissing").await, 0);

    // A blog update that is pinned (the whole blog is then one event) and withdrawn.
    let blog = running_blog(&app).await;
    post(
        format!("/redactie/liveblog/{blog}/updates"),
        vec![("bericht", "Onbevestigd gerucht dat niet klopt".into())],
    )
    .await;
    let update: i64 = sqlx::query_scalar("SELECT MAX(id) FROM live_posts")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    post(
        format!("/redactie/liveblog/{blog}/updates/{update}/vastzetten"),
        vec![],
    )
    .await;
    assert!(in_log(&app, "Onbevestigd gerucht").await > 0);
    post(
        format!("/redactie/liveblog/{blog}/updates/{update}/verwijderen"),
        vec![],
    )
    .await;
    assert_eq!(in_log(&app, "Onbevestigd gerucht").await, 0);
    let seen = drain(&app, &format!("blog:{blog}"), before).await;
    assert!(
        !seen.iter().any(|e| e.data.contains("Onbevestigd")),
        "{seen:?}"
    );
}

async fn an_unpublished_articles_blog_and_comments_are_not_streamed(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let blog = running_blog(&app).await;
    let path: String = sqlx::query_scalar(
        "SELECT '/' || s.slug || '/' || a.slug FROM articles a \
         JOIN sections s ON s.id = a.section_id WHERE a.id = $1",
    )
    .bind(blog)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let before = events::last_id(&app.db).await.unwrap();
    comment(
        &app,
        &(blog, path),
        "lezer@voorbeeld.nl",
        "Sterkte aan iedereen daar.",
    )
    .await;
    let topics = format!("blog:{blog},comments:{blog}");
    assert!(!drain(&app, &topics, before).await.is_empty());

    // Unpublished through the newsroom, as an editor would.
    let form = app::articles::editing::load(&app.db, blog, &account(&app, DEMO_EDITOR).await)
        .await
        .unwrap()
        .unwrap()
        .form;
    let r = editor
        .post(app.url(&format!("/redactie/artikelen/{blog}")))
        .form(&[
            ("titel", form.titel.as_str()),
            ("slug", form.slug.as_str()),
            ("rubriek", form.rubriek.as_str()),
            ("intro", form.intro.as_str()),
            ("tekst", form.tekst.as_str()),
            ("plaats", form.plaats.as_str()),
            ("versie", form.versie.as_str()),
            ("actie", "depubliceren"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for since in [0, before] {
        let r = app
            .client
            .get(app.url(&format!("/live?onderwerpen={topics}&sinds={since}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "nothing to follow");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM live_events WHERE topic IN ($1, $2)")
            .bind(format!("blog:{blog}"))
            .bind(format!("comments:{blog}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(stored, 0, "its events left the log");
    // Other parts on the same page still stream.
    let r = app
        .client
        .get(app.url(&format!("/live?onderwerpen=ticker,{topics}")))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn a_client_far_behind_the_replay_window_reloads_its_parts(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let before = events::last_id(&app.db).await.unwrap();
    let r = editor
        .post(app.url("/redactie/live/ticker"))
        .form(&[("bericht", "Een bericht van lang geleden")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // An hour passes.
    sqlx::query("UPDATE live_events SET created_at = created_at - 3600")
        .execute(app.db.pool())
        .await
        .unwrap();
    let mut stream = open_stream(&app, "ticker,breaking", Some(before)).await;
    let mut reloads = Vec::new();
    for _ in 0..2 {
        let event = stream.next(WAIT).await.expect("a reload per part");
        assert_eq!(event.data, r#"{"op":"reload"}"#, "{event:?}");
        reloads.push(event.event);
    }
    reloads.sort();
    assert_eq!(reloads, ["breaking", "ticker"]);
    // Then it follows live.
    let r = editor
        .post(app.url("/redactie/live/ticker"))
        .form(&[("bericht", "Een bericht van nu")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    wait_for(&mut stream, "Een bericht van nu").await;

    // Within the window nothing needs reloading.
    let recent = events::last_id(&app.db).await.unwrap() - 1;
    let mut stream = open_stream(&app, "ticker", Some(recent)).await;
    wait_for(&mut stream, "Een bericht van nu").await;
}

async fn old_events_are_pruned_but_the_newest_stays(engine: Engine) {
    let app = spawn_app(engine).await;
    let newest = events::last_id(&app.db).await.unwrap();
    assert!(newest > 1, "the demo wrote events");
    sqlx::query("UPDATE live_events SET created_at = created_at - 2 * 3600")
        .execute(app.db.pool())
        .await
        .unwrap();
    let pruned = events::prune(&app.db, app::db::now()).await.unwrap();
    assert!(pruned > 0);
    let left: Vec<i64> = sqlx::query_scalar("SELECT id FROM live_events")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(left, [newest], "ids never go back: the newest is kept");
}

async fn a_page_that_missed_a_banner_change_ends_up_with_the_banner_as_it_is(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let start = |text: &'static str| {
        let request = editor
            .post(app.url("/redactie/live/breaking"))
            .form(&[("bericht", text)]);
        async move {
            assert_eq!(
                request.send().await.unwrap().status(),
                StatusCode::SEE_OTHER
            )
        }
    };
    start("Eerste banner: weg afgesloten").await;
    // This page saw the first banner.
    let seen = events::last_id(&app.db).await.unwrap();
    start("Tweede banner: weg weer open").await;
    let second: i64 = sqlx::query_scalar("SELECT MAX(id) FROM breaking_news")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let r = editor
        .post(app.url(&format!("/redactie/live/breaking/{second}/beeindigen")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let seen = drain(&app, "breaking", seen).await;
    let last = seen.last().expect("the banner's end is replayed");
    assert_eq!(last.data, r#"{"op":"set","html":""}"#, "{seen:?}");
    assert!(!seen.iter().any(|e| e.data.contains("Eerste banner")));
}

async fn a_page_that_followed_a_blog_learns_it_closed(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let blog = running_blog(&app).await;
    let seen = events::last_id(&app.db).await.unwrap();
    let r = editor
        .post(app.url(&format!("/redactie/liveblog/{blog}/sluiten")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let replayed = drain(&app, &format!("blog:{blog}"), seen).await;
    assert!(
        replayed
            .iter()
            .any(|e| e.data.contains("Liveblog gesloten")),
        "{replayed:?}"
    );
    let json = app
        .get(&format!("/live.json?onderwerpen=blog:{blog}&vers={seen}"))
        .await;
    assert_eq!(json.headers()["cache-control"], "no-store");
    assert!(json.text().await.unwrap().contains("Liveblog gesloten"));
}

on_both_engines!(
    deleting_an_address_leaves_nothing_of_its_comments_on_the_live_endpoints,
    removed_ticker_items_and_withdrawn_blog_updates_leave_the_log,
    an_unpublished_articles_blog_and_comments_are_not_streamed,
    a_client_far_behind_the_replay_window_reloads_its_parts,
    old_events_are_pruned_but_the_newest_stays,
    a_page_that_missed_a_banner_change_ends_up_with_the_banner_as_it_is,
    a_page_that_followed_a_blog_learns_it_closed,
);
