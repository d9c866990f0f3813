//! Registration, sign-in, sign-out and the current session.

use super::openapi::schemas;
use crate::{
    accounts,
    auth::{self, authorize, session, Action, CurrentSession, RequestMeta, SignIn},
    error::{request_lang, ApiError},
    extract::ApiJson,
    fail, AppState,
};
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    Json,
};
use shared::account::{
    LoginRequest, RegisterEmployer, RegisterResettler, RegistrationAccepted, Session,
};

/// Every well-formed registration gets this answer, in the request's language: it must not
/// tell whether the IIN or BIN had an account before.
fn accepted(uri: &Uri, headers: &HeaderMap) -> (StatusCode, Json<RegistrationAccepted>) {
    let message = fail::texts(
        "Тіркеу қабылданды. Егер бұл нөмірдің тіркелгісі болмаса, енді бар: осы нөмірмен және \
         құпиясөзіңізбен кіріңіз.",
        "Регистрация принята. Если у этого номера не было учётной записи, теперь она есть: \
         войдите с ним и своим паролем.",
        "Registration received. If this number had no account, it has one now: sign in with \
         it and your password.",
    );
    (
        StatusCode::ACCEPTED,
        Json(RegistrationAccepted {
            status: "accepted".into(),
            message: message.get(request_lang(uri.query(), headers)).to_string(),
        }),
    )
}

/// Registers a resettler with their IIN, phone and password. The answer is the same whether
/// or not the IIN was registered before (a repeat changes nothing and is audited); sign in
/// afterwards.
#[utoipa::path(
    post,
    path = "/auth/register/resettler",
    tag = "accounts",
    request_body = schemas::RegisterResettler,
    responses(
        (status = 202, description = "Accepted (also when the IIN already has an account)", body = schemas::RegistrationAccepted),
        (status = 400, description = "Invalid IIN (format or check digit), phone, or a password shorter than 10 characters", body = schemas::ErrorBody),
        (status = 403, description = "Cross-site request, or a session without its CSRF token", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json`", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn register_resettler(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RegisterResettler>,
) -> Result<impl IntoResponse, ApiError> {
    accounts::register_resettler(&state.store, &request).await?;
    Ok(accepted(&uri, &headers))
}

/// Registers an employer with its BIN, organisation name, contact and password. The answer
/// is the same whether or not the BIN was registered before; sign in afterwards.
#[utoipa::path(
    post,
    path = "/auth/register/employer",
    tag = "accounts",
    request_body = schemas::RegisterEmployer,
    responses(
        (status = 202, description = "Accepted (also when the BIN already has an account)", body = schemas::RegistrationAccepted),
        (status = 400, description = "Invalid BIN (format or check digit), organisation, contact, or a password shorter than 10 characters", body = schemas::ErrorBody),
        (status = 403, description = "Cross-site request, or a session without its CSRF token", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json`", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn register_employer(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RegisterEmployer>,
) -> Result<impl IntoResponse, ApiError> {
    accounts::register_employer(&state.store, &request).await?;
    Ok(accepted(&uri, &headers))
}

/// Signs in with an IIN, a BIN or a staff login and the password. Sets the `qonys_session`
/// cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and answers the session's CSRF token.
/// An unknown login and a wrong password get the same 401. Five failures for one login lock
/// it for 15 minutes; twenty from one address in 15 minutes refuse that address: 429 with
/// `Retry-After`.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    request_body = schemas::LoginRequest,
    responses(
        (status = 200, description = "Signed in; the cookie is set", body = schemas::Session,
            headers(("Set-Cookie" = String, description = "`qonys_session=…; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax[; Secure]`"))),
        (status = 400, description = "Malformed body", body = schemas::ErrorBody),
        (status = 401, description = "The login or the password is wrong (one answer for both)", body = schemas::ErrorBody),
        (status = 403, description = "Cross-site request, or a session without its CSRF token", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json`", body = schemas::ErrorBody),
        (status = 429, description = "Too many failed attempts for this login or from this address",
            body = schemas::ErrorBody, headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    meta: RequestMeta,
    current: Option<CurrentSession>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let outcome = auth::sign_in(&state.store, &request, meta.client)
        .await
        .map_err(crate::store_error)?;
    match outcome {
        SignIn::Started {
            token,
            expires_at,
            account,
        } => {
            // A sign-in replaces the session the request came with.
            if let Some(old) = current {
                session::end(&state.store, &old.token_hash)
                    .await
                    .map_err(crate::store_error)?;
            }
            let body = Session {
                account,
                csrf_token: session::csrf_token(&token),
                expires_at: session::rfc3339(expires_at),
            };
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session::set_cookie(&token, meta.https));
            Ok(response)
        }
        SignIn::Refused => Err(fail::bad_credentials()),
        SignIn::Limited { retry_after } => Ok(fail::too_many_attempts(retry_after)),
    }
}

/// Ends the session and removes the cookie. Without a session it only removes the cookie.
/// Send `Content-Type: application/json` (the body may be empty) and the CSRF token.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "accounts",
    security((), ("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is removed"),
        (status = 403, description = "Cross-site request, or a session without its CSRF token", body = schemas::ErrorBody),
        (status = 415, description = "Not declared as `application/json`", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    meta: RequestMeta,
    current: Option<CurrentSession>,
) -> Result<Response, ApiError> {
    if let Some(current) = current {
        session::end(&state.store, &current.token_hash)
            .await
            .map_err(crate::store_error)?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session::clear_cookie(meta.https))],
    )
        .into_response())
}

/// The signed-in account and the session's CSRF token (for a page that was reloaded).
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "accounts",
    security(("session" = [])),
    responses(
        (status = 200, description = "The account, the CSRF token and when the session ends", body = schemas::Session),
        (status = 401, description = "Not signed in, or the session ended", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    current: CurrentSession,
) -> Result<Json<Session>, ApiError> {
    authorize(&current.principal, Action::ViewOwnAccount)?;
    let account = accounts::account(&state.store, current.principal.user_id)
        .await
        .map_err(crate::store_error)?
        .ok_or_else(fail::unauthenticated)?;
    Ok(Json(Session {
        account,
        csrf_token: current.csrf_token,
        expires_at: session::rfc3339(current.expires_at),
    }))
}
