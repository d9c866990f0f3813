//! Answers that refuse a request with more than one reason: several problems with a form
//! (each with its code, field and message), or the eligibility rules an application fails.
//! Their texts are written in the request's language when the answer is made, so they carry
//! no [`ApiError`] for [`crate::error::localize`] to rewrite.

use crate::{error::ApiError, store::StoreError};
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use shared::{
    api::{ErrorDetail, RuleResult},
    application::{NotEligible, Problem, Problems},
    Lang, Localized,
};

/// A refused request.
#[derive(Debug)]
pub enum Refusal {
    /// One error, in the one error shape.
    Api(ApiError),
    /// Several problems, or failed rules, already in the request's language.
    Body {
        status: StatusCode,
        lang: Lang,
        body: serde_json::Value,
    },
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Refusal {
        Refusal::Api(e)
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Refusal {
        Refusal::Api(crate::store_error(e))
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Refusal {
        StoreError::from(e).into()
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Api(e) => e.into_response(),
            Refusal::Body { status, lang, body } => {
                let mut response = (status, Json(body)).into_response();
                let headers = response.headers_mut();
                headers.insert(
                    header::CONTENT_LANGUAGE,
                    HeaderValue::from_static(lang.code()),
                );
                headers.append(header::VARY, HeaderValue::from_static("accept-language"));
                response
            }
        }
    }
}

/// 400 with every problem: `error` is the first one (so clients reading only `error` still
/// get a code, a field and a message), `errors` all of them in order.
pub fn problems(lang: Lang, found: Vec<Problem>) -> Refusal {
    let first = found.first().cloned().unwrap_or_else(|| Problem {
        code: "invalid_request".into(),
        field: String::new(),
        message: String::new(),
    });
    let body = Problems {
        error: ErrorDetail {
            code: first.code,
            message: first.message,
            field: Some(first.field).filter(|f| !f.is_empty()),
        },
        errors: found,
    };
    Refusal::Body {
        status: StatusCode::BAD_REQUEST,
        lang,
        body: serde_json::to_value(body).unwrap_or_default(),
    }
}

/// 422: the application fails eligibility rules, listed with their reasons.
pub fn not_eligible(lang: Lang, failed: Vec<RuleResult>) -> Refusal {
    let ids: Vec<&str> = failed.iter().map(|r| r.id.as_str()).collect();
    let ids = ids.join(", ");
    let messages = Localized {
        kk: format!("Өтініш қабылданбады: бағдарлама шарттары орындалмаған ({ids})."),
        ru: format!("Заявление не принято: не выполнены условия программы ({ids})."),
        en: format!("The application is refused: program rules not met ({ids})."),
    };
    let body = NotEligible {
        error: ErrorDetail {
            code: "not_eligible".into(),
            message: messages.get(lang).to_string(),
            field: None,
        },
        rules: failed,
    };
    Refusal::Body {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        lang,
        body: serde_json::to_value(body).unwrap_or_default(),
    }
}
