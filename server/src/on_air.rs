//! Now playing: every station with an Icecast status address is asked what it plays, every
//! `ZENDER_NOW_PLAYING_SECONDS`, and a change is kept (a new version of the guide). Plain HTTP only, as
//! Icecast serves its status on the machine or the network next to it.

use std::time::Duration;

use app::{
    on_air::{icecast, store},
    state::AppState,
};
use http_body_util::{BodyExt, Limited};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};

/// How long one answer may take.
const PATIENCE: Duration = Duration::from_secs(5);
/// Largest status document read.
const MAX_BYTES: usize = 256 * 1024;

/// Asks every `every`, for as long as the runtime runs.
pub async fn poll_forever(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        poll_once(&state).await;
    }
}

/// Asks each station's playout once; failures are logged, never fatal.
pub async fn poll_once(state: &AppState) {
    let stations = match store::status_urls(&state.db).await {
        Ok(stations) => stations,
        Err(err) => {
            tracing::warn!(error = %err, "reading the stations for now playing failed");
            return;
        }
    };
    for (station, stream, status) in stations {
        let title = match fetch(&status).await {
            Ok(document) => icecast::now_playing(&document, &stream),
            Err(err) => {
                tracing::warn!(station, status, error = %err, "asking the playout what it plays failed");
                continue;
            }
        };
        if let Err(err) =
            store::set_now_playing(&state.db, station, title.as_deref(), app::db::now()).await
        {
            tracing::warn!(station, error = %err, "keeping what is playing failed");
        }
    }
}

async fn fetch(url: &str) -> anyhow::Result<String> {
    let uri: http::Uri = url.parse()?;
    anyhow::ensure!(
        uri.scheme_str() == Some("http"),
        "only http:// status addresses are read"
    );
    let client =
        Client::builder(TokioExecutor::new()).build_http::<http_body_util::Empty<bytes::Bytes>>();
    let response = tokio::time::timeout(PATIENCE, client.get(uri)).await??;
    anyhow::ensure!(
        response.status().is_success(),
        "status {}",
        response.status()
    );
    let body = tokio::time::timeout(
        PATIENCE,
        Limited::new(response.into_body(), MAX_BYTES).collect(),
    )
    .await?
    .map_err(|e| anyhow::anyhow!("reading the status document: {e}"))?
    .to_bytes();
    Ok(String::from_utf8_lossy(&body).into_owned())
}
