//! The site's comment policy: moderation mode and the spam limits. Set by the operator (command
//! line or environment, see `server::config`); the salt is kept in the database so every
//! instance hashes alike.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::db::{Db, Purpose, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentSettings {
    /// Comments wait for a moderator before they appear (the default).
    pub premoderation: bool,
    /// A form sent back sooner than this after the page was rendered is refused.
    pub min_seconds: i64,
    /// Comments one client (hashed IP) may post per ten minutes.
    pub per_client: i64,
    /// Comments one e-mail address may post per ten minutes.
    pub per_email: i64,
    /// A comment containing one of these (lower case) waits for a moderator.
    pub banned_words: Vec<String>,
    /// Comments close this many days after publication; 0 for never.
    pub close_after_days: i64,
    /// Secret for form tokens (client addresses have keys of their own, see `crate::clients`).
    pub salt: String,
}

impl Default for CommentSettings {
    fn default() -> Self {
        CommentSettings {
            premoderation: true,
            min_seconds: 3,
            per_client: 5,
            per_email: 5,
            banned_words: Vec::new(),
            close_after_days: 30,
            salt: String::new(),
        }
    }
}

/// How long a rendered form stays valid.
pub const TOKEN_MAX_AGE: i64 = 24 * 3600;

/// Why a form token is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenProblem {
    /// Missing, forged or for another article.
    Invalid,
    /// Older than a day.
    Expired,
    /// Sent back sooner than a person could have typed it.
    TooFast,
}

/// Bytes of the HMAC a form token carries: 128 bits, enough against forging, short in a page.
const SIGNATURE_BYTES: usize = 16;

impl CommentSettings {
    /// The HMAC of a form for `article` rendered at `at`, under the site's secret.
    fn form_mac(&self, article: i64, at: i64) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.salt.as_bytes()).expect("any key length works");
        mac.update(b"form\0");
        mac.update(&article.to_be_bytes());
        mac.update(&at.to_be_bytes());
        mac
    }

    /// A token for a form rendered at `now` for `article`: the time and its signature.
    pub fn token(&self, article: i64, now: i64) -> String {
        let signature = self.form_mac(article, now).finalize().into_bytes();
        format!(
            "{now}.{}",
            URL_SAFE_NO_PAD.encode(&signature[..SIGNATURE_BYTES])
        )
    }

    pub fn check_token(&self, token: &str, article: i64, now: i64) -> Result<(), TokenProblem> {
        let Some((at, signature)) = token.split_once('.') else {
            return Err(TokenProblem::Invalid);
        };
        let (Ok(at), Ok(signature)) = (at.parse::<i64>(), URL_SAFE_NO_PAD.decode(signature)) else {
            return Err(TokenProblem::Invalid);
        };
        // Compared in constant time: how much of a guess was right is not measurable.
        if signature.len() != SIGNATURE_BYTES
            || self
                .form_mac(article, at)
                .verify_truncated_left(&signature)
                .is_err()
        {
            return Err(TokenProblem::Invalid);
        }
        match now - at {
            age if age > TOKEN_MAX_AGE => Err(TokenProblem::Expired),
            age if age < self.min_seconds => Err(TokenProblem::TooFast),
            _ => Ok(()),
        }
    }
}

/// The banned word (of `words`, lower case) a text contains, if any.
pub fn banned_word<'w>(words: &'w [String], text: &str) -> Option<&'w str> {
    let text = text.to_lowercase();
    words
        .iter()
        .find(|w| !w.is_empty() && text.contains(w.as_str()))
        .map(String::as_str)
}

/// A comma-separated list of words, trimmed and lower case.
pub fn parse_words(list: &str) -> Vec<String> {
    let mut words: Vec<String> = list
        .split([',', '\n'])
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    words
}

const BANNED_WORDS: &str = "comments.banned_words";

/// The banned words: the admin's list when one was saved, else the operator's configuration.
pub async fn banned_words(db: &Db, settings: &CommentSettings) -> Result<Vec<String>, StoreError> {
    let saved: Option<String> =
        sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1")
            .bind(BANNED_WORDS)
            .fetch_optional(db.pool())
            .await
            .purpose("reading the banned words")?;
    Ok(saved.map_or_else(|| settings.banned_words.clone(), |list| parse_words(&list)))
}

/// Saves the admin's banned-word list.
pub async fn save_banned_words(db: &Db, words: &[String]) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO site_settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(BANNED_WORDS)
    .bind(words.join(", "))
    .execute(db.pool())
    .await
    .purpose("saving the banned words")?;
    Ok(())
}

/// The salt shared by every instance, created on first start.
pub async fn load_salt(db: &Db) -> Result<String, StoreError> {
    use rand::Rng;
    let fresh: String = rand::thread_rng()
        .sample_iter(rand::distributions::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    sqlx::query(
        "INSERT INTO site_settings (key, value) VALUES ('comments.salt', $1) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(&fresh)
    .execute(db.pool())
    .await
    .purpose("storing the comment salt")?;
    sqlx::query_scalar("SELECT value FROM site_settings WHERE key = 'comments.salt'")
        .fetch_one(db.pool())
        .await
        .purpose("reading the comment salt")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> CommentSettings {
        CommentSettings {
            salt: "zout".into(),
            ..CommentSettings::default()
        }
    }

    #[test]
    fn tokens_are_signed_per_article_and_expire() {
        let s = settings();
        let token = s.token(7, 1000);
        assert_eq!(s.check_token(&token, 7, 1010), Ok(()));
        assert_eq!(s.check_token(&token, 7, 1001), Err(TokenProblem::TooFast));
        assert_eq!(s.check_token(&token, 8, 1010), Err(TokenProblem::Invalid));
        assert_eq!(
            s.check_token(&token, 7, 1000 + TOKEN_MAX_AGE + 1),
            Err(TokenProblem::Expired)
        );
        assert_eq!(
            s.check_token("1000.vals", 7, 1010),
            Err(TokenProblem::Invalid)
        );
        assert_eq!(s.check_token("", 7, 1010), Err(TokenProblem::Invalid));
        // The time is signed: moving it back to pass the "too fast" check breaks the signature.
        let (_, signature) = token.split_once('.').unwrap();
        let earlier = format!("900.{signature}");
        assert_eq!(s.check_token(&earlier, 7, 1001), Err(TokenProblem::Invalid));
        let cut = &token[..token.len() - 2];
        assert_eq!(s.check_token(cut, 7, 1010), Err(TokenProblem::Invalid));
        let other = CommentSettings {
            salt: "ander".into(),
            ..settings()
        };
        assert_eq!(
            other.check_token(&token, 7, 1010),
            Err(TokenProblem::Invalid)
        );
    }

    #[test]
    fn banned_words_are_found_in_any_case() {
        let words = parse_words(" Casino,gratis geld ,, casino");
        assert_eq!(words, vec!["casino".to_string(), "gratis geld".to_string()]);
        assert_eq!(banned_word(&words, "Win bij het CASINO!"), Some("casino"));
        assert_eq!(banned_word(&words, "Mooie foto"), None);
    }
}
