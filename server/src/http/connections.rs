//! Accepting connections: HTTP/1.1 and HTTP/2 on one port, with the limits `axum::serve` does not
//! set. A client that sends its request head slowly (slowloris) is cut off, the number of open
//! connections is bounded (beyond it new ones wait in the kernel's queue), and at shutdown open
//! requests finish before the process ends.

use std::{future::Future, pin::pin, sync::Arc, time::Duration};

use app::paths;
use axum::{extract::ConnectInfo, Router};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::ServiceExt;

/// A request head (request line and headers) must arrive within this; slow phones send theirs
/// in well under a second.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at most (each is a file descriptor and a task).
pub const MAX_CONNECTIONS: usize = 8_192;
/// At shutdown, how long open requests may take to finish.
const DRAIN: Duration = Duration::from_secs(20);

/// What one connection and all of them together may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        // Finds connections whose other end went away without closing them.
        .keep_alive_interval(Some(Duration::from_secs(30)))
        .keep_alive_timeout(Duration::from_secs(20));
    let builder = Arc::new(builder);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, mostly: wait a moment rather than spin.
                    tracing::warn!(error = %err, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                // What `into_make_service_with_connect_info` would give the handlers.
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(axum::body::Body::new)
            });
        let service = TowerToHyperService::new(service);
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("open requests did not finish in time; stopping anyway");
    }
    Ok(())
}

/// Answers 408 when a request's answer has not started within `limit` (uploads from phones get
/// ten times as long): a client sending its body slowly, or a request stuck behind a locked
/// database, does not hold its connection and memory for ever. Streams are not cut: their answer
/// starts at once.
pub async fn time_limit(
    axum::extract::State(limit): axum::extract::State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = request.uri().path();
    let upload =
        path == app::tips::TIP_PATH || path.starts_with("/correctie/") || path == paths::MEDIA;
    let limit = if upload { limit * 10 } else { limit };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "a request took too long; answered 408");
            (
                http::StatusCode::REQUEST_TIMEOUT,
                [(http::header::CONNECTION, "close")],
                "Dit verzoek duurde te lang. Probeer het opnieuw.",
            )
                .into_response()
        }
    }
}

/// Longest address (path and query) answered: no page needs more, and every byte of a query may
/// be shown back in a page (a search's words).
pub const MAX_TARGET_BYTES: usize = 4096;

/// Answers 414 to an address longer than [`MAX_TARGET_BYTES`].
pub async fn target_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if length > MAX_TARGET_BYTES {
        return (http::StatusCode::URI_TOO_LONG, "Dit adres is te lang.").into_response();
    }
    next.run(request).await
}
