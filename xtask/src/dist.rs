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

/// Files of the site a browser loads on first visit, by role.
pub struct Site {
    pub dir: PathBuf,
    pub files: Vec<String>,
}

pub fn run() -> Result<Site> {
    ensure_wasm_target()?;
    let wasm = build_wasm("app", "the browser app")?;
    let staging = crate::target_dir().join("site.new");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;

    let bindgen_dir = crate::target_dir().join("bindgen/app");
    bindgen(&wasm, &bindgen_dir, "app")?;
    optimise_if_possible(&bindgen_dir.join("app_bg.wasm"));

    let wasm_bytes = fs::read(bindgen_dir.join("app_bg.wasm"))?;
    let wasm_name = hashed("app", "_bg.wasm", &wasm_bytes);
    let js_bytes = fs::read(bindgen_dir.join("app.js"))?;
    let js_name = hashed("app", ".js", &js_bytes);
    let css_bytes = fs::read(crate::root().join("style/main.css")).context("style/main.css")?;
    let css_name = hashed("style", ".css", &css_bytes);
    // An external boot module rather than an inline script, so the CSP needs no exception.
    // It sets the page language from the URL (`/ru/…`) before the app loads, for screen
    // readers and the browser's own translation offer.
    let boot = format!(
        "import init from './{js_name}';\n\
         const lang = location.pathname.split('/')[1];\n\
         if (['kk', 'ru', 'en'].includes(lang)) document.documentElement.lang = lang;\n\
         init({{ module_or_path: '/{wasm_name}' }});\n"
    );
    let boot_name = hashed("boot", ".js", boot.as_bytes());
    let index = index_html(&css_name, &boot_name, &js_name, &wasm_name);

    let files: Vec<(String, Vec<u8>)> = vec![
        ("index.html".into(), index.into_bytes()),
        (boot_name, boot.into_bytes()),
        (js_name, js_bytes),
        (wasm_name, wasm_bytes),
        (css_name, css_bytes),
    ];
    for (name, bytes) in &files {
        write_with_compressed(&staging.join(name), bytes)?;
    }
    let snippets = bindgen_dir.join("snippets");
    if snippets.is_dir() {
        copy_dir(&snippets, &staging.join("snippets"))?;
    }

    let site = site_dir();
    let _ = fs::remove_dir_all(&site);
    fs::rename(&staging, &site)?;
    println!("\nsite written to {}", site.display());
    for (name, bytes) in &files {
        println!("  {name:<28} {:>9} bytes", bytes.len());
    }
    Ok(Site {
        dir: site,
        files: files.into_iter().map(|(n, _)| n).collect(),
    })
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

/// Builds a workspace crate for wasm32 and returns the path of its `.wasm`.
pub fn build_wasm(package: &str, what: &str) -> Result<PathBuf> {
    process::run(
        &format!("build {what} for {WASM_TARGET}"),
        process::cargo().args([
            "build",
            "--package",
            package,
            "--target",
            WASM_TARGET,
            "--profile",
            PROFILE,
        ]),
    )?;
    let file = format!("{}.wasm", package.replace('-', "_"));
    let path = crate::target_dir()
        .join(WASM_TARGET)
        .join(PROFILE)
        .join(file);
    if !path.is_file() {
        bail!("expected {} after the build", path.display());
    }
    Ok(path)
}

/// JS glue for the browser (`--target web`), written as `<name>.js` and `<name>_bg.wasm`.
pub fn bindgen(wasm: &Path, out_dir: &Path, name: &str) -> Result<()> {
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
        .remove_name_section(true)
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

/// `stem-<first 10 hex of SHA-256>suffix`.
fn hashed(stem: &str, suffix: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    format!("{stem}-{hex}{suffix}")
}

fn index_html(css: &str, boot: &str, js: &str, wasm: &str) -> String {
    format!(
        r##"<!doctype html>
<html lang="kk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Qonys — resettlement support: check if you qualify and how much you get.">
<meta name="theme-color" content="#0b5394">
<title>Qonys</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/{css}">
<link rel="modulepreload" href="/{js}">
<link rel="preload" href="/{wasm}" as="fetch" type="application/wasm" crossorigin>
<script type="module" src="/{boot}"></script>
</head>
<body>
<noscript><p>Qonys: JavaScript қосыңыз. Включите JavaScript. Please enable JavaScript.</p></noscript>
</body>
</html>
"##
    )
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

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            let bytes = fs::read(entry.path())?;
            write_with_compressed(&dest, &bytes)?;
        }
    }
    Ok(())
}
