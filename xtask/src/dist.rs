//! `cargo xtask dist`: the deployable site in `target/site/`.
//!
//! Builds `app` for wasm32 (size-optimised profile), generates the JS glue with the
//! `wasm-bindgen-cli-support` library (same version as `wasm-bindgen`, so no separate CLI to
//! install), runs `wasm-opt` only when it is on PATH, names every asset by its content hash
//! for long caching, and writes `.gz` and `.br` copies for the server to send as they are.

use crate::process::{self, on_path};
use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";

pub fn site_dir() -> PathBuf {
    crate::target_dir().join("site")
}

/// The built site: where it is, what its pages load, and the pre-rendered pages.
pub struct Site {
    pub dir: PathBuf,
    /// Stylesheet and boot script: what every page loads.
    pub assets: Vec<String>,
    /// Each browser bundle's JS glue and wasm, by bundle name (`app`, `portal`).
    pub bundles: Vec<(String, Vec<String>)>,
    /// The pre-rendered pages.
    pub pages: Vec<PageFile>,
}

/// One pre-rendered page: its URL path, its file in the site directory, and the browser
/// bundle it loads, if any.
pub struct PageFile {
    pub path: String,
    pub file: String,
    pub bundle: Option<String>,
}

impl PageFile {
    /// The signed-in areas' shell, as opposed to a page anyone opens.
    pub fn is_account_shell(&self) -> bool {
        self.bundle.as_deref() == Some(PORTAL)
    }

    /// Whether the page works without a network: it needs no bundle, or only the
    /// checker's, which holds the rules.
    pub fn works_offline(&self) -> bool {
        matches!(self.bundle.as_deref(), None | Some(CHECKER))
    }
}

/// A page rendered by `app`'s pre-renderer (`app/src/prerender.rs`).
#[derive(serde::Deserialize)]
struct RenderedPage {
    path: String,
    lang: String,
    title: String,
    description: String,
    body: String,
    bundle: Option<String>,
}

#[derive(serde::Deserialize)]
struct Prerendered {
    pages: Vec<RenderedPage>,
    fallbacks: Vec<RenderedPage>,
}

/// The checker's bundle (`app/src/main.rs`), kept for offline use.
pub const CHECKER: &str = "app";
/// Sign-in and the vacancy search (`app/src/bin/account.rs`).
pub const ACCOUNT: &str = "account";
/// The signed-in areas' bundle (`app/src/bin/portal.rs`).
pub const PORTAL: &str = "portal";

/// One browser bundle's hashed file names.
pub struct BundleAssets {
    pub js: String,
    pub wasm: String,
}

/// The hashed names of the files pages refer to.
pub struct Assets {
    pub css: String,
    pub boot: String,
    /// The checker, precached for offline use.
    pub app: BundleAssets,
    /// Sign-in and the vacancy search; they need the server, so they are fetched when
    /// opened.
    pub account: BundleAssets,
    /// The signed-in areas, fetched when opened.
    pub portal: BundleAssets,
}

impl Assets {
    fn bundle(&self, name: &str) -> Option<&BundleAssets> {
        match name {
            CHECKER => Some(&self.app),
            ACCOUNT => Some(&self.account),
            PORTAL => Some(&self.portal),
            _ => None,
        }
    }
}

