//! Test helpers: a fresh database per test on either engine, and the real server on a free port.
//!
//! PostgreSQL tests need `ZENDER_TEST_POSTGRES_URL` (an admin URL; each test creates its own
//! database there). The README's test command starts a private cluster and sets it, together with
//! `ZENDER_TEST_REQUIRE_POSTGRES=1` so that a missing server fails instead of skipping.
#![allow(dead_code)]

use std::{
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use app::db::Db;
use server::Config;
use sqlx::{Connection, PgConnection};
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::oneshot};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Generates one `#[tokio::test]` per engine for each named `async fn(Engine)`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::Engine::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if $crate::helpers::postgres_admin_url().is_some() {
                        super::$name($crate::helpers::Engine::Postgres).await
                    }
                }
            )*
        }
    };
}

/// Whether this is the full run of the README's test command (which starts PostgreSQL and
/// provides every tool): then nothing a test needs may be missing.
pub fn full_run() -> bool {
    std::env::var_os("ZENDER_TEST_REQUIRE_POSTGRES").is_some()
}

/// The PostgreSQL admin URL, or `None` (with a note) when PostgreSQL tests are not configured.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("ZENDER_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("ZENDER_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("ZENDER_TEST_REQUIRE_POSTGRES=1 but ZENDER_TEST_POSTGRES_URL is not set");
            }
            eprintln!("PostgreSQL not configured (ZENDER_TEST_POSTGRES_URL): test skipped");
            None
        }
    }
}

/// A database nobody else uses; the SQLite file lives as long as this value.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<TempDir>,
}

pub async fn fresh_database(engine: Engine) -> TestDatabase {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("zender.db").display());
            TestDatabase {
                url,
                _dir: Some(dir),
            }
        }
        Engine::Postgres => {
            static COUNTER: AtomicU32 = AtomicU32::new(0);
            let admin = postgres_admin_url().expect("PostgreSQL admin URL");
            let name = format!(
                "zender_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                chrono::Utc::now().timestamp_micros()
            );
            let mut conn = PgConnection::connect(&admin)
                .await
                .expect("connect to PostgreSQL admin database");
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let (base, _) = admin.rsplit_once('/').expect("admin URL with a database");
            TestDatabase {
                url: format!("{base}/{name}"),
                _dir: None,
            }
        }
    }
}

/// A migrated, empty database (sections synced, no demo content).
pub async fn empty_db(engine: Engine) -> (Db, TestDatabase) {
    let database = fresh_database(engine).await;
    let db = Db::connect(&database.url)
        .await
        .expect("connect and migrate");
    app::articles::store::sync_sections(&db, &app::site::default_sections())
        .await
        .expect("sections");
    (db, database)
}

/// The password of the demo accounts in tests.
pub const DEMO_PASSWORD: &str = "demo-wachtwoord-voor-tests";
pub const DEMO_EDITOR: &str = "redactie@lindewijk.example";
pub const DEMO_CONTRIBUTOR: &str = "medewerker@lindewijk.example";

/// The real server on a free port of 127.0.0.1, stopped when dropped.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub state: app::state::AppState,
    /// Its data directory (media, the emergency page's file).
    pub data_dir: std::path::PathBuf,
    _database: TestDatabase,
    _data: TempDir,
    _stop: oneshot::Sender<()>,
}

impl TestApp {
    /// A browser-like client: keeps cookies and sends this site's `Origin` (as browsers do on
    /// form posts), but does not follow redirects so tests can see them.
    pub fn browser(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("origin", self.base.parse().unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client")
    }

    /// A browser client signed in as `email` with `password`.
    pub async fn signed_in(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.browser();
        let response = client
            .post(format!("{}/redactie/inloggen", self.base))
            .form(&[("email", email), ("wachtwoord", password)])
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()["location"],
            "/redactie",
            "logged in as {email}"
        );
        client
    }

    /// The HTML of `path` as `client` sees it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body")
    }

    /// `form` posted to `path` by `client`, as a browser's form submit.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &(impl serde::Serialize + ?Sized),
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("form post")
    }

    /// This app's database URL.
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    /// The name of this app's database (PostgreSQL).
    pub fn db_name(&self) -> String {
        self._database
            .url
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .expect("request")
    }
}

/// Log to the test output when `ZENDER_TEST_LOG` holds a filter (e.g. `debug`), for hunting
/// a failure; silent otherwise.
fn init_test_logging() {
    if let Ok(filter) = std::env::var("ZENDER_TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    init_test_logging();
    let database = fresh_database(engine).await;
    spawn_on(database).await
}

/// A second server on the database of `first`: two instances, as in a multi-instance deployment.
pub async fn spawn_second_instance(first: &TestApp) -> TestApp {
    spawn_on(TestDatabase {
        url: first._database.url.clone(),
        _dir: None,
    })
    .await
}

async fn spawn_on(database: TestDatabase) -> TestApp {
    spawn_configured(database, |_| {}).await
}

/// An app on a fresh database of `engine`, with `configure` applied to its configuration.
pub async fn spawn_app_with(engine: Engine, configure: impl FnOnce(&mut Config)) -> TestApp {
    init_test_logging();
    spawn_configured(fresh_database(engine).await, configure).await
}

/// An app on a fresh database of `engine` whose connections have `limits`.
pub async fn spawn_app_with_limits(
    engine: Engine,
    limits: server::http::connections::Limits,
    configure: impl FnOnce(&mut Config),
) -> TestApp {
    init_test_logging();
    spawn_full(fresh_database(engine).await, configure, limits).await
}

async fn spawn_configured(database: TestDatabase, configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_full(database, configure, Default::default()).await
}

async fn spawn_full(
    database: TestDatabase,
    configure: impl FnOnce(&mut Config),
    limits: server::http::connections::Limits,
) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut config = Config::defaults();
    config.addr = addr;
    let data = tempfile::tempdir().expect("temp dir");
    config.data_dir = data.path().to_path_buf();
    config.database_url = Some(database.url.clone());
    config.demo = true;
    config.demo_password = Some(DEMO_PASSWORD.into());
    config.public_url = None;
    // The shipped assets (demo images) without needing a built site.
    config.site_root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    // Tests post comments straight after loading the page.
    config.comments_min_seconds = 0;
    // Tests ask the playouts themselves (`server::on_air::poll_once`), when they choose.
    config.now_playing_seconds = 0;
    configure(&mut config);
    let (router, state) = server::build(&config).await.expect("build app");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(server::http::connections::serve(
        listener,
        router,
        limits,
        async {
            let _ = stopped.await;
        },
    ));
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client"),
        db: state.db.clone(),
        state,
        data_dir: config.data_dir.clone(),
        _database: database,
        _data: data,
        _stop: stop,
    }
}

