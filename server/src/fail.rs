//! The error answers of the account, session and staff endpoints, built on [`ApiError`] so
//! they leave the server in the one error shape, with their messages in Kazakh, Russian and
//! English ([`crate::error::localize`] picks the request's language).

use crate::error::ApiError;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use shared::Localized;

/// A message in Kazakh, Russian and English.
pub fn texts(kk: impl Into<String>, ru: impl Into<String>, en: impl Into<String>) -> Localized {
    Localized {
        kk: kk.into(),
        ru: ru.into(),
        en: en.into(),
    }
}

/// No session, or an expired one: sign in first.
pub fn unauthenticated() -> ApiError {
    ApiError::localized(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        texts(
            "Бұл әрекетті орындау үшін жүйеге кіріңіз.",
            "Чтобы выполнить это действие, войдите в систему.",
            "Sign in to do this.",
        ),
    )
}

/// Signed in, but this account may not do this.
pub fn forbidden() -> ApiError {
    ApiError::localized(
        StatusCode::FORBIDDEN,
        "forbidden",
        texts(
            "Сіздің есептік жазбаңызға бұл әрекетті орындауға рұқсат жоқ.",
            "У вашей учётной записи нет прав на это действие.",
            "Your account is not allowed to do this.",
        ),
    )
}

/// A field of the request that is not acceptable. `field` is the JSON path of the field (or
/// the name of the path or query parameter); it travels in the error body's `field`.
pub fn invalid(field: &str, code: &'static str, messages: Localized) -> ApiError {
    ApiError::localized(StatusCode::BAD_REQUEST, code, messages).with_field(field)
}

/// The request conflicts with the current state (e.g. a login already taken by staff).
pub fn conflict(code: &'static str, messages: Localized) -> ApiError {
    ApiError::localized(StatusCode::CONFLICT, code, messages)
}

/// A state-changing request from another site.
pub fn cross_site_request() -> ApiError {
    ApiError::localized(
        StatusCode::FORBIDDEN,
        "cross_site_request",
        texts(
            "Басқа сайттардан келген сұраулар қабылданбайды.",
            "Запросы с других сайтов не принимаются.",
            "Requests from other sites are refused.",
        ),
    )
}

/// A state-changing request whose `Origin` is not this site.
pub fn origin_mismatch() -> ApiError {
    ApiError::localized(
        StatusCode::FORBIDDEN,
        "origin_mismatch",
        texts(
            "Сұрау осы сайттан емес, басқа көзден (Origin) жіберілген.",
            "Запрос отправлен не с этого сайта, а с другого источника (Origin).",
            "The request comes from another origin than this site.",
        ),
    )
}

/// A state-changing request with a session but without its CSRF token.
pub fn csrf_token_invalid() -> ApiError {
    ApiError::localized(
        StatusCode::FORBIDDEN,
        "csrf_token_invalid",
        texts(
            "X-CSRF-Token тақырыбы жоқ немесе сеансқа сәйкес келмейді. Ағымдағы токенді GET /api/v1/auth/me арқылы алыңыз.",
            "Заголовок X-CSRF-Token отсутствует или не соответствует сеансу. Текущий токен можно получить через GET /api/v1/auth/me.",
            "The X-CSRF-Token header is missing or does not match the session. GET /api/v1/auth/me gives the current one.",
        ),
    )
}

/// The same sign-in failure for an unknown login and a wrong password: the text must never
/// tell which of the two it was.
pub fn bad_credentials() -> ApiError {
    ApiError::localized(
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        texts(
            "Логин немесе құпиясөз қате.",
            "Неверный логин или пароль.",
            "The login or the password is wrong.",
        ),
    )
}

/// 429 with `Retry-After` in seconds.
pub fn too_many_attempts(retry_after: i64) -> Response {
    let seconds = retry_after.max(1);
    let minutes = (seconds + 59) / 60;
    let error = ApiError::localized(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        texts(
            format!("Жүйеге кіру әрекеттері тым көп рет сәтсіз аяқталды. {minutes} минуттан кейін қайталап көріңіз."),
            format!("Слишком много неудачных попыток входа. Повторите через {minutes} мин."),
            format!("Too many failed sign-in attempts. Try again in {minutes} min."),
        ),
    );
    let mut response = error.into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}
