//! The API under `/api/v1`: thin handlers over the shared rules crate and the store.

pub mod applications;
pub mod auth;
pub mod budgets;
pub mod contracts;
pub mod eligibility;
pub mod feed;
pub mod geo;
pub mod health;
pub mod keys;
pub mod openapi;
pub mod params;
pub mod payees;
pub mod payments;
pub mod policy;
pub mod quota_editor;
pub mod quotas;
pub mod staff;
pub mod vacancies;
pub mod wallet;

use crate::{
    auth::guard::{guard, GuardState},
    error::ApiError,
    AppState,
};
use axum::{
    extract::{DefaultBodyLimit, OriginalUri},
    http::{header, HeaderValue, Method},
    middleware,
    routing::{get, post, put},
    Router,
};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

/// The largest request body the API reads; an eligibility request is well under 1 KiB.
pub const BODY_LIMIT: usize = 16 * 1024;

/// The routes below the API prefix, with their error fallbacks. Every route is behind the
/// [`guard`] (sessions, same-origin, JSON, CSRF; the data feed with a Bearer token is
/// exempt); unknown paths and methods are not.
pub fn api(guard_state: GuardState) -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/policy", get(policy::policy))
        .route("/quotas", get(quotas::quotas))
        .route("/quotas/{region}/{year}", put(quota_editor::set_quota))
        .route("/eligibility", post(eligibility::eligibility))
        .route("/geo/locate", get(geo::locate))
        .route("/auth/register/resettler", post(auth::register_resettler))
        .route("/auth/register/employer", post(auth::register_employer))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/staff", get(staff::list).post(staff::create))
        .route(
            "/applications",
            get(applications::queue).post(applications::submit),
        )
        .route("/applications/mine", get(applications::mine))
        .route("/applications/{id}/approve", post(applications::approve))
        .route("/applications/{id}/reject", post(applications::reject))
        .route("/vacancies", get(vacancies::search).post(vacancies::create))
        // Before `/vacancies/{id}` for the reader; axum prefers the static segment anyway.
        .route("/vacancies/mine", get(vacancies::mine))
        .route(
            "/vacancies/{id}",
            get(vacancies::detail).put(vacancies::update),
        )
        .route("/vacancies/{id}/close", post(vacancies::close))
        .route("/vacancies/{id}/applications", get(vacancies::applicants))
        .route("/payees", get(payees::list).post(payees::register))
        .route("/payees/{id}/verify", post(payees::verify))
        .route("/payees/{id}/deactivate", post(payees::deactivate))
        .route("/wallet/payments", post(payments::pay))
        .route("/wallet", get(wallet::wallet))
        .route("/budgets", get(budgets::list))
        .route("/budgets/{region}/fund", post(budgets::fund))
        .route("/keys", get(keys::of_account).post(keys::register))
        .route("/keys/mine", get(keys::mine))
        .route("/keys/{id}/revoke", post(keys::revoke))
        .route("/contracts", get(contracts::list).post(contracts::create))
        .route("/contracts/{id}", get(contracts::detail))
        .route("/contracts/{id}/terms", put(contracts::amend))
        .route("/contracts/{id}/signatures", post(contracts::sign))
        // Reads its body as a stream, up to its own limit (`crate::feed::BODY_LIMIT`).
        .route(feed::PATH, post(feed::import))
        .route("/openapi.json", get(openapi::openapi_json))
        .route_layer(middleware::from_fn_with_state(guard_state, guard))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Every error answer in the request's language.
        .layer(middleware::from_fn(crate::error::localize))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Answers may carry personal data (an IIN); no shared cache may keep them.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CompressionLayer::new())
}

/// Any path under `/api` that is not an endpoint.
pub async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(uri.path())
}

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::method_not_allowed_for(&method)
}
