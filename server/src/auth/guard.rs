//! The one middleware in front of every API endpoint: resolves the session and refuses
//! cross-site state changes, so no handler has to remember to.
//!
//! For every request that is not GET or HEAD:
//!
//! 1. `Sec-Fetch-Site: cross-site` → 403 `cross_site_request`;
//! 2. an `Origin` that is not this site (compared with `Host`, or with `X-Forwarded-Host`
//!    behind a trusted proxy) → 403 `origin_mismatch`;
//! 3. a body not declared `application/json` → 415 (HTML forms and "simple" cross-site
//!    requests cannot send JSON without a CORS preflight, which this server never grants);
//! 4. made with a live session: the `X-CSRF-Token` header must equal the session's CSRF
//!    token (compared in constant time) → else 403 `csrf_token_invalid`.
//!
//! A session cookie that names no live session is ignored (the request is anonymous) and
//! removed in the answer.
//!
//! One exemption: `POST /feed/confirmations` with `Authorization: Bearer …` is a data feed
//! import by another system (SPEC §8), with a CSV or JSON body and no `Origin`. It passes
//! without these rules and without a session; the endpoint checks the token. A browser
//! never adds an `Authorization` header to a cross-site request by itself, so such a
//! request cannot be forged from another site. Without the header the rules apply as
//! everywhere, but for one: rule 3 also lets a feed file through as `text/csv` (an admin
//! uploads it in the app). A browser sends that type cross-site only after a CORS
//! preflight, which is never granted; Origin and the CSRF token are checked as for any
//! request.

use super::{
    session::{self, CurrentSession},
    RequestMeta,
};
use crate::{config::HttpSettings, fail, Store};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, Method, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
};
use shared::account::CSRF_HEADER;
use std::net::{IpAddr, SocketAddr};
use subtle::ConstantTimeEq;

/// What the guard needs.
#[derive(Debug, Clone)]
pub struct GuardState {
    pub store: Store,
    pub http: HttpSettings,
}

/// The middleware; see the module documentation.
pub async fn guard(State(guard): State<GuardState>, mut request: Request, next: Next) -> Response {
    let meta = RequestMeta {
        client: client_address(&request, &guard.http),
        https: served_over_https(request.headers(), &guard.http),
    };
    if is_feed_import(&request) {
        request.extensions_mut().insert(meta);
        return next.run(request).await;
    }
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD);
    if changes_state {
        if let Err(refusal) = same_origin(request.headers(), request.uri(), &guard.http) {
            return refusal.into_response();
        }
        if !declares_json(request.headers()) && !is_feed_csv(&request) {
            return crate::ApiError::unsupported_media_type().into_response();
        }
    }
    let mut stale_cookie = false;
    if let Some(token) = session::cookie_token(request.headers()) {
        match session::resolve(&guard.store, &token).await {
            Ok(Some(current)) => {
                if changes_state && !csrf_matches(request.headers(), &current) {
                    return fail::csrf_token_invalid().into_response();
                }
                request.extensions_mut().insert(current.principal);
                request.extensions_mut().insert(current);
            }
            Ok(None) => stale_cookie = true,
            Err(e) => return crate::store_error(e).into_response(),
        }
    }
    request.extensions_mut().insert(meta);
    let mut response = next.run(request).await;
    if stale_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, session::clear_cookie(meta.https));
    }
    response
}

/// The exemption of the module documentation.
fn is_feed_import(request: &Request) -> bool {
    request.method() == Method::POST
        && request.uri().path() == crate::routes::feed::PATH
        && crate::service_tokens::bearer_token(request.headers()).is_some()
}

/// The exception to rule 3 of the module documentation.
fn is_feed_csv(request: &Request) -> bool {
    request.method() == Method::POST
        && request.uri().path() == crate::routes::feed::PATH
        && crate::feed::Format::of(request.headers()) == Some(crate::feed::Format::Csv)
}

fn csrf_matches(headers: &HeaderMap, session: &CurrentSession) -> bool {
    headers
        .get(CSRF_HEADER)
        .is_some_and(|sent| bool::from(sent.as_bytes().ct_eq(session.csrf_token.as_bytes())))
}

