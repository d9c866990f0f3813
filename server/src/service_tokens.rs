//! Service tokens: how another system (the state's registries) proves itself to the data
//! feed (SPEC §8, §9).
//!
//! `server token create --name NAME` makes a token of 32 random bytes in hex, prints it
//! once and keeps only its SHA-256; `server token revoke --name NAME` ends it, effective
//! for the next request. A name is never reused, so `service:<id>` in the audit log always
//! names one token; to rotate a token, create one under a new name and revoke the old one.

use crate::{
    audit::{self, Actor, Event},
    auth::session,
    store::StoreError,
    Store,
};
use axum::http::{header, HeaderMap};
use serde_json::json;
use sqlx::Row;

/// The system a request comes from: the token it presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceClient {
    pub token_id: i64,
    pub name: String,
}

impl ServiceClient {
    /// This client as the author of an audit entry.
    pub fn actor(&self) -> Actor {
        Actor::Service {
            token: self.token_id,
        }
    }
}

/// Why a token was not created or revoked.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the name must be 1 to 64 of a-z 0-9 . _ - (got `{0}`)")]
    InvalidName(String),
    #[error("a token named `{0}` exists or existed; names are never reused, choose another")]
    NameTaken(String),
    #[error("there is no token named `{0}`")]
    Unknown(String),
    #[error("no random numbers from the operating system: {0}")]
    Random(getrandom::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TokenError {
    fn from(e: sqlx::Error) -> TokenError {
        TokenError::Store(e.into())
    }
}

/// A token's name: short, lowercase, safe to print and to put in a log.
fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Creates a token named `name` and returns it: the only time it is ever seen.
pub async fn create(store: &Store, name: &str) -> Result<String, TokenError> {
    if !valid_name(name) {
        return Err(TokenError::InvalidName(name.to_string()));
    }
    let token = session::new_token().map_err(TokenError::Random)?;
    let mut tx = audit::begin(store).await?;
    let taken = sqlx::query("SELECT id FROM service_tokens WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(TokenError::NameTaken(name.to_string()));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO service_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(session::token_hash(&token))
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let event = Event {
        action: audit::action::SERVICE_TOKEN_CREATE,
        subject: Some(format!("service:{id}")),
        before: None,
        after: Some(json!({ "name": name })),
    };
    audit::append(&mut tx, store.backend(), Actor::Cli, event).await?;
    tx.commit().await?;
    Ok(token)
}

/// How [`revoke`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    Now,
    /// It had been revoked before, at this time.
    Already {
        at: String,
    },
}

/// Ends the token named `name`: requests presenting it are refused from now on.
pub async fn revoke(store: &Store, name: &str) -> Result<Revoked, TokenError> {
    let mut tx = audit::begin(store).await?;
    let row = sqlx::query("SELECT id, revoked_at FROM service_tokens WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| TokenError::Unknown(name.to_string()))?;
    let id: i64 = row.try_get("id")?;
    if let Some(at) = row.try_get::<Option<String>, _>("revoked_at")? {
        return Ok(Revoked::Already { at });
    }
    let at = now_text();
    sqlx::query("UPDATE service_tokens SET revoked_at = $1 WHERE id = $2")
        .bind(&at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let event = Event {
        action: audit::action::SERVICE_TOKEN_REVOKE,
        subject: Some(format!("service:{id}")),
        before: Some(json!({ "name": name, "revoked_at": null })),
        after: Some(json!({ "name": name, "revoked_at": at })),
    };
    audit::append(&mut tx, store.backend(), Actor::Cli, event).await?;
    tx.commit().await?;
    Ok(Revoked::Now)
}

/// The token of an `Authorization: Bearer …` header, if the request has one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The live (not revoked) token `token`, if there is one.
pub async fn authenticate(store: &Store, token: &str) -> Result<Option<ServiceClient>, StoreError> {
    let row = sqlx::query(
        "SELECT id, name FROM service_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(session::token_hash(token))
    .fetch_optional(store.pool())
    .await?;
    row.map(|row| {
        Ok(ServiceClient {
            token_id: row.try_get("id")?,
            name: row.try_get("name")?,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn names() {
        for ok in ["registry", "egov.feed-2026_b", "a"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "Registry", "with space", "тест", &"x".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn bearer_tokens() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            headers
        };
        assert_eq!(bearer_token(&with("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(&with("bearer  abc ")), Some("abc"));
        assert_eq!(bearer_token(&with("Basic abc")), None);
        assert_eq!(bearer_token(&with("Bearer ")), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}
