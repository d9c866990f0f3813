//! Annual family quotas of the resettlement regions.

use crate::region::Region;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One region's quota for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaStatus {
    /// Families the region accepts this year.
    pub quota: u32,
    /// Families already admitted.
    pub used: u32,
    /// Places left: `quota - used`, never below zero.
    pub remaining: u32,
}

impl QuotaStatus {
    pub fn new(quota: u32, used: u32) -> QuotaStatus {
        QuotaStatus {
            quota,
            used,
            remaining: quota.saturating_sub(used),
        }
    }
}

/// Every region's quota for one year, as known at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaSnapshot {
    pub year: i32,
    pub regions: BTreeMap<Region, QuotaStatus>,
}

impl QuotaSnapshot {
    pub fn new(year: i32, regions: BTreeMap<Region, QuotaStatus>) -> QuotaSnapshot {
        QuotaSnapshot { year, regions }
    }

    /// The region's quota in `year`; `None` if this snapshot is for another year or the
    /// region has no quota set.
    pub fn status(&self, region: Region, year: i32) -> Option<QuotaStatus> {
        (self.year == year)
            .then(|| self.regions.get(&region).copied())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_never_negative() {
        assert_eq!(QuotaStatus::new(10, 3).remaining, 7);
        assert_eq!(QuotaStatus::new(3, 5).remaining, 0);
    }

    #[test]
    fn snapshot_answers_only_for_its_year() {
        let snapshot =
            QuotaSnapshot::new(2026, [(Region::Pavlodar, QuotaStatus::new(5, 1))].into());
        assert_eq!(
            snapshot.status(Region::Pavlodar, 2026).unwrap().remaining,
            4
        );
        assert_eq!(snapshot.status(Region::Pavlodar, 2025), None);
        assert_eq!(snapshot.status(Region::Kostanay, 2026), None);
    }
}
