//! `cargo xtask bench`: eligibility evaluations per second, and what a first visit downloads.

use crate::{dist, process};
use anyhow::{bail, Result};
use std::fs;

/// First load on a mobile network: the budget for everything `index.html` pulls in, gzip.
const FIRST_LOAD_BUDGET_GZIP: u64 = 400 * 1024;

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
    let site = dist::run()?;

    println!("\nfirst load of target/site");
    println!(
        "{:<30} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let mut totals = [0u64; 3];
    for name in &site.files {
        let path = site.dir.join(name);
        let sizes = [
            fs::metadata(&path)?.len(),
            fs::metadata(path.with_file_name(format!("{name}.gz")))?.len(),
            fs::metadata(path.with_file_name(format!("{name}.br")))?.len(),
        ];
        for (t, s) in totals.iter_mut().zip(sizes) {
            *t += s;
        }
        println!(
            "{:<30} {:>10} {:>10} {:>10}",
            name,
            kb(sizes[0]),
            kb(sizes[1]),
            kb(sizes[2])
        );
    }
    println!(
        "{:<30} {:>10} {:>10} {:>10}",
        "total",
        kb(totals[0]),
        kb(totals[1]),
        kb(totals[2])
    );
    println!(
        "{:<30} {:>10} {:>10.2}",
        "gzip ÷ budget",
        kb(FIRST_LOAD_BUDGET_GZIP),
        totals[1] as f64 / FIRST_LOAD_BUDGET_GZIP as f64
    );
    if totals[1] > FIRST_LOAD_BUDGET_GZIP {
        bail!(
            "first load is {} gzip, over the {} budget",
            kb(totals[1]),
            kb(FIRST_LOAD_BUDGET_GZIP)
        );
    }
    Ok(())
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
