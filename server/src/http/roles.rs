//! Who may do what: handlers name the role they need in their signature (`Editor(user):
//! Editor`), and the request is refused before anything else is read. The user comes from the
//! session middleware (`newsroom::resolve_session`); roles are checked here, on the server,
//! for every action.

use app::accounts::{CurrentUser, Role};
use axum::{extract::FromRequestParts, http::request::Parts};

use super::error::AppError;

/// The signed-in user of `parts` if their role is at least `min`.
fn signed_in(parts: &Parts, min: Role) -> Result<CurrentUser, AppError> {
    match parts.extensions.get::<CurrentUser>() {
        Some(user) if user.may(min) => Ok(user.clone()),
        Some(_) => Err(AppError::WrongRole),
        None => Err(AppError::SignedOut),
    }
}

/// A signed-in contributor, editor or admin.
pub struct Contributor(pub CurrentUser);
/// A signed-in editor or admin.
pub struct Editor(pub CurrentUser);
/// A signed-in admin.
pub struct Admin(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Contributor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        signed_in(parts, Role::Contributor).map(Contributor)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        signed_in(parts, Role::Editor).map(Editor)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        signed_in(parts, Role::Admin).map(Admin)
    }
}
