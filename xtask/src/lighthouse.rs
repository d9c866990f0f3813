//! `cargo xtask lighthouse`: Lighthouse on every public page in every language, in the
//! system Chromium, on its default mobile configuration (simulated throttling), against the
//! built site served by the server with demo data. Fails when a page scores below the
//! thresholds; the JSON reports go to `target/lighthouse/`.

use crate::{
    browser::{self, BrowserTools},
    dist, server,
};
use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

/// Category id, column heading, lowest passing score (0–100, as Lighthouse shows it).
const THRESHOLDS: [(&str, &str, u32); 4] = [
    ("performance", "perf", 95),
    ("accessibility", "a11y", 100),
    ("best-practices", "b-p", 100),
    ("seo", "seo", 100),
];

/// The public pages when the site does not list them in `pages.json`.
const DEFAULT_PAGES: [&str; 6] = [
    "/kk/",
    "/ru/",
    "/en/",
    "/kk/check",
    "/ru/check",
    "/en/check",
];

/// The whole task on its own: build the site and (if missing) the server, serve, audit.
pub fn run() -> Result<()> {
    let tools = browser::find().map_err(|why| {
        anyhow!(
            "{why}: Lighthouse needs Chromium and Node.js; {}",
            browser::INSTALL_HINT
        )
    })?;
    browser::ensure_node_packages()?;
    let site = dist::run()?;
    let binary = server::ensure_binary()?;
    let server = server::start_demo(&binary, &site.dir, &reports_dir().join("server"))?;
    let result = audit(&tools, &server.url(), &site.dir, Sweep::Full);
    if result.is_err() {
        server.point_at_log();
    }
    result
}

pub fn reports_dir() -> PathBuf {
    crate::target_dir().join("lighthouse")
}

/// The pages to audit: `pages.json` of the built site (an array of URL paths), or the
/// default list when the site has none.
pub fn pages(site: &Path) -> Result<Vec<String>> {
    let file = site.join("pages.json");
    let text = match fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!(
                "no {}: auditing the default pages {}",
                file.display(),
                DEFAULT_PAGES.join(" ")
            );
            return Ok(DEFAULT_PAGES.iter().map(|p| p.to_string()).collect());
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", file.display())),
    };
    let pages: Vec<String> = serde_json::from_str(&text)
        .with_context(|| format!("{}: expected a JSON array of URL paths", file.display()))?;
    if pages.is_empty() {
        bail!("{} lists no pages", file.display());
    }
    if let Some(bad) = pages.iter().find(|p| !p.starts_with('/')) {
        bail!("{}: `{bad}` is not a URL path", file.display());
    }
    Ok(pages)
}

/// Which pages to audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sweep {
    /// Every page in every language (`cargo xtask lighthouse`).
    Full,
    /// Every page once, the languages taking turns (`cargo xtask test`): the pages of one
    /// kind share their markup and code, so this finds what the full sweep finds in a
    /// third of the time.
    Short,
}

/// One page of each kind (`/kk/check`, `/ru/check` … are one kind), languages in turn.
fn one_of_each(pages: Vec<String>) -> Vec<String> {
    let kind = |page: &str| {
        let rest = page.trim_start_matches('/');
        rest.split_once('/').map_or("", |(_, r)| r).to_string()
    };
    let mut kinds: Vec<String> = Vec::new();
    for page in &pages {
        if !kinds.contains(&kind(page)) {
            kinds.push(kind(page));
        }
    }
    let langs: Vec<String> = {
        let mut langs: Vec<String> = Vec::new();
        for page in &pages {
            let lang = page.trim_start_matches('/').split('/').next().unwrap_or("");
            if !langs.iter().any(|l| l == lang) {
                langs.push(lang.to_string());
            }
        }
        langs
    };
    kinds
        .iter()
        .enumerate()
        .filter_map(|(i, k)| {
            let lang = &langs[i % langs.len().max(1)];
            pages
                .iter()
                .find(|p| kind(p) == *k && p.starts_with(&format!("/{lang}/")))
                .or_else(|| pages.iter().find(|p| kind(p) == *k))
                .cloned()
        })
        .collect()
}

