//! `cargo xtask geo`: the region boundaries that `shared::geo` embeds, simplified from the
//! full 2024 boundaries in `../shared/data/kz-adm1-2024.geojson` (beside the repository, not
//! in it) into `shared/src/geo/shapes.rs`, which is committed.
//!
//! Each ring (outer boundaries, holes and islands alike) is simplified on its own by
//! Douglas–Peucker, then its coordinates are rounded to whole units of 1e-4 degrees. Rings
//! that simplify down to a line (small islands and enclaves) are dropped.

use anyhow::{bail, Context, Result};
use geo::{LineString, MultiPolygon, Polygon, Simplify};
use serde_json::Value;
use shared::Region;
use std::{fmt::Write, fs, path::PathBuf};

/// Douglas–Peucker tolerance in degrees: about 2 km north–south, 1.5 km east–west. Within
/// it the region of a point may differ from the full boundaries' answer: for 0.3% of a grid
/// over the country, against 0.5% at 0.03° (which loses Aktau, a kilometre from the Caspian
/// shore) and 0.1% at 0.01° (half as many points again).
const TOLERANCE: f64 = 0.02;

/// The stored coordinates are whole multiples of 1/UNITS_PER_DEGREE degrees (about 11 m).
const UNITS_PER_DEGREE: f64 = 10_000.0;

/// The data set's `KATO` codes and our region ids (`../shared/data/README.md`).
const KATO: [(&str, Region); 20] = [
    ("100000000", Region::Abai),
    ("110000000", Region::Akmola),
    ("150000000", Region::Aktobe),
    ("190000000", Region::AlmatyRegion),
    ("230000000", Region::Atyrau),
    ("270000000", Region::WestKazakhstan),
    ("310000000", Region::Zhambyl),
    ("330000000", Region::Zhetysu),
    ("350000000", Region::Karaganda),
    ("390000000", Region::Kostanay),
    ("430000000", Region::Kyzylorda),
    ("470000000", Region::Mangystau),
    ("550000000", Region::Pavlodar),
    ("590000000", Region::NorthKazakhstan),
    ("610000000", Region::Turkestan),
    ("620000000", Region::Ulytau),
    ("630000000", Region::EastKazakhstan),
    ("710000000", Region::Astana),
    ("750000000", Region::AlmatyCity),
    ("790000000", Region::Shymkent),
];

/// A ring as stored: (longitude, latitude) in units, not closed (the last point joins the
/// first).
type Ring = Vec<(i32, i32)>;

pub fn run() -> Result<()> {
    let source = source_path();
    let regions = read(&source)?;
    let text = generate(&regions);
    let output = output_path();
    fs::write(&output, &text).with_context(|| format!("writing {}", output.display()))?;
    let rings: Vec<Ring> = regions
        .iter()
        .flat_map(|(_, shape)| simplify(shape))
        .collect();
    let points: usize = rings.iter().map(Vec::len).sum();
    println!(
        "geo: {} regions, {} rings, {points} points, {} bytes in {}",
        regions.len(),
        rings.len(),
        text.len(),
        output.display()
    );
    Ok(())
}

/// The full boundaries, beside the repository.
pub fn source_path() -> PathBuf {
    crate::root().join("../shared/data/kz-adm1-2024.geojson")
}

/// The generated, committed file.
pub fn output_path() -> PathBuf {
    crate::root().join("shared/src/geo/shapes.rs")
}

/// Every region's full boundary from the GeoJSON file, in the order of [`Region::ALL`].
pub fn read(path: &std::path::Path) -> Result<Vec<(Region, MultiPolygon)>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let json: Value = serde_json::from_str(&text).context("the boundaries are not JSON")?;
    let features = json["features"]
        .as_array()
        .context("the boundaries have no `features`")?;
    let mut regions = Vec::new();
    for feature in features {
        let kato = feature["properties"]["KATO"].as_str().unwrap_or_default();
        let Some(&(_, region)) = KATO.iter().find(|(code, _)| *code == kato) else {
            bail!("unknown KATO code `{kato}`");
        };
        regions.push((region, multi_polygon(&feature["geometry"])?));
    }
    regions.sort_by_key(|(region, _)| *region);
    if regions.len() != KATO.len() || regions.windows(2).any(|w| w[0].0 == w[1].0) {
        bail!("expected each of the {} regions once", KATO.len());
    }
    Ok(regions)
}

fn multi_polygon(geometry: &Value) -> Result<MultiPolygon> {
    let coordinates = &geometry["coordinates"];
    let polygons = match geometry["type"].as_str() {
        Some("Polygon") => vec![polygon(coordinates)?],
        Some("MultiPolygon") => coordinates
            .as_array()
            .context("MultiPolygon without coordinates")?
            .iter()
            .map(polygon)
            .collect::<Result<_>>()?,
        other => bail!("unexpected geometry {other:?}"),
    };
    Ok(MultiPolygon(polygons))
}

