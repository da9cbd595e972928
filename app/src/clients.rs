//! Client addresses as Zender stores them: never the address, only an HMAC of it under a key
//! that changes every day (UTC). Keys live in the database (every instance hashes alike) and
//! are deleted after two days; with them go the hashes made under them, so a stolen database
//! cannot be searched for an address, not even by trying all four billion IPv4 addresses.
//!
//! What the hashes are for: the per-client limits on comments, tips and logins (minutes), the
//! moderator's "block this sender" (an address ban therefore lasts two days at most; e-mail bans
//! stay), and "delete all comments of this address".

use std::sync::Mutex;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::db::{Db, Purpose, StoreError};

const DAY: i64 = 24 * 3600;
/// Keys kept: today's and yesterday's (a ten-minute limit spans midnight).
pub const KEEP_DAYS: i64 = 2;

/// A client's hash under today's key, and under yesterday's (the same when there was none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientHash {
    pub current: String,
    pub previous: String,
}

/// The day keys, read from the database once a day.
#[derive(Default)]
pub struct ClientKeys(Mutex<Option<DayKeys>>);

// Never prints the keys.
impl std::fmt::Debug for ClientKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientKeys")
    }
}

#[derive(Clone)]
struct DayKeys {
    day: i64,
    today: Vec<u8>,
    yesterday: Option<Vec<u8>>,
}

fn keyed(key: &[u8], client: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(client.as_bytes());
    URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..16])
}

impl ClientKeys {
    /// The stored form of `client` (an address, or a /64 for IPv6) at `now`.
    pub async fn hash(&self, db: &Db, client: &str, now: i64) -> Result<ClientHash, StoreError> {
        let day = now.div_euclid(DAY);
        let known = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|keys| keys.day == day);
        let keys = match known {
            Some(keys) => keys,
            None => {
                let keys = load(db, day).await?;
                *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(keys.clone());
                keys
            }
        };
        let current = keyed(&keys.today, client);
        let previous = keys
            .yesterday
            .as_deref()
            .map_or_else(|| current.clone(), |key| keyed(key, client));
        Ok(ClientHash { current, previous })
    }
}

/// Today's and yesterday's keys; makes today's if no instance has yet, and then deletes older
/// keys with every hash and address ban made under them.
async fn load(db: &Db, day: i64) -> Result<DayKeys, StoreError> {
    let mut fresh = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut fresh);
    let mut tx = db.write().await?;
    let made = sqlx::query(
        "INSERT INTO client_keys (day, secret) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
    )
    .bind(day)
    .bind(URL_SAFE_NO_PAD.encode(fresh))
    .execute(&mut *tx)
    .await
    .purpose("making the day's client key")?;
    if made.rows_affected() > 0 {
        forget_before(&mut tx, day - (KEEP_DAYS - 1)).await?;
    }
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT day, secret FROM client_keys WHERE day >= $1")
            .bind(day - 1)
            .fetch_all(&mut *tx)
            .await
            .purpose("reading the client keys")?;
    tx.commit().await.purpose("rotating the client keys")?;
    let key = |wanted: i64| {
        rows.iter()
            .find(|(day, _)| *day == wanted)
            .and_then(|(_, secret)| URL_SAFE_NO_PAD.decode(secret).ok())
    };
    Ok(DayKeys {
        day,
        today: key(day).expect("today's key was just made"),
        yesterday: key(day - 1),
    })
}

/// Deletes the keys of days before `day`, and what was hashed under them.
async fn forget_before(tx: &mut crate::db::WriteTx, day: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM client_keys WHERE day < $1")
        .bind(day)
        .execute(&mut **tx)
        .await
        .purpose("deleting old client keys")?;
    for query in [
        "UPDATE comments SET ip_hash = '' WHERE created_at < $1 AND ip_hash <> ''",
        "UPDATE inbox_messages SET ip_hash = '' WHERE created_at < $1 AND ip_hash <> ''",
        "DELETE FROM comment_bans WHERE kind = 'ip' AND created_at < $1",
        "DELETE FROM login_throttle WHERE window_start < $1 AND locked_until < $1",
    ] {
        sqlx::query(query)
            .bind(day * DAY)
            .execute(&mut **tx)
            .await
            .purpose("forgetting old client hashes")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::keyed;

    #[test]
    fn a_hash_depends_on_the_key_and_hides_the_address() {
        let a = keyed(b"sleutel van vandaag", "203.0.113.7");
        assert_eq!(a, keyed(b"sleutel van vandaag", "203.0.113.7"));
        assert_ne!(a, keyed(b"sleutel van gisteren", "203.0.113.7"));
        assert_ne!(a, keyed(b"sleutel van vandaag", "203.0.113.8"));
        assert!(!a.contains("203"));
    }
}
