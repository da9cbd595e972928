//! The one error type of the HTTP handlers. Each case is a status code and a sentence in Dutch;
//! a failure inside is logged with what was being done and its cause, and never shown.

use std::fmt::Display;

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};

#[derive(Debug)]
pub enum AppError {
    /// Not signed in (401).
    SignedOut,
    /// Signed in with a role too low for this (403).
    WrongRole,
    /// Nothing here (404); says what is missing.
    NotFound(&'static str),
    /// Storage or a task failed while `doing` (500).
    Internal { doing: &'static str, cause: String },
    /// Something the request needs is not available for now (503); `message` says what.
    Unavailable {
        doing: &'static str,
        cause: String,
        message: &'static str,
    },
}

impl AppError {
    pub fn internal(doing: &'static str, cause: impl Display) -> Self {
        AppError::Internal {
            doing,
            cause: cause.to_string(),
        }
    }

    pub fn unavailable(doing: &'static str, cause: impl Display, message: &'static str) -> Self {
        AppError::Unavailable {
            doing,
            cause: cause.to_string(),
            message,
        }
    }
}

impl From<app::db::StoreError> for AppError {
    fn from(err: app::db::StoreError) -> Self {
        // The store's error names its purpose already.
        AppError::internal("a request", err)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::SignedOut => (StatusCode::UNAUTHORIZED, "Log eerst in.").into_response(),
            AppError::WrongRole => (
                StatusCode::FORBIDDEN,
                "Je rol geeft geen toestemming voor deze actie.",
            )
                .into_response(),
            AppError::NotFound(what) => (StatusCode::NOT_FOUND, what).into_response(),
            AppError::Internal { doing, cause } => {
                tracing::error!(error = %cause, "{doing} failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis bij het opslaan. Probeer het opnieuw.",
                )
                    .into_response()
            }
            AppError::Unavailable {
                doing,
                cause,
                message,
            } => {
                tracing::error!(error = %cause, "{doing} failed");
                (StatusCode::SERVICE_UNAVAILABLE, message).into_response()
            }
        }
    }
}

/// So handlers that answer `Result<Response, Response>` can use `?` on an [`AppError`].
impl From<AppError> for Response {
    fn from(err: AppError) -> Response {
        err.into_response()
    }
}

/// A failure inside a handler, as its answer (logged with its cause).
pub fn internal(err: impl Display) -> Response {
    AppError::internal("a request", err).into_response()
}
