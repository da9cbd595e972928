//! What the server hands to every page and server function.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::{db::Db, site::SiteInfo};

/// Shared by every request; cloned for each one (by every middleware and handler that takes
/// it), so a clone is one reference count.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    pub db: Db,
    pub site: SiteInfo,
    pub leptos_options: LeptosOptions,
    /// Where uploaded images are stored (served at `/uploads`).
    pub uploads_dir: std::path::PathBuf,
    /// Files for the newsroom only (readers' photos with tips); never served statically.
    pub private_dir: std::path::PathBuf,
    /// Live events for the streams open on this instance.
    pub live: crate::live::hub::LiveHub,
    /// Moderation mode and spam limits.
    pub comments: crate::comments::settings::CommentSettings,
    /// The day keys client addresses are hashed with.
    pub clients: crate::clients::ClientKeys,
    /// The newest articles, read once per version of the pages (`articles::newest`).
    pub newest: crate::live::hub::PerVersion<Arc<[crate::articles::ArticleCard]>>,
    /// The calamity that is on, read once per version of the pages (`calamity::store::current`).
    pub calamity: crate::live::hub::PerVersion<Option<Arc<crate::calamity::Calamity>>>,
    /// The footer's links to the site pages, read once per version of the pages.
    pub footer: crate::live::hub::PerVersion<Arc<[crate::site_pages::FooterLink]>>,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
