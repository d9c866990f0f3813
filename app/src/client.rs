//! JSON calls to the server's API for the pages with accounts: sign-in, vacancy search and
//! the signed-in areas. Every call asks for answers in the interface language; every
//! state-changing call carries the session's CSRF token. A refusal comes back as a
//! [`Failure`] whose problems name the fields they are about, so forms can show each one
//! next to its field and all of them in the summary at the top.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use shared::{api::RuleResult, api::API_PREFIX, Lang};

/// sessionStorage key of the session's CSRF token: set at sign-in, refreshed from
/// `/auth/me`, gone when the tab is closed (the cookie itself is HttpOnly).
pub const CSRF_KEY: &str = "qonys.csrf";

/// One thing the server refused, with the request field it is about when there is one
/// (`password`, `family_members[0].iin`, `year`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Option<String>,
    pub message: String,
}

/// Why a call gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// HTTP status; 0 when no response arrived (offline, connection dropped).
    pub status: u16,
    /// The server's stable error code (`invalid_credentials`, `not_eligible`), or
    /// `network` / `bad_response`.
    pub code: String,
    /// Every problem, first the one the server named in `error`.
    pub problems: Vec<FieldProblem>,
    /// The failing eligibility rules, when an application was refused for them.
    pub rules: Vec<RuleResult>,
}

impl Failure {
    pub fn network() -> Failure {
        Failure {
            status: 0,
            code: "network".into(),
            problems: Vec::new(),
            rules: Vec::new(),
        }
    }

    fn bad_response(status: u16) -> Failure {
        Failure {
            status,
            code: "bad_response".into(),
            problems: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// Not signed in, or the session ended.
    pub fn is_unauthenticated(&self) -> bool {
        self.status == 401
    }

    /// The server's answer to an error body (any of its three shapes), or `None`.
    pub fn from_body(status: u16, body: &str) -> Option<Failure> {
        #[derive(Deserialize)]
        struct Detail {
            code: String,
            message: String,
            #[serde(default)]
            field: Option<String>,
        }
        #[derive(Deserialize)]
        struct Listed {
            field: String,
            message: String,
        }
        #[derive(Deserialize)]
        struct Body {
            error: Detail,
            #[serde(default)]
            errors: Vec<Listed>,
            #[serde(default)]
            rules: Vec<RuleResult>,
        }
        let body: Body = serde_json::from_str(body).ok()?;
        let mut problems: Vec<FieldProblem> = body
            .errors
            .into_iter()
            .map(|e| FieldProblem {
                field: Some(e.field),
                message: e.message,
            })
            .collect();
        let first = FieldProblem {
            field: body.error.field,
            message: body.error.message,
        };
        // `errors` repeats `error` when both are given; keep the list as the server wrote it.
        if !problems.iter().any(|p| p.message == first.message) {
            problems.insert(0, first);
        }
        Some(Failure {
            status,
            code: body.error.code,
            problems,
            rules: body.rules,
        })
    }
}

/// `path` under `/api/v1` with `lang=` added, so messages come in the interface language.
pub fn url(path: &str, lang: Lang) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{API_PREFIX}{path}{separator}lang={}", lang.code())
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use gloo_net::http::{Request, RequestBuilder, Response};

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }

    pub fn csrf_token() -> Option<String> {
        storage()?.get_item(CSRF_KEY).ok()?
    }

    pub fn set_csrf_token(token: Option<&str>) {
        if let Some(s) = storage() {
            let _ = match token {
                Some(t) => s.set_item(CSRF_KEY, t),
                None => s.remove_item(CSRF_KEY),
            };
        }
    }

    async fn answer(response: Response) -> Result<String, Failure> {
        let status = response.status();
        let body = response.text().await.map_err(|_| Failure::network())?;
        if response.ok() {
            Ok(body)
        } else {
            Err(Failure::from_body(status, &body).unwrap_or_else(|| Failure::bad_response(status)))
        }
    }

