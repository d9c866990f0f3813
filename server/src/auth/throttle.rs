//! Limits on failed sign-ins, kept in the database so every server applies the same ones.
//!
//! - Per login: [`ACCOUNT_MAX_FAILURES`] failures within [`WINDOW`] lock the login for
//!   [`ACCOUNT_LOCK`]. Counted per login *as typed*, whether or not an account has it, so a
//!   lock says nothing about who is registered. The lock is audited.
//! - Per address: [`ADDRESS_MAX_FAILURES`] failures from one client address within
//!   [`WINDOW`] refuse every sign-in from it until the oldest of them is older than the
//!   window. An IPv6 address counts by its /64 network, which one client usually controls.
//!
//! Both answer 429 with `Retry-After`, with the same message.

use crate::{
    audit::{self, Actor, Event},
    store::StoreError,
    Store,
};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::net::IpAddr;

/// Failures that lock a login.
pub const ACCOUNT_MAX_FAILURES: i64 = 5;
/// How long a login stays locked: 15 minutes.
pub const ACCOUNT_LOCK: i64 = 15 * 60;
/// Failures from one address that refuse it.
pub const ADDRESS_MAX_FAILURES: i64 = 20;
/// The window in which failures are counted: 15 minutes.
pub const WINDOW: i64 = 15 * 60;

/// What the throttle tables key a login by: no IIN in clear.
pub fn account_key(login: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"qonys-login-v1\n");
    hasher.update(login.as_bytes());
    hex::encode(hasher.finalize())
}

/// The address key of a client: the address itself, an IPv6 one as its /64 network, and
/// `unknown` when the server cannot tell (all such clients share one limit).
pub fn address_key(client: Option<IpAddr>) -> String {
    match client {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".into(),
    }
}

/// Seconds until a sign-in may be tried again, if it may not now.
pub async fn retry_after(
    store: &Store,
    account_key: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let pool = store.pool();
    let row = sqlx::query(
        "SELECT COUNT(*) AS failures, MIN(at) AS oldest FROM login_failures \
         WHERE address = $1 AND at > $2",
    )
    .bind(address)
    .bind(now - WINDOW)
    .fetch_one(pool)
    .await?;
    let failures: i64 = row.try_get("failures")?;
    if failures >= ADDRESS_MAX_FAILURES {
        let oldest: Option<i64> = row.try_get("oldest")?;
        return Ok(Some(oldest.unwrap_or(now) + WINDOW - now));
    }
    let locked_until: Option<i64> =
        sqlx::query("SELECT locked_until FROM login_throttle WHERE account_key = $1")
            .bind(account_key)
            .fetch_optional(pool)
            .await?
            .map(|row| row.try_get("locked_until"))
            .transpose()?;
    Ok(locked_until
        .filter(|until| *until > now)
        .map(|until| until - now))
}

/// Records a failed sign-in. Returns the seconds the login is now locked for, when this
/// failure locked it; the lock is audited with the account it protects (if there is one).
pub async fn failed(
    store: &Store,
    account_key: &str,
    address: &str,
    user_id: Option<i64>,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let mut tx = audit::begin(store).await?;
    sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(now - WINDOW)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO login_failures (address, at) VALUES ($1, $2)")
        .bind(address)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    // One statement, so concurrent failures on two servers count both.
    let failures: i64 = sqlx::query(
        "INSERT INTO login_throttle (account_key, failures, window_start, locked_until) \
         VALUES ($1, 1, $2, 0) \
         ON CONFLICT (account_key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 \
                           ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 \
                               ELSE login_throttle.window_start END \
         RETURNING failures",
    )
    .bind(account_key)
    .bind(now)
    .bind(now - WINDOW)
    .fetch_one(&mut *tx)
    .await?
    .try_get("failures")?;
    if failures < ACCOUNT_MAX_FAILURES {
        tx.commit().await?;
        return Ok(None);
    }
    let locked_until = now + ACCOUNT_LOCK;
    sqlx::query(
        "UPDATE login_throttle SET failures = 0, window_start = $2, locked_until = $3 \
         WHERE account_key = $1",
    )
    .bind(account_key)
    .bind(now)
    .bind(locked_until)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        store.backend(),
        Actor::System,
        Event {
            action: audit::action::LOGIN_LOCKOUT,
            subject: user_id.map(audit::user_subject),
            before: None,
            after: Some(serde_json::json!({
                "account": if user_id.is_some() { "existing" } else { "unknown" },
                "failures": failures,
                "locked_until": super::session::rfc3339(locked_until),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::warn!(
        user = user_id,
        minutes = ACCOUNT_LOCK / 60,
        "a login was locked after repeated failed sign-ins"
    );
    Ok(Some(ACCOUNT_LOCK))
}

/// A successful sign-in starts the login's count afresh.
pub async fn succeeded(store: &Store, account_key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_throttle WHERE account_key = $1")
        .bind(account_key)
        .execute(store.pool())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(address_key(Some("10.1.2.3".parse().unwrap())), "10.1.2.3");
        assert_eq!(
            address_key(Some("2001:db8:1:2:3:4:5:6".parse().unwrap())),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            address_key(Some("2001:db8:1:2:ffff::1".parse().unwrap())),
            address_key(Some("2001:db8:1:2::9".parse().unwrap()))
        );
        assert_eq!(
            address_key(Some("::ffff:192.0.2.1".parse().unwrap())),
            "192.0.2.1"
        );
        assert_eq!(address_key(None), "unknown");
    }

    #[test]
    fn account_keys_hide_the_login() {
        let key = account_key("900514300121");
        assert_eq!(key.len(), 64);
        assert!(!key.contains("900514300121"));
        assert_ne!(key, account_key("900514300122"));
    }
}
