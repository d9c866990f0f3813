//! The Qonys HTTP server: the public API under `/api/v1` and the built web app at `/`.
//!
//! Program rules live in the `shared` crate; this crate only moves data between HTTP, the
//! database and those rules. [`build_app`] returns the whole router, so tests drive it
//! in-process exactly as it runs in production.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod budgets;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contracts;
pub mod demo;
pub mod error;
pub mod extract;
pub mod fail;
pub mod feed;
pub mod ledger;
pub mod paged;
pub mod payees;
pub mod payments;
pub mod quota_editor;
pub mod refusal;
pub mod routes;
pub mod service_tokens;
pub mod settlement;
pub mod signing_keys;
pub mod site;
pub mod store;
pub mod vacancies;
pub mod vouchers;

use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use std::{any::Any, time::Duration};
use tower_http::{
    catch_panic::CatchPanicLayer,
    set_header::SetResponseHeaderLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

pub use config::{Config, HttpSettings};
pub use error::ApiError;
pub use site::Site;
pub use store::{Store, StoreError};

/// Longest time a request may take before the client gets a 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The same for a data feed import: a file of up to 64 MiB, sent and applied as it comes.
pub const FEED_TIMEOUT: Duration = Duration::from_secs(600);

/// For a wasm app loaded from external module files: no inline script, no eval except
/// WebAssembly compilation, nothing from other origins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub site: Site,
    /// Which day it is for the rules ([`clock::Clock`]).
    pub clock: clock::Clock,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot create the demo accounts: {0}")]
    Demo(#[from] accounts::AccountError),
    #[error("cannot create the demo vacancies and applications: {0}")]
    DemoWork(#[from] demo::DemoError),
    #[error("cannot open the budget accounts or issue the demo vouchers: {0}")]
    Ledger(#[from] ledger::LedgerError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

/// Connects to the database, migrates it, loads the demo data if asked, and returns the
/// application router (served directly: no trusted proxy, cookies `Secure` only if asked).
pub async fn build_app(config: &Config) -> Result<Router, StartupError> {
    build_app_with(config, HttpSettings::default()).await
}

/// [`build_app`] with the HTTPS and proxy settings.
pub async fn build_app_with(config: &Config, http: HttpSettings) -> Result<Router, StartupError> {
    let store = prepare(config).await?;
    Ok(app_router(store, config, http))
}

fn app_router(store: Store, config: &Config, http: HttpSettings) -> Router {
    router_with(
        AppState {
            store,
            site: Site::new(&config.site),
            clock: clock::Clock::from_setting(config.today),
        },
        http,
    )
}

/// Connects to the database, migrates it, opens the budget accounts and loads the demo
/// data if asked.
async fn prepare(config: &Config) -> Result<Store, StartupError> {
    let store = Store::connect(&config.database).await?;
    store.migrate().await?;
    tokio::task::spawn_blocking(auth::password::prepare);
    budgets::open_accounts(&store).await?;
    if config.demo {
        if store.seed_demo().await? {
            tracing::info!("demo data loaded");
        } else {
            tracing::info!("demo data was loaded before; kept as is");
        }
        if demo::seed_accounts(&store).await? {
            tracing::info!("demo accounts created");
        }
        if demo::seed_work(&store).await? {
            tracing::info!("demo vacancies and applications created");
        }
        let today = clock::Clock::from_setting(config.today).today();
        demo::seed_vouchers(&store, today).await?;
        if demo::seed_payees(&store, today).await? {
            tracing::info!("demo payees and a payment created");
        }
        if demo::seed_contracts(&store, today).await? {
            tracing::info!("demo contracts created");
        }
    }
    Ok(store)
}

/// The full router over an already prepared store.
pub fn router(state: AppState) -> Router {
    router_with(state, HttpSettings::default())
}

/// [`router`] with the HTTPS and proxy settings.
pub fn router_with(state: AppState, http: HttpSettings) -> Router {
    let guard = auth::guard::GuardState {
        store: state.store.clone(),
        http,
    };
    with_middleware(
        Router::new()
            .nest(shared::api::API_PREFIX, routes::api(guard))
            .fallback(site::serve)
            .with_state(state),
    )
}

/// What wraps every route: request logging, security headers, the language of error
/// answers, the panic guard and the request timeout. Public so the guard can be tested with
/// a handler that panics.
///
/// [`error::localize`] here reaches the errors made outside the API router: the timeout and
/// panic answers and the site's `/api/…` 404. The API router localizes its own errors inside
/// its compression layer (a compressed body cannot be rewritten), taking the error out of
/// the response, so an API error is never localized twice.
pub fn with_middleware(router: Router) -> Router {
    router
        .layer(middleware::from_fn(timeout))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(error::localize))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::REFERRER_POLICY, "no-referrer"))
        .layer(security_header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Binds, starts the voucher job ([`vouchers::start_jobs`]), serves until SIGINT or SIGTERM,
/// then lets in-flight requests and the job's current run finish.
pub async fn run(config: Config, http: HttpSettings) -> Result<(), StartupError> {
    let store = prepare(&config).await?;
    let app = app_router(store.clone(), &config, http);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartupError::Listen {
            addr: config.listen,
            source,
        })?;
    tracing::info!(
        listen = %config.listen,
        database = %store::redact(&config.database),
        site = %config.site.display(),
        "serving"
    );
    // Issuance and expiry run beside the server, and stop with it.
    let jobs = vouchers::start_jobs(store, clock::Clock::from_setting(config.today));
    // The peer's address feeds the per-address sign-in limit.
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(StartupError::Serve);
    jobs.stop().await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// A stuck request (e.g. a database that stopped answering) gets a JSON 503 instead of
/// holding the connection open.
async fn timeout(request: Request, next: Next) -> Response {
    let feed =
        request.uri().path().strip_prefix(shared::api::API_PREFIX) == Some(routes::feed::PATH);
    let limit = if feed { FEED_TIMEOUT } else { REQUEST_TIMEOUT };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::unavailable("the request took too long").into_response(),
    }
}

/// A bug must not take the connection down or leak a backtrace to the client.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %detail, "request handler panicked");
    ApiError::internal().into_response()
}

/// A database failure while serving a request: logged, reported as 503 to the client.
pub(crate) fn store_error(error: StoreError) -> ApiError {
    tracing::error!(error = %error, "database error");
    ApiError::unavailable("the database could not answer")
}