/// Audits the pages of `site` served at `base_url`, one at a time; a page that fails only
/// on performance (noisy on a busy machine) gets a second run, and the second run decides.
pub fn audit(tools: &BrowserTools, base_url: &str, site: &Path, sweep: Sweep) -> Result<()> {
    let pages = match sweep {
        Sweep::Full => pages(site)?,
        Sweep::Short => one_of_each(pages(site)?),
    };
    let out = reports_dir();
    fs::create_dir_all(&out)?;
    for entry in fs::read_dir(&out)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            fs::remove_file(&path)?;
        }
    }
    println!(
        "\n==> Lighthouse: {} pages, mobile with simulated throttling, one at a time",
        pages.len()
    );

    let mut runs: Vec<Run> = Vec::new();
    let mut failed_pages: Vec<&str> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        println!("lighthouse {page} ({} of {})", i + 1, pages.len());
        let first = run_page(tools, base_url, page, 1, &out);
        first.print_progress();
        let retry = first.failing().iter().all(|&c| c == 0) && !first.failing().is_empty();
        runs.push(first);
        if retry {
            println!("lighthouse {page}: below on performance only; running it again");
            let second = run_page(tools, base_url, page, 2, &out);
            second.print_progress();
            runs.push(second);
        }
        if !runs.last().expect("a run").failing().is_empty() {
            failed_pages.push(page);
        }
    }

    print_table(&runs);
    println!("JSON reports: {}", out.display());
    if failed_pages.is_empty() {
        return Ok(());
    }
    for run in runs
        .iter()
        .filter(|r| failed_pages.contains(&r.page.as_str()))
    {
        print_failures(run);
    }
    bail!(
        "Lighthouse: {} of {} pages below the thresholds: {}",
        failed_pages.len(),
        pages.len(),
        failed_pages.join(" ")
    )
}

/// One Lighthouse run of one page.
struct Run {
    page: String,
    attempt: u32,
    /// Scores 0–100 in THRESHOLDS order; `None` when Lighthouse could not score.
    scores: [Option<u32>; 4],
    /// The report, or why there is none.
    report: Result<Value, String>,
}

impl Run {
    /// Indices into THRESHOLDS of the categories below their threshold.
    fn failing(&self) -> Vec<usize> {
        if self.report.is_err() || self.runtime_error().is_some() {
            return (0..THRESHOLDS.len()).collect();
        }
        (0..THRESHOLDS.len())
            .filter(|&i| self.scores[i].is_none_or(|s| s < THRESHOLDS[i].2))
            .collect()
    }

    /// `  perf 99  a11y 100  b-p 96  seo 100` after the page's name.
    fn print_progress(&self) {
        if let Err(why) = &self.report {
            println!("  no report: {why}");
            return;
        }
        let scores: Vec<String> = THRESHOLDS
            .iter()
            .zip(self.scores)
            .map(|((_, column, _), score)| {
                format!("{column} {}", score.map_or("-".into(), |s| s.to_string()))
            })
            .collect();
        println!("  {}", scores.join("  "));
    }

    fn runtime_error(&self) -> Option<String> {
        let error = self.report.as_ref().ok()?.get("runtimeError")?;
        Some(format!(
            "{}: {}",
            error["code"].as_str().unwrap_or("?"),
            error["message"].as_str().unwrap_or("")
        ))
    }

    fn numeric(&self, audit: &str) -> Option<f64> {
        self.report.as_ref().ok()?["audits"][audit]["numericValue"].as_f64()
    }
}

fn run_page(tools: &BrowserTools, base_url: &str, page: &str, attempt: u32, out: &Path) -> Run {
    let url = format!("{}{page}", base_url.trim_end_matches('/'));
    let file = out.join(report_name(page, attempt));
    let report = lighthouse_json(tools, &url, &file).map_err(|e| format!("{e:#}"));
    let scores = THRESHOLDS.map(|(category, _, _)| {
        let score = report.as_ref().ok()?["categories"][category]["score"].as_f64()?;
        Some((score * 100.0).round() as u32)
    });
    Run {
        page: page.to_string(),
        attempt,
        scores,
        report,
    }
}

