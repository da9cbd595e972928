//! The HTTP stack: Leptos pages and server functions, static files, health, and the layers every
//! request passes (CSRF check, compression, request logging, caching of public pages).

mod blog_desk;
mod cache;
pub mod client;
mod comments;
pub mod connections;
mod csrf;
mod error;
mod feeds;
mod headers;
mod health;
mod live;
mod live_desk;
mod media;
mod moderation;
mod newsroom;
mod roles;
mod search;
mod seo;
mod tips;

use app::{shell, state::AppState, App};
use axum::{
    middleware,
    routing::{get, post},
    Router,
};
use http::{header, HeaderValue};
use leptos::prelude::provide_context;
use leptos_axum::{
    generate_route_list_with_exclusions_and_ssg_and_context, AxumRouteListing, LeptosRoutes,
};
use std::sync::OnceLock;
use tower_http::{
    compression::CompressionLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

pub use csrf::is_same_origin;

/// Files that change only with a new build; readers may cache them briefly.
const STATIC_CACHE: &str = "public, max-age=600";
/// Built assets named by their content's hash: a changed file is a new address.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Leptos lists the routes by rendering the app once with resource loading switched off by a
/// process-wide flag (leptos_server's `SuppressResourceLoad`): a page that another server in this
/// process starts rendering meanwhile waits forever (leptos-rs/leptos#4773). The tests run many
/// servers in one process, so list the routes once, before any of them serves.
static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();

/// What the HTTP stack is set up with beyond the application's state.
pub struct Settings {
    /// Memory for rendered public pages (MB).
    pub page_cache_mb: u64,
    pub trusted_proxies: client::TrustedProxies,
    /// The operator named the public address: only it counts as this site's origin.
    pub public_url_set: bool,
    /// Tell browsers to come back over https only (Strict-Transport-Security).
    pub hsts: bool,
    /// Live streams open at once, in all and per client.
    pub streams_max: usize,
    pub streams_per_client: usize,
    /// How long a request may take until its answer starts (uploads: ten times as long).
    pub request_timeout: std::time::Duration,
}

/// The application's routes.
pub fn router(state: AppState, settings: Settings) -> Router {
    let site_root = state.leptos_options.site_root.to_string();
    let site = state.site.clone();
    let context = move || provide_context(site.clone());
    let routes = ROUTES
        .get_or_init(|| {
            generate_route_list_with_exclusions_and_ssg_and_context(App, None, context.clone()).0
        })
        .clone();
    let options = state.leptos_options.clone();
    // The build compresses these once (cargo-leptos --precompress): served as the files, never
    // compressed per request.
    let pkg = ServeDir::new(format!("{site_root}/pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let pkg_cache = if crate::hashed_assets() {
        IMMUTABLE
    } else {
        STATIC_CACHE
    };
    let static_files = Router::new()
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(pkg_cache),
                ))
                .service(pkg),
        )
        .nest_service(
            "/media",
            ServeDir::new(format!("{site_root}/media"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .route_service(
            "/favicon.svg",
            tower_http::services::ServeFile::new(format!("{site_root}/favicon.svg")),
        )
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(STATIC_CACHE),
        ));
    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(static_files)
        .route("/redactie/inloggen", post(newsroom::login))
        .route("/redactie/uitloggen", post(newsroom::logout))
        .route("/redactie/wachtwoord", post(newsroom::change_password))
        // The literal route wins over the one with a handle.
        .route(
            "/redactie/sessies/andere/beeindigen",
            post(newsroom::end_other_sessions),
        )
        .route(
            "/redactie/sessies/{handle}/beeindigen",
            post(newsroom::end_session),
        )
        .route(
            "/redactie/artikelen/nieuw",
            post(newsroom::save_new_article),
        )
        .route(
            "/redactie/artikelen/{id}",
            post(newsroom::save_existing_article),
        )
        .route(
            "/redactie/artikelen/{id}/versies/{revision}",
            post(newsroom::restore_revision),
        )
        .route(
            "/redactie/media",
            // Room for the multipart framing around the largest accepted image.
            post(media::upload).layer(axum::extract::DefaultBodyLimit::max(
                app::media::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .nest_service(
            app::media::UPLOADS_PATH,
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    // Names come from the content: a changed image is a new address.
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ))
                .service(ServeDir::new(&state.uploads_dir)),
        )
        .route("/feeds/rss.xml", get(feeds::site_rss))
        .route("/feeds/atom.xml", get(feeds::site_atom))
        .route("/feeds/{section}/rss.xml", get(feeds::section_rss))
        .route("/feeds/{section}/atom.xml", get(feeds::section_atom))
        .route("/sitemap.xml", get(seo::site_map))
        .route("/sitemaps/{part}", get(seo::site_map_part))
        .route("/news-sitemap.xml", get(seo::news_map))
        .route("/robots.txt", get(seo::robots))
        .route(app::search::RESULTS_PATH, get(search::results))
        .route(
            app::tips::TIP_PATH,
            post(tips::submit_tip).layer(
                tower::ServiceBuilder::new()
                    .layer(axum::extract::DefaultBodyLimit::max(tips::TIP_BODY_LIMIT))
                    .layer(axum::Extension(tips::PhotoSlots::default())),
            ),
        )
        .route(
            "/correctie/{article}",
            post(tips::submit_correction).layer(axum::extract::DefaultBodyLimit::max(
                tips::CORRECTION_BODY_LIMIT,
            )),
        )
        .route("/redactie/inbox/{id}", post(tips::set_handled))
        .route("/redactie/inbox/{id}/foto", get(tips::photo))
        .route(
            "/live",
            get(live::stream).layer(axum::Extension(live::StreamSlots::new(
                settings.streams_max,
                settings.streams_per_client,
            ))),
        )
        .route("/live.json", get(live::snapshot))
        .route("/redactie/live/ticker", post(live_desk::post_ticker))
        .route("/redactie/live/ticker/{id}", post(live_desk::edit_ticker))
        .route(
            "/redactie/live/ticker/{id}/verwijderen",
            post(live_desk::remove_ticker),
        )
        .route("/redactie/live/breaking", post(live_desk::start_banner))
        .route(
            "/redactie/live/breaking/{id}/beeindigen",
            post(live_desk::end_banner),
        )
        .route(
            "/reageren/{article}",
            get(comments::back_to_article)
                .post(comments::submit)
                .layer(axum::extract::DefaultBodyLimit::max(comments::BODY_LIMIT)),
        )
        .route("/redactie/reacties", post(moderation::act))
        .route("/redactie/reacties/{id}/antwoord", post(moderation::answer))
        .route(
            "/redactie/reacties/woorden",
            post(moderation::save_banned_words),
        )
        .route(
            "/redactie/reacties/verwijderen",
            post(moderation::delete_by_email),
        )
        .route(
            "/redactie/artikelen/{id}/reacties",
            post(moderation::set_closed),
        )
        .route(
            "/redactie/artikelen/{id}/concept/weggooien",
            post(newsroom::discard_autosave),
        )
        .route("/redactie/liveblogs", post(blog_desk::start))
        .route("/redactie/liveblog/{article}/updates", post(blog_desk::add))
        .route(
            "/redactie/liveblog/{article}/updates/{post}",
            post(blog_desk::edit),
        )
        .route(
            "/redactie/liveblog/{article}/updates/{post}/verwijderen",
            post(blog_desk::remove),
        )
        .route(
            "/redactie/liveblog/{article}/updates/{post}/vastzetten",
            post(blog_desk::pin),
        )
        .route(
            "/redactie/liveblog/{article}/losmaken",
            post(blog_desk::unpin),
        )
        .route(
            "/redactie/liveblog/{article}/sluiten",
            post(blog_desk::close),
        )
        .route(
            "/redactie/liveblog/{article}/heropenen",
            post(blog_desk::reopen),
        )
        .route("/redactie/gebruikers", post(newsroom::create_user))
        .route("/redactie/gebruikers/{id}", post(newsroom::update_user))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            newsroom::resolve_session,
        ))
        .layer(middleware::from_fn_with_state(
            csrf::Policy {
                base_url: state.site.base_url.clone(),
                host_counts: !settings.public_url_set,
            },
            csrf::same_origin_only,
        ))
        .layer(middleware::from_fn_with_state(
            settings.trusted_proxies,
            client::resolve,
        ))
        .layer(middleware::from_fn_with_state(
            settings.request_timeout,
            connections::time_limit,
        ))
        .with_state(state.clone());
    // Kept pages are answered before any route is matched: the application's router (and the
    // per-request work of its routes) runs only for what is not kept.
    Router::new()
        .fallback_service(app)
        .layer(middleware::from_fn_with_state(
            cache::PageCache::new(state, settings.page_cache_mb),
            cache::public_pages,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(connections::target_limit))
        .layer(middleware::from_fn_with_state(
            headers::SecurityHeaders::new(settings.hsts),
            headers::secure,
        ))
        .layer(TraceLayer::new_for_http())
}
