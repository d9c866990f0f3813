//! Serving the built web app: pre-rendered public pages (`/kk/check` is the file
//! `kk/check/index.html`), `/` sent on to the person's language, precompressed static files,
//! long caching for content-hashed files, the not-found page of the address's language for
//! any other page address, and a plain page when the app is not built.

use crate::{error::ApiError, AppState};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::{Html, IntoResponse, Response},
};
use shared::Lang;
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::ServeDir;

const INDEX: &str = "index.html";
/// Written last by `cargo xtask dist`: the list of public pages; its presence means a site.
const BUILT: &str = "pages.json";
/// The signed-in areas live under `/{lang}/my`.
const ACCOUNT: &str = "my";
/// Set by the app when the person picks a language, so `/` remembers it without a script.
pub const LANG_COOKIE: &str = "qonys-lang";

/// Files whose name carries a content hash never change, so browsers may keep them forever.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Everything else is revalidated, so a new build is picked up on the next visit.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

const NOT_BUILT: &str = "<!doctype html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Qonys: app not built</title></head>
<body><h1>The web app is not built</h1>
<p>Build it with <code>cargo xtask dist</code>, then reload this page.
The API under <code>/api/v1</code> works without it.</p></body></html>
";

/// The directory of the built app.
#[derive(Debug, Clone)]
pub struct Site {
    dir: PathBuf,
    files: ServeDir,
}

impl Site {
    pub fn new(dir: impl Into<PathBuf>) -> Site {
        let dir = dir.into();
        let files = ServeDir::new(&dir).precompressed_br().precompressed_gzip();
        Site { dir, files }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checked per request, so building the app while the server runs needs no restart.
    async fn is_built(&self) -> bool {
        tokio::fs::metadata(self.dir.join(BUILT))
            .await
            .is_ok_and(|m| m.is_file())
    }

    /// The pre-rendered page for a URL path, as a path inside the site: `/kk/check/` →
    /// `/kk/check/index.html`. Only plain segments are looked up, so no path can leave the
    /// site directory.
    async fn prerendered(&self, path: &str) -> Option<String> {
        let dir = path.trim_matches('/');
        let plain = |segment: &str| {
            !segment.is_empty()
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if dir.is_empty() || !dir.split('/').all(plain) {
            return None;
        }
        let file = format!("{dir}/{INDEX}");
        if self.has_file(&file).await {
            return Some(format!("/{file}"));
        }
        // Every address of the signed-in areas gets their shell; the app routes inside it.
        let shell = account_shell(dir)?;
        self.has_file(&shell).await.then(|| format!("/{shell}"))
    }

    async fn has_file(&self, file: &str) -> bool {
        tokio::fs::metadata(self.dir.join(file))
            .await
            .is_ok_and(|m| m.is_file())
    }

    async fn serve_file(&self, request: Request) -> Response {
        match self.files.clone().oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(never) => match never {},
        }
    }
}

/// Everything outside the API routes: `/api/…` paths that matched nothing get the API's
/// JSON 404; all else comes from the site directory.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found(&path).into_response();
    }
    let site = &state.site;
    if !site.is_built().await {
        let mut response = (StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }

    let method = request.method().clone();
    let navigable = method == Method::GET || method == Method::HEAD;
    if navigable && path == "/" {
        return to_preferred_language(request.headers());
    }
    let accept_encoding = request.headers().get(header::ACCEPT_ENCODING).cloned();
    let headers = request.headers().clone();
    let page = if navigable && !file_name(&path).contains('.') {
        site.prerendered(&path).await
    } else {
        None
    };
    let mut is_index = page.is_some() || path.ends_with('/') || file_name(&path) == INDEX;
    let mut response = match page {
        Some(file) => {
            site.serve_file(file_request(&method, &file, accept_encoding.clone()))
                .await
        }
        None => site.serve_file(request).await,
    };

    // Any other page address: the not-found page, in the address's language. A missing
    // file (its name has an extension) stays a plain 404, so a stale script URL never gets
    // HTML.
    if response.status() == StatusCode::NOT_FOUND && navigable && !file_name(&path).contains('.') {
        let lang = lang_of_path(&path).unwrap_or_else(|| preferred_lang(&headers));
        let page = file_request(
            &method,
            &format!("/{}/404.html", lang.code()),
            accept_encoding,
        );
        let found = site.serve_file(page).await;
        if found.status().is_success() {
            let (mut parts, body) = found.into_parts();
            parts.status = StatusCode::NOT_FOUND;
            response = Response::from_parts(parts, body);
            is_index = true;
        }
    }

    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED || is_index {
        let cache = if !is_index && is_content_hashed(file_name(&path)) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        response.headers_mut().insert(header::CACHE_CONTROL, cache);
    }
    response
}

