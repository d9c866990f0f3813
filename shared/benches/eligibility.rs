//! Eligibility evaluations per second, against a baseline measured in the same run:
//! parsing the request JSON, which every API call does anyway.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p qonys-shared --bench eligibility`).

use shared::{
    api::EligibilityRequest,
    eligibility::assess,
    quota::{QuotaSnapshot, QuotaStatus},
    Lang, Policy,
};
use std::{
    hint::black_box,
    time::{Duration, Instant},
};

const REQUEST: &str = r#"{"as_of":"2026-03-01","applicant":{"iin":"900514300121","birth_date":"1990-05-14","citizenship":"citizen","current_region":"turkestan","prior_resettlement_support":false},"family_size":3,"destination":{"region":"north_kazakhstan","settlement":"urban"}}"#;

/// Nanoseconds per call of `f`, the best of five rounds of about 200 ms each.
fn measure(mut f: impl FnMut()) -> f64 {
    let mut iterations = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..iterations {
            f();
        }
        if start.elapsed() > Duration::from_millis(200) {
            break;
        }
        iterations *= 2;
    }
    (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            start.elapsed().as_nanos() as f64 / iterations as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let policy = Policy::current();
    let quotas = QuotaSnapshot::new(
        2026,
        policy
            .destinations()
            .map(|r| (r, QuotaStatus::new(100, 10)))
            .collect(),
    );
    let request: EligibilityRequest = serde_json::from_str(REQUEST).unwrap();
    let as_of = request.as_of.unwrap();

    let baseline = measure(|| {
        black_box(serde_json::from_str::<EligibilityRequest>(black_box(REQUEST)).unwrap());
    });
    let assess_only = measure(|| {
        black_box(assess(black_box(&request), as_of, policy, &quotas).unwrap());
    });
    let full = measure(|| {
        let a = assess(black_box(&request), as_of, policy, &quotas).unwrap();
        black_box(a.to_response(policy, Lang::Ru));
    });

    println!("\neligibility evaluations (native, release)");
    println!(
        "{:<44} {:>12} {:>14} {:>10}",
        "operation", "ns/op", "ops/s", "× baseline"
    );
    for (name, ns) in [
        ("baseline: parse request JSON", baseline),
        ("assess (rules E1–E7 + entitlements)", assess_only),
        ("assess + localized response", full),
    ] {
        println!(
            "{:<44} {:>12.0} {:>14.0} {:>10.2}",
            name,
            ns,
            1e9 / ns,
            ns / baseline
        );
    }
}
