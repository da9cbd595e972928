//! Comments over real HTTP on both engines: the accepted, queued and refused paths, spam
//! defences, threads, moderation, bans and deletion by e-mail address.

use crate::helpers::*;
use reqwest::StatusCode;

/// A visible demo article with open comments and none yet: its id and path.
async fn article(app: &TestApp) -> (i64, String) {
    let row: (i64, String, String) = sqlx::query_as(
        "SELECT a.id, s.slug, a.slug FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE a.status = 'published' AND a.live_state IS NULL \
         AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.article_id = a.id) \
         ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    (row.0, format!("/{}/{}", row.1, row.2))
}

/// The form token of the article page as a reader gets it.
async fn token(app: &TestApp, path: &str) -> String {
    let html = app.get(path).await.text().await.unwrap();
    let at = html
        .find("name=\"geladen\" value=\"")
        .expect("a comment form")
        + 22;
    html[at..].split('"').next().unwrap().to_string()
}

async fn send(app: &TestApp, article: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    app.browser()
        .post(app.url(&format!("/reageren/{article}")))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// Posts a comment with a fresh token; `extra` fields override or add.
async fn comment(
    app: &TestApp,
    (id, path): &(i64, String),
    name: &str,
    email: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let token = token(app, path).await;
    let mut fields = vec![
        ("naam", name),
        ("email", email),
        ("bericht", body),
        ("geladen", token.as_str()),
        ("website", ""),
    ];
    fields.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    fields.extend_from_slice(extra);
    send(app, *id, &fields).await
}

async fn stored(app: &TestApp) -> Vec<(i64, String, String)> {
    sqlx::query_as("SELECT id, status, body FROM comments WHERE ip_hash NOT LIKE 'demo-%' AND newsroom = 0 ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn a_comment_waits_for_moderation_and_appears_live_once_approved(engine: Engine) {
    let app = spawn_app(engine).await;
    let art = article(&app).await;
    let mut stream = open_stream(&app, &format!("comments:{}", art.0), None).await;
    let r = comment(
        &app,
        &art,
        "Anouk de Vries",
        "anouk@voorbeeld.nl",
        "Goed dat de brug eindelijk wordt opgeknapt.",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{}?reactie=wacht#reageren", art.1));
    let page = app
        .get(&format!("{}?reactie=wacht", art.1))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("wacht op goedkeuring"), "the reader is told");
    assert!(!page.contains("eindelijk wordt opgeknapt"), "not shown yet");

    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let queue = app.page(&editor, "/redactie/reacties").await;
    assert!(queue.contains("eindelijk wordt opgeknapt") && queue.contains("anouk@voorbeeld.nl"));
    let id = stored(&app).await[0].0;
    let r = editor
        .post(app.url("/redactie/reacties"))
        .form(&[("een", format!("goedkeuren:{id}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/redactie/reacties?gelukt=goedgekeurd&n=1");
    let event = wait_for(&mut stream, "eindelijk wordt opgeknapt").await;
    assert!(
        event.data.contains(r#""into":"reacties-lijst""#),
        "{}",
        event.data
    );
    let page = app.get(&art.1).await.text().await.unwrap();
    assert!(page.contains("eindelijk wordt opgeknapt") && page.contains("Anouk de Vries"));
    assert!(page.contains("(1 reactie)"));
    assert!(
        !page.contains("anouk@voorbeeld.nl"),
        "the e-mail address is never shown"
    );
}

async fn without_premoderation_comments_show_at_once_unless_they_carry_links(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let art = article(&app).await;
    let r = comment(
        &app,
        &art,
        "Jan",
        "jan@voorbeeld.nl",
        "Meteen zichtbaar, mooi zo.",
        &[],
    )
    .await;
    let id = stored(&app).await[0].0;
    assert_eq!(
        location(&r),
        format!("{}?reactie=zichtbaar&bij={id}#reactie-{id}", art.1)
    );
    let page = app.get(&art.1).await.text().await.unwrap();
    let at = page.find("comments-section").unwrap_or(0);
    assert!(
        page.contains("Meteen zichtbaar"),
        "{:?} {}",
        stored(&app).await,
        &page[at..(at + 3000).min(page.len())]
    );
    let r = comment(
        &app,
        &art,
        "Jan",
        "jan@voorbeeld.nl",
        "Zie https://a.example en https://b.example",
        &[],
    )
    .await;
    assert_eq!(location(&r), format!("{}?reactie=wacht#reageren", art.1));
    assert_eq!(stored(&app).await[1].1, "pending");
}

async fn refused_comments_keep_the_text_and_explain_each_field(engine: Engine) {
    let app = spawn_app(engine).await;
    let art = article(&app).await;
    let r = comment(&app, &art, "A", "geen-adres", "Hé", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Je naam is te kort"));
    assert!(html.contains("Dit lijkt geen e-mailadres"));
    assert!(html.contains("Je reactie is te kort"));
    assert!(
        html.contains(r#"value="geen-adres""#),
        "typed values are kept"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("aria-describedby=\"fout-email uitleg-email\""));

    // Not a form at all: 400, with the field messages.
    let r = app
        .browser()
        .post(app.url(&format!("/reageren/{}", art.0)))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("Vul je naam in."));

    // Far too big: 413 with a message a person understands.
    let huge = "x".repeat(200_000);
    let r = send(&app, art.0, &[("naam", "Jan"), ("bericht", huge.as_str())]).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("te groot"));
    assert!(stored(&app).await.is_empty(), "nothing half-saved");
}

async fn the_honeypot_and_hasty_or_forged_forms_store_nothing(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_min_seconds = 30).await;
    let art = article(&app).await;
    let r = comment(
        &app,
        &art,
        "Bot",
        "bot@voorbeeld.nl",
        "Koop nu!",
        &[("website", "http://spam.example")],
    )
    .await;
    assert_eq!(
        location(&r),
        format!("{}?reactie=wacht#reageren", art.1),
        "looks accepted"
    );
    let r = comment(
        &app,
        &art,
        "Snelle Jan",
        "jan@voorbeeld.nl",
        "Te snel getypt.",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Dat ging snel!") && html.contains("Te snel getypt."));
    let r = send(
        &app,
        art.0,
        &[
            ("naam", "Jan"),
            ("email", "jan@voorbeeld.nl"),
            ("bericht", "Vervalst"),
            ("geladen", "1.abc"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text().await.unwrap().contains("Vervalst"),
        "the text is kept"
    );
    assert!(stored(&app).await.is_empty());
}

async fn rate_limits_apply_per_client_and_per_email(engine: Engine) {
    let app = spawn_app_with(engine, |c| {
        c.comments_per_client = 2;
        c.comments_per_email = 100;
    })
    .await;
    let art = article(&app).await;
    for n in 1..=2 {
        let r = comment(
            &app,
            &art,
            "Piet",
            &format!("piet{n}@voorbeeld.nl"),
            &format!("Reactie nummer {n}"),
            &[],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let r = comment(
        &app,
        &art,
        "Piet",
        "piet3@voorbeeld.nl",
        "Reactie nummer 3",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.text().await.unwrap().contains("Reactie nummer 3"),
        "the text is kept"
    );

    let app = spawn_app_with(engine, |c| {
        c.comments_per_client = 100;
        c.comments_per_email = 1;
    })
    .await;
    let art = article(&app).await;
    let r = comment(
        &app,
        &art,
        "Piet",
        "piet@voorbeeld.nl",
        "Eerste reactie",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = comment(
        &app,
        &art,
        "Piet",
        "PIET@voorbeeld.nl",
        "Tweede reactie",
        &[],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the same address in capitals"
    );
}

async fn exact_duplicates_are_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let art = article(&app).await;
    let r = comment(
        &app,
        &art,
        "Kees",
        "kees@voorbeeld.nl",
        "Twee keer hetzelfde.",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = comment(
        &app,
        &art,
        "Kees",
        "kees@voorbeeld.nl",
        "Twee keer hetzelfde.",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("al geplaatst"));
    assert_eq!(stored(&app).await.len(), 1);
}

async fn replies_nest_under_their_parent_and_deeper_ones_stay_readable(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let art = article(&app).await;
    let mut parent = None;
    let mut ids = Vec::new();
    for (n, who) in ["Eerste", "Tweede", "Derde", "Vierde"].iter().enumerate() {
        let antwoord = parent.map(|p: i64| p.to_string()).unwrap_or_default();
        let r = comment(
            &app,
            &art,
            who,
            &format!("{n}@voorbeeld.nl"),
            &format!("{who} in de draad"),
            &[("antwoord", antwoord.as_str())],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{who}");
        let id = stored(&app).await.last().unwrap().0;
        ids.push(id);
        parent = Some(id);
    }
    let html = app.get(&art.1).await.text().await.unwrap();
    let list = |id: i64| {
        let at = html.find(&format!("id=\"antwoorden-{id}\"")).unwrap();
        html[at..].to_string()
    };
    assert!(
        list(ids[0]).find("Tweede in de draad").unwrap()
            < list(ids[0]).find("</ol>").unwrap() + 2000
    );
    // Depth 3 is shown under depth 2, and depth 4 joins it there instead of nesting further.
    let second = list(ids[1]);
    assert!(second.contains("Derde in de draad") && second.contains("Vierde in de draad"));
    let third_list_end = list(ids[2]).find("</ol>").unwrap();
    assert!(!list(ids[2])[..third_list_end].contains("Vierde"));
    assert!(html.contains("(4 reacties)"));

    let r = comment(
        &app,
        &art,
        "Jan",
        "jan@voorbeeld.nl",
        "Op een reactie die niet bestaat",
        &[("antwoord", "999999")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("staat niet (meer) op de site"));
}

async fn a_banned_sender_gets_a_neutral_refusal(engine: Engine) {
    let app = spawn_app(engine).await;
    let art = article(&app).await;
    comment(
        &app,
        &art,
        "Lastpak",
        "lastig@voorbeeld.nl",
        "Eerste keer vervelend.",
        &[],
    )
    .await;
    let id = stored(&app).await[0].0;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = editor
        .post(app.url("/redactie/reacties"))
        .form(&[("een", format!("blokkeer-email:{id}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/redactie/reacties?gelukt=geblokkeerd&n=1");
    assert_eq!(stored(&app).await[0].1, "spam");
    let r = comment(
        &app,
        &art,
        "Lastpak",
        "lastig@voorbeeld.nl",
        "Nog een keer vervelend.",
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Je reactie kan niet worden geplaatst."));
}

async fn an_admin_deletes_every_comment_of_an_address_and_replies_stay(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let art = article(&app).await;
    comment(
        &app,
        &art,
        "Weg",
        "weg@voorbeeld.nl",
        "Haal dit later weg.",
        &[],
    )
    .await;
    let first = stored(&app).await[0].0;
    let reply = first.to_string();
    comment(
        &app,
        &art,
        "Blijft",
        "blijft@voorbeeld.nl",
        "Mijn antwoord blijft staan.",
        &[("antwoord", reply.as_str())],
    )
    .await;
    comment(
        &app,
        &art,
        "Weg",
        "weg@voorbeeld.nl",
        "Ook dit moet weg.",
        &[],
    )
    .await;

    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = editor
        .post(app.url("/redactie/reacties/verwijderen"))
        .form(&[("email", "weg@voorbeeld.nl")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "admins only");
    let admin = signed_in_admin(&app).await;
    let r = admin
        .post(app.url("/redactie/reacties/verwijderen"))
        .form(&[("email", "WEG@voorbeeld.nl")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/redactie/reacties?gelukt=verwijderd&n=2");
    let left = stored(&app).await;
    assert_eq!(left.len(), 1);
    assert!(left[0].2.contains("blijft staan"));
    assert!(app
        .get(&art.1)
        .await
        .text()
        .await
        .unwrap()
        .contains("blijft staan"));
}

async fn closed_articles_take_no_comments_and_keep_the_text(engine: Engine) {
    let app = spawn_app(engine).await;
    let art = article(&app).await;
    let token = token(&app, &art.1).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = editor
        .post(app.url(&format!("/redactie/artikelen/{}/reacties", art.0)))
        .form(&[("gesloten", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get(&art.1).await.text().await.unwrap();
    assert!(page.contains("Reageren is gesloten voor dit artikel."));
    assert!(
        !page.contains(&format!("action=\"/reageren/{}\"", art.0)),
        "no comment form"
    );
    let r = send(
        &app,
        art.0,
        &[
            ("naam", "Jan"),
            ("email", "jan@voorbeeld.nl"),
            ("bericht", "Net te laat"),
            ("geladen", token.as_str()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Net te laat"));
    assert!(stored(&app).await.is_empty());

    // Older articles close by themselves after the configured number of days.
    let app = spawn_app_with(engine, |c| c.comments_close_after_days = 1).await;
    let old: String = sqlx::query_scalar(
        "SELECT '/' || s.slug || '/' || a.slug FROM articles a JOIN sections s ON s.id = a.section_id \
         WHERE a.status = 'published' AND a.published_at < $1 LIMIT 1",
    )
    .bind(app::db::now() - 3 * 86_400)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(app
        .get(&old)
        .await
        .text()
        .await
        .unwrap()
        .contains("Reageren is gesloten"));
}

async fn reader_markup_is_shown_as_inert_text(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let art = article(&app).await;
    let attack = "<script>alert(1)</script> <img src=x onerror=alert(2)> https://ok.example/pad";
    let r = comment(&app, &art, "<b>Hacker</b>", "h@voorbeeld.nl", attack, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get(&art.1).await.text().await.unwrap();
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<img src=x") && !page.contains("<b>Hacker"));
    assert!(page.contains(r#"<a href="https://ok.example/pad" rel="nofollow ugc noopener">"#));
}

async fn moderation_is_for_editors(engine: Engine) {
    let app = spawn_app(engine).await;
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let r = contributor
        .get(app.url("/redactie/reacties"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = contributor
        .post(app.url("/redactie/reacties"))
        .form(&[("actie", "goedkeuren"), ("id", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .browser()
        .post(app.url("/redactie/reacties"))
        .form(&[("actie", "goedkeuren"), ("id", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

async fn the_demo_discussion_has_a_newsroom_answer_and_one_comment_waiting(engine: Engine) {
    let app = spawn_app(engine).await;
    let path =
        "/nieuws/gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging";
    let page = app.get(path).await.text().await.unwrap();
    assert!(
        page.contains("(4 reacties)"),
        "three readers and the newsroom"
    );
    assert!(page.contains("Henk Sloot") && page.contains(" (redactie)"));
    assert!(!page.contains("Ruud Bakker"), "still in the queue");
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let queue = app.page(&editor, "/redactie/reacties").await;
    assert!(queue.contains("Ruud Bakker") && queue.contains("1 wachtend."));
}

async fn editors_judge_in_bulk_answer_as_the_newsroom_and_see_the_count_live(engine: Engine) {
    let app = spawn_app(engine).await;
    let art = article(&app).await;
    let refused = app.get("/live?onderwerpen=moderation").await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "the newsroom's count is not public"
    );
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let response = editor
        .get(app.url("/live?onderwerpen=moderation"))
        .timeout(std::time::Duration::from_secs(120))
        .send()
        .await
        .unwrap();
    let mut badge = SseReader::new(response);
    for n in 1..=3 {
        let r = comment(
            &app,
            &art,
            "Lezer",
            &format!("l{n}@voorbeeld.nl"),
            &format!("Bulkreactie {n}"),
            &[],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    // The demo's waiting comment, plus these three.
    let event = wait_for(&mut badge, r#""html":"4""#).await;
    assert_eq!(event.event, "moderation");
    let ids: Vec<i64> = stored(&app).await.iter().map(|c| c.0).collect();
    let r = editor
        .post(app.url("/redactie/reacties"))
        .form(&[
            ("actie", "goedkeuren".to_string()),
            ("id", ids[0].to_string()),
            ("id", ids[1].to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/redactie/reacties?gelukt=goedgekeurd&n=2");
    wait_for(&mut badge, r#""html":"2""#).await;
    let r = editor
        .post(app.url(&format!("/redactie/reacties/{}/antwoord", ids[2])))
        .form(&[("bericht", "Dank je, we zoeken het uit.")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/redactie/reacties?gelukt=beantwoord&n=1");
    let page = app.get(&art.1).await.text().await.unwrap();
    assert!(page.contains("Bulkreactie 1") && page.contains("Bulkreactie 2"));
    // Answering a waiting comment publishes it, with the answer nested under it.
    let thread = &page[page.find(&format!("id=\"antwoorden-{}\"", ids[2])).unwrap()..];
    assert!(thread.contains("Dank je, we zoeken het uit.") && thread.contains("(redactie)"));
    assert!(page.contains("Bulkreactie 3"));
}

async fn an_admin_sets_banned_words_that_hold_comments(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let art = article(&app).await;
    let admin = signed_in_admin(&app).await;
    let r = admin
        .post(app.url("/redactie/reacties/woorden"))
        .form(&[("woorden", "Casino, gratis geld")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/redactie/reacties?gelukt=woorden&n=2");
    let r = comment(
        &app,
        &art,
        "Gokker",
        "gok@voorbeeld.nl",
        "Speel nu in het CASINO",
        &[],
    )
    .await;
    assert_eq!(location(&r), format!("{}?reactie=wacht#reageren", art.1));
    let queue = app.page(&admin, "/redactie/reacties").await;
    assert!(queue.contains("Vastgehouden: verboden woord: casino"));
    assert!(
        queue.contains("casino, gratis geld"),
        "the list is shown for editing"
    );
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = editor
        .post(app.url("/redactie/reacties/woorden"))
        .form(&[("woorden", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "admins only");
}

async fn nothing_of_an_unpublished_article_reaches_the_live_endpoints(engine: Engine) {
    let app = spawn_app(engine).await;
    let art = article(&app).await;
    // A link on a refused form's page leads back to the article.
    let r = app.get(&format!("/reageren/{}?antwoord=5", art.0)).await;
    assert_eq!(location(&r), format!("{}?antwoord=5#reageren", art.1));
    sqlx::query("UPDATE articles SET status = 'scheduled', published_at = $1 WHERE id = $2")
        .bind(app::db::now() + 3600)
        .bind(art.0)
        .execute(app.db.pool())
        .await
        .unwrap();
    let json = app
        .get(&format!(
            "/live.json?onderwerpen=comments:{0},blog:{0}",
            art.0
        ))
        .await;
    let body: serde_json::Value = json.json().await.unwrap();
    assert_eq!(body["parts"].as_object().unwrap().len(), 0, "{body}");
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let r = editor
        .post(app.url("/redactie/liveblogs"))
        .form(&[("artikel", art.0.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&r),
        "/redactie/live?fout=artikel",
        "no blog before publication"
    );
}

async fn a_thousand_comments_come_in_pages_and_the_newest_page_stays_live(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.comments_premoderation = false).await;
    let art = article(&app).await;
    // 1,000 approved comments, each about 300 characters; every fifth answers the one before,
    // and so does the first of the second page.
    let base = app::db::now() - 100_000;
    let text = "Een reactie van een lezer die er echt iets over te zeggen heeft. ".repeat(5);
    let mut tx = app.db.pool().begin().await.unwrap();
    let mut previous: Option<i64> = None;
    for i in 0..1000_i64 {
        let parent = if i % 5 == 4 || i == 50 {
            previous
        } else {
            None
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (article_id, parent_id, author_name, email, body, status, \
             ip_hash, created_at) VALUES ($1, $2, $3, 'lezer@voorbeeld.nl', $4, 'approved', \
             'test', $5) RETURNING id",
        )
        .bind(art.0)
        .bind(parent)
        .bind(format!("Lezer {i}"))
        .bind(format!("Nummer {i}. {text}"))
        .bind(base + i)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        previous = Some(id);
    }
    tx.commit().await.unwrap();
    let shown = |html: &str| {
        html.matches("class=\"comment\"").count()
            + html.matches("class=\"comment is-newsroom\"").count()
    };

    let page = app.get(&art.1).await.text().await.unwrap();
    assert!(
        page.len() < 150_000,
        "the article page is {} bytes",
        page.len()
    );
    assert_eq!(shown(&page), 50);
    assert!(
        page.contains("(1000 reacties)"),
        "the count is the whole thread's"
    );
    assert!(page.contains("Reacties 951–1000 van 1000"));
    assert!(page.contains("Nummer 999."), "the newest page comes first");
    assert!(page.contains(r#"href="?reacties=19#reacties""#));
    assert!(page.contains(&format!("data-live=\"comments:{}\"", art.0)));

    let first = app
        .get(&format!("{}?reacties=1", art.1))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(shown(&first), 50);
    assert!(first.contains("Nummer 0.") && !first.contains("Nummer 999."));
    assert!(first.contains(r#"href="?reacties=2#reacties""#));
    assert!(
        !first.contains(&format!("data-live=\"comments:{}\"", art.0)),
        "an earlier page is not live: new comments belong on the newest"
    );
    // A reply whose parent is on the page before says whom it answers.
    let page_2 = app
        .get(&format!("{}?reacties=2", art.1))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(shown(&page_2), 50);
    assert!(
        page_2.contains("In antwoord op Lezer 49"),
        "a reply whose parent is on page 1"
    );
    // Past the end, or nonsense: the newest page, not an error.
    for odd in ["?reacties=999", "?reacties=0", "?reacties=x"] {
        let r = app.get(&format!("{}{odd}", art.1)).await;
        assert_eq!(r.status(), StatusCode::OK, "{odd}");
        assert!(r.text().await.unwrap().contains("Nummer 999."), "{odd}");
    }

    // Answering an old comment opens the page it is on, with the form set to answer it.
    let oldest: i64 = sqlx::query_scalar("SELECT MIN(id) FROM comments WHERE article_id = $1")
        .bind(art.0)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let answering = app
        .get(&format!("{}?antwoord={oldest}", art.1))
        .await
        .text()
        .await
        .unwrap();
    assert!(answering.contains("Je reageert op Lezer 0."));
    assert!(answering.contains("Nummer 0."));
    // The answer, once placed, is shown where it stands: on that first page.
    let r = comment(
        &app,
        &art,
        "Laatkomer",
        "laat@voorbeeld.nl",
        "Een antwoord op de allereerste reactie.",
        &[("antwoord", oldest.to_string().as_str())],
    )
    .await;
    let placed = location(&r);
    assert!(placed.contains("reactie=zichtbaar&bij="), "{placed}");
    let shown = app.get(&placed).await.text().await.unwrap();
    assert!(
        shown.contains("Een antwoord op de allereerste reactie.") && shown.contains("Nummer 0.")
    );
    assert!(shown.contains("Bedankt! Je reactie staat nu onder het artikel."));

    // Clients that poll get the newest page too, not the whole thread.
    let json = app
        .get(&format!("/live.json?onderwerpen=comments:{}", art.0))
        .await
        .text()
        .await
        .unwrap();
    assert!(json.len() < 100_000, "the part is {} bytes", json.len());
    assert!(json.contains("Nummer 999.") && !json.contains("Nummer 0."));
}

on_both_engines!(
    nothing_of_an_unpublished_article_reaches_the_live_endpoints,
    a_thousand_comments_come_in_pages_and_the_newest_page_stays_live,
    editors_judge_in_bulk_answer_as_the_newsroom_and_see_the_count_live,
    an_admin_sets_banned_words_that_hold_comments,
    the_demo_discussion_has_a_newsroom_answer_and_one_comment_waiting,
    a_comment_waits_for_moderation_and_appears_live_once_approved,
    without_premoderation_comments_show_at_once_unless_they_carry_links,
    refused_comments_keep_the_text_and_explain_each_field,
    the_honeypot_and_hasty_or_forged_forms_store_nothing,
    rate_limits_apply_per_client_and_per_email,
    exact_duplicates_are_refused,
    replies_nest_under_their_parent_and_deeper_ones_stay_readable,
    a_banned_sender_gets_a_neutral_refusal,
    an_admin_deletes_every_comment_of_an_address_and_replies_stay,
    closed_articles_take_no_comments_and_keep_the_text,
    reader_markup_is_shown_as_inert_text,
    moderation_is_for_editors,
);
