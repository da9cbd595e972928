//! The HTTP stack: Leptos pages and server functions, static files, health, and the layers every
//! request passes (CSRF check, compression, request logging, caching of public pages).

mod blog_desk;
pub(crate) mod cache;
mod calamity;
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
mod on_air;
mod roles;
mod search;
mod seo;
mod site_pages;
pub mod telemetry;
mod tips;

use app::{shell, state::AppState, App};
use axum::{middleware, Router};
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
    /// The calamity page, kept current in memory.
    pub emergency: crate::calamity::EmergencyPage,
    /// Count requests for `/metrics` (served on an address of its own or behind the token).
    pub metrics: bool,
    /// `/metrics` on the site's address for holders of this token.
    pub metrics_token: Option<String>,
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
    // Each feature's handlers sit beside its routes in its own module.
    let app = Router::new()
        .merge(health::routes())
        .merge(static_files)
        .nest_service(
            app::media::UPLOADS_PATH,
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    // Names come from the content: a changed image is a new address.
                    HeaderValue::from_static(IMMUTABLE),
                ))
                .service(ServeDir::new(&state.uploads_dir)),
        )
        .merge(newsroom::routes())
        .merge(media::routes())
        .merge(feeds::routes())
        .merge(seo::routes())
        .merge(search::routes())
        .merge(tips::routes())
        .merge(live::routes(
            settings.streams_max,
            settings.streams_per_client,
        ))
        .merge(live_desk::routes())
        .merge(comments::routes())
        .merge(moderation::routes())
        .merge(blog_desk::routes())
        .merge(calamity::routes())
        .merge(site_pages::routes())
        .merge(on_air::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        });
    let app = match &settings.metrics_token {
        Some(token) => app.merge(telemetry::behind_token(token)),
        None => app,
    };
    let app = if settings.metrics {
        telemetry::recorder();
        app.route_layer(middleware::from_fn(telemetry::mark_route))
    } else {
        app
    };
    let app = app
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
    let security = headers::SecurityHeaders::new(settings.hsts);
    // Kept pages are answered before any route is matched: the application's router (and the
    // per-request work of its routes) runs only for what is not kept.
    let router = Router::new()
        .fallback_service(app)
        .layer(middleware::from_fn_with_state(
            cache::PageCache::new(state, settings.page_cache_mb),
            cache::public_pages,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(connections::target_limit))
        .layer(middleware::from_fn_with_state(
            security.clone(),
            headers::secure,
        ))
        .layer(TraceLayer::new_for_http())
        // The emergency page is answered first of all, from memory, with its headers made
        // here: it must stand when everything behind it (the database, the renderer) does not.
        .layer(middleware::from_fn_with_state(
            calamity::Emergency {
                page: settings.emergency,
                security,
            },
            calamity::emergency_first,
        ));
    if settings.metrics {
        router.layer(middleware::from_fn(telemetry::count))
    } else {
        router
    }
}