fn lighthouse_json(tools: &BrowserTools, url: &str, file: &Path) -> Result<Value> {
    let _ = fs::remove_file(file);
    let status = Command::new("node")
        .arg("e2e/lighthouse.mjs")
        .arg(url)
        .arg(file)
        .env("QONYS_CHROMIUM", &tools.chromium)
        .current_dir(crate::root())
        .status()
        .context("could not start node")?;
    if !status.success() {
        bail!("e2e/lighthouse.mjs {url}: failed ({status})");
    }
    let text = fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", file.display()))
}

/// `/kk/check` → `kk-check.json`; the second run `kk-check.run2.json`.
fn report_name(page: &str, attempt: u32) -> String {
    let mut name: String = page
        .trim_matches('/')
        .chars()
        .map(|c| match c {
            '/' => '-',
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => c,
            _ => '_',
        })
        .collect();
    if name.is_empty() {
        name = "root".into();
    }
    if attempt > 1 {
        name.push_str(&format!(".run{attempt}"));
    }
    name + ".json"
}

fn print_table(runs: &[Run]) {
    let version = runs
        .iter()
        .find_map(|r| r.report.as_ref().ok()?["lighthouseVersion"].as_str())
        .unwrap_or("?");
    let width = runs.iter().map(|r| r.page.len()).max().unwrap_or(4).max(4);
    println!(
        "\nLighthouse {version}, mobile, simulated throttling; pass: {}",
        THRESHOLDS
            .iter()
            .map(|(id, _, min)| format!("{id} ≥ {min}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut header = format!("{:<width$}  run", "page");
    for (_, column, _) in THRESHOLDS {
        header.push_str(&format!(" {column:>5}"));
    }
    header.push_str(&format!(" {:>8} {:>8} {:>6}", "LCP", "TBT", "CLS"));
    println!("{header}");
    println!("{}", "-".repeat(header.chars().count() + 6));
    for run in runs {
        let mut line = format!("{:<width$}  {:>3}", run.page, run.attempt);
        for score in run.scores {
            match score {
                Some(s) => line.push_str(&format!(" {s:>5}")),
                None => line.push_str(&format!(" {:>5}", "-")),
            }
        }
        let lcp = run
            .numeric("largest-contentful-paint")
            .map(|ms| format!("{:.1} s", ms / 1000.0));
        let tbt = run
            .numeric("total-blocking-time")
            .map(|ms| format!("{ms:.0} ms"));
        let cls = run
            .numeric("cumulative-layout-shift")
            .map(|v| format!("{v:.3}"));
        let dash = || "-".to_string();
        line.push_str(&format!(
            " {:>8} {:>8} {:>6}",
            lcp.unwrap_or_else(dash),
            tbt.unwrap_or_else(dash),
            cls.unwrap_or_else(dash)
        ));
        line.push_str(if run.failing().is_empty() {
            "  ok"
        } else {
            "  BELOW"
        });
        println!("{line}");
    }
}

/// Each failing category of a run with the audits that cost it points.
fn print_failures(run: &Run) {
    let failing = run.failing();
    if failing.is_empty() {
        return;
    }
    println!("\n{} (run {}):", run.page, run.attempt);
    let report = match &run.report {
        Ok(report) => report,
        Err(why) => {
            println!("  no report: {why}");
            return;
        }
    };
    if let Some(error) = run.runtime_error() {
        println!("  Lighthouse could not audit the page: {error}");
        return;
    }
    for i in failing {
        let (category, _, min) = THRESHOLDS[i];
        let title = report["categories"][category]["title"]
            .as_str()
            .unwrap_or(category);
        let score = run.scores[i].map_or("no score".into(), |s| s.to_string());
        println!("  {title}: {score} (needs {min})");
        let mut refs: Vec<&Value> = report["categories"][category]["auditRefs"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        // The weighted audits (the metrics, for performance) first.
        refs.sort_by(|a, b| {
            let w = |r: &Value| r["weight"].as_f64().unwrap_or(0.0);
            w(b).total_cmp(&w(a))
        });
        let mut shown = 0;
        for audit_ref in refs {
            let id = audit_ref["id"].as_str().unwrap_or("?");
            let audit = &report["audits"][id];
            let mode = audit["scoreDisplayMode"].as_str().unwrap_or("");
            let detail = match (mode, audit["score"].as_f64()) {
                ("error", _) => format!(
                    "error: {}",
                    audit["errorMessage"].as_str().unwrap_or("unknown")
                ),
                ("notApplicable" | "manual" | "informative", _) => continue,
                (_, Some(score)) if score < 0.9 => {
                    audit["displayValue"].as_str().unwrap_or("").to_string()
                }
                _ => continue,
            };
            let title = audit["title"].as_str().unwrap_or("");
            println!("    {id:<36} {title}{}", prefixed(" — ", &detail));
            print_items(audit);
            shown += 1;
        }
        if shown == 0 {
            println!("    (no single audit below 0.9; the weighted metrics add up to the score)");
        }
    }
}

/// The first few things an audit found (elements, URLs, console messages), one a line.
fn print_items(audit: &Value) {
    const SHOWN: usize = 3;
    let details = &audit["details"];
    if !matches!(details["type"].as_str(), Some("table" | "opportunity")) {
        return;
    }
    let Some(items) = details["items"].as_array() else {
        return;
    };
    let lines: Vec<String> = items
        .iter()
        .map(item_summary)
        .filter(|l| !l.is_empty())
        .collect();
    for line in lines.iter().take(SHOWN) {
        println!("        · {line}");
    }
    if lines.len() > SHOWN {
        println!("        · … and {} more", lines.len() - SHOWN);
    }
}

/// One line for a table row of an audit's details, from the fields Lighthouse commonly uses.
fn item_summary(item: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut text = |v: &Value| {
        if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
            parts.push(s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    };
    text(&item["node"]["selector"]);
    text(&item["node"]["snippet"]);
    text(&item["description"]);
    text(&item["url"]);
    text(&item["scriptUrl"]);
    text(&item["source"]["url"]);
    text(&item["sourceLocation"]["url"]);
    if let Some(sub) = item["subItems"]["items"].as_array() {
        for sub in sub.iter().take(2) {
            text(&sub["error"]);
        }
    }
    let mut line = parts.join(" — ");
    if let Some(ms) = item["wastedMs"].as_f64().filter(|&ms| ms >= 1.0) {
        line.push_str(&format!(" ({ms:.0} ms)"));
    } else if let Some(bytes) = item["wastedBytes"].as_f64().filter(|&b| b >= 1.0) {
        line.push_str(&format!(" ({:.1} KiB)", bytes / 1024.0));
    }
    if line.chars().count() > 200 {
        line = line.chars().take(199).collect::<String>() + "…";
    }
    line.trim().to_string()
}

fn prefixed(prefix: &str, text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{prefix}{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_sweep_takes_each_page_once_in_turning_languages() {
        let pages: Vec<String> = ["kk", "ru", "en"]
            .iter()
            .flat_map(|l| ["/", "/check", "/login", "/my"].map(|p| format!("/{l}{p}")))
            .collect();
        assert_eq!(
            one_of_each(pages),
            ["/kk/", "/ru/check", "/en/login", "/kk/my"]
        );
    }

    #[test]
    fn report_names() {
        assert_eq!(report_name("/kk/", 1), "kk.json");
        assert_eq!(report_name("/kk/check", 2), "kk-check.run2.json");
        assert_eq!(report_name("/", 1), "root.json");
    }

    #[test]
    fn only_performance_below_is_retried() {
        let run = |scores: [Option<u32>; 4]| Run {
            page: "/kk/".into(),
            attempt: 1,
            scores,
            report: Ok(serde_json::json!({})),
        };
        assert_eq!(
            run([Some(80), Some(100), Some(100), Some(100)]).failing(),
            [0]
        );
        assert_eq!(
            run([Some(95), Some(100), Some(100), Some(100)]).failing(),
            [] as [usize; 0]
        );
        assert_eq!(run([Some(99), Some(96), Some(100), None]).failing(), [1, 3]);
    }
}
