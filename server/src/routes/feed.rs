//! The state data feed's endpoint (SPEC §8): another system posts a file of monthly
//! confirmations with its service token, or an admin uploads one in the app.

use crate::{
    auth::{access, Principal},
    error::{request_lang, ApiError},
    fail,
    feed::{self, FeedReport, Format, ImportError, Importer, Settings},
    service_tokens, AppState,
};
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

/// The path below the API prefix; the request guard exempts it when a Bearer token comes
/// with the request, and lets an admin's session send it CSV.
pub const PATH: &str = "/feed/confirmations";

/// Imports monthly confirmations (SPEC §8) from `text/csv` (a header row naming the columns
/// `iin`, `bin`, `month`, `resident`, `employed`, `social_paid`, `pension_paid` in any order;
/// yes/no as `true`/`false` or `1`/`0`) or `application/json` (an array of objects with the
/// same keys, yes/no as JSON booleans), in UTF-8, up to 64 MiB, read as it arrives.
///
/// Each row is applied whole or rejected whole; the others still apply. A month sent again
/// replaces the record sent before. `accepted` counts the rows applied, `replaced` those of
/// them that replaced an earlier record, and `rejected` lists every other row (numbered from
/// 1, the header not counted) with its code and a message in the request's language. A
/// file that breaks part-way, or grows past the limit, is read up to there: the report
/// ends with a `malformed_file` or `file_too_large` entry for the row where reading
/// stopped. Rejection codes: `invalid_iin`, `invalid_bin`, `invalid_month`,
/// `invalid_value`, `malformed_row`, `duplicate_row`, `unknown_contract`,
/// `contract_not_active` (still being signed), `month_outside_contract`.
///
/// A month is within a contract from its start month to the last month it can run to
/// (required months × breach threshold), and never after the current month; a contract
/// from before contracts had terms takes any month from its start to the current one.
/// Each contract the file confirmed months of is settled as the rows are applied: the file
/// that brings the last required month pays the employer.
///
/// Authenticated by a service token (`server token create`) sent as
/// `Authorization: Bearer <token>`; with it, the request needs no `Origin` and no JSON body.
/// Or by an admin's session (cookie and `X-CSRF-Token`, same origin, as every request
/// from the app); other roles get 403. The audit entry names the token or the admin.
#[utoipa::path(
    post,
    path = "/feed/confirmations",
    tag = "feed",
    security(("service_token" = []), ("session" = [], "csrf" = [])),
    params(("lang" = Option<String>, Query, description = "Language of the messages: kk, ru or en (else `Accept-Language`, else English)")),
    request_body(
        description = "The file",
        content(
            (String = "text/csv", example = "iin,bin,month,resident,employed,social_paid,pension_paid\n900514300121,971240001315,2026-03,1,1,1,1\n"),
            (Vec<serde_json::Value> = "application/json"),
        ),
    ),
    responses(
        (status = 200, description = "The file was read; what was applied and what was rejected", body = FeedReport),
        (status = 400, description = "The body is no feed file, nothing applied: `empty_file`, `malformed_file`, `missing_column`, `unknown_column`, `duplicate_column` (with `field`), `invalid_body`", body = crate::routes::openapi::schemas::ErrorBody),
        (status = 401, description = "No service token and no session (`service_token_required`), or a token unknown or revoked (`service_token_invalid`)", body = crate::routes::openapi::schemas::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 403, description = "Signed in, but not as an admin (`forbidden`); or the guard's `cross_site_request`, `origin_mismatch`, `csrf_token_invalid`", body = crate::routes::openapi::schemas::ErrorBody),
        (status = 413, description = "The body is over 64 MiB", body = crate::routes::openapi::schemas::ErrorBody),
        (status = 415, description = "Neither `text/csv` nor `application/json` in UTF-8", body = crate::routes::openapi::schemas::ErrorBody),
        (status = 503, description = "The database is unreachable; rows already applied stay, and sending the file again is safe", body = crate::routes::openapi::schemas::ErrorBody),
    )
)]
pub async fn import(State(state): State<AppState>, request: Request) -> Response {
    match run(&state, request).await {
        Ok(report) => Json(report).into_response(),
        Err(refusal) => refusal,
    }
}

async fn run(state: &AppState, request: Request) -> Result<FeedReport, Response> {
    let headers = request.headers();
    let lang = request_lang(request.uri().query(), headers);
    let session = request.extensions().get::<Principal>().copied();
    let importer = authenticate(state, headers, session).await?;
    let format =
        Format::of(headers).ok_or_else(|| feed::unsupported_media_type().into_response())?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > feed::BODY_LIMIT as u64) {
        return Err(ApiError::payload_too_large(feed::BODY_LIMIT).into_response());
    }
    let settings = Settings {
        lang,
        limit: feed::BODY_LIMIT,
        today: state.clock.today(),
    };
    let body = request.into_body().into_data_stream();
    feed::import(&state.store, &importer, format, body, settings)
        .await
        .map_err(|e| match e {
            ImportError::Refused(error) => error.into_response(),
            ImportError::Store(e) => crate::store_error(e).into_response(),
        })
}

/// The live service token of the request, else the signed-in admin; 401 without either,
/// 403 for another role.
async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    session: Option<Principal>,
) -> Result<Importer, Response> {
    let Some(token) = service_tokens::bearer_token(headers) else {
        return match session {
            Some(principal) => {
                access::authorize(&principal, access::Action::ImportFeed)
                    .map_err(IntoResponse::into_response)?;
                Ok(Importer::Admin(principal))
            }
            None => Err(unauthorized(
                "service_token_required",
                fail::texts(
                    "Қызметтік токенді «Authorization: Bearer <токен>» тақырыбында жіберіңіз немесе әкімші ретінде кіріңіз.",
                    "Передайте служебный токен в заголовке «Authorization: Bearer <токен>» или войдите как администратор.",
                    "Send the service token as “Authorization: Bearer <token>”, or sign in as an admin.",
                ),
            )),
        };
    };
    match service_tokens::authenticate(&state.store, token).await {
        Ok(Some(client)) => Ok(Importer::Service(client)),
        Ok(None) => Err(unauthorized(
            "service_token_invalid",
            fail::texts(
                "Қызметтік токен белгісіз немесе кері қайтарылған.",
                "Служебный токен неизвестен или отозван.",
                "The service token is unknown or revoked.",
            ),
        )),
        Err(e) => Err(crate::store_error(e).into_response()),
    }
}

fn unauthorized(code: &'static str, messages: shared::Localized) -> Response {
    let mut response =
        ApiError::localized(StatusCode::UNAUTHORIZED, code, messages).into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}