/// The shell of the signed-in areas for an address under `{lang}/my/`: `kk/my/apply` →
/// `kk/my/index.html`.
fn account_shell(dir: &str) -> Option<String> {
    let mut segments = dir.split('/');
    let lang = segments.next().and_then(Lang::from_code)?;
    (segments.next() == Some(ACCOUNT)).then(|| format!("{}/{ACCOUNT}/{INDEX}", lang.code()))
}

/// A request for one file of the site, keeping the client's accepted encodings.
fn file_request(method: &Method, file: &str, accept_encoding: Option<HeaderValue>) -> Request {
    let mut request = Request::builder().method(method.clone()).uri(file);
    if let Some(value) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, value);
    }
    request
        .body(Body::empty())
        .expect("a site path and a GET or HEAD method are valid")
}

/// `/`: the home page in the language the person chose before (cookie), else the first of
/// their browser's languages we have, else Kazakh, the state language.
fn to_preferred_language(headers: &HeaderMap) -> Response {
    let lang = preferred_lang(headers);
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    let location = HeaderValue::from_str(&format!("/{}/", lang.code()))
        .expect("a language code is a valid header value");
    headers.insert(header::LOCATION, location);
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-language, cookie"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

pub fn preferred_lang(headers: &HeaderMap) -> Lang {
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::from_code(value));
    from_cookie
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Kk)
}

/// `/ru/anything` → Russian.
fn lang_of_path(path: &str) -> Option<Lang> {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Lang::from_code)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// `app-1a2b3c4d5e6f7a8b.js`, `app-1a2b3c4d_bg.wasm`: a `-` and at least 8 hex digits, then
/// `.` or `_`.
pub fn is_content_hashed(name: &str) -> bool {
    name.match_indices('-').any(|(i, _)| {
        let rest = &name[i + 1..];
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        hex >= 8 && matches!(rest.as_bytes().get(hex), Some(b'.' | b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::{account_shell, is_content_hashed, preferred_lang};
    use axum::http::{header, HeaderMap, HeaderValue};
    use shared::Lang;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.clone(), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn the_remembered_language_wins_then_the_browser_then_kazakh() {
        assert_eq!(preferred_lang(&HeaderMap::new()), Lang::Kk);
        assert_eq!(
            preferred_lang(&headers(&[(
                header::ACCEPT_LANGUAGE,
                "de-DE, ru;q=0.8, en;q=0.5"
            )])),
            Lang::Ru
        );
        assert_eq!(
            preferred_lang(&headers(&[
                (header::ACCEPT_LANGUAGE, "ru"),
                (header::COOKIE, "a=b; qonys-lang=en")
            ])),
            Lang::En
        );
        assert_eq!(
            preferred_lang(&headers(&[(header::COOKIE, "qonys-lang=xx")])),
            Lang::Kk
        );
    }

    #[test]
    fn account_addresses_get_the_shell_of_their_language() {
        assert_eq!(account_shell("kk/my"), Some("kk/my/index.html".into()));
        assert_eq!(
            account_shell("ru/my/vacancies/7/applicants"),
            Some("ru/my/index.html".into())
        );
        assert_eq!(account_shell("de/my/apply"), None);
        assert_eq!(account_shell("kk/check"), None);
        assert_eq!(account_shell("kk"), None);
    }

    #[test]
    fn hashed_names() {
        assert!(is_content_hashed("app-1a2b3c4d5e6f7a8b.js"));
        assert!(is_content_hashed("app-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_content_hashed("style-0123abcd.css"));
        assert!(!is_content_hashed("index.html"));
        assert!(!is_content_hashed("app.js"));
        assert!(!is_content_hashed("my-app.js"));
        assert!(!is_content_hashed("app-1a2b.js"));
        assert!(!is_content_hashed("app-1a2b3c4d5e"));
    }
}