fn polygon(rings: &Value) -> Result<Polygon> {
    let mut rings = rings
        .as_array()
        .context("polygon without rings")?
        .iter()
        .map(line_string)
        .collect::<Result<Vec<_>>>()?;
    if rings.is_empty() {
        bail!("polygon without rings");
    }
    let exterior = rings.remove(0);
    Ok(Polygon::new(exterior, rings))
}

fn line_string(ring: &Value) -> Result<LineString> {
    ring.as_array()
        .context("ring is not an array")?
        .iter()
        .map(
            |position| match (position[0].as_f64(), position[1].as_f64()) {
                (Some(lon), Some(lat)) => Ok((lon, lat)),
                _ => bail!("position is not [longitude, latitude]: {position}"),
            },
        )
        .collect::<Result<Vec<_>>>()
        .map(LineString::from)
}

/// A region's rings, simplified and rounded: each polygon's outer boundary, then its holes.
/// Rings are simplified one by one because geo keeps a polygon's ring whole when it would
/// collapse; here such a ring (smaller than the tolerance) is dropped.
pub fn simplify(shape: &MultiPolygon) -> Vec<Ring> {
    shape
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
        .map(|ring| round(&ring.simplify(TOLERANCE)))
        .filter(|ring| ring.len() >= 3)
        .collect()
}

/// The ring in whole units, without repeated points and without the closing point.
fn round(ring: &LineString) -> Ring {
    let unit = |degrees: f64| (degrees * UNITS_PER_DEGREE).round() as i32;
    let mut points: Ring = ring.coords().map(|c| (unit(c.x), unit(c.y))).collect();
    points.dedup();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    points
}

/// The text of `shared/src/geo/shapes.rs`.
pub fn generate(regions: &[(Region, MultiPolygon)]) -> String {
    let header = [
        "//! Generated by `cargo xtask geo` from kz-adm1-2024.geojson: do not edit.",
        "//!",
        "//! Boundaries of the first-level units of Kazakhstan, 2024: geokz 1.0.2 by Alexander",
        "//! Rodionov, based on the Bureau of National Statistics of the Agency for Strategic",
        "//! Planning and Reforms of the Republic of Kazakhstan. Licence: CC BY 4.0.",
        "//!",
        &format!(
            "//! Simplified by Douglas–Peucker with a tolerance of {TOLERANCE} degrees. A region's"
        ),
        "//! rings are its outer boundaries and holes alike (a point is inside when it is inside",
        "//! an odd number of them), as (longitude, latitude) in units, not closed.",
        "",
        "use crate::Region;",
        "",
        "/// The coordinates below are in 1/UNITS_PER_DEGREE degrees.",
        &format!("pub(crate) const UNITS_PER_DEGREE: f64 = {UNITS_PER_DEGREE:?};"),
        "",
        "/// A ring: (longitude, latitude) in units; the last point joins the first.",
        "pub(crate) type Ring = &'static [(i32, i32)];",
        "",
        "#[rustfmt::skip]",
        "pub(crate) static SHAPES: &[(Region, &[Ring])] = &[",
    ];
    let mut out = header.join("\n") + "\n";
    for (region, shape) in regions {
        let _ = writeln!(out, "    (Region::{region:?}, &[");
        for ring in simplify(shape) {
            out.push_str("        &[");
            for (i, (lon, lat)) in ring.iter().enumerate() {
                if i % 10 == 0 {
                    out.push_str("\n          ");
                }
                let _ = write!(out, "({lon},{lat}),");
            }
            out.push_str("\n        ],\n");
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    out
}

/// The known towns of `shared`'s geo tests.
#[cfg(test)]
#[path = "../../shared/tests/towns/mod.rs"]
mod towns;

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Point};

    /// The full boundaries, or `None` (with a note) where `../shared/data` is not beside the
    /// repository.
    fn full_shapes() -> Option<Vec<(Region, MultiPolygon)>> {
        let source = source_path();
        if !source.exists() {
            println!("skipped: {} is absent", source.display());
            return None;
        }
        Some(read(&source).unwrap())
    }

    fn locate_in_full(shapes: &[(Region, MultiPolygon)], lat: f64, lon: f64) -> Option<Region> {
        let at = Point::new(lon, lat);
        shapes
            .iter()
            .find(|(_, shape)| shape.contains(&at))
            .map(|(region, _)| *region)
    }

    #[test]
    fn the_simplified_shapes_put_every_town_where_the_full_ones_do() {
        let Some(full) = full_shapes() else { return };
        for town in super::towns::TOWNS {
            let by_full = locate_in_full(&full, town.lat, town.lon);
            assert_eq!(by_full, town.region, "{} by the full shapes", town.name);
            let at = shared::geo::Point::new(town.lat, town.lon).unwrap();
            assert_eq!(shared::geo::locate(at), by_full, "{}", town.name);
        }
    }

    #[test]
    fn the_committed_shapes_are_what_the_generator_writes() {
        let Some(full) = full_shapes() else { return };
        let committed = fs::read_to_string(output_path()).unwrap();
        assert!(
            committed == generate(&full),
            "shared/src/geo/shapes.rs is stale: run `cargo xtask geo`"
        );
    }
}
