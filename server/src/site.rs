//! Serving the built web app: precompressed static files, long caching for content-hashed
//! files, `index.html` for client-side routes, and a plain page when the app is not built.

use crate::{error::ApiError, AppState};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    response::{Html, IntoResponse, Response},
};
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::ServeDir;

const INDEX: &str = "index.html";

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
        tokio::fs::metadata(self.dir.join(INDEX))
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
    let accept_encoding = request.headers().get(header::ACCEPT_ENCODING).cloned();
    let mut response = site.serve_file(request).await;
    let mut is_index = path.ends_with('/') || file_name(&path) == INDEX;

    // A client-side route such as `/kk/check`: answer with the app. A missing file (its
    // name has an extension) stays a 404, so a stale script URL never receives HTML.
    let navigable = method == Method::GET || method == Method::HEAD;
    if response.status() == StatusCode::NOT_FOUND && navigable && !file_name(&path).contains('.') {
        let mut index = Request::builder().method(method).uri(format!("/{INDEX}"));
        if let Some(value) = accept_encoding {
            index = index.header(header::ACCEPT_ENCODING, value);
        }
        let index = index
            .body(Body::empty())
            .expect("a static URI and method are valid");
        response = site.serve_file(index).await;
        is_index = true;
    }

    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let cache = if !is_index && is_content_hashed(file_name(&path)) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        response.headers_mut().insert(header::CACHE_CONTROL, cache);
    }
    response
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
    use super::is_content_hashed;

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
