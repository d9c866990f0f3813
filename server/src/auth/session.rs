//! Server-side sessions, kept in the database so any number of servers share them.
//!
//! A session is a random 256-bit token, sent to the browser once in the `qonys_session`
//! cookie (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS). The database keeps only the
//! token's SHA-256, so reading the table signs no one in. A session ends at logout, after
//! [`IDLE_TIMEOUT`] without a request, or [`MAX_LIFETIME`] after sign-in, whichever is first.
//!
//! The session's CSRF token is derived from its token (SHA-256 under a domain label): only
//! someone who holds the cookie's value or was told the CSRF token by the server knows it,
//! and nothing more is stored.

use super::Principal;
use crate::store::StoreError;
use crate::Store;
use axum::http::{header, HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use shared::{
    account::{Role, SESSION_COOKIE},
    Region,
};
use sqlx::Row;

/// A session unused this long ends: 12 hours.
pub const IDLE_TIMEOUT: i64 = 12 * 60 * 60;

/// A session ends this long after sign-in however it is used: 7 days.
pub const MAX_LIFETIME: i64 = 7 * 24 * 60 * 60;

/// `last_seen_at` is written at most this often per session, not on every request.
const TOUCH_EVERY: i64 = 60;

/// The signed-in session of a request, put in the request's extensions by the guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentSession {
    pub principal: Principal,
    pub token_hash: String,
    pub csrf_token: String,
    /// Unix seconds: the absolute end of the session.
    pub expires_at: i64,
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A new random session token: 32 bytes from the OS, in hex.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// Whether a cookie value can be a token at all (64 lowercase hex digits).
fn well_formed(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The CSRF token of the session with this token.
pub fn csrf_token(token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"qonys-csrf-v1\n");
    hasher.update(token.as_bytes());
    hex::encode(hasher.finalize())
}

/// The session token in the request's cookies, if one is there and well formed.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|token| well_formed(token))
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie(token, MAX_LIFETIME, secure)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    cookie("", 0, secure)
}

fn cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    );
    HeaderValue::from_str(&text).expect("a cookie of hex digits and fixed text is a valid header")
}

/// Starts a session for `user_id`; returns its token (for the cookie) and absolute end.
/// Sessions that have ended are removed on the way.
pub async fn create(store: &Store, user_id: i64) -> Result<(String, i64), StoreError> {
    let token = new_token()
        .map_err(|e| StoreError::Query(sqlx::Error::Io(std::io::Error::other(e.to_string()))))?;
    let now = now();
    let expires_at = now + MAX_LIFETIME;
    let pool = store.pool();
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - IDLE_TIMEOUT)
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok((token, expires_at))
}

/// The live session with this token, or `None` when there is none or it has ended (an
/// ended one is deleted). Marks the session as used.
pub async fn resolve(store: &Store, token: &str) -> Result<Option<CurrentSession>, StoreError> {
    let hash = token_hash(token);
    let now = now();
    let pool = store.pool();
    let row = sqlx::query(
        "SELECT s.user_id, s.last_seen_at, s.expires_at, u.role, u.region \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let user_id: i64 = row.try_get("user_id")?;
    let last_seen: i64 = row.try_get("last_seen_at")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let role: String = row.try_get("role")?;
    let region: Option<String> = row.try_get("region")?;
    let role = Role::from_id(&role);
    if expires_at <= now || last_seen + IDLE_TIMEOUT <= now || role.is_none() {
        end(store, &hash).await?;
        return Ok(None);
    }
    if now - last_seen >= TOUCH_EVERY {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(pool)
            .await?;
    }
    let principal = Principal {
        user_id,
        role: role.expect("checked above"),
        region: region.as_deref().and_then(Region::from_id),
    };
    Ok(Some(CurrentSession {
        principal,
        token_hash: hash,
        csrf_token: csrf_token(token),
        expires_at,
    }))
}

/// Ends the session with this token hash (nothing happens if there is none).
pub async fn end(store: &Store, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// RFC 3339 text of Unix seconds.
pub fn rfc3339(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hashed() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_ne!(csrf_token(&a), token_hash(&a));
        assert_eq!(csrf_token(&a), csrf_token(&a));
    }

    #[test]
    fn cookie_is_found_among_others() {
        let token = "ab".repeat(32);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("lang=kk; {SESSION_COOKIE}={token}; x=y")).unwrap(),
        );
        assert_eq!(cookie_token(&headers), Some(token));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("qonys_session=not-a-token"),
        );
        assert_eq!(cookie_token(&headers), None);
    }

    #[test]
    fn cookie_attributes() {
        let set = set_cookie(&"0".repeat(64), false);
        let text = set.to_str().unwrap();
        for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=604800"] {
            assert!(text.contains(part), "{text}");
        }
        assert!(!text.contains("Secure"));
        assert!(set_cookie(&"0".repeat(64), true)
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
        assert!(clear_cookie(false).to_str().unwrap().contains("Max-Age=0"));
    }
}
