//! The geo-fence over the embedded boundaries: known towns, the 2022 regions, points
//! outside Kazakhstan.

mod towns;

use shared::{
    geo::{is_inside, locate, region_outline, Point},
    Region,
};
use towns::TOWNS;

fn point(lat: f64, lon: f64) -> Point {
    Point::new(lat, lon).unwrap()
}

#[test]
fn every_town_lies_in_its_region() {
    for town in TOWNS {
        assert_eq!(
            locate(point(town.lat, town.lon)),
            town.region,
            "{} ({}, {})",
            town.name,
            town.lat,
            town.lon
        );
    }
}

#[test]
fn the_geo_fence_admits_a_town_to_its_own_region_only() {
    for town in TOWNS {
        let at = point(town.lat, town.lon);
        for region in Region::ALL {
            assert_eq!(
                is_inside(region, at),
                town.region == Some(region),
                "{} in {region}",
                town.name
            );
        }
    }
}

#[test]
fn every_region_but_abroad_has_an_outline_that_surrounds_its_towns() {
    for region in Region::ALL {
        let outline = region_outline(region);
        if region == Region::Abroad {
            assert!(outline.is_empty());
            continue;
        }
        assert!(!outline.is_empty(), "{region} has no outline");
        assert!(outline.iter().all(|ring| ring.len() >= 3), "{region}");
        // The outline is in Kazakhstan's box, so it is not swapped latitude for longitude.
        for p in outline.iter().flatten() {
            assert!((40.0..56.0).contains(&p.lat()), "{region}: {p:?}");
            assert!((46.0..88.0).contains(&p.lon()), "{region}: {p:?}");
        }
        let towns = TOWNS.iter().filter(|t| t.region == Some(region));
        for town in towns {
            let (west, east) = bounds(&outline, Point::lon);
            let (south, north) = bounds(&outline, Point::lat);
            assert!((west..=east).contains(&town.lon), "{}", town.name);
            assert!((south..=north).contains(&town.lat), "{}", town.name);
        }
    }
}

fn bounds(outline: &[Vec<Point>], coordinate: fn(Point) -> f64) -> (f64, f64) {
    let values = outline.iter().flatten().map(|&p| coordinate(p));
    let min = values.clone().fold(f64::INFINITY, f64::min);
    let max = values.fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

#[test]
fn the_cities_are_holes_in_their_oblasts() {
    // Astana inside Akmola, Almaty inside Almaty region, Shymkent inside Turkestan: a point
    // in the city is the city's only.
    for (city, oblast, lat, lon) in [
        (Region::Astana, Region::Akmola, 51.1694, 71.4491),
        (Region::AlmatyCity, Region::AlmatyRegion, 43.2567, 76.9286),
        (Region::Shymkent, Region::Turkestan, 42.3174, 69.5901),
    ] {
        assert!(is_inside(city, point(lat, lon)));
        assert!(!is_inside(oblast, point(lat, lon)));
    }
}
