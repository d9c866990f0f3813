//! Password hashes: argon2id with the `argon2` crate's default parameters (m = 19 MiB,
//! t = 2, p = 1: the OWASP minimum), a random 16-byte salt, stored as a PHC string.
//!
//! Hashing is deliberately slow, so it runs on the blocking pool and at most
//! [`CONCURRENT_HASHES`] at a time: a burst of sign-ins queues instead of exhausting memory.

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Hashes computed at the same time, server-wide (each takes 19 MiB).
pub const CONCURRENT_HASHES: usize = 4;

static HASHING: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);

/// Why a hash could not be made; an internal fault, never the user's.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// The argon2id hash of `password`, in PHC string form.
pub async fn hash(password: String) -> Result<String, HashError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| HashError(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| HashError(e.to_string()))?
}

/// [`hash`] on the current thread (for the command line).
pub fn hash_now(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| HashError(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches `stored`. With no stored hash (no such account) a dummy hash
/// is checked instead and the answer is false, so both cases take the same time.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let exists = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_string());
        matches(&password, &hash) && exists
    })
    .await
    .unwrap_or(false)
}

fn matches(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "a stored password hash cannot be read");
            false
        }
    }
}

/// Makes the dummy hash now, so that not even the first sign-in with an unknown login takes
/// longer than one with a known login (the server calls this as it starts).
pub fn prepare() {
    let _ = dummy_hash();
}

/// A hash of a random password with the same parameters as real ones, made once.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 32];
        // Without randomness the dummy still costs the same; it never matches anything
        // since `verify` answers false for it whatever the password.
        let _ = getrandom::getrandom(&mut secret);
        hash_now(&hex::encode(secret)).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(!stored.contains("correct horse"));
        assert!(verify("correct horse battery".into(), Some(stored.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(stored.clone())).await);
        // Same password, new salt, new hash.
        assert_ne!(hash("correct horse battery".into()).await.unwrap(), stored);
        // No account: false, whatever the password.
        assert!(!verify("anything at all".into(), None).await);
    }
}
