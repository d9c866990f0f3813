use super::openapi::schemas;
use crate::{error::ApiError, extract::ApiJson, extract::ApiQuery, AppState};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use chrono::Datelike;
use serde::Deserialize;
use shared::{
    api::{EligibilityRequest, EligibilityResponse},
    eligibility::assess,
    Lang, Policy,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EligibilityQuery {
    /// Language of reasons and citations: `kk`, `ru` or `en`. Takes precedence over
    /// `Accept-Language`.
    #[param(value_type = Option<String>, example = "kk")]
    lang: Option<String>,
}

/// Checks every eligibility rule (E1–E7) for a profile and, when all pass, computes the
/// family's entitlements. The authoritative version of the check the app runs locally.
#[utoipa::path(
    post,
    path = "/eligibility",
    tag = "rules",
    params(
        EligibilityQuery,
        ("Accept-Language" = Option<String>, Header, description = "Used when `lang` is absent; English otherwise"),
    ),
    request_body = schemas::EligibilityRequest,
    responses(
        (status = 200, description = "Every rule with its outcome, reason and citation", body = schemas::EligibilityResponse),
        (status = 400, description = "Bad input, with `field` naming the offending field where there is one. `code`: `malformed_json` (not JSON, or empty), `invalid_type` (a field, or the body, of the wrong JSON type), `missing_field`, `unknown_field`, `duplicate_field`, `invalid_date` (not YYYY-MM-DD, or a day that does not exist such as 1990-02-30), `unknown_region`, `invalid_value` (e.g. an unknown citizenship), `family_size_out_of_range` (not 1..=15), `as_of_out_of_range` (before the policy is in force), `invalid_lang`, `invalid_query`", body = schemas::ErrorBody,
            example = json!({"error": {"code": "invalid_date", "message": "“1990-02-30” in “applicant.birth_date” is not a date: write a day that exists, as YYYY-MM-DD (e.g. 1990-05-14).", "field": "applicant.birth_date"}})),
        (status = 405, description = "Not POST (`method_not_allowed`)", body = schemas::ErrorBody),
        (status = 413, description = "The body is larger than 16 KiB (`payload_too_large`)", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json` (`unsupported_media_type`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn eligibility(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<EligibilityQuery>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<EligibilityRequest>,
) -> Result<Response, ApiError> {
    let lang = language(query.lang.as_deref(), &headers)?;
    let as_of = request.as_of.unwrap_or_else(|| state.clock.today());
    let policy = Policy::current();
    let quotas = state
        .store
        .quotas(as_of.year())
        .await
        .map_err(crate::store_error)?;
    let assessment = assess(&request, as_of, policy, &quotas).map_err(|e| {
        tracing::info!(error = %e, "as_of before the policy");
        ApiError::as_of_out_of_range(e.first_effective)
    })?;
    let response: EligibilityResponse = assessment.to_response(policy, lang);
    let mut response = ApiJson(response).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-language"));
    Ok(response)
}

/// `?lang=` if given (an unknown one is an error), else the first supported language of
/// `Accept-Language`, else English.
fn language(query: Option<&str>, headers: &HeaderMap) -> Result<Lang, ApiError> {
    if let Some(code) = query {
        return Lang::from_code(code).ok_or_else(|| ApiError::invalid_lang(code));
    }
    Ok(headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or(Lang::En))
}
