use super::openapi::schemas;
use axum::Json;
use shared::Policy;

/// The policy in force in this build, so clients can show amounts and their sources.
#[utoipa::path(
    get,
    path = "/policy",
    tag = "rules",
    responses(
        (status = 200, description = "Every dated policy parameter with its source, rule citations and regions", body = schemas::Policy),
        (status = 405, description = "Wrong method", body = schemas::ErrorBody),
    )
)]
pub async fn policy() -> Json<&'static Policy> {
    Json(Policy::current())
}
