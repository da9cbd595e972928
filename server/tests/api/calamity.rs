//! Calamity mode: switched on (confirmed twice) and off by editors only, official messages with
//! corrections and their history, what every page shows while it is on, the RSS and CAP output,
//! and the emergency page standing while the database does not.

use std::time::{Duration, Instant};

use crate::helpers::*;
use reqwest::StatusCode;

const TITLE: &str = "Grote brand bij bedrijventerrein De Vaart";
const AREAS: &str = "Lindewijk, Oosterbroek";

/// The settings form as an editor fills it in; `extra` adds the confirmations.
fn settings<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("titel", TITLE),
        ("gebieden", AREAS),
        ("liveblog", ""),
        ("stream", "https://stream.lindewijk.example/radio"),
        ("licht", "1"),
    ];
    form.extend_from_slice(extra);
    form
}

/// Switches the mode on through both steps; returns the calamity's id.
async fn switch_on(app: &TestApp, editor: &reqwest::Client) -> i64 {
    let checked = app
        .post_form(editor, "/redactie/calamiteit", &settings(&[]))
        .await;
    assert_eq!(checked.status(), StatusCode::OK);
    assert!(checked.text().await.unwrap().contains("Bevestig twee keer"));
    let on = app
        .post_form(
            editor,
            "/redactie/calamiteit/aan",
            &settings(&[("bevestigd", "1"), ("woord", "aan")]),
        )
        .await;
    assert_eq!(on.status(), StatusCode::SEE_OTHER);
    assert_eq!(on.headers()["location"], "/redactie/calamiteit?gelukt=aan");
    sqlx::query_scalar("SELECT id FROM calamities WHERE ended_at IS NULL")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn post_message(
    app: &TestApp,
    editor: &reqwest::Client,
    calamity: i64,
    source: &str,
    text: &str,
) -> reqwest::Response {
    let id = calamity.to_string();
    app.post_form(
        editor,
        "/redactie/calamiteit/berichten",
        &[
            ("calamiteit", id.as_str()),
            ("overheid", "veiligheidsregio"),
            ("bron", source),
            ("tijd", ""),
            ("tekst", text),
        ],
    )
    .await
}

/// Waits (a few seconds at most) until `path` shows `needle`: the emergency page is rendered
/// anew when the change's event reaches the hub.
async fn until_shown(app: &TestApp, path: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let html = app.get(path).await.text().await.unwrap();
        if html.contains(needle) {
            return html;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{path} never showed {needle:?}:\n{html}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn switching_on_takes_two_confirmations_and_then_every_page_shows_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let (_, article) = newest_visible_article(&app).await;
    assert!(!app
        .get(&article)
        .await
        .text()
        .await
        .unwrap()
        .contains("calamity-strip"));

    // Without the box ticked, or without the word, nothing changes.
    for extra in [
        vec![("woord", "AAN")],
        vec![("bevestigd", "1"), ("woord", "ja")],
    ] {
        let refused = app
            .post_form(&editor, "/redactie/calamiteit/aan", &settings(&extra))
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Bevestig beide keren"), "{html}");
        assert!(html.contains(TITLE), "what was typed stays");
    }
    let nothing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calamities WHERE ended_at IS NULL")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(nothing, 0);
    // A missing title is refused in Dutch at the first step.
    let untitled = app
        .post_form(
            &editor,
            "/redactie/calamiteit",
            &[("titel", " "), ("gebieden", AREAS)],
        )
        .await;
    assert_eq!(untitled.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(untitled
        .text()
        .await
        .unwrap()
        .contains("Geef de calamiteit een titel."));

    let id = switch_on(&app, &editor).await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Officiële berichten"), "the calamity home");
    assert!(home.contains(TITLE));
    assert!(
        home.contains(r#""@type":"SpecialAnnouncement""#),
        "structured data"
    );
    let page = app.get(&article).await.text().await.unwrap();
    assert!(
        page.contains("calamity-strip") && page.contains(TITLE),
        "the strip"
    );
    // Light pages: no comment form, no related list.
    assert!(!page.contains("Reageren op dit bericht"));
    assert!(!page.contains("Gerelateerd"));
    let emergency = until_shown(&app, "/calamiteit", TITLE).await;
    assert!(emergency.contains(AREAS));
    assert!(emergency.contains(r#""@type":"SpecialAnnouncement""#));
    assert!(emergency.contains("nl-alert.nl") && emergency.contains("crisis.nl"));
    assert!(emergency.contains("https://stream.lindewijk.example/radio"));

    // Logged: who and when.
    let desk = app.page(&editor, "/redactie/calamiteit").await;
    assert!(desk.contains("calamiteit aan"), "{desk}");
    let who: String = sqlx::query_scalar(
        "SELECT user_name FROM audit_log WHERE action = 'calamiteit aan' AND subject = $1",
    )
    .bind(format!("calamiteit:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(!who.is_empty());

    // One at a time.
    let again = app
        .post_form(
            &editor,
            "/redactie/calamiteit/aan",
            &settings(&[("bevestigd", "1"), ("woord", "AAN")]),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("Er is al een calamiteit actief."));
}

async fn official_messages_stand_apart_and_corrections_keep_their_history(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let id = switch_on(&app, &editor).await;
    let mut stream = open_stream(&app, "calamity,official", None).await;

    let refused = post_message(&app, &editor, id, " ", "Sluit ramen en deuren.").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Noem de bron"), "{html}");
    assert!(
        html.contains("Sluit ramen en deuren."),
        "the text typed stays"
    );

    let posted = post_message(
        &app,
        &editor,
        id,
        "Veiligheidsregio Lindewijk-Oost",
        "Sluit ramen en deuren en zet de ventilatie uit in Oosterbroek.",
    )
    .await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let event = wait_for(&mut stream, "ventilatie uit").await;
    assert_eq!(event.event, "official");
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Officiële informatie van Veiligheidsregio Lindewijk-Oost"));
    assert!(home.contains("ventilatie uit in Oosterbroek"));

    let message: i64 =
        sqlx::query_scalar("SELECT id FROM official_messages WHERE calamity_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let correction = format!("/redactie/calamiteit/berichten/{message}/correctie");
    let no_reason = app
        .post_form(&editor, &correction, &[("tekst", "Nieuw"), ("reden", "")])
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text().await.unwrap().contains("waarom"));
    let corrected = app
        .post_form(
            &editor,
            &correction,
            &[
                (
                    "tekst",
                    "Sluit ramen en deuren en zet de ventilatie uit in Oosterbroek en Lindewijk-Noord.",
                ),
                ("reden", "Lindewijk-Noord hoort er ook bij"),
            ],
        )
        .await;
    assert_eq!(corrected.status(), StatusCode::SEE_OTHER);
    wait_for(&mut stream, "Lindewijk-Noord hoort er ook bij").await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Oosterbroek en Lindewijk-Noord."));
    assert!(home.contains("Gecorrigeerd om"), "the correction is marked");
    assert!(
        home.contains("<s>Sluit ramen en deuren en zet de ventilatie uit in Oosterbroek.</s>"),
        "the earlier text stays, struck through"
    );
    // Never edited in place: both texts are kept.
    let texts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM official_messages WHERE calamity_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(texts, 2);
    // The old text is corrected already: a second correction of it is refused.
    let twice = app
        .post_form(
            &editor,
            &correction,
            &[("tekst", "Anders"), ("reden", "Nogmaals")],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let emergency = until_shown(&app, "/calamiteit", "Lindewijk-Noord hoort er ook bij").await;
    assert!(emergency.contains("gecorrigeerd om"));
}

async fn switching_off_keeps_the_calamity_as_an_archive_page(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let id = switch_on(&app, &editor).await;
    post_message(
        &app,
        &editor,
        id,
        "Gemeente Lindewijk",
        "Opvang in sporthal De Linde.",
    )
    .await;
    let calamity = id.to_string();
    let unconfirmed = app
        .post_form(
            &editor,
            "/redactie/calamiteit/uit",
            &[("calamiteit", calamity.as_str())],
        )
        .await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let off = app
        .post_form(
            &editor,
            "/redactie/calamiteit/uit",
            &[("calamiteit", calamity.as_str()), ("bevestigd", "1")],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);

    let home = app.get("/").await.text().await.unwrap();
    assert!(!home.contains("Officiële berichten") && !home.contains("calamity-strip"));
    until_shown(&app, "/calamiteit", "Er is nu geen calamiteit").await;
    let index = app.get("/calamiteit/archief").await.text().await.unwrap();
    assert!(index.contains(TITLE));
    let archived = app
        .get(&format!("/calamiteit/archief/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(archived.contains("Opvang in sporthal De Linde."));
    assert!(archived.contains("Officiële informatie van Gemeente Lindewijk"));
    assert_eq!(
        app.get("/calamiteit/archief/99999").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn contributors_and_readers_cannot_switch_or_post(engine: Engine) {
    let app = spawn_app(engine).await;
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let full = settings(&[("bevestigd", "1"), ("woord", "AAN")]);
    for client in [&contributor, &app.browser()] {
        let r = app
            .post_form(client, "/redactie/calamiteit/aan", &full)
            .await;
        assert!(
            matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
            "{}",
            r.status()
        );
    }
    assert_eq!(
        contributor
            .get(app.url("/redactie/calamiteit"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let id = switch_on(&app, &editor).await;
    let r = post_message(&app, &contributor, id, "Politie", "Niet toegestaan").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let texts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM official_messages WHERE calamity_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(texts, 0);
}

async fn the_messages_are_an_rss_feed_and_a_valid_cap_alert(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    assert_eq!(
        app.get("/calamiteit/cap.xml").await.status(),
        StatusCode::NOT_FOUND
    );
    let id = switch_on(&app, &editor).await;
    let first = app.get("/calamiteit/cap.xml").await.text().await.unwrap();
    check_cap(&first, "Alert", 0);
    post_message(
        &app,
        &editor,
        id,
        "Politie Lindewijk",
        "De Vaartweg is afgesloten <tot> nader bericht & meer.",
    )
    .await;
    let message: i64 =
        sqlx::query_scalar("SELECT id FROM official_messages WHERE calamity_id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    app.post_form(
        &editor,
        &format!("/redactie/calamiteit/berichten/{message}/correctie"),
        &[
            ("tekst", "De Vaartweg is weer open."),
            ("reden", "Weg vrijgegeven"),
        ],
    )
    .await;

    let rss = app.get("/calamiteit/rss.xml").await;
    assert!(rss.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/rss+xml"));
    let feed = feed_rs::parser::parse(rss.bytes().await.unwrap().as_ref()).expect("a valid feed");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles[0].starts_with("Correctie – Politie Lindewijk"),
        "{titles:?}"
    );
    assert!(
        titles[1].contains("<tot> nader bericht & meer."),
        "escaped and read back"
    );

    let cap = app.get("/calamiteit/cap.xml").await;
    assert!(cap.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/cap+xml"));
    let cap = cap.text().await.unwrap();
    check_cap(&cap, "Update", 1);
    assert!(cap.contains("De Vaartweg is weer open."));
    assert!(cap.contains("Weg vrijgegeven"));

    let calamity = id.to_string();
    app.post_form(
        &editor,
        "/redactie/calamiteit/uit",
        &[("calamiteit", calamity.as_str()), ("bevestigd", "1")],
    )
    .await;
    let cancel = app.get("/calamiteit/cap.xml").await.text().await.unwrap();
    check_cap(&cancel, "Cancel", 0);
}

/// A CAP 1.2 alert of `msg_type` with `infos` info blocks, valid against OASIS's schema.
fn check_cap(xml: &str, msg_type: &str, infos: usize) {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "alert");
    assert_eq!(
        root.tag_name().namespace(),
        Some("urn:oasis:names:tc:emergency:cap:1.2")
    );
    let child = |name: &str| {
        root.children()
            .find(|n| n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(child("msgType").as_deref(), Some(msg_type), "{xml}");
    assert_eq!(child("status").as_deref(), Some("Actual"));
    assert_eq!(
        root.children()
            .filter(|n| n.tag_name().name() == "info")
            .count(),
        infos,
        "{xml}"
    );
    validate_against_cap_schema(xml);
}

/// Validates `xml` with xmllint against the OASIS CAP 1.2 schema (`ZENDER_TEST_CAP_SCHEMA`,
/// which the README's test command provides).
fn validate_against_cap_schema(xml: &str) {
    let Some(schema) = std::env::var_os("ZENDER_TEST_CAP_SCHEMA") else {
        assert!(
            !full_run(),
            "ZENDER_TEST_CAP_SCHEMA is not set: scripts/test.sh provides the CAP 1.2 schema"
        );
        eprintln!("note: CAP schema validation skipped (set ZENDER_TEST_CAP_SCHEMA)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("alert.xml");
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint runs (Debian's libxml2-utils)");
    assert!(
        out.status.success(),
        "the alert is not valid CAP 1.2: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Until the hub counts the database as unreachable (it reads the log every second).
async fn until_unreachable(app: &TestApp) {
    let start = Instant::now();
    while app.state.live.database_reachable(app::db::now()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the database stays reachable"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// While the database cannot be reached, `/` and `/calamiteit` are the last good copy with a
/// note of its time, never a 500.
async fn the_last_good_copy_is_served(app: &TestApp, message: &str) {
    for path in ["/calamiteit", "/"] {
        let started = Instant::now();
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains(message), "{path}: {html}");
        assert!(
            html.contains("Door een storing kan deze pagina achterlopen"),
            "{path}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{path} answered in time"
        );
    }
}

async fn calamity_with_a_message(app: &TestApp) -> String {
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let id = switch_on(app, &editor).await;
    let message = "Blijf binnen: de rook trekt over Oosterbroek.";
    post_message(app, &editor, id, "Veiligheidsregio Lindewijk-Oost", message).await;
    until_shown(app, "/calamiteit", message).await;
    message.to_string()
}

/// Another process holds SQLite's locks (as a stuck backup or a crashed process would): every
/// read waits and then fails.
#[tokio::test]
async fn sqlite_the_emergency_page_stands_while_the_database_file_is_locked() {
    let app = spawn_app(Engine::Sqlite).await;
    let message = calamity_with_a_message(&app).await;
    let file = app
        .database_url()
        .trim_start_matches("sqlite://")
        .to_string();
    let mut locker = lock_sqlite(&file).await;
    until_unreachable(&app).await;
    the_last_good_copy_is_served(&app, &message).await;
    // The file on disk is the same page, for a web server to serve when Zender is down.
    let on_disk = std::fs::read_to_string(app.data_dir.join("calamiteit.html")).unwrap();
    assert!(on_disk.contains(&message));
    locker.kill().await.unwrap();
    let start = Instant::now();
    while !app.state.live.database_reachable(app::db::now()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the database comes back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let home = app.get("/").await.text().await.unwrap();
    assert!(!home.contains("Door een storing"), "back to the live page");
}

/// Holds every lock of SQLite's write-ahead log index from another process, until killed.
async fn lock_sqlite(file: &str) -> tokio::process::Child {
    // The WAL index's locks: write, checkpoint, recover and the five read marks.
    let script = r#"
import fcntl, os, sys, time
fd = os.open(sys.argv[1] + "-shm", os.O_RDWR)
while True:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 8, 120, 0)
        break
    except OSError:
        time.sleep(0.005)
print("locked", flush=True)
time.sleep(3600)
"#;
    let mut child = tokio::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(file)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python3 runs");
    use tokio::io::AsyncBufReadExt;
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("the lock is taken")
        .unwrap();
    assert_eq!(line.as_deref(), Some("locked"));
    child
}

/// The database goes away (every connection cut, none accepted), as when PostgreSQL stops.
#[tokio::test]
async fn postgres_the_emergency_page_stands_while_the_database_is_down() {
    let Some(admin) = postgres_admin_url() else {
        return;
    };
    let app = spawn_app(Engine::Postgres).await;
    let message = calamity_with_a_message(&app).await;
    let database = app.db_name();
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    let set_connections =
        |allowed: bool| format!("ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS {allowed}");
    sqlx::query(&set_connections(false))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(&database)
        .execute(&mut admin)
        .await
        .unwrap();
    until_unreachable(&app).await;
    the_last_good_copy_is_served(&app, &message).await;
    sqlx::query(&set_connections(true))
        .execute(&mut admin)
        .await
        .unwrap();
    let start = Instant::now();
    while !app.state.live.database_reachable(app::db::now()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the database comes back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn the_emergency_page_is_small_text_only_and_served_compressed(engine: Engine) {
    let app = spawn_app(engine).await;
    let message = calamity_with_a_message(&app).await;
    let r = app
        .client
        .get(app.url("/calamiteit"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "br");
    let policy = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("default-src 'none'") && policy.contains("style-src 'sha256-"));
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["x-frame-options"], "SAMEORIGIN");
    let etag = r.headers()["etag"].clone();
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.len() <= 14 * 1024, "{} B as sent", bytes.len());
    let html = app.get("/calamiteit").await.text().await.unwrap();
    assert!(html.contains(&message));
    for forbidden in ["<script src", "<img", "<link", "@font-face", "<iframe"] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    let revalidated = app
        .client
        .get(app.url("/calamiteit"))
        .header("accept-encoding", "br")
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
}

async fn the_demo_keeps_a_past_storm_in_the_archive(engine: Engine) {
    let app = spawn_app(engine).await;
    let index = app.get("/calamiteit/archief").await.text().await.unwrap();
    assert!(
        index.contains("Zware storm trekt over Lindewijk"),
        "{index}"
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM calamities WHERE title = $1")
        .bind("Zware storm trekt over Lindewijk")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let page = app
        .get(&format!("/calamiteit/archief/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Officiële informatie van Gemeente Lindewijk"));
    assert!(page.contains("De Parkweg is weer open."));
    assert!(
        page.contains("<s>De Parkweg en de Molenstraat zijn afgesloten"),
        "the earlier text"
    );
    // Over for weeks: no alert, and the site is itself.
    assert_eq!(
        app.get("/calamiteit/cap.xml").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(!app
        .get("/")
        .await
        .text()
        .await
        .unwrap()
        .contains("calamity-strip"));
}

on_both_engines!(
    the_demo_keeps_a_past_storm_in_the_archive,
    switching_on_takes_two_confirmations_and_then_every_page_shows_it,
    official_messages_stand_apart_and_corrections_keep_their_history,
    switching_off_keeps_the_calamity_as_an_archive_page,
    contributors_and_readers_cannot_switch_or_post,
    the_messages_are_an_rss_feed_and_a_valid_cap_alert,
    the_emergency_page_is_small_text_only_and_served_compressed,
);
