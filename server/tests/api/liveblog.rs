//! Live blogs over real HTTP: the console's actions reach open streams and the article page,
//! lists flag running blogs, refusals keep the text, and only editors may act.

use crate::helpers::*;
use reqwest::StatusCode;

/// A visible demo article that is no live blog yet: its id and path.
async fn some_article(app: &TestApp) -> (i64, String) {
    let row: (i64, String, String) = sqlx::query_as(
        "SELECT a.id, s.slug, a.slug FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE a.status = 'published' AND a.live_state IS NULL ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    (row.0, format!("/{}/{}", row.1, row.2))
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

async fn start_blog(app: &TestApp, editor: &reqwest::Client, article: i64) {
    let r = post(
        editor,
        app,
        "/redactie/liveblogs",
        &[("artikel", &article.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/redactie/liveblog/{article}?gelukt=gestart").as_str()
    );
}

/// The `data-since` the page rendered its blog with.
fn since_of(html: &str) -> i64 {
    let at = html.find("data-live=\"blog:").expect("a live blog part");
    let rest = &html[at..];
    let since = rest.find("data-since=\"").expect("data-since") + "data-since=\"".len();
    rest[since..].split('"').next().unwrap().parse().unwrap()
}

async fn an_editor_runs_a_live_blog_and_readers_get_every_change(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let (article, path) = some_article(&app).await;
    start_blog(&app, &editor, article).await;
    let base = format!("/redactie/liveblog/{article}");

    // A reader opens the page, then the stream from where the page left off.
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("Nog geen updates."), "empty blog");
    let since = since_of(&page);
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates"),
        &[
            ("bericht", "De brug gaat **om 14.00 uur** dicht."),
            ("hoofdpunt", "on"),
        ],
    )
    .await;
    assert_eq!(
        r.headers()["location"],
        format!("{base}?gelukt=geplaatst").as_str()
    );
    let mut stream = open_stream(&app, &format!("blog:{article}"), Some(since)).await;
    let added = wait_for(&mut stream, "om 14.00 uur").await;
    assert_eq!(added.event, format!("blog:{article}"));
    assert!(added.data.contains(r#""op":"upsert""#), "{}", added.data);
    assert!(
        added.data.contains("<strong>om 14.00 uur</strong>"),
        "Markdown rendered"
    );
    assert!(added.data.contains("Hoofdpunt"), "key event marked");
    let post_id: i64 = {
        let v: serde_json::Value = serde_json::from_str(&added.data).unwrap();
        v["id"].as_i64().unwrap()
    };

    let r = post(
        &editor,
        &app,
        &format!("{base}/updates"),
        &[("bericht", "Tweede update, gewoon.")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    wait_for(&mut stream, "Tweede update").await;

    // Edit: the same id, marked as changed.
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates/{post_id}"),
        &[
            ("bericht", "De brug gaat om 15.00 uur dicht."),
            ("hoofdpunt", "on"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let edited = wait_for(&mut stream, "15.00 uur").await;
    assert!(edited.data.contains(&format!(r#""id":{post_id}"#)));
    assert!(edited.data.contains("Aangepast om"));

    // Pin: the whole blog comes again with the update on top.
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates/{post_id}/vastzetten"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let pinned = wait_for(&mut stream, r#""op":"set""#).await;
    assert!(pinned.data.contains("liveblog-pinned") && pinned.data.contains("Vastgezet"));
    let page = app.get(&path).await.text().await.unwrap();
    let pinned_at = page.find("liveblog-pinned").unwrap();
    assert!(
        page[pinned_at..].find("15.00 uur").unwrap()
            < page[pinned_at..].find("Tweede update").unwrap()
    );
    assert!(page.contains("alleen-hoofdpunten"), "the key-event filter");

    // Remove, then close.
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates/{post_id}/verwijderen"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let removed = wait_for(&mut stream, r#""op":"remove""#).await;
    assert!(removed.data.contains(&format!(r#""id":{post_id}"#)));
    let r = post(&editor, &app, &format!("{base}/sluiten"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let closed = wait_for(&mut stream, "Liveblog gesloten").await;
    assert!(closed.data.contains(r#""op":"set""#));

    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("Liveblog gesloten"));
    assert!(!page.contains("15.00 uur"), "the removed update is gone");
    assert!(page.contains("Tweede update"));
    assert!(
        !page.contains("data-live=\"blog:"),
        "a closed blog is not followed"
    );
    let json = app
        .get(&format!("/live.json?onderwerpen=blog:{article}"))
        .await;
    let body: serde_json::Value = json.json().await.unwrap();
    assert!(
        body["parts"][format!("blog:{article}")]
            .as_str()
            .is_some_and(|part| part.contains("Liveblog gesloten")),
        "a page that polled it while it ran learns it closed: {body}"
    );
    // A closed blog takes no updates until it is reopened.
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates"),
        &[("bericht", "Te laat")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = post(&editor, &app, &format!("{base}/heropenen"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates"),
        &[("bericht", "Weer open")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    wait_for(&mut stream, "Weer open").await;
}

async fn running_blogs_are_flagged_live_in_article_lists(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let (article, path) = some_article(&app).await;
    let section = path.split('/').nth(1).unwrap().to_string();
    let lists = ["/".to_string(), format!("/{section}")];
    let flagged = |html: &str| html.contains(&format!("LIVE</span> <a href=\"{path}\""));
    for list in &lists {
        let html = app.get(list).await.text().await.unwrap();
        assert!(
            html.contains(&format!("href=\"{path}\"")),
            "listed on {list}"
        );
        assert!(!flagged(&html), "not flagged before on {list}");
    }
    start_blog(&app, &editor, article).await;
    for list in &lists {
        let html = app.get(list).await.text().await.unwrap();
        assert!(flagged(&html), "flagged on {list}");
    }
    let r = post(
        &editor,
        &app,
        &format!("/redactie/liveblog/{article}/sluiten"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for list in &lists {
        let html = app.get(list).await.text().await.unwrap();
        assert!(!flagged(&html), "a closed blog is not flagged on {list}");
    }
}

async fn a_refused_update_keeps_the_text_and_scripts_never_reach_readers(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let (article, path) = some_article(&app).await;
    start_blog(&app, &editor, article).await;
    let base = format!("/redactie/liveblog/{article}");
    let long = "woord ".repeat(900);
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates"),
        &[("bericht", &long), ("hoofdpunt", "on")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Een update is hoogstens 5000 tekens; dit zijn er 5399."),
        "message"
    );
    assert!(html.contains(long.trim_end()), "the text is kept");
    let r = post(
        &editor,
        &app,
        &format!("{base}/updates"),
        &[("bericht", "  ")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = post(&editor, &app, &format!("{base}/updates"),
        &[("bericht", "Kijk <script>alert(1)</script> [hier](javascript:alert(2)) <img src=x onerror=alert(3)>")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("Kijk"));
    assert!(
        !page.contains("alert(1)") && !page.contains("javascript:") && !page.contains("onerror")
    );
}

async fn the_blog_console_is_for_editors(engine: Engine) {
    let app = spawn_app(engine).await;
    let (article, _) = some_article(&app).await;
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let anonymous = app.browser();
    let id = article.to_string();
    let attempts = [
        (
            "/redactie/liveblogs".to_string(),
            vec![("artikel", id.as_str())],
        ),
        (
            format!("/redactie/liveblog/{article}/updates"),
            vec![("bericht", "Mag dit?")],
        ),
        (format!("/redactie/liveblog/{article}/sluiten"), vec![]),
    ];
    for (path, form) in &attempts {
        let r = post(&anonymous, &app, path, form).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
        let r = post(&contributor, &app, path, form).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let page = contributor
        .get(app.url(&format!("/redactie/liveblog/{article}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let blog = app::live::blog::store::blog(&app.db, article)
        .await
        .unwrap();
    assert_eq!(blog, None, "nothing started");
}

async fn the_demo_blog_runs_with_a_pinned_update(engine: Engine) {
    let app = spawn_app(engine).await;
    let path = "/nieuws/storm-velt-tientallen-bomen-in-meerveld-en-hooghuizen-geen-gewonden";
    let page = app.get(path).await.text().await.unwrap();
    let pinned = page.find("liveblog-pinned").expect("a pinned update");
    assert!(page[pinned..].contains("Meld het bij uw verzekeraar"));
    assert_eq!(page.matches("id=\"update-").count(), 5, "five updates");
    assert!(page.contains("data-live=\"blog:"), "followed live");
}

on_both_engines!(
    the_demo_blog_runs_with_a_pinned_update,
    an_editor_runs_a_live_blog_and_readers_get_every_change,
    running_blogs_are_flagged_live_in_article_lists,
    a_refused_update_keeps_the_text_and_scripts_never_reach_readers,
    the_blog_console_is_for_editors,
);