pub fn run() -> Result<Site> {
    ensure_wasm_target()?;
    // One build makes every bundle: the crates they share are compiled once.
    let wasm_dir = build_wasm("app", "the browser bundles")?;
    let Prerendered { pages, fallbacks } = prerender()?;
    // Per process, so two builds at once cannot pull the directory from under each other.
    let staging = crate::target_dir().join(format!("site.new-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut bundle = |name: &str| -> Result<BundleAssets> {
        let bindgen_dir = crate::target_dir().join("bindgen").join(name);
        bindgen(&wasm_dir.join(format!("{name}.wasm")), &bindgen_dir, name)?;
        optimise_if_possible(&bindgen_dir.join(format!("{name}_bg.wasm")));
        let wasm_bytes = fs::read(bindgen_dir.join(format!("{name}_bg.wasm")))?;
        let js_bytes = fs::read(bindgen_dir.join(format!("{name}.js")))?;
        let assets = BundleAssets {
            js: hashed(name, ".js", &js_bytes),
            wasm: hashed(name, "_bg.wasm", &wasm_bytes),
        };
        files.push((assets.js.clone(), js_bytes));
        files.push((assets.wasm.clone(), wasm_bytes));
        Ok(assets)
    };
    let app = bundle(CHECKER)?;
    let account = bundle(ACCOUNT)?;
    let portal = bundle(PORTAL)?;
    let bundles = [(CHECKER, &app), (ACCOUNT, &account), (PORTAL, &portal)]
        .iter()
        .map(|(name, b)| (name.to_string(), vec![b.js.clone(), b.wasm.clone()]))
        .collect();

    let css_bytes = fs::read(crate::root().join("style/main.css")).context("style/main.css")?;
    let css_name = hashed("style", ".css", &css_bytes);
    // An external boot module rather than an inline script, so the CSP needs no exception.
    let boot = include_str!("boot.js")
        .replace("__APP_JS__", &app.js)
        .replace("__APP_WASM__", &app.wasm)
        .replace("__ACCOUNT_JS__", &account.js)
        .replace("__ACCOUNT_WASM__", &account.wasm)
        .replace("__PORTAL_JS__", &portal.js)
        .replace("__PORTAL_WASM__", &portal.wasm);
    let boot_name = hashed("boot", ".js", boot.as_bytes());
    let assets = Assets {
        css: css_name,
        boot: boot_name,
        app,
        account,
        portal,
    };
    files.push((assets.boot.clone(), boot.into_bytes()));
    files.push((assets.css.clone(), css_bytes));
    let asset_names = vec![assets.css.clone(), assets.boot.clone()];

    let mut page_files = Vec::new();
    for page in &pages {
        let file = page_file(&page.path);
        files.push((file.clone(), page_html(page, &assets).into_bytes()));
        page_files.push(PageFile {
            path: page.path.clone(),
            file,
            bundle: page.bundle.clone(),
        });
    }
    for page in &fallbacks {
        let file = page.path.trim_start_matches('/').to_string();
        files.push((file, page_html(page, &assets).into_bytes()));
    }
    // The public pages: what Lighthouse audits (and the mark of a built site).
    let paths: Vec<&str> = page_files
        .iter()
        .filter(|p| !p.is_account_shell())
        .map(|p| p.path.as_str())
        .collect();
    // Offline use covers the pages that work offline; sign-in, vacancies and the signed-in
    // areas need the server, so their code is not downloaded ahead for everyone.
    let offline: Vec<&str> = page_files
        .iter()
        .filter(|p| p.works_offline())
        .map(|p| p.path.as_str())
        .collect();
    let online: Vec<&str> = page_files
        .iter()
        .filter(|p| !p.works_offline())
        .map(|p| p.path.as_str())
        .collect();
    let fallback_paths: Vec<&str> = fallbacks.iter().map(|p| p.path.as_str()).collect();
    files.push(("pages.json".into(), serde_json::to_vec_pretty(&paths)?));
    let pwa = crate::pwa::files(&assets, &offline, &online, &fallback_paths, &files)?;
    files.extend(pwa);

    for (name, bytes) in &files {
        let path = staging.join(name);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        write_with_compressed(&path, bytes)?;
    }

    let site = site_dir();
    let _ = fs::remove_dir_all(&site);
    fs::rename(&staging, &site)?;
    println!("\nsite written to {}", site.display());
    for (name, bytes) in &files {
        println!("  {name:<32} {:>9} bytes", bytes.len());
    }
    Ok(Site {
        dir: site,
        assets: asset_names,
        bundles,
        pages: page_files,
    })
}

/// Renders the public pages with the app's native pre-renderer.
fn prerender() -> Result<Prerendered> {
    println!("\n==> pre-render the public pages (app, native)");
    let output = process::cargo()
        .args(["run", "--quiet", "--package", "app", "--bin", "prerender"])
        .current_dir(crate::root())
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("could not start the pre-renderer")?;
    if !output.status.success() {
        bail!("the pre-renderer failed ({})", output.status);
    }
    let rendered: Prerendered =
        serde_json::from_slice(&output.stdout).context("reading the pre-rendered pages")?;
    if rendered.pages.is_empty() || rendered.fallbacks.is_empty() {
        bail!("the pre-renderer gave no pages");
    }
    Ok(rendered)
}

/// `/kk/` → `kk/index.html`, `/kk/check` → `kk/check/index.html`.
pub fn page_file(path: &str) -> String {
    let dir = path.trim_matches('/');
    if dir.is_empty() {
        "index.html".into()
    } else {
        format!("{dir}/index.html")
    }
}

/// Adds the wasm32 target with rustup when it is missing.
pub fn ensure_wasm_target() -> Result<()> {
    let Ok(out) = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    else {
        println!("rustup not found; assuming the {WASM_TARGET} target is available");
        return Ok(());
    };
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    process::run(
        &format!("rustup target add {WASM_TARGET}"),
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
    )
}

/// Builds a workspace crate's binaries for wasm32 and returns the directory of their
/// `.wasm` files (`<bin>.wasm`).
pub fn build_wasm(package: &str, what: &str) -> Result<PathBuf> {
    process::run(
        &format!("build {what} for {WASM_TARGET}"),
        process::cargo()
            .args([
                "build",
                "--package",
                package,
                "--target",
                WASM_TARGET,
                "--profile",
                PROFILE,
            ])
            .args(wasm_features(package))
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                short_source_paths(),
            ),
    )?;
    let dir = crate::target_dir().join(WASM_TARGET).join(PROFILE);
    let file = dir.join(format!("{}.wasm", package.replace('-', "_")));
    if !file.is_file() {
        bail!("expected {} after the build", file.display());
    }
    Ok(dir)
}

