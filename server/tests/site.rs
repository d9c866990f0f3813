//! The built app at `/`: precompressed files, cache headers, client-side routes, and the
//! page shown when the app is not built. The API keeps working either way.

mod common;

use axum::http::StatusCode;
use common::{Backend, Options, TestApp};
use std::{fs, path::Path};

on_both_backends!(
    serves_the_app_with_cache_headers,
    unknown_pages_get_the_not_found_page_of_their_language,
    public_pages_are_served_pre_rendered,
    the_root_sends_people_to_their_language,
    precompressed_files_are_chosen_by_accept_encoding,
    unbuilt_site_gets_a_help_page_and_the_api_still_works,
);

const INDEX_HTML: &str = "<!doctype html><title>Qonys</title><script type=\"module\" src=\"/boot-0123456789abcdef.js\"></script>";
const KK_NOT_FOUND_HTML: &str = "<!doctype html><html lang=\"kk\"><title>Бет табылмады</title>";
const RU_NOT_FOUND_HTML: &str =
    "<!doctype html><html lang=\"ru\"><title>Страница не найдена</title>";
const KK_HOME_HTML: &str = "<!doctype html><html lang=\"kk\"><title>Басты бет</title>";
const KK_CHECK_HTML: &str = "<!doctype html><html lang=\"kk\"><title>Тексеру</title>";
const APP_JS: &str = "app-0123456789abcdef.js";
const APP_WASM: &str = "app-0123456789abcdef_bg.wasm";

fn build_site(dir: &Path) {
    fs::write(dir.join("index.html"), INDEX_HTML).unwrap();
    fs::create_dir_all(dir.join("kk/check")).unwrap();
    fs::write(dir.join("kk/index.html"), KK_HOME_HTML).unwrap();
    fs::write(dir.join("kk/check/index.html"), KK_CHECK_HTML).unwrap();
    fs::write(dir.join("kk/check/index.html.br"), "brotli page").unwrap();
    fs::write(dir.join("kk/404.html"), KK_NOT_FOUND_HTML).unwrap();
    fs::create_dir_all(dir.join("ru")).unwrap();
    fs::write(dir.join("ru/404.html"), RU_NOT_FOUND_HTML).unwrap();
    fs::write(dir.join("pages.json"), r#"["/kk/", "/kk/check"]"#).unwrap();
    fs::write(dir.join(APP_JS), "export default 1;").unwrap();
    fs::write(dir.join(format!("{APP_JS}.gz")), "gzip bytes").unwrap();
    fs::write(dir.join(format!("{APP_JS}.br")), "brotli bytes").unwrap();
    fs::write(dir.join(APP_WASM), b"\0asm\x01\0\0\0").unwrap();
    fs::write(dir.join("robots.txt"), "User-agent: *\n").unwrap();
}

async fn with_site(backend: Backend) -> Option<(TestApp, tempfile::TempDir)> {
    let site = tempfile::tempdir().unwrap();
    build_site(site.path());
    let app = TestApp::with(
        backend,
        Options {
            demo: true,
            site: Some(site.path().to_path_buf()),
        },
    )
    .await?;
    Some((app, site))
}

async fn serves_the_app_with_cache_headers(backend: Backend) {
    let Some((app, _site)) = with_site(backend).await else {
        return;
    };
    let index = app.get("/index.html").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(index.text(), INDEX_HTML);
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert!(index
        .header("content-security-policy")
        .unwrap()
        .contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert_eq!(index.header("x-content-type-options"), Some("nosniff"));

    let by_name = app.get("/index.html").await;
    assert_eq!(by_name.text(), INDEX_HTML);
    assert_eq!(by_name.header("cache-control"), Some("no-cache"));

    for (file, content_type) in [(APP_JS, "text/javascript"), (APP_WASM, "application/wasm")] {
        let reply = app.get(&format!("/{file}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{file}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{file}");
        assert_eq!(
            reply.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{file}"
        );
    }

    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert_eq!(robots.header("cache-control"), Some("no-cache"));
}

async fn unknown_pages_get_the_not_found_page_of_their_language(backend: Backend) {
    let Some((app, _site)) = with_site(backend).await else {
        return;
    };
    for (path, html) in [
        ("/kk/nowhere", KK_NOT_FOUND_HTML),
        ("/ru/check/result/", RU_NOT_FOUND_HTML),
        ("/ru/nothing/here", RU_NOT_FOUND_HTML),
        ("/de/check", KK_NOT_FOUND_HTML),
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.text(), html, "{path}");
        assert!(reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    // Without a language in the address, the person's own.
    let russian = app.get_with("/nowhere", &[("accept-language", "ru")]).await;
    assert_eq!(russian.status, StatusCode::NOT_FOUND);
    assert_eq!(russian.text(), RU_NOT_FOUND_HTML);
    // A missing file is a 404, never HTML in place of a script.
    let missing = app.get("/app-ffffffffffffffff.js").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_ne!(missing.text(), INDEX_HTML);
    // API paths never fall back to the app.
    app.get("/api/v1/kk/check")
        .await
        .assert_error(StatusCode::NOT_FOUND, "unknown API path");
}

async fn public_pages_are_served_pre_rendered(backend: Backend) {
    let Some((app, _site)) = with_site(backend).await else {
        return;
    };
    for (path, html) in [
        ("/kk/check", KK_CHECK_HTML),
        ("/kk/check/", KK_CHECK_HTML),
        ("/kk/", KK_HOME_HTML),
        ("/kk", KK_HOME_HTML),
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.text(), html, "{path}");
        assert!(reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
    let br = app
        .get_with("/kk/check", &[("accept-encoding", "br")])
        .await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.text(), "brotli page");
    // Nothing outside plain path segments is looked up as a page.
    let odd = app.get("/kk/%2e%2e/check").await;
    assert_ne!(odd.text(), KK_CHECK_HTML);
}

async fn the_root_sends_people_to_their_language(backend: Backend) {
    let Some((app, _site)) = with_site(backend).await else {
        return;
    };
    let plain = app.get("/").await;
    assert_eq!(plain.status, StatusCode::FOUND);
    assert_eq!(plain.header("location"), Some("/kk/"));
    let russian = app
        .get_with("/", &[("accept-language", "ru-RU,ru;q=0.9,en;q=0.8")])
        .await;
    assert_eq!(russian.header("location"), Some("/ru/"));
    let chosen = app
        .get_with(
            "/",
            &[("accept-language", "ru"), ("cookie", "qonys-lang=en")],
        )
        .await;
    assert_eq!(chosen.header("location"), Some("/en/"));
    assert!(chosen.header("vary").unwrap().contains("cookie"));
}

async fn precompressed_files_are_chosen_by_accept_encoding(backend: Backend) {
    let Some((app, _site)) = with_site(backend).await else {
        return;
    };
    let path = format!("/{APP_JS}");
    let gzip = app.get_with(&path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    assert_eq!(gzip.text(), "gzip bytes");
    assert_eq!(gzip.header("content-type"), Some("text/javascript"));
    assert_eq!(
        gzip.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let br = app
        .get_with(&path, &[("accept-encoding", "gzip, br")])
        .await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.text(), "brotli bytes");

    let identity = app.get(&path).await;
    assert_eq!(identity.header("content-encoding"), None);
    assert_eq!(identity.text(), "export default 1;");
}

async fn unbuilt_site_gets_a_help_page_and_the_api_still_works(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for path in ["/", "/kk/check", "/index.html"] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html"));
        assert!(reply.text().contains("cargo xtask dist"), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    assert_eq!(app.get("/api/v1/health").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/quotas?year=2026").await.status,
        StatusCode::OK
    );
}
