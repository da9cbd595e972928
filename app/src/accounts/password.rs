//! Password hashing: Argon2id at OWASP's minimum cost (m = 19456 KiB, t = 2, p = 1).

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

/// Hashes at once: each takes 19 MiB and ~50 ms of a core, so hundreds of parallel logins would
/// mean gigabytes. Beyond this many, a login waits its turn, briefly.
const AT_ONCE: usize = 4;
/// How long a login waits for a turn before it is told to try again.
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);

/// Too many passwords are being checked right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks at once")]
pub struct Busy;

/// Runs `work` (a password hash or check) when a turn is free, or says [`Busy`].
async fn in_turn<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    let _turn = tokio::time::timeout(TURN_WAIT, TURNS.acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    tokio::task::spawn_blocking(work).await.map_err(|_| Busy)
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on a blocking thread: ~50 ms of CPU must not stall the async workers.
pub async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .expect("hashing a password cannot fail with valid parameters")
            .to_string()
    })
    .await
    .expect("hashing task")
}

/// Verifies against a stored PHC string; a malformed hash never verifies.
pub async fn verify(password: String, stored: String) -> bool {
    checked(password, stored).await.unwrap_or(false)
}

/// Verifies, taking a turn among the checks running at once ([`Busy`] when none comes free).
pub async fn checked(password: String, stored: String) -> Result<bool, Busy> {
    in_turn(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// A valid hash of a password nobody knows: verifying against it when an e-mail address is
/// unknown costs the same time as a real check, so timing does not reveal which addresses exist.
pub async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| hash("geen-echt-wachtwoord-zender".into()))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_is_argon2id_with_the_owasp_minimum_and_verifies() {
        let stored = hash("correct paard batterij niet".into()).await;
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("correct paard batterij niet".into(), stored.clone()).await);
        assert!(!verify("verkeerd wachtwoord".into(), stored).await);
    }

    #[tokio::test]
    async fn a_malformed_hash_never_verifies() {
        assert!(!verify("iets".into(), "geen-hash".into()).await);
    }
}
