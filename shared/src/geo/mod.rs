//! Which region holds a point: the voucher's geo-fence (SPEC §4) and `GET /geo/locate`
//! (SPEC §7), the same code in the browser and the server.
//!
//! The boundaries are embedded in [`shapes`], simplified from the 2024 boundaries (geokz
//! 1.0.2 by Alexander Rodionov / Bureau of National Statistics, CC BY 4.0: credit it wherever
//! a map is shown) by `cargo xtask geo`. Point-in-region is a ray-casting test in integer
//! arithmetic over those stored coordinates: exact, without allocation, and without the
//! `geo` crate, which would bring some twenty crates into the browser for this one test.
//! Coordinates are `f64` for geometry only, never for money.

mod shapes;

use crate::{Policy, Region};
use serde::{Deserialize, Serialize};
use shapes::{Ring, SHAPES, UNITS_PER_DEGREE};
use std::fmt;

/// A place on Earth (WGS 84): latitude and longitude in degrees, finite and in range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    lat: f64,
    lon: f64,
}

/// Why a coordinate is not a point: the one at fault, not finite or out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointError {
    /// The latitude is not a number from −90 to 90.
    Latitude,
    /// The longitude is not a number from −180 to 180.
    Longitude,
}

impl PointError {
    /// The name of the offending coordinate, as the API's query parameters call it.
    pub fn field(self) -> &'static str {
        match self {
            PointError::Latitude => "lat",
            PointError::Longitude => "lon",
        }
    }
}

impl fmt::Display for PointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointError::Latitude => f.write_str("latitude must be a number from -90 to 90"),
            PointError::Longitude => f.write_str("longitude must be a number from -180 to 180"),
        }
    }
}

impl std::error::Error for PointError {}

impl Point {
    /// The point at latitude `lat` and longitude `lon`, in degrees.
    pub fn new(lat: f64, lon: f64) -> Result<Point, PointError> {
        // NaN fails both comparisons; infinities fail the range.
        if !(-90.0..=90.0).contains(&lat) {
            return Err(PointError::Latitude);
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(PointError::Longitude);
        }
        Ok(Point { lat, lon })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    /// (longitude, latitude) in the stored shapes' units, rounded (about 11 m).
    fn units(self) -> (i64, i64) {
        let unit = |degrees: f64| (degrees * UNITS_PER_DEGREE).round() as i64;
        (unit(self.lon), unit(self.lat))
    }
}

/// The region whose boundary holds `point`; `None` outside Kazakhstan. A point lies in at
/// most one region: where the simplified boundaries of two neighbours overlap (by up to
/// the simplification's tolerance, about two kilometres), the region first in
/// [`Region::ALL`] has it.
pub fn locate(point: Point) -> Option<Region> {
    let at = point.units();
    SHAPES
        .iter()
        .find(|(_, rings)| contains(rings, at))
        .map(|(region, _)| *region)
}

/// Whether `point` lies in `region`: the geo-fence. The same answer as [`locate`], so no
/// point is inside two regions.
pub fn is_inside(region: Region, point: Point) -> bool {
    locate(point) == Some(region)
}

/// Where a point is, for people: `GET /api/v1/geo/locate` (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    /// The region holding the point; `null` outside Kazakhstan.
    #[cfg_attr(feature = "openapi", schema(example = "pavlodar"))]
    pub region: Option<Region>,
    /// Whether that region is one the program resettles people to.
    pub destination: bool,
}

impl Location {
    pub fn of(point: Point, policy: &Policy) -> Location {
        let region = locate(point);
        Location {
            region,
            destination: region.is_some_and(|region| policy.is_destination(region)),
        }
    }
}

/// The region's boundary for drawing: its rings (outer boundaries and holes alike, e.g.
/// Akmola's hole where Astana is), each an open list of points whose last point joins the
/// first. Fill them with the even-odd rule (SVG `fill-rule="evenodd"`). Empty for
/// [`Region::Abroad`].
pub fn region_outline(region: Region) -> Vec<Vec<Point>> {
    let degrees = |units: i32| f64::from(units) / UNITS_PER_DEGREE;
    SHAPES
        .iter()
        .filter(|(r, _)| *r == region)
        .flat_map(|(_, rings)| rings.iter())
        .map(|ring| {
            ring.iter()
                .map(|&(lon, lat)| Point {
                    lat: degrees(lat),
                    lon: degrees(lon),
                })
                .collect()
        })
        .collect()
}

