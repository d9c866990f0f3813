//! Test harness: the real router over a fresh database, SQLite always and PostgreSQL when
//! `QONYS_TEST_POSTGRES` names a server (each test gets its own database, dropped after).

#![allow(dead_code)]

use axum::{
    body::{Body, Bytes},
    http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use serde_json::Value;
use server::{AppState, Config, Site, Store};
use sqlx::{Connection, Executor, PgConnection};
use std::{
    path::{Path, PathBuf},
    sync::atomic::{AtomicU32, Ordering},
};
use tower::ServiceExt;

pub const POSTGRES_ENV: &str = "QONYS_TEST_POSTGRES";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates one `sqlite` and one `postgres` test for each scenario function
/// `async fn name(backend: Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                super::$name($crate::common::Backend::Postgres).await
            }
        }
    )*};
}

/// A fresh, empty database that disappears when dropped.
pub struct TestDb {
    pub url: String,
    _guard: Guard,
}

enum Guard {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// `None` (after saying so) when the backend is not available in this environment.
    pub async fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                Some(TestDb {
                    url,
                    _guard: Guard::Sqlite(dir),
                })
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
                    eprintln!(
                        "skipped: set {POSTGRES_ENV}=postgres://… to run the PostgreSQL variant"
                    );
                    return None;
                };
                static COUNTER: AtomicU32 = AtomicU32::new(0);
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos();
                let name = format!(
                    "qonys_test_{}_{}_{nanos}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let mut admin = PgConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("{POSTGRES_ENV}: cannot connect: {e}"));
                admin
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                Some(TestDb {
                    url: with_database(&admin_url, &name),
                    _guard: Guard::Postgres { admin_url, name },
                })
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; the cleanup gets a runtime of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = admin.execute(sql.as_str()).await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// `url` pointing at database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let authority_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The application as `main` builds it, plus a separate store connection for arranging data
/// the way staff would.
pub struct TestApp {
    pub router: Router,
    pub store: Store,
    pub db: TestDb,
    pub backend: Backend,
    _site_dir: Option<tempfile::TempDir>,
}

pub struct Options {
    pub demo: bool,
    /// The site directory; a directory that does not exist when `None`.
    pub site: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            demo: true,
            site: None,
        }
    }
}

impl TestApp {
    pub async fn start(backend: Backend) -> Option<TestApp> {
        TestApp::with(backend, Options::default()).await
    }

    pub async fn with(backend: Backend, options: Options) -> Option<TestApp> {
        let db = TestDb::create(backend).await?;
        let (site, site_dir) = match options.site {
            Some(dir) => (dir, None),
            None => {
                let dir = tempfile::tempdir().unwrap();
                (dir.path().join("not-built"), Some(dir))
            }
        };
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: db.url.clone(),
            demo: options.demo,
            site,
            today: None,
            log_json: false,
        };
        let router = server::build_app(&config).await.expect("app starts");
        let store = Store::connect(&db.url).await.expect("second connection");
        Some(TestApp {
            router,
            store,
            db,
            backend,
            _site_dir: site_dir,
        })
    }

    /// The router over this app's own `store`, so a test can take the database away.
    pub fn router_sharing_store(&self, site: &Path) -> Router {
        server::router(AppState {
            store: self.store.clone(),
            site: Site::new(site),
            clock: server::clock::Clock::system(),
        })
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        send(&self.router, request).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// POSTs `body` as `application/json` plus any extra headers.
    pub async fn post_json(&self, uri: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body,
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the API error contract: the status, a JSON content type and a non-empty
    /// code and message. Returns the code.
    pub fn assert_error(&self, status: StatusCode, context: &str) -> String {
        assert_eq!(self.status, status, "{context}: {}", self.text());
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static("application/json")),
            "{context}"
        );
        let json = self.json();
        let object = json.as_object().expect("error body is an object");
        assert_eq!(
            object.len(),
            1,
            "{context}: only `error` at the top: {json}"
        );
        let code = json["error"]["code"].as_str().unwrap_or_default();
        let message = json["error"]["message"].as_str().unwrap_or_default();
        assert!(!code.is_empty(), "{context}: empty code: {json}");
        assert!(!message.is_empty(), "{context}: empty message: {json}");
        code.to_string()
    }

    /// Asserts the API error contract, as [`Reply::assert_error`] does, with `field` a string
    /// when present and nothing else in the detail; returns the detail.
    pub fn error(&self, status: StatusCode, context: &str) -> ErrorFields {
        self.assert_error(status, context);
        let json = self.json();
        let detail = json["error"].as_object().expect("error is an object");
        for key in detail.keys() {
            assert!(
                ["code", "message", "field"].contains(&key.as_str()),
                "{context}: unexpected `{key}` in {json}"
            );
        }
        let field = detail.get("field").map(|f| {
            f.as_str()
                .unwrap_or_else(|| panic!("{context}: field is not a string: {json}"))
                .to_string()
        });
        ErrorFields {
            code: detail["code"].as_str().unwrap().to_string(),
            message: detail["message"].as_str().unwrap().to_string(),
            field,
        }
    }
}

/// The detail of an error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorFields {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

/// The request of SPEC §7 / the worked example of SPEC §3.
pub const SPEC_REQUEST: &str = shared::api::EXAMPLE_REQUEST;

pub const ELIGIBILITY: &str = "/api/v1/eligibility";

pub fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

pub fn method(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap()
}
