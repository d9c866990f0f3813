//! Regions of Kazakhstan by their stable ids. Names and the origin/destination lists are
//! policy data (see `Policy::region`), not code.

use serde::{Deserialize, Serialize};

/// A first-level administrative unit, or `abroad` as a place of current residence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Abai,
    Akmola,
    Aktobe,
    AlmatyRegion,
    Atyrau,
    EastKazakhstan,
    Zhambyl,
    Zhetysu,
    WestKazakhstan,
    Karaganda,
    Kostanay,
    Kyzylorda,
    Mangystau,
    Pavlodar,
    NorthKazakhstan,
    Turkestan,
    Ulytau,
    Astana,
    AlmatyCity,
    Shymkent,
    Abroad,
}

impl Region {
    pub const ALL: [Region; 21] = [
        Region::Abai,
        Region::Akmola,
        Region::Aktobe,
        Region::AlmatyRegion,
        Region::Atyrau,
        Region::EastKazakhstan,
        Region::Zhambyl,
        Region::Zhetysu,
        Region::WestKazakhstan,
        Region::Karaganda,
        Region::Kostanay,
        Region::Kyzylorda,
        Region::Mangystau,
        Region::Pavlodar,
        Region::NorthKazakhstan,
        Region::Turkestan,
        Region::Ulytau,
        Region::Astana,
        Region::AlmatyCity,
        Region::Shymkent,
        Region::Abroad,
    ];

    /// The stable snake_case id used in the API and the database.
    pub fn id(self) -> &'static str {
        match self {
            Region::Abai => "abai",
            Region::Akmola => "akmola",
            Region::Aktobe => "aktobe",
            Region::AlmatyRegion => "almaty_region",
            Region::Atyrau => "atyrau",
            Region::EastKazakhstan => "east_kazakhstan",
            Region::Zhambyl => "zhambyl",
            Region::Zhetysu => "zhetysu",
            Region::WestKazakhstan => "west_kazakhstan",
            Region::Karaganda => "karaganda",
            Region::Kostanay => "kostanay",
            Region::Kyzylorda => "kyzylorda",
            Region::Mangystau => "mangystau",
            Region::Pavlodar => "pavlodar",
            Region::NorthKazakhstan => "north_kazakhstan",
            Region::Turkestan => "turkestan",
            Region::Ulytau => "ulytau",
            Region::Astana => "astana",
            Region::AlmatyCity => "almaty_city",
            Region::Shymkent => "shymkent",
            Region::Abroad => "abroad",
        }
    }

    pub fn from_id(id: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_serde() {
        for region in Region::ALL {
            let json = serde_json::to_string(&region).unwrap();
            assert_eq!(json, format!("\"{}\"", region.id()));
            assert_eq!(Region::from_id(region.id()), Some(region));
        }
    }

    #[test]
    fn unknown_id_is_rejected() {
        assert!(serde_json::from_str::<Region>("\"atlantis\"").is_err());
        assert_eq!(Region::from_id("Astana"), None);
    }
}
