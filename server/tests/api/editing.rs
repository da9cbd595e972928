//! Writing in the newsroom without losing a word, on both engines: autosave, refused saves
//! over a newer version (also when two arrive at once), who else has an article open, and the
//! check before publishing.

use crate::helpers::{
    account, base_version, newest_visible_article, signed_in_admin, spawn_app, wait_for, Engine,
    SseReader, TestApp, DEMO_EDITOR, DEMO_PASSWORD,
};
use app::{
    articles::{draft::ArticleForm, editing, store},
    newsroom::{AutosaveArticle, EditingHere},
};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

/// The editor's form for article `id` as it stands, with `changes`, as a browser posts it.
async fn form_of(app: &TestApp, id: i64, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let form = editing::load(&app.db, id, &account(app, DEMO_EDITOR).await)
        .await
        .unwrap()
        .expect("the article")
        .form;
    let mut fields: Vec<(String, String)> = fields(&form);
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

fn fields(form: &ArticleForm) -> Vec<(String, String)> {
    [
        ("titel", &form.titel),
        ("slug", &form.slug),
        ("rubriek", &form.rubriek),
        ("intro", &form.intro),
        ("tekst", &form.tekst),
        ("onderwerpen", &form.onderwerpen),
        ("plaats", &form.plaats),
        ("beeld_src", &form.beeld_src),
        ("beeld_alt", &form.beeld_alt),
        ("beeld_bijschrift", &form.beeld_bijschrift),
        ("beeld_credit", &form.beeld_credit),
        ("versie", &form.versie),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect()
}

fn with(fields: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut fields = fields.to_vec();
    fields.retain(|(k, _)| k != name);
    fields.push((name.into(), value.into()));
    fields
}

async fn stored_body(app: &TestApp, id: i64) -> (String, i64, i64) {
    sqlx::query_as("SELECT body_md, updated_at, version FROM articles WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn revision_count(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM article_revisions WHERE article_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// Two people who may edit every article: the demo editor (A) and a fresh admin (B).
async fn two_editors(app: &TestApp) -> (reqwest::Client, reqwest::Client) {
    let a = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    (a, signed_in_admin(app).await)
}

async fn an_autosave_keeps_the_text_without_publishing_or_stamping(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, path) = newest_visible_article(&app).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let before = stored_body(&app, id).await;
    let revisions = revision_count(&app, id).await;
    let typed = "Een zin die de verslaggever net typte, nog niet opgeslagen.";
    let fields = form_of(&app, id, &[("tekst", typed)]).await;
    let form = serde_urlencoded::to_string(&fields).unwrap();
    let r = app
        .post_form(
            &editor,
            AutosaveArticle::PATH,
            &[("article", id.to_string()), ("form", form)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    assert_eq!(
        stored_body(&app, id).await,
        before,
        "the article is untouched"
    );
    assert_eq!(
        revision_count(&app, id).await,
        revisions,
        "no version saved"
    );
    let public = app.get(&path).await.text().await.unwrap();
    assert!(!public.contains(typed), "nothing published");

    // The editor gets it back on opening the article; nobody else sees it.
    let page = app
        .page(&editor, &format!("/redactie/artikelen/{id}"))
        .await;
    assert!(page.contains(typed), "the autosaved text is in the editor");
    assert!(page.contains("automatisch opgeslagen tekst"));
    let admin = signed_in_admin(&app).await;
    let theirs = app.page(&admin, &format!("/redactie/artikelen/{id}")).await;
    assert!(
        !theirs.contains(typed),
        "another editor sees the stored version"
    );

    // Saved as a version, the autosave has done its work.
    let r = app
        .post_form(
            &editor,
            &format!("/redactie/artikelen/{id}"),
            &with(&fields, "actie", "opslaan"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored_body(&app, id).await.0, typed);
    let page = app
        .page(&editor, &format!("/redactie/artikelen/{id}"))
        .await;
    assert!(!page.contains("automatisch opgeslagen tekst"));

    // An autosave from the page that saved, arriving late, does not bring that text back;
    // one from the next page does count.
    let late = |key: &str| {
        let form = serde_urlencoded::to_string(with(
            &with(&fields, "tekst", "Late tekst."),
            "concept",
            key,
        ))
        .unwrap();
        let post = [("article", id.to_string()), ("form", form)];
        let (app, editor) = (&app, &editor);
        async move { app.post_form(editor, AutosaveArticle::PATH, &post).await }
    };
    assert_eq!(late("").await.status(), StatusCode::OK);
    let page = app
        .page(&editor, &format!("/redactie/artikelen/{id}"))
        .await;
    assert!(
        !page.contains("Late tekst."),
        "the late autosave is not offered"
    );
    assert_eq!(late("volgende-pagina").await.status(), StatusCode::OK);
    let page = app
        .page(&editor, &format!("/redactie/artikelen/{id}"))
        .await;
    assert!(page.contains("Late tekst."));

    // Signed out, an autosave is refused (the browser keeps its copy).
    let signed_out = app.browser();
    let empty = [("article", id.to_string()), ("form", String::new())];
    let r = app
        .post_form(&signed_out, AutosaveArticle::PATH, &empty)
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

async fn a_save_from_an_older_version_is_refused_and_keeps_the_text(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = newest_visible_article(&app).await;
    let (a, b) = two_editors(&app).await;
    // Both open the editor on the same version.
    let opened = form_of(&app, id, &[]).await;
    let original = opened.iter().find(|(k, _)| k == "tekst").unwrap().1.clone();
    let by_a = format!("{original}\n\nDe zin van A.");
    let by_b = format!("{original}\n\nDe zin van B.");
    let r = app
        .post_form(
            &a,
            &format!("/redactie/artikelen/{id}"),
            &with(&with(&opened, "tekst", &by_a), "actie", "opslaan"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    for action in ["opslaan", "publiceren"] {
        let r = app
            .post_form(
                &b,
                &format!("/redactie/artikelen/{id}"),
                &with(&with(&opened, "tekst", &by_b), "actie", action),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "{action}");
        let html = r.text().await.unwrap();
        assert!(html.contains("Iemand anders heeft dit artikel intussen opgeslagen"));
        assert!(html.contains("De zin van B."), "B's text is kept");
        assert!(html.contains("<ins>"), "the differences are marked");
        assert!(html.contains("A."), "A's version is shown beside it");
        assert_eq!(stored_body(&app, id).await.0, by_a, "A's sentence stays");
    }

    // Keeping their own on purpose: the refused page's form is based on A's version.
    let opened_b = format!("/redactie/artikelen/{id}");
    let conflict = app
        .post_form(
            &b,
            &opened_b,
            &with(&with(&opened, "tekst", &by_b), "actie", "opslaan"),
        )
        .await
        .text()
        .await
        .unwrap();
    let base = base_version(&conflict);
    let keep_mine = with(
        &with(&with(&opened, "tekst", &by_b), "versie", &base),
        "actie",
        "opslaan",
    );
    let r = app.post_form(&b, &opened_b, &keep_mine).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored_body(&app, id).await.0, by_b);

    // A form that does not say what it started from cannot prove it overwrites nothing.
    let r = app
        .post_form(
            &a,
            &opened_b,
            &with(&with(&opened, "versie", ""), "actie", "opslaan"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

async fn of_two_saves_at_the_same_moment_exactly_one_wins(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = newest_visible_article(&app).await;
    let (a, b) = two_editors(&app).await;
    for round in 0..4 {
        let opened = form_of(&app, id, &[]).await;
        let revisions = revision_count(&app, id).await;
        let save = |client: &reqwest::Client, who: &str| {
            let fields = with(
                &with(
                    &opened,
                    "tekst",
                    &format!("Ronde {round}, tekst van {who}."),
                ),
                "actie",
                "opslaan",
            );
            let (app, client) = (&app, client.clone());
            async move {
                app.post_form(&client, &format!("/redactie/artikelen/{id}"), &fields)
                    .await
            }
        };
        let (ra, rb) = tokio::join!(save(&a, "A"), save(&b, "B"));
        let mut statuses = [ra.status(), rb.status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::SEE_OTHER, StatusCode::CONFLICT],
            "round {round}"
        );
        assert_eq!(revision_count(&app, id).await, revisions + 1, "one version");
        let (body, _, _) = stored_body(&app, id).await;
        assert!(
            body.starts_with(&format!("Ronde {round}, tekst van ")),
            "{body}"
        );
    }
}

async fn editors_see_who_else_has_an_article_open(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = newest_visible_article(&app).await;
    let topic = format!("editing:{id}");
    // Not for readers.
    let r = app.get(&format!("/live?onderwerpen={topic}")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let (a, b) = two_editors(&app).await;
    let here = |client: &reqwest::Client, here: bool| {
        let post = [("article", id.to_string()), ("here", here.to_string())];
        let (app, client) = (&app, client.clone());
        async move { app.post_form(&client, EditingHere::PATH, &post).await }
    };
    let names = |r: reqwest::Response| async move {
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<String>().await.unwrap()
    };
    assert!(names(here(&a, true).await).await.is_empty());
    let stream = a
        .get(app.url(&format!("/live?onderwerpen={topic}")))
        .send()
        .await
        .unwrap();
    let mut stream = SseReader::new(stream);
    assert_eq!(
        names(here(&b, true).await).await,
        "Demo Redacteur heeft dit artikel nu ook open.",
        "B sees A"
    );
    let joined = wait_for(&mut stream, "Beheer").await;
    assert_eq!(joined.event, topic);
    let page = app.page(&b, &format!("/redactie/artikelen/{id}")).await;
    assert!(page.contains("Demo Redacteur heeft dit artikel nu ook open."));

    // Saying "still here" again changes nothing, so no event; leaving does.
    here(&b, true).await;
    here(&b, false).await;
    let left = stream.next(crate::helpers::WAIT).await.expect("an event");
    assert!(!left.data.contains("Beheer"), "{}", left.data);
    assert!(left.data.contains("Demo Redacteur"));
}

async fn the_check_before_publishing_explains_and_can_be_overruled(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let count = store::count_all(&app.db).await.unwrap();
    let title = "Een heel lange kop over de gemeenteraad die gisteravond tot diep in de nacht \
                 vergaderde over de nieuwe brug bij de haven";
    let form = [
        ("titel", title),
        ("rubriek", "nieuws"),
        ("intro", ""),
        (
            "tekst",
            "Zie ook [het eerdere stuk](/nieuws/bestaat-niet) en [de rubriek](/nieuws).",
        ),
        ("beeld_src", "/media/demo/brug.svg"),
        ("beeld_alt", ""),
    ];
    let r = app
        .post_form(
            &editor,
            "/redactie/artikelen/nieuw",
            &[&form[..], &[("actie", "publiceren")]].concat(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Controle voor publicatie"));
    assert!(html.contains("De afbeelding heeft geen alt-tekst"));
    assert!(html.contains("Er is geen intro"));
    assert!(html.contains("De link naar /nieuws/bestaat-niet werkt niet"));
    assert!(
        !html.contains("De link naar /nieuws werkt niet"),
        "a section resolves"
    );
    let length = title.chars().count();
    assert!(html.contains(&format!("De kop is {length} tekens")));
    assert!(html.contains(r#"value="toch-publiceren""#));
    assert_eq!(
        store::count_all(&app.db).await.unwrap(),
        count,
        "nothing saved"
    );

    // A draft is saved without asking; publishing anyway is the editor's call.
    let r = app
        .post_form(
            &editor,
            "/redactie/artikelen/nieuw",
            &[&form[..], &[("actie", "toch-publiceren")]].concat(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("?gelukt=publiceren"), "{location}");
    assert_eq!(store::count_all(&app.db).await.unwrap(), count + 1);
}

on_both_engines!(
    an_autosave_keeps_the_text_without_publishing_or_stamping,
    a_save_from_an_older_version_is_refused_and_keeps_the_text,
    of_two_saves_at_the_same_moment_exactly_one_wins,
    editors_see_who_else_has_an_article_open,
    the_check_before_publishing_explains_and_can_be_overruled,
);
