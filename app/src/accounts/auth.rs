//! Logging in and out, and who is asking: the session cookie, the login throttle, and the role
//! checks every server function and newsroom route goes through.

use http::{header, HeaderMap, StatusCode};
use leptos::prelude::*;

use crate::{
    accounts::{
        password,
        store::{self, SESSION_SECS},
        CurrentUser, Email, Role,
    },
    db::{Db, StoreError},
};

pub const SESSION_COOKIE: &str = "zender_sessie";

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("too many failed attempts; locked until {until}")]
    Throttled { until: i64 },
    /// Too many logins being checked at this moment (not this user's fault).
    #[error(transparent)]
    Busy(#[from] password::Busy),
    #[error("unknown e-mail address, wrong password or disabled account")]
    Invalid,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Throttle keys: the account asked for, and the client asking (`client` is already a keyed
/// hash, not its address).
fn throttle_keys(email: &str, client: &str) -> Vec<String> {
    vec![
        format!("email:{}", email.trim().to_lowercase()),
        format!("client:{client}"),
    ]
}

/// Checks the password and starts a session. Every failure looks the same to the caller, and
/// costs the same time, whether the address exists or not. The attempt is counted before the
/// password is checked (and forgiven when it was right), so a burst of guesses at once cannot
/// all get past the throttle.
pub async fn login(
    db: &Db,
    email: &str,
    password: String,
    client: &str,
    now: i64,
) -> Result<(CurrentUser, String), LoginError> {
    let keys = throttle_keys(email, client);
    if let Some(until) = store::count_attempt(db, &keys, now).await? {
        return Err(LoginError::Throttled { until });
    }
    let credentials = match Email::parse(email) {
        Ok(email) => store::credentials(db, &email).await?,
        Err(_) => None,
    };
    let user_id = match credentials {
        Some(c) => {
            let matches = password::checked(password, c.password_hash).await?;
            (matches && !c.disabled).then_some(c.user_id)
        }
        None => {
            password::checked(password, password::dummy_hash().await.to_string()).await?;
            None
        }
    };
    let Some(user_id) = user_id else {
        return Err(LoginError::Invalid);
    };
    store::clear_failures(db, &keys).await?;
    // A new token at every login: a session id known before login is worth nothing after.
    let token = store::create_session(db, user_id, now).await?;
    let user = store::session_user(db, &token, now)
        .await?
        .ok_or(LoginError::Invalid)?;
    Ok((user, token))
}

/// The session token from a request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

/// `Set-Cookie` for a new session: not readable by scripts, not sent on cross-site posts.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECS}{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The signed-in user of the request being handled (put there by the session middleware).
pub fn current_user() -> Option<CurrentUser> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
}

/// For server functions: the signed-in user if their role is at least `min`. Otherwise the
/// response becomes 401 (not signed in) or 403 (role too low) and an error is returned.
pub fn authorize(min: Role) -> Result<CurrentUser, ServerFnError> {
    let response = use_context::<leptos_axum::ResponseOptions>();
    match current_user() {
        Some(user) if user.may(min) => Ok(user),
        Some(_) => {
            if let Some(r) = response {
                r.set_status(StatusCode::FORBIDDEN);
            }
            Err(ServerFnError::new("Je hebt hiervoor niet de juiste rol."))
        }
        None => {
            if let Some(r) = response {
                r.set_status(StatusCode::UNAUTHORIZED);
            }
            Err(ServerFnError::new("Log eerst in."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("thema=donker; zender_sessie=abc123; taal=nl"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("abc123"));
        assert_eq!(session_token(&HeaderMap::new()), None);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_same_site_lax() {
        let cookie = session_cookie("t", false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie("t", true).ends_with("; Secure"));
    }

    #[test]
    fn throttle_keys_are_the_account_and_the_client() {
        let keys = throttle_keys(" Redactie@Omroep.Example", "a1b2c3");
        assert_eq!(keys, ["email:redactie@omroep.example", "client:a1b2c3"]);
    }
}
