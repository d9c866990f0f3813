//! The API under `/api/v1`: thin handlers over the shared rules crate and the store.

pub mod eligibility;
pub mod health;
pub mod openapi;
pub mod policy;
pub mod quotas;

use crate::{error::ApiError, AppState};
use axum::{
    extract::{DefaultBodyLimit, OriginalUri},
    http::{header, HeaderValue},
    routing::{get, post},
    Router,
};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

/// The largest request body the API reads; an eligibility request is well under 1 KiB.
pub const BODY_LIMIT: usize = 16 * 1024;

/// The routes below the API prefix, with their error fallbacks.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/policy", get(policy::policy))
        .route("/quotas", get(quotas::quotas))
        .route("/eligibility", post(eligibility::eligibility))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
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

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
