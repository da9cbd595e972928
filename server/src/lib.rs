//! The `zender` server: configuration, start-up (database, demo content) and the HTTP stack.
//!
//! `main.rs` only parses flags and calls [`run`]; tests call [`build`] and serve the router on a
//! port of their own.

pub mod backup;
pub mod calamity;
pub mod config;
pub mod demo;
pub mod http;
pub mod media;
pub mod on_air;

use std::future::Future;

use anyhow::Context;
use app::{articles::store, db::Db, state::AppState};
use leptos::config::{Env, LeptosOptions};
use tokio::net::TcpListener;

pub use config::Config;

/// Whether the build names its assets by their content (cargo-leptos `hash-files`, which says so
/// to the server's compilation): they are then served as immutable, and the pages name them
/// from the `hash.txt` beside the executable.
pub fn hashed_assets() -> bool {
    option_env!("LEPTOS_HASH_FILES") == Some("true")
}

/// Connects and migrates the database, syncs sections, loads demo content into an empty database,
/// and returns the application's router with its state.
pub async fn build(config: &Config) -> anyhow::Result<(axum::Router, AppState)> {
    let url = config.database_url();
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("opening database {}", app::db::redact(&url)))?;
    let site = config.site();
    if site.base_url.starts_with("http://") && app::accounts::auth::cookies_secure(&site.base_url) {
        tracing::warn!(
            base_url = %site.base_url,
            "session cookies are Secure: signing in to the newsroom needs https \
             (set ZENDER_PUBLIC_URL to the site's https address)"
        );
    }
    store::sync_sections(&db, &site.sections)
        .await
        .context("storing the configured sections")?;
    if config.demo && store::count_all(&db).await? == 0 {
        demo::load(&db, app::db::now())
            .await
            .context("loading demo content")?;
        demo::post_ticker(&db, app::db::now())
            .await
            .context("loading demo ticker items")?;
        demo::start_blog(&db, app::db::now())
            .await
            .context("starting the demo live blog")?;
        demo::post_comments(&db, app::db::now())
            .await
            .context("loading demo comments")?;
        demo::past_calamity(&db, app::db::now())
            .await
            .context("loading the demo's past calamity")?;
        demo::site_pages(&db, app::db::now())
            .await
            .context("loading the demo's own pages")?;
        demo::on_air(&db, app::db::now())
            .await
            .context("loading the demo's stations and programmes")?;
        tracing::info!("loaded demo content into the empty database");
        if app::accounts::store::count_users(&db).await? == 0 {
            demo::create_accounts(&db, config.demo_password.clone()).await?;
        }
    }
    let indexed = app::articles::search_index::index_missing(&db)
        .await
        .context("building the search index")?;
    if indexed > 0 {
        tracing::info!(articles = indexed, "indexed articles for search");
    }
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") => Env::DEV,
        _ => Env::PROD,
    };
    let leptos_options = LeptosOptions::builder()
        .output_name("zender")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(env)
        .hash_files(hashed_assets())
        .build();
    let close_after =
        (config.comments_close_after_days > 0).then(|| config.comments_close_after_days * 86_400);
    let live = app::live::hub::LiveHub::start(db.clone(), close_after)
        .await
        .context("starting live updates")?;
    let salt = app::comments::settings::load_salt(&db)
        .await
        .context("loading the comment salt")?;
    let state = AppState::new(app::state::Shared {
        comments: config.comments(salt),
        db,
        site,
        leptos_options,
        uploads_dir: config.data_dir.join("media").join("uploads"),
        private_dir: config.data_dir.join("private"),
        live,
        clients: Default::default(),
        newest: Default::default(),
        calamity: Default::default(),
        footer: Default::default(),
    });
    let emergency = calamity::EmergencyPage::start(state.clone(), config.data_dir.clone()).await;
    if config.now_playing_seconds > 0 {
        let every = std::time::Duration::from_secs(config.now_playing_seconds);
        tokio::spawn(on_air::poll_forever(state.clone(), every));
    }
    let settings = http::Settings {
        page_cache_mb: config.page_cache_mb,
        trusted_proxies: config.trusted_proxies.clone(),
        public_url_set: config.public_url.is_some(),
        hsts: config.hsts,
        streams_max: config.streams_max,
        streams_per_client: config.streams_per_client,
        request_timeout: std::time::Duration::from_secs(config.request_timeout_seconds),
        emergency,
        metrics: config.metrics_addr.is_some() || config.metrics_token.is_some(),
        metrics_token: config
            .metrics_token
            .clone()
            .filter(|t| !t.trim().is_empty()),
    };
    Ok((http::router(state.clone(), settings), state))
}

