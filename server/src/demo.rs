//! Demo data for `--demo`: quotas of every resettlement region for 2024–2026.
//!
//! Deterministic, so a demo looks the same on every machine. Some places are already used,
//! and one region's 2026 quota is fully used so that rule E7 can be seen failing.

use shared::{Policy, Region};

/// Years the demo fills in.
pub const YEARS: [i32; 3] = [2024, 2025, 2026];

/// The region whose 2026 quota the demo leaves with no places.
pub const EXHAUSTED_IN_2026: Region = Region::Ulytau;

/// One region's demo quota for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoQuota {
    pub region: Region,
    pub year: i32,
    pub quota: u32,
    pub used: u32,
}

/// The demo quotas for every resettlement region of `policy`.
pub fn quotas(policy: &Policy) -> Vec<DemoQuota> {
    let mut out = Vec::new();
    for (i, region) in (0u32..).zip(policy.destinations()) {
        for (y, year) in (0u32..).zip(YEARS) {
            let quota = 150 + 25 * i + 30 * y;
            let used = if year == 2026 && region == EXHAUSTED_IN_2026 {
                quota
            } else {
                // Earlier years are mostly used, the current one only partly.
                let percent = match year {
                    2024 => 90 + (i % 3) * 5,
                    2025 => 60 + (i * 7) % 30,
                    _ => 10 + (i * 11) % 40,
                };
                quota * percent / 100
            };
            out.push(DemoQuota {
                region,
                year,
                quota,
                used,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_destination_has_every_year_and_one_is_exhausted() {
        let policy = Policy::current();
        let demo = quotas(policy);
        assert_eq!(demo.len(), policy.destinations().count() * YEARS.len());
        assert!(policy.is_destination(EXHAUSTED_IN_2026));
        assert!(demo.iter().all(|q| q.used <= q.quota));
        assert!(demo
            .iter()
            .any(|q| q.year == 2026 && q.region == EXHAUSTED_IN_2026 && q.used == q.quota));
        assert!(demo.iter().any(|q| q.used > 0 && q.used < q.quota));
    }
}