/// Panic messages carry the source file's path; without the machine-specific prefixes the
/// download is smaller and the same on every machine.
fn short_source_paths() -> String {
    let mut prefixes = vec![(crate::root(), "qonys".to_string())];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(registry) = cargo_home.map(|h| h.join("registry/src")) {
        for index in fs::read_dir(registry).into_iter().flatten().flatten() {
            prefixes.push((index.path(), "crates".to_string()));
        }
    }
    prefixes
        .iter()
        // The variable is split at spaces: a path with one is left as it is.
        .map(|(from, to)| (from.display().to_string(), to))
        .filter(|(from, _)| !from.contains(char::is_whitespace))
        .map(|(from, to)| format!("--remap-path-prefix={from}={to}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The browser build of `app` renders into the page (`csr`); natively it pre-renders.
pub fn wasm_features(package: &str) -> &'static [&'static str] {
    if package == "app" {
        &["--no-default-features", "--features", "csr"]
    } else {
        &[]
    }
}

/// JS glue for the browser (`--target web`), written as `<name>.js` and `<name>_bg.wasm`.
pub fn bindgen(wasm: &Path, out_dir: &Path, name: &str) -> Result<()> {
    run_bindgen(wasm, out_dir, name, true)
}

/// The same, keeping function names, for looking into the module.
pub fn bindgen_named(wasm: &Path, out_dir: &Path, name: &str) -> Result<()> {
    run_bindgen(wasm, out_dir, name, false)
}

fn run_bindgen(wasm: &Path, out_dir: &Path, name: &str, drop_names: bool) -> Result<()> {
    println!("\n==> wasm-bindgen {}", wasm.display());
    let _ = fs::remove_dir_all(out_dir);
    fs::create_dir_all(out_dir)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .out_name(name)
        .web(true)?
        .typescript(false)
        // Function names are for debugging; dropping them saves about a quarter of the
        // download. Panics still report their message through the console hook.
        .remove_name_section(drop_names)
        .remove_producers_section(true)
        .generate(out_dir)
        .context("wasm-bindgen")?;
    Ok(())
}

/// `wasm-opt -Oz` when installed; the site works without it, only larger.
fn optimise_if_possible(wasm: &Path) {
    let Some(wasm_opt) = on_path("wasm-opt") else {
        println!("wasm-opt not on PATH: skipping the optional size optimisation");
        return;
    };
    // Older releases (Debian 12 ships 108) corrupt the function tables wasm-bindgen uses
    // with reference types: the page then fails to start. Such a wasm-opt is not used.
    let version = Command::new(&wasm_opt)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| wasm_opt_release(&String::from_utf8_lossy(&o.stdout)));
    match version {
        Some(v) if v >= MIN_WASM_OPT => {}
        other => {
            println!(
                "wasm-opt {} is older than {MIN_WASM_OPT}: skipping the optional size optimisation",
                other.map_or("of unknown version".to_string(), |v| v.to_string())
            );
            return;
        }
    }
    let optimised = wasm.with_extension("opt.wasm");
    let status = Command::new(wasm_opt)
        .arg("-Oz")
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(&optimised)
        .status();
    match status {
        Ok(s) if s.success() => {
            if let Err(e) = fs::rename(&optimised, wasm) {
                println!("wasm-opt output not used: {e}");
            }
        }
        other => println!("wasm-opt failed ({other:?}); keeping the unoptimised module"),
    }
}

/// The oldest wasm-opt release trusted with wasm-bindgen's reference-type tables.
const MIN_WASM_OPT: u32 = 118;

/// `wasm-opt version 123 (version_123)` → 123.
fn wasm_opt_release(version: &str) -> Option<u32> {
    version
        .split_whitespace()
        .find_map(|word| word.parse().ok())
}

/// `stem-<first 10 hex of SHA-256>suffix`.
fn hashed(stem: &str, suffix: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    format!("{stem}-{hex}{suffix}")
}

/// The document around a page's body: language, title and description are right before
/// any script runs. Every page loads the stylesheet and the small boot script (offline use,
/// the remembered language); a page with the checker also starts loading the app's script
/// and wasm at once, at low priority so the stylesheet, which the first paint waits for,
/// comes first on a slow link.
fn document(page: &RenderedPage, a: &Assets) -> String {
    let (lang, body) = (&page.lang, &page.body);
    let (title, description) = (escape(&page.title), escape(&page.description));
    let bundle = page.bundle.as_deref().and_then(|name| a.bundle(name));
    let preload = match bundle {
        Some(b) => format!(
            "<link rel=\"modulepreload\" href=\"/{js}\" fetchpriority=\"low\">\n\
             <link rel=\"preload\" href=\"/{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin fetchpriority=\"low\">\n",
            js = b.js,
            wasm = b.wasm
        ),
        None => String::new(),
    };
    // The boot script starts the bundle the page names.
    let body_attr = match (bundle, page.bundle.as_deref()) {
        (Some(_), Some(name)) => format!(" data-bundle=\"{name}\""),
        _ => String::new(),
    };
    format!(
        r##"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<meta name="theme-color" content="#0b5394">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/icon-192.png">
<link rel="manifest" href="/manifest-{lang}.webmanifest">
<link rel="stylesheet" href="/{css}">
{preload}<script type="module" src="/{boot}"></script>
</head>
<body{body_attr}>
{body}
</body>
</html>
"##,
        css = a.css,
        boot = a.boot,
    )
}

fn page_html(page: &RenderedPage, assets: &Assets) -> String {
    document(page, assets)
}

/// Text for HTML: the page's own texts are plain, but a quote must not end an attribute.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn write_with_compressed(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes)?;
    fs::write(append_ext(path, "gz"), gzip(bytes)?)?;
    fs::write(append_ext(path, "br"), brotli(bytes)?)?;
    Ok(())
}

fn append_ext(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_opt_versions_are_read() {
        assert_eq!(wasm_opt_release("wasm-opt version 108\n"), Some(108));
        assert_eq!(
            wasm_opt_release("wasm-opt version 123 (version_123)"),
            Some(123)
        );
        assert_eq!(wasm_opt_release("something else"), None);
    }

    #[test]
    fn pages_map_to_their_files() {
        assert_eq!(page_file("/kk/"), "kk/index.html");
        assert_eq!(page_file("/kk/check"), "kk/check/index.html");
        assert_eq!(page_file("/"), "index.html");
    }
}
