//! The emergency page, kept: rendered anew on every change that shows on it, held in memory
//! already compressed, and written to the data directory. `/calamiteit` is answered from here
//! and never waits for the database; when the database cannot be reached, `/` is answered from
//! here too (see `http::calamity`), with a note of the copy's time.
//!
//! The file (`calamiteit.html` in the data directory) is the same page, for an operator whose
//! Zender is down altogether: any web server can serve it.

use std::{
    path::PathBuf,
    sync::{Arc, RwLock},
};

use app::{calamity::emergency, live::Topic, state::AppState};
use axum::body::Bytes;
use http::HeaderValue;
use sha2::{Digest, Sha256};

use crate::http::cache::{brotli_best, gzip};

/// The file the page is written to, in the data directory.
pub const FILE: &str = "calamiteit.html";

/// One form of the page, in each coding it is served in.
pub struct Variant {
    pub identity: Bytes,
    pub brotli: Bytes,
    pub gzip: Bytes,
    /// A strong validator: the identity bytes' hash, quoted.
    pub etag: HeaderValue,
}

impl Variant {
    fn new(html: String) -> Self {
        let identity = Bytes::from(html);
        let digest = Sha256::digest(&identity);
        let etag = format!("\"{}\"", hex(&digest[..12]));
        Variant {
            brotli: brotli_best(&identity),
            gzip: gzip(&identity),
            etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"),
            identity,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The page as of one moment: as it is, and as it is shown while the database is unreachable
/// (with a note that it may be behind, and since when).
pub struct Copy {
    pub built_at: i64,
    /// A calamity is on: the page shows more than the calamity itself.
    pub active: bool,
    pub normal: Variant,
    pub outage: Variant,
}

/// The kept page. Cloned per request: one reference count.
#[derive(Clone)]
pub struct EmergencyPage(Arc<Inner>);

struct Inner {
    state: AppState,
    current: RwLock<Arc<Copy>>,
    file: PathBuf,
    policy: HeaderValue,
}

impl EmergencyPage {
    /// Builds the page (from the file of an earlier run if the database does not answer now)
    /// and keeps it current from then on.
    pub async fn start(state: AppState, data_dir: PathBuf) -> Self {
        let file = data_dir.join(FILE);
        // Subscribed before the first build: nothing that lands meanwhile is missed.
        let events = state.live.subscribe();
        let now = app::db::now();
        let first = match build(&state, now).await {
            Ok(copy) => copy,
            Err(err) => {
                tracing::error!(error = %err, "building the emergency page failed; serving the last file");
                let html = tokio::fs::read_to_string(&file).await.unwrap_or_else(|_| {
                    emergency::page(&state.site, &Default::default(), now, true)
                });
                let variant = || Variant::new(html.clone());
                Copy {
                    built_at: now,
                    active: true,
                    normal: variant(),
                    outage: variant(),
                }
            }
        };
        let page = EmergencyPage(Arc::new(Inner {
            state,
            current: RwLock::new(Arc::new(first)),
            file,
            policy: emergency::content_security_policy(),
        }));
        page.write_file().await;
        tokio::spawn(keep(page.clone(), events));
        page
    }

    /// The page as it is now.
    pub fn current(&self) -> Arc<Copy> {
        self.0
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub fn state(&self) -> &AppState {
        &self.0.state
    }

    /// Its Content Security Policy (its inline stylesheet by hash, nothing else).
    pub fn policy(&self) -> &HeaderValue {
        &self.0.policy
    }

    /// Renders the page anew; on failure the kept one stays (and says it may be behind once
    /// the database counts as unreachable).
    pub async fn rebuild(&self) {
        match build(&self.0.state, app::db::now()).await {
            Ok(copy) => {
                *self
                    .0
                    .current
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(copy);
                self.write_file().await;
            }
            Err(err) => tracing::warn!(error = %err, "rebuilding the emergency page failed"),
        }
    }

    /// Writes the page to its file: whole or not at all (a temporary file, then a rename).
    async fn write_file(&self) {
        let copy = self.current();
        // Named for this process: instances sharing a data directory never write one file.
        let temporary = self
            .0
            .file
            .with_extension(format!("html.{}.tmp", std::process::id()));
        let written = async {
            if let Some(dir) = self.0.file.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            tokio::fs::write(&temporary, &copy.normal.identity).await?;
            tokio::fs::rename(&temporary, &self.0.file).await
        };
        if let Err(err) = written.await {
            tracing::warn!(error = %err, file = %self.0.file.display(), "writing the emergency page failed");
        }
    }
}

/// Reads what the page shows and renders both its forms.
async fn build(state: &AppState, now: i64) -> Result<Copy, app::db::StoreError> {
    let content = emergency::load(&state.db, now).await?;
    let site = state.site.clone();
    // Brotli at its best quality takes a few milliseconds: off the async threads.
    let copy = tokio::task::spawn_blocking(move || Copy {
        built_at: now,
        active: content.calamity.is_some(),
        normal: Variant::new(emergency::page(&site, &content, now, false)),
        outage: Variant::new(emergency::page(&site, &content, now, true)),
    })
    .await
    .expect("rendering the emergency page does not panic");
    Ok(copy)
}

/// Whether an event on `topic` can change the page: the calamity itself; while one is on
/// (`active`) also its messages, the newsroom's updates (blog or ticker) and articles (a blog's
/// title).
fn shows(topic: &str, active: bool) -> bool {
    match Topic::parse(topic) {
        Some(Topic::Calamity) => true,
        Some(Topic::Official | Topic::Ticker | Topic::Blog(_)) => active,
        Some(_) => false,
        // Article saves are `site`, which pages do not follow by name.
        None => active && topic == "site",
    }
}

/// Rebuilds the page after every event that can change it; a burst of events is one rebuild.
async fn keep(
    page: EmergencyPage,
    mut events: tokio::sync::broadcast::Receiver<Arc<app::live::events::LiveEvent>>,
) {
    use tokio::sync::broadcast::error::{RecvError, TryRecvError};
    let closed = page.0.state.live.closed();
    tokio::pin!(closed);
    loop {
        let event = tokio::select! {
            _ = &mut closed => return,
            event = events.recv() => event,
        };
        let active = page.current().active;
        let mut changed = match event {
            Ok(event) => shows(&event.topic, active),
            // Missed some: rebuild to be sure.
            Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => return,
        };
        loop {
            match events.try_recv() {
                Ok(event) => changed |= shows(&event.topic, active),
                Err(TryRecvError::Lagged(_)) => changed = true,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => return,
            }
        }
        if changed {
            page.rebuild().await;
        }
    }
}
