//! Search over real HTTP on both engines: accents and case, ranking, paging, the index following
//! the newsroom, and queries that try the engines' syntax.

use crate::helpers::*;
use reqwest::StatusCode;

async fn search(app: &TestApp, query: &str) -> (StatusCode, String) {
    let url = format!(
        "/zoeken?{}",
        serde_urlencoded::to_string([("q", query)]).unwrap()
    );
    let r = app.get(&url).await;
    (r.status(), r.text().await.unwrap())
}

/// The article links in a results page, best first.
fn hits(html: &str) -> Vec<String> {
    html.split(r#"<h2 class="search-hit-title"><a href=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

fn article_form(title: &str, body: &str, action: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titel", title.to_string()),
        ("rubriek", "nieuws".into()),
        ("intro", "Een intro voor de zoektest.".into()),
        ("tekst", body.to_string()),
        ("onderwerpen", "zoektest".into()),
        ("plaats", "Lindewijk".into()),
        ("actie", action.into()),
    ]
}

/// Saves an article through the newsroom form, from the version its editor shows now;
/// returns its editor address.
async fn save(
    app: &TestApp,
    editor: &reqwest::Client,
    path: &str,
    form: &[(&str, String)],
) -> String {
    let mut form = form.to_vec();
    if !path.ends_with("/nieuw") {
        form.push(("versie", base_version(&app.page(editor, path).await)));
    }
    let r = editor.post(app.url(path)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
    let location = r.headers()["location"].to_str().unwrap();
    location.split('?').next().unwrap().to_string()
}

async fn a_word_without_its_accent_finds_the_article(engine: Engine) {
    let app = spawn_app(engine).await;
    let (status, html) = search(&app, "taalcafe").await;
    assert_eq!(status, StatusCode::OK);
    let found = hits(&html);
    assert!(
        found[0].contains("taalcafe-in-ganzenvoort"),
        "the article about it comes first: {found:?}"
    );
    assert!(
        html.contains("<mark>Taalcafé</mark>"),
        "marked in the title"
    );
    assert!(html.contains("artikel"), "a count");
    // Case and accents in the query do not matter either.
    for query in ["TAALCAFÉ", "Taalcafè", "taalcaf"] {
        let (_, html) = search(&app, query).await;
        assert_eq!(hits(&html).first(), found.first(), "{query}");
    }
    let (_, html) = search(&app, "premiere").await;
    assert!(!hits(&html).is_empty(), "première");
}

async fn a_title_match_ranks_above_a_mention_in_the_text(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    // The mention is published last, so newest-first would put it on top.
    save(
        &app,
        &editor,
        "/redactie/artikelen/nieuw",
        &article_form(
            "Kwakkelbrug gaat in het voorjaar dicht",
            "De brug krijgt nieuwe planken.",
            "publiceren",
        ),
    )
    .await;
    save(
        &app,
        &editor,
        "/redactie/artikelen/nieuw",
        &article_form(
            "Raad praat over onderhoud",
            "Ook de kwakkelbrug kwam kort ter sprake, naast vele andere zaken.",
            "publiceren",
        ),
    )
    .await;
    let (_, html) = search(&app, "kwakkelbrug").await;
    let found = hits(&html);
    assert_eq!(
        found,
        [
            "/nieuws/kwakkelbrug-gaat-in-het-voorjaar-dicht",
            "/nieuws/raad-praat-over-onderhoud"
        ]
    );
    assert!(html.contains("2 artikelen gevonden voor ‘kwakkelbrug’"));
    assert!(
        html.contains("<mark>kwakkelbrug</mark>"),
        "the snippet marks the word in the text"
    );
    // Every word must occur.
    let (_, html) = search(&app, "kwakkelbrug planken").await;
    assert_eq!(
        hits(&html),
        ["/nieuws/kwakkelbrug-gaat-in-het-voorjaar-dicht"]
    );
}

async fn the_index_follows_publishing_editing_and_unpublishing(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let form = article_form(
        "Snoezelmolen draait weer",
        "De molen is na jaren weer in bedrijf.",
        "opslaan",
    );
    let edit_path = save(&app, &editor, "/redactie/artikelen/nieuw", &form).await;
    assert!(
        hits(&search(&app, "snoezelmolen").await.1).is_empty(),
        "a draft is not found"
    );

    let mut publish = form.clone();
    publish[6].1 = "publiceren".into();
    save(&app, &editor, &edit_path, &publish).await;
    assert_eq!(
        hits(&search(&app, "snoezelmolen").await.1),
        ["/nieuws/snoezelmolen-draait-weer"]
    );

    let mut edited = publish.clone();
    edited[0].1 = "Knuffelmolen draait weer".into();
    edited[6].1 = "opslaan".into();
    save(&app, &editor, &edit_path, &edited).await;
    assert!(
        hits(&search(&app, "snoezelmolen").await.1).is_empty(),
        "the old title is gone"
    );
    assert_eq!(hits(&search(&app, "knuffelmolen").await.1).len(), 1);

    let mut unpublish = edited.clone();
    unpublish[6].1 = "depubliceren".into();
    save(&app, &editor, &edit_path, &unpublish).await;
    assert!(
        hits(&search(&app, "knuffelmolen").await.1).is_empty(),
        "unpublished"
    );
}

async fn results_come_in_pages(engine: Engine) {
    let app = spawn_app(engine).await;
    let (_, first) = search(&app, "lindewijk").await;
    let page_one = hits(&first);
    assert_eq!(page_one.len(), 10);
    assert!(first.contains(r#"rel="next" href="/zoeken?q=lindewijk&amp;pagina=2""#));
    let r = app.get("/zoeken?q=lindewijk&pagina=2").await;
    assert_eq!(r.status(), StatusCode::OK);
    let page_two = hits(&r.text().await.unwrap());
    assert!(!page_two.is_empty());
    assert!(
        page_two.iter().all(|hit| !page_one.contains(hit)),
        "no repeats"
    );
    let r = app.get("/zoeken?q=lindewijk&pagina=99").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn nothing_found_explains_and_suggests(engine: Engine) {
    let app = spawn_app(engine).await;
    let (status, html) = search(&app, "xylofoonbrommer kwispeltaart").await;
    assert_eq!(status, StatusCode::OK);
    assert!(hits(&html).is_empty());
    assert!(html.contains("Niets gevonden voor ‘xylofoonbrommer kwispeltaart’"));
    assert!(html.contains("Controleer de spelling"));
    assert!(
        html.contains(r#"href="/zoeken?q=xylofoonbrommer""#),
        "one word at a time"
    );
    assert!(html.contains(r#"href="/tag/"#), "topics to try");
    assert!(html.contains(r#"href="/cultuur""#), "sections to try");
    let (status, html) = search(&app, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Typ een of meer woorden"));
}

async fn query_syntax_and_markup_are_only_words(engine: Engine) {
    let app = spawn_app(engine).await;
    for query in [
        r#"taalcafe" OR "*"#,
        "NEAR(taalcafe) AND -- ;",
        "taalcafe & !'| :*",
        "<script>alert(1)</script>",
        "</title><script>alert(1)</script>",
        "\"><script>alert(1)</script>",
        &"lang".repeat(500),
    ] {
        let (status, html) = search(&app, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(!html.contains("<script>alert"), "escaped: {query}");
    }
    let (_, html) = search(&app, r#""taalcafe"* ( ) : ^"#).await;
    assert!(hits(&html)[0].contains("taalcafe"), "the words still count");
}

async fn every_page_has_a_search_box_and_the_island_gets_the_results_alone(engine: Engine) {
    let app = spawn_app(engine).await;
    let home = app.get("/").await.text().await.unwrap();
    let header = home.split("</header>").next().unwrap();
    assert!(header.contains(r#"action="/zoeken""#) && header.contains(r#"name="q""#));
    assert!(header.contains(r#"aria-label="Zoeken op de site""#));
    let r = app.get("/zoeken/resultaten?q=taalcafe").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let part = r.text().await.unwrap();
    assert!(!part.contains("<html"), "only the results");
    assert!(part.contains("<mark>Taalcafé</mark>"));
    assert!(hits(&part)[0].contains("taalcafe-in-ganzenvoort"));
}

/// PostgreSQL stems Dutch: a plural finds the singular. (SQLite's FTS5 has no Dutch stemmer;
/// there prefixes do part of this work.)
async fn postgres_stems_dutch_words(engine: Engine) {
    if engine != Engine::Postgres {
        return;
    }
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    save(
        &app,
        &editor,
        "/redactie/artikelen/nieuw",
        &article_form(
            "Nieuwe route door het Grienbos",
            "Een lange boswandeling langs de beek.",
            "publiceren",
        ),
    )
    .await;
    let (_, html) = search(&app, "boswandelingen").await;
    assert_eq!(hits(&html), ["/nieuws/nieuwe-route-door-het-grienbos"]);
}

on_both_engines!(
    a_word_without_its_accent_finds_the_article,
    a_title_match_ranks_above_a_mention_in_the_text,
    the_index_follows_publishing_editing_and_unpublishing,
    results_come_in_pages,
    nothing_found_explains_and_suggests,
    query_syntax_and_markup_are_only_words,
    every_page_has_a_search_box_and_the_island_gets_the_results_alone,
    postgres_stems_dutch_words,
);
