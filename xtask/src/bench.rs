//! `cargo xtask bench`: eligibility evaluations per second, voucher payments per second
//! through the storage layer, feed rows imported per second and the memory that takes, what
//! a first visit to each public page downloads, and what the app's WebAssembly is made of.

use crate::{dist, process, wasm_profile};
use anyhow::{bail, Result};
use std::{fs, path::Path};

/// A first visit to any public page (not the signed-in areas), brotli: what a cheap phone on a slow network waits for.
const FIRST_LOAD_BUDGET_BROTLI: u64 = 150 * 1024;
/// The same in gzip, for clients without brotli: no more than the checker weighed when it
/// was first built (272 KB).
const FIRST_LOAD_BUDGET_GZIP: u64 = 272 * 1024;

pub fn run() -> Result<()> {
    process::run(
        "eligibility benchmark (release)",
        process::cargo().args([
            "bench",
            "--package",
            "qonys-shared",
            "--bench",
            "eligibility",
        ]),
    )?;
    process::run(
        "voucher payments through the storage layer (release, SQLite)",
        process::cargo().args(["bench", "--package", "server", "--bench", "payments"]),
    )?;
    process::run(
        "state data feed: 100 000-row CSV import (release, SQLite)",
        process::cargo().args(["bench", "--package", "server", "--bench", "feed"]),
    )?;
    let site = dist::run()?;
    wasm_contents()?;
    first_load(&site)
}

/// Sizes of one file as served: raw, gzip, brotli.
fn sizes(dir: &Path, name: &str) -> Result<[u64; 3]> {
    let path = dir.join(name);
    Ok([
        fs::metadata(&path)?.len(),
        fs::metadata(path.with_file_name(format!("{}.gz", file_name(name))))?.len(),
        fs::metadata(path.with_file_name(format!("{}.br", file_name(name))))?.len(),
    ])
}

fn file_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// Adds one file's sizes to a total.
fn add(total: &mut [u64; 3], sizes: [u64; 3]) {
    for (t, v) in total.iter_mut().zip(sizes) {
        *t += v;
    }
}

fn first_load(site: &dist::Site) -> Result<()> {
    println!("\nfiles pages load");
    println!(
        "{:<32} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let row = |name: &str, s: [u64; 3], role: &str| {
        println!(
            "{name:<32} {:>10} {:>10} {:>10}  {role}",
            kb(s[0]),
            kb(s[1]),
            kb(s[2])
        )
    };
    // Every page loads the stylesheet and the boot script; a page naming a bundle also
    // that bundle's script and wasm.
    let mut every = [0u64; 3];
    for name in &site.assets {
        let s = sizes(&site.dir, name)?;
        add(&mut every, s);
        row(name, s, "every page");
    }
    let mut bundles: Vec<(&str, [u64; 3])> = Vec::new();
    for (bundle, names) in &site.bundles {
        let mut total = [0u64; 3];
        for name in names {
            let s = sizes(&site.dir, name)?;
            add(&mut total, s);
            row(name, s, &format!("pages with the {bundle} bundle"));
        }
        bundles.push((bundle, total));
    }
    let bundle_sizes = |page: &dist::PageFile| {
        page.bundle
            .as_deref()
            .and_then(|b| bundles.iter().find(|(name, _)| *name == b))
            .map_or([0; 3], |(_, s)| *s)
    };

    println!("\nfirst load of each page (its HTML and the files it loads)");
    println!(
        "{:<32} {:>10} {:>10} {:>10}",
        "page", "raw", "gzip", "brotli"
    );
    // The budget is for the pages anyone opens; the signed-in areas are shown beside them.
    let mut heaviest = [0u64; 3];
    for page in &site.pages {
        let mut total = sizes(&site.dir, &page.file)?;
        add(&mut total, every);
        add(&mut total, bundle_sizes(page));
        let note = if page.is_account_shell() {
            "signed-in areas, not in the budget"
        } else {
            for (h, t) in heaviest.iter_mut().zip(total) {
                *h = (*h).max(t);
            }
            ""
        };
        row(&page.path, total, note);
    }
    println!(
        "\n{:<32} {:>10} {:>10} {:>10}",
        "heaviest public page",
        "",
        kb(heaviest[1]),
        kb(heaviest[2])
    );
    println!(
        "{:<32} {:>10} {:>10} {:>10}",
        "budget",
        "",
        kb(FIRST_LOAD_BUDGET_GZIP),
        kb(FIRST_LOAD_BUDGET_BROTLI)
    );
    println!(
        "{:<32} {:>10} {:>10} {:>10}",
        "heaviest ÷ budget",
        "",
        format!("{:.2}", heaviest[1] as f64 / FIRST_LOAD_BUDGET_GZIP as f64),
        format!(
            "{:.2}",
            heaviest[2] as f64 / FIRST_LOAD_BUDGET_BROTLI as f64
        ),
    );
    if heaviest[2] > FIRST_LOAD_BUDGET_BROTLI || heaviest[1] > FIRST_LOAD_BUDGET_GZIP {
        bail!(
            "the heaviest first load is {} brotli / {} gzip, over the budget of {} / {}",
            kb(heaviest[2]),
            kb(heaviest[1]),
            kb(FIRST_LOAD_BUDGET_BROTLI),
            kb(FIRST_LOAD_BUDGET_GZIP)
        );
    }
    Ok(())
}

/// Each bundle's wasm by crate, from a bindgen run that keeps the function names (the
/// site's copy drops them); the largest functions of the checker's, the public bundle
/// people meet first.
fn wasm_contents() -> Result<()> {
    for bundle in [dist::CHECKER, dist::ACCOUNT, dist::PORTAL] {
        let wasm = crate::target_dir()
            .join(dist::WASM_TARGET)
            .join(format!("wasm-release/{bundle}.wasm"));
        let dir = crate::target_dir().join(format!("bindgen/{bundle}-named"));
        dist::bindgen_named(&wasm, &dir, bundle)?;
        let profile = wasm_profile::profile(&fs::read(dir.join(format!("{bundle}_bg.wasm")))?)?;
        println!(
            "\nwhat the {bundle} bundle's wasm is made of: {} of code, {} of data",
            kb(profile.code_bytes),
            kb(profile.data_bytes)
        );
        println!("{:<32} {:>10} {:>7}", "crate", "code", "share");
        for (krate, bytes) in profile.by_crate.iter().take(10) {
            println!(
                "{krate:<32} {:>10} {:>6.1}%",
                kb(*bytes),
                100.0 * *bytes as f64 / profile.code_bytes as f64
            );
        }
        if bundle == dist::CHECKER {
            println!("\nlargest functions");
            for (name, bytes) in &profile.largest {
                let short: String = name.chars().take(100).collect();
                println!("{:>10}  {short}", kb(*bytes));
            }
        }
    }
    Ok(())
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