    fn with_token(builder: RequestBuilder) -> RequestBuilder {
        match csrf_token() {
            Some(token) => builder.header("X-CSRF-Token", &token),
            None => builder,
        }
    }

    pub async fn get_text(path: &str, lang: Lang) -> Result<String, Failure> {
        let response = Request::get(&url(path, lang))
            .send()
            .await
            .map_err(|_| Failure::network())?;
        answer(response).await
    }

    pub async fn send_text(
        method: Method,
        path: &str,
        body: String,
        lang: Lang,
    ) -> Result<String, Failure> {
        let url = url(path, lang);
        let builder = match method {
            Method::Post => Request::post(&url),
            Method::Put => Request::put(&url),
        };
        let response = with_token(builder)
            .header("Content-Type", "application/json")
            .body(body)
            .map_err(|_| Failure::network())?
            .send()
            .await
            .map_err(|_| Failure::network())?;
        answer(response).await
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    //! Natively (tests, pre-rendering) nothing is sent.
    use super::*;

    pub fn csrf_token() -> Option<String> {
        None
    }

    pub fn set_csrf_token(_token: Option<&str>) {}

    pub async fn get_text(_path: &str, _lang: Lang) -> Result<String, Failure> {
        Err(Failure::network())
    }

    pub async fn send_text(
        _method: Method,
        _path: &str,
        _body: String,
        _lang: Lang,
    ) -> Result<String, Failure> {
        Err(Failure::network())
    }
}

pub use imp::{csrf_token, set_csrf_token};

/// The state-changing methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(|_| Failure::bad_response(200))
}

/// `GET /api/v1{path}`.
pub async fn get<T: DeserializeOwned>(path: &str, lang: Lang) -> Result<T, Failure> {
    parse(&imp::get_text(path, lang).await?)
}

/// `POST`/`PUT /api/v1{path}` with a JSON body, answered with JSON.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
    lang: Lang,
) -> Result<T, Failure> {
    let body = serde_json::to_string(body).map_err(|_| Failure::bad_response(0))?;
    parse(&imp::send_text(method, path, body, lang).await?)
}

/// `POST /api/v1{path}` whose answer has no body worth reading (204, or one ignored).
pub async fn post_empty(path: &str, lang: Lang) -> Result<(), Failure> {
    imp::send_text(Method::Post, path, "{}".into(), lang)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_the_language() {
        assert_eq!(url("/auth/me", Lang::Ru), "/api/v1/auth/me?lang=ru");
        assert_eq!(
            url("/vacancies?page=2", Lang::Kk),
            "/api/v1/vacancies?page=2&lang=kk"
        );
    }

    #[test]
    fn every_error_shape_is_read_with_its_fields() {
        let single = r#"{"error":{"code":"invalid_iin","message":"Bad IIN","field":"iin"}}"#;
        let f = Failure::from_body(400, single).unwrap();
        assert_eq!(f.code, "invalid_iin");
        assert_eq!(
            f.problems,
            [FieldProblem {
                field: Some("iin".into()),
                message: "Bad IIN".into()
            }]
        );

        let listed = r#"{"error":{"code":"a","message":"First","field":"x"},
            "errors":[{"code":"a","field":"x","message":"First"},
                      {"code":"b","field":"family_members[1].iin","message":"Second"}]}"#;
        let f = Failure::from_body(400, listed).unwrap();
        let fields: Vec<_> = f.problems.iter().map(|p| p.field.clone()).collect();
        assert_eq!(
            fields,
            [Some("x".into()), Some("family_members[1].iin".into())]
        );

        let rules = r#"{"error":{"code":"not_eligible","message":"No"},"rules":[]}"#;
        let f = Failure::from_body(422, rules).unwrap();
        assert_eq!(f.problems[0].field, None);
        assert!(!f.is_unauthenticated());
        assert!(Failure::from_body(500, "<html>").is_none());
    }
}
