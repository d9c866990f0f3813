//! Who is asking: sessions, sign-in, the request guard and the authorization table.
//!
//! - [`guard`]: the middleware in front of every API endpoint (same-origin, JSON, CSRF,
//!   session lookup).
//! - [`Principal`]: the extractor handing a handler the signed-in account (401 without one).
//! - [`access`]: the one table deciding whether a principal may perform an action.
//! - [`session`], [`password`], [`throttle`]: sessions, argon2id hashes, sign-in limits.

pub mod access;
pub mod guard;
pub mod password;
pub mod session;
pub mod throttle;

use crate::{accounts, audit::Actor, error::ApiError, fail, store::StoreError, Store};
use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::request::Parts,
};
use shared::{
    account::{normalize_login, Account, LoginRequest, Role},
    Region,
};
use std::{convert::Infallible, net::IpAddr};

pub use access::{authorize, permits, Action};
pub use session::CurrentSession;

/// The signed-in account of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub role: Role,
    /// An akimat officer's region; `None` for every other role.
    pub region: Option<Region>,
}

impl Principal {
    /// This principal as the author of an audit entry.
    pub fn actor(&self) -> Actor {
        Actor::User {
            id: self.user_id,
            role: self.role,
        }
    }
}

/// Signed in, or 401. Put first among a handler's arguments, so an anonymous request is
/// refused before its body is read.
impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Principal, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .copied()
            .ok_or_else(fail::unauthenticated)
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Principal {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Principal>, Infallible> {
        Ok(parts.extensions.get::<Principal>().copied())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<CurrentSession, ApiError> {
        parts
            .extensions
            .get::<CurrentSession>()
            .cloned()
            .ok_or_else(fail::unauthenticated)
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentSession {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> Result<Option<CurrentSession>, Infallible> {
        Ok(parts.extensions.get::<CurrentSession>().cloned())
    }
}

/// Facts about the connection that the guard worked out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestMeta {
    /// The client's address, when known.
    pub client: Option<IpAddr>,
    /// Whether the client reached the site over HTTPS (cookies are then `Secure`).
    pub https: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<RequestMeta, Infallible> {
        Ok(parts
            .extensions
            .get::<RequestMeta>()
            .copied()
            .unwrap_or_default())
    }
}

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignIn {
    /// A new session: its token (for the cookie only), its absolute end and the account.
    Started {
        token: String,
        expires_at: i64,
        account: Account,
    },
    /// Unknown login or wrong password: one answer for both.
    Refused,
    /// Too many failures for this login or from this address: try again after this many
    /// seconds.
    Limited { retry_after: i64 },
}

/// Signs in with an IIN, a BIN or a staff login and a password, applying the limits of
/// [`throttle`]. An unknown login costs the same password check as a known one.
pub async fn sign_in(
    store: &Store,
    request: &LoginRequest,
    client: Option<IpAddr>,
) -> Result<SignIn, StoreError> {
    let login = normalize_login(&request.login);
    let key = throttle::account_key(&login);
    let address = throttle::address_key(client);
    let now = session::now();
    if let Some(retry_after) = throttle::retry_after(store, &key, &address, now).await? {
        return Ok(SignIn::Limited { retry_after });
    }
    let found = accounts::credentials(store, &login).await?;
    let (user_id, stored) = match found {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let matches = password::verify(request.password.clone(), stored).await;
    match (matches, user_id) {
        (true, Some(id)) => {
            let Some(account) = accounts::account(store, id).await? else {
                return Ok(SignIn::Refused);
            };
            throttle::succeeded(store, &key).await?;
            let (token, expires_at) = session::create(store, id).await?;
            Ok(SignIn::Started {
                token,
                expires_at,
                account,
            })
        }
        _ => match throttle::failed(store, &key, &address, user_id, now).await? {
            Some(retry_after) => Ok(SignIn::Limited { retry_after }),
            None => Ok(SignIn::Refused),
        },
    }
}
