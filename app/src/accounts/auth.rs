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
    device: &str,
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
    let token = store::create_session(db, user_id, device, now).await?;
    let user = store::session_user(db, &token, now)
        .await?
        .ok_or(LoginError::Invalid)?;
    Ok((user, token))
}

/// The session cookie. `__Host-` makes browsers insist on `Secure`, `Path=/` and no `Domain`:
/// no other subdomain and no plain-http page can set or replace it.
pub const SESSION_COOKIE: &str = "__Host-zender_sessie";
/// The same over plain http on this machine (development), where `Secure` cookies are not kept.
pub const LOCAL_SESSION_COOKIE: &str = "zender_sessie";

/// Whether the site at `base_url` gets secure cookies: always, except plain http on loopback.
pub fn cookies_secure(base_url: &str) -> bool {
    let Some(rest) = base_url.strip_prefix("http://") else {
        return true;
    };
    let host = rest.split('/').next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !loopback
}

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SESSION_COOKIE
    } else {
        LOCAL_SESSION_COOKIE
    }
}

fn cookies(headers: &HeaderMap) -> impl Iterator<Item = cookie::Cookie<'_>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
}

/// The session token from a request's cookies (the secure cookie's only, on a secure site).
pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    cookies(headers)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
        .filter(|value| !value.is_empty())
}

/// Whether the request carries a session cookie of either name (it is then not served a page
/// kept for everyone).
pub fn has_session_cookie(headers: &HeaderMap) -> bool {
    cookies(headers).any(|cookie| {
        (cookie.name() == SESSION_COOKIE || cookie.name() == LOCAL_SESSION_COOKIE)
            && !cookie.value().is_empty()
    })
}

fn session_cookie_with(value: String, secure: bool, max_age: i64) -> String {
    cookie::Cookie::build((cookie_name(secure), value))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
        .to_string()
}

/// `Set-Cookie` for a new session: not readable by scripts, not sent on cross-site posts.
pub fn session_cookie(token: &str, secure: bool) -> String {
    session_cookie_with(token.to_string(), secure, SESSION_SECS)
}

pub fn clear_session_cookie(secure: bool) -> String {
    session_cookie_with(String::new(), secure, 0)
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
        assert_eq!(session_token(&headers, false).as_deref(), Some("abc123"));
        assert_eq!(session_token(&HeaderMap::new(), false), None);
    }

    #[test]
    fn a_secure_site_takes_only_the_host_prefixed_cookie() {
        let mut headers = HeaderMap::new();
        // A cookie without the prefix could have been set over plain http or by a subdomain.
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("zender_sessie=untrusted"),
        );
        assert_eq!(session_token(&headers, true), None);
        assert!(has_session_cookie(&headers));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("__Host-zender_sessie=abc; zender_sessie=untrusted"),
        );
        assert_eq!(session_token(&headers, true).as_deref(), Some("abc"));
    }

    #[test]
    fn the_session_cookie_is_host_only_secure_http_only_and_same_site_lax() {
        let cookie = session_cookie("t", true);
        assert!(cookie.starts_with("__Host-zender_sessie=t;"), "{cookie}");
        for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(cookie.contains(part), "{part} in {cookie}");
        }
        assert!(!cookie.contains("Domain"), "{cookie}");
        let local = session_cookie("t", false);
        assert!(
            local.starts_with("zender_sessie=t;") && !local.contains("Secure"),
            "{local}"
        );
        assert!(clear_session_cookie(true).contains("Max-Age=0"));
    }

    #[test]
    fn cookies_are_secure_except_plain_http_on_loopback() {
        assert!(cookies_secure("https://omroep.example"));
        assert!(cookies_secure("http://omroep.example"));
        assert!(cookies_secure("http://10.0.0.5:3000"));
        assert!(cookies_secure("http://127.0.0.1.omroep.example"));
        assert!(!cookies_secure("http://127.0.0.1:3000"));
        assert!(!cookies_secure("http://localhost:3000"));
        assert!(!cookies_secure("http://[::1]:3000"));
    }

    #[test]
    fn throttle_keys_are_the_account_and_the_client() {
        let keys = throttle_keys(" Redactie@Omroep.Example", "a1b2c3");
        assert_eq!(keys, ["email:redactie@omroep.example", "client:a1b2c3"]);
    }
}
