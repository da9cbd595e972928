//! `POST /redactie/media`: image upload for the newsroom (contributor or higher).
//!
//! Answers JSON (`{"src": …}` or `{"fout": …}`) to scripts that ask for it, and a small Dutch
//! page otherwise, so the plain form works without JavaScript.

use super::roles::Contributor;
use app::{media::MAX_UPLOAD_BYTES, state::AppState};
use axum::{
    extract::{multipart::Multipart, State},
    http::{header, HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
    Json,
};

use crate::media::{self, MediaError};

fn answer(json: bool, status: StatusCode, result: Result<String, String>) -> Response {
    if json {
        let body = match &result {
            Ok(src) => serde_json::json!({ "src": src }),
            Err(message) => serde_json::json!({ "fout": message }),
        };
        return (status, Json(body)).into_response();
    }
    let body = match result {
        Ok(src) => format!(
            "<h1>Afbeelding geüpload</h1><p>Adres: <code>{src}</code></p>\
             <p>Zet dit adres bij <em>Adres van de afbeelding</em> in het artikel.</p>\
             <img src=\"{src}\" alt=\"\" style=\"max-width:100%\">"
        ),
        Err(message) => format!("<h1>Uploaden mislukt</h1><p>{message}</p>"),
    };
    (
        status,
        Html(format!(
            "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Afbeelding uploaden</title></head><body>{body}</body></html>"
        )),
    )
        .into_response()
}

pub async fn upload(
    State(state): State<AppState>,
    _: Contributor,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("bestand") => match field.bytes().await {
                // The body limit leaves room for multipart framing; the file itself gets none.
                Ok(data) if data.len() > MAX_UPLOAD_BYTES => {
                    return answer(
                        json,
                        StatusCode::PAYLOAD_TOO_LARGE,
                        Err(app::media::too_large_message()),
                    );
                }
                Ok(data) => bytes = Some(data),
                Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return answer(
                        json,
                        StatusCode::PAYLOAD_TOO_LARGE,
                        Err(app::media::too_large_message()),
                    );
                }
                Err(_) => break,
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return answer(
                    json,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Err(app::media::too_large_message()),
                );
            }
            Err(_) => break,
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return answer(
            json,
            StatusCode::BAD_REQUEST,
            Err("Kies eerst een afbeelding om te uploaden.".into()),
        );
    };
    let dir = state.uploads_dir.clone();
    let stored = match media::DECODE_TURN.acquire().await {
        Ok(_turn) => tokio::task::spawn_blocking(move || media::store(&bytes, &dir)).await,
        Err(err) => {
            tracing::error!(error = %err, "the decode turn is closed");
            return answer(
                json,
                StatusCode::SERVICE_UNAVAILABLE,
                Err("De afbeelding kon nu niet worden verwerkt. Probeer het opnieuw.".into()),
            );
        }
    };
    match stored {
        Ok(Ok(src)) => {
            tracing::info!(%src, "image uploaded");
            answer(json, StatusCode::CREATED, Ok(src))
        }
        Ok(Err(MediaError::UnsupportedType)) => answer(
            json,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Err(MediaError::UnsupportedType.to_string()),
        ),
        Ok(Err(MediaError::Unreadable)) => answer(
            json,
            StatusCode::UNPROCESSABLE_ENTITY,
            Err(MediaError::Unreadable.to_string()),
        ),
        Ok(Err(err @ MediaError::Io(_))) => {
            tracing::error!(error = %err, "storing an upload failed");
            answer(
                json,
                StatusCode::INTERNAL_SERVER_ERROR,
                Err("De afbeelding kon niet worden opgeslagen. Probeer het opnieuw.".into()),
            )
        }
        Err(err) => {
            tracing::error!(error = %err, "upload task failed");
            answer(
                json,
                StatusCode::INTERNAL_SERVER_ERROR,
                Err("De afbeelding kon niet worden opgeslagen. Probeer het opnieuw.".into()),
            )
        }
    }
}

/// The newsroom's image upload.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(
        app::paths::MEDIA,
        // Room for the multipart framing around the largest accepted image.
        axum::routing::post(upload).layer(axum::extract::DefaultBodyLimit::max(
            MAX_UPLOAD_BYTES + 64 * 1024,
        )),
    )
}