/// Serves `router` on `listener` until `shutdown` resolves, then finishes open requests.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    http::connections::serve(listener, router, Default::default(), shutdown).await
}

/// Runs the command given on the command line; serving is the default.
pub async fn run(config: Config) -> anyhow::Result<()> {
    match config.command.clone() {
        None | Some(config::Command::Serve) => serve_until_stopped(config).await,
        Some(config::Command::User(config::UserCommand::Add { email, name, role })) => {
            add_user(&config, &email, &name, &role).await
        }
        Some(config::Command::Backup { file }) => {
            let summary = backup::backup(&config.database_url(), &config.data_dir, &file).await?;
            println!(
                "Back-up geschreven: {} ({} bytes, database en {} bestanden)",
                file.display(),
                summary.bytes,
                summary.files - 1
            );
            Ok(())
        }
        Some(config::Command::Restore { file, force }) => {
            let summary =
                backup::restore(&file, &config.database_url(), &config.data_dir, force).await?;
            if let Some(aside) = &summary.moved_aside {
                println!("De vorige gegevens staan nu in {}", aside.display());
            }
            println!(
                "Back-up van {} ({}) teruggezet in {}",
                summary.created_at,
                summary.engine,
                config.data_dir.display()
            );
            Ok(())
        }
    }
}

/// `zender user add`: creates an account, reading its password from standard input.
async fn add_user(config: &Config, email: &str, name: &str, role: &str) -> anyhow::Result<()> {
    use app::accounts::{check_new_password, password, store as accounts, Email, Role};
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let role = Role::parse(role).context("unknown role")?;
    let name = name.trim();
    anyhow::ensure!(!name.is_empty(), "--name must not be empty");
    eprintln!(
        "Wachtwoord voor {} (minstens 12 tekens), gevolgd door Enter:",
        email.as_str()
    );
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    check_new_password(&pw).map_err(|e| anyhow::anyhow!("{e}"))?;
    let url = config.database_url();
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("opening database {}", app::db::redact(&url)))?;
    let new = accounts::NewUser {
        email,
        display_name: name.to_string(),
        role,
        password_hash: password::hash(pw).await,
    };
    let id = accounts::create_user(&db, &new, app::db::now()).await?;
    db.close().await;
    println!(
        "Gebruiker {id} aangemaakt: {} ({})",
        new.email.as_str(),
        role.label()
    );
    Ok(())
}

/// Serves until SIGINT or SIGTERM.
async fn serve_until_stopped(config: Config) -> anyhow::Result<()> {
    let (router, state) = build(&config).await?;
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("listening on {}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, engine = ?state.db.engine(), "zender is listening");
    println!("Zender draait op http://{addr}/");
    if let Some(metrics_addr) = config.metrics_addr {
        let listener = TcpListener::bind(metrics_addr)
            .await
            .with_context(|| format!("listening on {metrics_addr} for /metrics"))?;
        let router = http::telemetry::own_address(state.clone());
        println!("Metrics op http://{}/metrics", listener.local_addr()?);
        tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, router).await {
                tracing::error!(error = %err, "the metrics address stopped");
            }
        });
    }
    let live = state.live.clone();
    serve(listener, router, async move {
        shutdown_signal().await;
        // Open event streams would otherwise hold the graceful shutdown open.
        live.close();
    })
    .await?;
    state.db.close().await;
    tracing::info!("zender stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