/// Rules 1 and 2 of the module documentation.
fn same_origin(headers: &HeaderMap, uri: &Uri, http: &HttpSettings) -> Result<(), crate::ApiError> {
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    if cross_site {
        return Err(fail::cross_site_request());
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = request_host(headers, uri, http);
    let same = match (origin.to_str().ok().and_then(split_origin), host) {
        (Some((scheme, authority)), Some(host)) => {
            normalise(scheme, authority) == normalise(scheme, &host)
        }
        _ => false,
    };
    if same {
        Ok(())
    } else {
        Err(fail::origin_mismatch())
    }
}

/// `https://example.kz:8443` → (`https`, `example.kz:8443`); `null` and paths → `None`.
fn split_origin(origin: &str) -> Option<(&str, &str)> {
    let (scheme, authority) = origin.split_once("://")?;
    (!authority.is_empty() && !authority.contains(['/', '?', '#', '@']))
        .then_some((scheme, authority))
}

/// Lowercased, without the scheme's default port.
fn normalise(scheme: &str, authority: &str) -> String {
    let authority = authority.trim().to_ascii_lowercase();
    let default = match scheme.to_ascii_lowercase().as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    match authority.strip_suffix(default) {
        Some(bare) if !default.is_empty() => bare.to_string(),
        _ => authority,
    }
}

/// The host the client addressed.
fn request_host(headers: &HeaderMap, uri: &Uri, http: &HttpSettings) -> Option<String> {
    let header_text = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    if http.trust_proxy {
        if let Some(forwarded) = header_text("x-forwarded-host") {
            let last = forwarded.rsplit(',').next().unwrap_or_default().trim();
            if !last.is_empty() {
                return Some(last.to_string());
            }
        }
    }
    header_text(header::HOST.as_str())
        .map(str::to_string)
        .or_else(|| uri.authority().map(|a| a.as_str().to_string()))
}

/// Rule 3: `application/json` or `application/…+json`, with any parameters.
fn declares_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The client's address: the peer's, or behind a trusted proxy the last address the proxy
/// appended to `X-Forwarded-For`.
fn client_address(request: &Request, http: &HttpSettings) -> Option<IpAddr> {
    if http.trust_proxy {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
            .and_then(|v| v.parse::<IpAddr>().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// Whether the client reached us over HTTPS, i.e. whether the cookie is `Secure`.
fn served_over_https(headers: &HeaderMap, http: &HttpSettings) -> bool {
    http.secure_cookies
        || (http.trust_proxy
            && headers
                .get_all("x-forwarded-proto")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    const DIRECT: HttpSettings = HttpSettings {
        secure_cookies: false,
        trust_proxy: false,
    };
    const PROXIED: HttpSettings = HttpSettings {
        secure_cookies: false,
        trust_proxy: true,
    };

    #[test]
    fn origins() {
        let uri: Uri = "/api/v1/auth/login".parse().unwrap();
        let ok = [
            headers(&[("host", "qonys.kz")]),
            headers(&[("host", "qonys.kz"), ("origin", "https://qonys.kz")]),
            headers(&[("host", "QONYS.kz:443"), ("origin", "https://qonys.kz")]),
            headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080"),
            ]),
            headers(&[("host", "qonys.kz"), ("sec-fetch-site", "same-origin")]),
        ];
        for h in ok {
            assert!(same_origin(&h, &uri, &DIRECT).is_ok(), "{h:?}");
        }
        let refused = [
            headers(&[("host", "qonys.kz"), ("sec-fetch-site", "cross-site")]),
            headers(&[("host", "qonys.kz"), ("origin", "https://evil.example")]),
            headers(&[("host", "qonys.kz"), ("origin", "null")]),
            headers(&[
                ("host", "qonys.kz"),
                ("origin", "https://qonys.kz.evil.example"),
            ]),
            headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8081"),
            ]),
            headers(&[("origin", "https://qonys.kz")]),
        ];
        for h in refused {
            assert!(same_origin(&h, &uri, &DIRECT).is_err(), "{h:?}");
        }
        // Behind a trusted proxy the forwarded host counts; otherwise it is ignored.
        let proxied = headers(&[
            ("host", "10.0.0.5:8080"),
            ("x-forwarded-host", "qonys.kz"),
            ("origin", "https://qonys.kz"),
        ]);
        assert!(same_origin(&proxied, &uri, &PROXIED).is_ok());
        assert!(same_origin(&proxied, &uri, &DIRECT).is_err());
    }

    #[test]
    fn json_content_types() {
        for ct in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            assert!(declares_json(&headers(&[("content-type", ct)])), "{ct}");
        }
        for ct in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/json",
        ] {
            assert!(!declares_json(&headers(&[("content-type", ct)])), "{ct}");
        }
        assert!(!declares_json(&HeaderMap::new()));
    }

    #[test]
    fn https_and_client_address_only_from_a_trusted_proxy() {
        let h = headers(&[("x-forwarded-proto", "https")]);
        assert!(!served_over_https(&h, &DIRECT));
        assert!(served_over_https(&h, &PROXIED));
        assert!(served_over_https(
            &HeaderMap::new(),
            &HttpSettings {
                secure_cookies: true,
                trust_proxy: false
            }
        ));
        let request = Request::builder()
            .header("x-forwarded-for", "203.0.113.9, 198.51.100.7")
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(
            client_address(&request, &PROXIED),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(client_address(&request, &DIRECT), None);
    }
}
