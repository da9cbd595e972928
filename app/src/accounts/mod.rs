//! Newsroom accounts: roles, the signed-in user, and the rules for e-mail addresses and
//! passwords (shared, so forms can check them as the user types).

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// What a newsroom member may do. Ordered: every role may do what the ones before it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Writes drafts and submits them for review; cannot publish.
    Contributor,
    /// Publishes, schedules, moderates, runs the live channels.
    Editor,
    /// Everything, plus users and site settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Contributor, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Contributor => "contributor",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|role| role.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Contributor => "Medewerker",
            Role::Editor => "Redacteur",
            Role::Admin => "Beheerder",
        }
    }
}

/// The signed-in newsroom member, as the server resolved it from the session cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The byline this user writes under.
    pub author_slug: Option<String>,
}

impl CurrentUser {
    pub fn may(&self, role: Role) -> bool {
        self.role >= role
    }
}

/// A user as the admin's user list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListing {
    pub user: CurrentUser,
    pub disabled: bool,
}

/// One of a user's sessions, as their account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionListing {
    /// Names the session in the form that ends it (part of its token's hash).
    pub handle: String,
    /// The browser and system it was started on, as [`describe_device`] named them.
    pub device: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// A short Dutch name for the browser behind a `User-Agent`, enough to recognise a session
/// ("Firefox op Linux"); never shown to anyone but the session's user.
pub fn describe_device(user_agent: &str) -> String {
    let browser = if user_agent.contains("Firefox/") {
        "Firefox"
    } else if user_agent.contains("Edg/") {
        "Edge"
    } else if user_agent.contains("OPR/") {
        "Opera"
    } else if user_agent.contains("Chrome/") || user_agent.contains("Chromium/") {
        "Chrome"
    } else if user_agent.contains("Safari/") {
        "Safari"
    } else {
        "Een onbekende browser"
    };
    let system = if user_agent.contains("Android") {
        "Android"
    } else if user_agent.contains("iPhone") || user_agent.contains("iPad") {
        "iOS"
    } else if user_agent.contains("Windows") {
        "Windows"
    } else if user_agent.contains("Mac OS X") || user_agent.contains("Macintosh") {
        "macOS"
    } else if user_agent.contains("Linux") || user_agent.contains("X11") {
        "Linux"
    } else {
        "een onbekend systeem"
    };
    format!("{browser} op {system}")
}

/// A normalised e-mail address (trimmed, lower case) of a plausible shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Vul een e-mailadres in.")]
    Empty,
    #[error("Dit e-mailadres is te lang.")]
    TooLong,
    #[error("Dit lijkt geen e-mailadres. Controleer het apenstaartje (@) en de domeinnaam.")]
    Shape,
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(EmailError::Shape);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(char::is_whitespace)
            && !local.contains(['<', '>', '(', ')', ',', ';', ':', '\\', '"', '[', ']']);
        if !domain_ok || !local_ok {
            return Err(EmailError::Shape);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Een wachtwoord heeft minstens {MIN_PASSWORD_CHARS} tekens.")]
    TooShort,
    #[error("Een wachtwoord heeft hoogstens {MAX_PASSWORD_CHARS} tekens.")]
    TooLong,
}

/// Checks a new password. Length is what matters; no composition rules (NIST SP 800-63B).
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(PasswordError::TooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod device_tests {
    use super::describe_device;

    #[test]
    fn a_session_is_named_by_its_browser_and_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(describe_device(firefox), "Firefox op Linux");
        let phone = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like \
                     Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
        assert_eq!(describe_device(phone), "Chrome op Android");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(iphone), "Safari op iOS");
        assert_eq!(
            describe_device("curl/8.5"),
            "Een onbekende browser op een onbekend systeem"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin > Role::Editor && Role::Editor > Role::Contributor);
        let editor = CurrentUser {
            id: 1,
            email: "r@omroep.example".into(),
            display_name: "R".into(),
            role: Role::Editor,
            author_slug: None,
        };
        assert!(editor.may(Role::Contributor) && editor.may(Role::Editor));
        assert!(!editor.may(Role::Admin));
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Redactie@Omroep.Example ").unwrap().as_str(),
            "redactie@omroep.example"
        );
    }

    #[test]
    fn malformed_emails_are_refused_with_a_dutch_reason() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        for bad in [
            "geen-apenstaartje",
            "a@b",
            "a b@c.nl",
            "@omroep.nl",
            "a@.nl",
            "a@omroep..nl",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Shape), "{bad}");
        }
        assert_eq!(
            Email::parse(&format!("{}@x.nl", "a".repeat(260))),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn passwords_need_twelve_characters_counted_as_characters() {
        assert_eq!(check_new_password("kort"), Err(PasswordError::TooShort));
        assert!(check_new_password("twaalf tekens").is_ok());
        assert!(
            check_new_password("ééééééééééé").is_err(),
            "11 characters, 22 bytes"
        );
        assert_eq!(
            check_new_password(&"x".repeat(300)),
            Err(PasswordError::TooLong)
        );
    }
}