/// Even-odd rule: a ray from `(x, y)` towards +x crosses the rings' edges an odd number of
/// times when the point is inside. Rings are open: the last point joins the first.
fn contains(rings: &[Ring], (x, y): (i64, i64)) -> bool {
    let mut inside = false;
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut a = last;
        for &b in ring.iter() {
            if crosses(a, b, x, y) {
                inside = !inside;
            }
            a = b;
        }
    }
    inside
}

/// Whether the edge `a`–`b` crosses the ray from `(x, y)` towards +x. A vertex on the ray's
/// line counts as above it, so a ray through a vertex is counted once.
fn crosses(a: (i32, i32), b: (i32, i32), x: i64, y: i64) -> bool {
    let (ax, ay) = (i64::from(a.0), i64::from(a.1));
    let (bx, by) = (i64::from(b.0), i64::from(b.1));
    if (ay > y) == (by > y) {
        return false;
    }
    // The crossing's x is ax + (y - ay)(bx - ax)/(by - ay); compare without dividing.
    let left = (x - ax) * (by - ay);
    let right = (y - ay) * (bx - ax);
    if by > ay {
        left < right
    } else {
        left > right
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 10×10 square with a 2×2 hole in the middle, as stored rings.
    const SQUARE: Ring = &[(0, 0), (10, 0), (10, 10), (0, 10)];
    const HOLE: Ring = &[(4, 4), (6, 4), (6, 6), (4, 6)];

    #[test]
    fn ray_casting_honours_holes() {
        let rings: &[Ring] = &[SQUARE, HOLE];
        assert!(contains(rings, (1, 1)));
        assert!(contains(rings, (9, 5)));
        assert!(!contains(rings, (5, 5)), "in the hole");
        assert!(!contains(rings, (11, 5)));
        assert!(!contains(rings, (-1, 5)));
        assert!(!contains(rings, (5, 11)));
    }

    #[test]
    fn a_ray_through_a_vertex_counts_once() {
        // A diamond: the ray from (0, 0) passes exactly through the vertex (5, 0).
        let diamond: &[Ring] = &[&[(0, -5), (5, 0), (0, 5), (-5, 0)]];
        assert!(contains(diamond, (0, 0)));
        assert!(!contains(diamond, (-6, 0)));
        assert!(!contains(diamond, (6, 0)));
    }

    #[test]
    fn a_point_needs_finite_coordinates_in_range() {
        let p = Point::new(52.2873, 76.9674).unwrap();
        assert_eq!((p.lat(), p.lon()), (52.2873, 76.9674));
        assert!(Point::new(90.0, 180.0).is_ok());
        assert!(Point::new(-90.0, -180.0).is_ok());
        for (lat, lon, error) in [
            (90.5, 0.0, PointError::Latitude),
            (-91.0, 0.0, PointError::Latitude),
            (f64::NAN, 0.0, PointError::Latitude),
            (f64::INFINITY, 0.0, PointError::Latitude),
            (0.0, 180.01, PointError::Longitude),
            (0.0, -200.0, PointError::Longitude),
            (0.0, f64::NAN, PointError::Longitude),
            (0.0, f64::NEG_INFINITY, PointError::Longitude),
        ] {
            assert_eq!(Point::new(lat, lon), Err(error), "{lat}, {lon}");
        }
        assert_eq!(PointError::Latitude.field(), "lat");
        assert_eq!(PointError::Longitude.field(), "lon");
    }

    #[test]
    fn a_location_says_whether_its_region_is_a_destination() {
        let policy = Policy::current();
        let pavlodar = Point::new(52.2873, 76.9674).unwrap();
        let shymkent = Point::new(42.3174, 69.5901).unwrap();
        let moscow = Point::new(55.7558, 37.6173).unwrap();
        assert!(policy.is_destination(Region::Pavlodar));
        assert!(!policy.is_destination(Region::Shymkent));
        let location = |point| Location::of(point, policy);
        assert_eq!(
            location(pavlodar),
            Location {
                region: Some(Region::Pavlodar),
                destination: true
            }
        );
        assert_eq!(
            location(shymkent),
            Location {
                region: Some(Region::Shymkent),
                destination: false
            }
        );
        assert_eq!(
            location(moscow),
            Location {
                region: None,
                destination: false
            }
        );
    }
}
