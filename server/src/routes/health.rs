use crate::routes::openapi::schemas;
use crate::{error::ApiError, AppState};
use axum::{extract::State, Json};
use shared::api::Health;

/// Ready only when the database answers, so a load balancer never routes to a server that
/// cannot serve quotas.
#[utoipa::path(
    get,
    path = "/health",
    tag = "service",
    responses(
        (status = 200, description = "The server and its database are up", body = schemas::Health),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    match state.store.ping().await {
        Ok(()) => Ok(Json(Health {
            status: "ok".to_string(),
        })),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            Err(ApiError::unavailable("the database is unreachable"))
        }
    }
}