/// One server-sent event as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<i64>,
    pub event: String,
    pub data: String,
}

/// Reads a `text/event-stream` response event by event.
pub struct SseReader {
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> Self {
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        SseReader {
            body: Box::pin(response.bytes_stream()),
            buffer: String::new(),
        }
    }

    /// The next event with data (comments and heartbeats skipped); `None` when the stream ends
    /// or nothing arrives within `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<SseEvent> {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    id: None,
                    event: "message".into(),
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        event.id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event.event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    }
                }
                if !event.data.is_empty() {
                    return Some(event);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next())
                .await
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk.ok()?));
        }
    }

    /// Whether the stream ends (rather than staying open) within `wait`.
    pub async fn ends_within(&mut self, wait: std::time::Duration) -> bool {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }
}

pub const WAIT: Duration = Duration::from_secs(5);

pub async fn open_stream(app: &TestApp, topics: &str, last_event_id: Option<i64>) -> SseReader {
    let mut request = app
        .client
        .get(app.url(&format!("/live?onderwerpen={topics}")))
        .timeout(Duration::from_secs(120));
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    SseReader::new(request.send().await.expect("stream"))
}

/// Reads events until one whose data contains `needle`.
pub async fn wait_for(stream: &mut SseReader, needle: &str) -> SseEvent {
    loop {
        let event = stream
            .next(WAIT)
            .await
            .unwrap_or_else(|| panic!("no event with {needle:?} within {WAIT:?}"));
        if event.data.contains(needle) {
            return event;
        }
    }
}

/// A browser client signed in as a fresh admin account.
pub async fn signed_in_admin(app: &TestApp) -> reqwest::Client {
    let (email, password) = ("beheer@lindewijk.example", "beheerder-wachtwoord");
    let hash = app::accounts::password::hash(password.into()).await;
    app::accounts::store::create_user(
        &app.db,
        &app::accounts::store::NewUser {
            email: app::accounts::Email::parse(email).unwrap(),
            display_name: "Beheer".into(),
            role: app::accounts::Role::Admin,
            password_hash: hash,
        },
        app::db::now(),
    )
    .await
    .unwrap();
    app.signed_in(email, password).await
}

/// Saves article `id` through the newsroom's form as the demo editor, as it stands, with the
/// editor's `action` (`depubliceren`, `publiceren`, `opslaan`, …) and `changes` to its fields.
pub async fn save_as_editor(
    app: &TestApp,
    id: i64,
    action: &str,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let editor = account(app, DEMO_EDITOR).await;
    let form = app::articles::editing::load(&app.db, id, &editor)
        .await
        .unwrap()
        .expect("the article")
        .form;
    let mut fields: Vec<(String, String)> = [
        ("titel", form.titel),
        ("slug", form.slug),
        ("rubriek", form.rubriek),
        ("intro", form.intro),
        ("tekst", form.tekst),
        ("onderwerpen", form.onderwerpen),
        ("plaats", form.plaats),
        ("beeld_src", form.beeld_src),
        ("beeld_alt", form.beeld_alt),
        ("beeld_bijschrift", form.beeld_bijschrift),
        ("beeld_credit", form.beeld_credit),
        ("versie", form.versie),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        fields.push((name.to_string(), value.to_string()));
    }
    fields.push(("actie".into(), action.into()));
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    editor
        .post(app.url(&format!("/redactie/artikelen/{id}")))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// The signed-in user `email` would be (a session made straight in the database).
pub async fn account(app: &TestApp, email: &str) -> app::accounts::CurrentUser {
    use app::accounts::{store, Email};
    let credentials = store::credentials(&app.db, &Email::parse(email).unwrap())
        .await
        .unwrap()
        .expect("the account");
    let token = store::create_session(&app.db, credentials.user_id, "test", app::db::now())
        .await
        .unwrap();
    store::session_user(&app.db, &token, app::db::now())
        .await
        .unwrap()
        .unwrap()
}

/// The version an editor page's form starts from (its hidden `versie`).
pub fn base_version(html: &str) -> String {
    html.split(r#"name="versie" value=""#)
        .nth(1)
        .expect("a base version")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// The signed render time in a page's comment, tip or correction form.
pub fn form_token(html: &str) -> String {
    html.split(r#"name="geladen" value=""#)
        .nth(1)
        .expect("a form token")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// The id and address of the newest visible article that is not a live blog.
pub async fn newest_visible_article(app: &TestApp) -> (i64, String) {
    sqlx::query_as(
        "SELECT a.id, '/' || s.slug || '/' || a.slug FROM articles a \
         JOIN sections s ON s.id = a.section_id \
         WHERE a.status = 'published' AND a.live_state IS NULL \
         ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}
