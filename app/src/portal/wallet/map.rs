//! A small map of the person's region: its outline from the shared boundaries and the
//! payees' points, as inline SVG (no tile server, nothing fetched). The projection is
//! equirectangular with longitudes shrunk by the cosine of the middle latitude: at the
//! scale of one region that keeps shapes recognisable, and north is up.

use super::{payee_inside, region_name};
use crate::{
    i18n::{t, tf, WalletKey as K},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    geo::{region_outline, Point},
    wallet::Payee,
    Region,
};

/// The view box, in SVG user units.
pub const WIDTH: f64 = 320.0;
pub const HEIGHT: f64 = 220.0;
/// Room kept free at the edges, so points on the border are drawn whole.
const MARGIN: f64 = 8.0;

/// The brand and error colours of the style sheet (`--brand`, `--brand-dark`, `--bad`).
const BRAND: &str = "#0b5394";
const BRAND_DARK: &str = "#083d6d";
const BAD: &str = "#a8231b";

/// Degrees to view box units, fitted to a set of points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    west: f64,
    north: f64,
    /// Units per degree of longitude and of latitude.
    x_scale: f64,
    y_scale: f64,
    /// Where the fitted box starts, centring it in the view box.
    left: f64,
    top: f64,
}

impl Projection {
    /// The projection that fits every point inside the view box, centred; `None` without
    /// points.
    pub fn fit(points: impl IntoIterator<Item = Point>) -> Option<Projection> {
        let (mut south, mut north) = (f64::MAX, f64::MIN);
        let (mut west, mut east) = (f64::MAX, f64::MIN);
        for p in points {
            south = south.min(p.lat());
            north = north.max(p.lat());
            west = west.min(p.lon());
            east = east.max(p.lon());
        }
        if south > north {
            return None;
        }
        let squeeze = ((south + north) / 2.0).to_radians().cos();
        // A single point (or a line) has no extent to fit: any positive one will do.
        let span_x = ((east - west) * squeeze).max(1e-9);
        let span_y = (north - south).max(1e-9);
        let scale = ((WIDTH - 2.0 * MARGIN) / span_x).min((HEIGHT - 2.0 * MARGIN) / span_y);
        Some(Projection {
            west,
            north,
            x_scale: squeeze * scale,
            y_scale: scale,
            left: (WIDTH - (east - west) * squeeze * scale) / 2.0,
            top: (HEIGHT - (north - south) * scale) / 2.0,
        })
    }

    /// `(x, y)` in the view box; y grows southwards.
    pub fn project(&self, p: Point) -> (f64, f64) {
        (
            self.left + (p.lon() - self.west) * self.x_scale,
            self.top + (self.north - p.lat()) * self.y_scale,
        )
    }

    /// An SVG path of closed rings: `M x y L x y … Z` for each.
    fn path(&self, rings: &[Vec<Point>]) -> String {
        let mut d = String::new();
        for ring in rings {
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = self.project(*p);
                let command = if i == 0 { 'M' } else { 'L' };
                d.push_str(&format!("{command}{x:.1} {y:.1}"));
            }
            if !ring.is_empty() {
                d.push('Z');
            }
        }
        d
    }
}

/// A payee on the map.
struct Mark {
    name: String,
    at: Point,
    inside: bool,
}

/// The payees worth drawing: those registered for `region`, and any other whose point is
/// in it. Payees of far regions are left out, so the region is not shrunk to a dot.
fn marks(region: Region, payees: &[Payee]) -> Vec<Mark> {
    payees
        .iter()
        .filter_map(|p| {
            let at = Point::new(p.location.lat, p.location.lon).ok()?;
            let inside = payee_inside(region, p);
            (p.region == region || inside).then(|| Mark {
                name: p.name.clone(),
                at,
                inside,
            })
        })
        .collect()
}

#[component]
pub(super) fn RegionMap(region: Region, payees: Vec<Payee>) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let outline = region_outline(region);
    let marks = marks(region, &payees);
    let points = outline
        .iter()
        .flatten()
        .copied()
        .chain(marks.iter().map(|m| m.at));
    let Some(projection) = Projection::fit(points) else {
        return ().into_any();
    };
    let inside = marks.iter().filter(|m| m.inside).count();
    let name = region_name(region, l);
    let description = tf(
        l,
        K::MapDescription,
        &[
            &name,
            &inside.to_string(),
            &(marks.len() - inside).to_string(),
        ],
    );
    let circles = marks
        .iter()
        .map(|m| {
            let (x, y) = projection.project(m.at);
            let (fill, stroke) = if m.inside {
                (BRAND, "#ffffff")
            } else {
                ("#ffffff", BAD)
            };
            view! {
                <circle
                    class="payee-point"
                    data-inside=m.inside.to_string()
                    cx=format!("{x:.1}")
                    cy=format!("{y:.1}")
                    r="5"
                    fill=fill
                    stroke=stroke
                    stroke-width="2"
                >
                    <title>{m.name.clone()}</title>
                </circle>
            }
        })
        .collect_view();
    view! {
        <figure class="region-map" id="wallet-map">
            <svg
                role="img"
                aria-labelledby="wallet-map-title wallet-map-desc"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                width="100%"
            >
                <title id="wallet-map-title">{tf(l, K::MapTitleRegion, &[&name])}</title>
                <desc id="wallet-map-desc">{description}</desc>
                <path
                    d=projection.path(&outline)
                    fill="#e6eef7"
                    stroke=BRAND_DARK
                    stroke-width="1"
                    fill-rule="evenodd"
                />
                {circles}
            </svg>
            <figcaption>
                <ul class="map-legend">
                    <li>
                        <Swatch fill=BRAND stroke="#ffffff"/>
                        " "
                        {t(l, K::InsideYourRegion)}
                    </li>
                    <li>
                        <Swatch fill="#ffffff" stroke=BAD/>
                        " "
                        {t(l, K::OutsideYourRegion)}
                    </li>
                </ul>
                <p class="note">{t(l, K::MapCredit)}</p>
            </figcaption>
        </figure>
    }
    .into_any()
}

/// A legend's dot, as drawn on the map.
#[component]
fn Swatch(fill: &'static str, stroke: &'static str) -> impl IntoView {
    view! {
        <svg aria-hidden="true" width="14" height="14" viewBox="0 0 14 14">
            <circle cx="7" cy="7" r="5" fill=fill stroke=stroke stroke-width="2"/>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64) -> Point {
        Point::new(lat, lon).unwrap()
    }

    fn in_view_box((x, y): (f64, f64)) -> bool {
        (0.0..=WIDTH).contains(&x) && (0.0..=HEIGHT).contains(&y)
    }

    #[test]
    fn every_point_of_the_region_lands_in_the_view_box() {
        let outline = region_outline(Region::Pavlodar);
        let payee = point(52.2873, 76.9674);
        let far = point(43.2389, 76.8897);
        let projection =
            Projection::fit(outline.iter().flatten().copied().chain([payee, far])).unwrap();
        for p in outline.iter().flatten().chain([&payee, &far]) {
            assert!(in_view_box(projection.project(*p)), "{p:?}");
        }
    }

    #[test]
    fn north_is_up_and_east_is_right() {
        let projection = Projection::fit([point(50.0, 70.0), point(54.0, 80.0)]).unwrap();
        let (west_x, north_y) = projection.project(point(54.0, 70.0));
        let (east_x, south_y) = projection.project(point(50.0, 80.0));
        assert!(north_y < south_y);
        assert!(west_x < east_x);
        // Fitted to the margins on the constraining side, centred on the other.
        let (x0, y0) = projection.project(point(50.0, 70.0));
        let (x1, y1) = projection.project(point(54.0, 80.0));
        assert!((x0 - MARGIN).abs() < 1e-9 || (y1 - MARGIN).abs() < 1e-9);
        assert!(((x0 + x1) / 2.0 - WIDTH / 2.0).abs() < 1e-9);
        assert!(((y0 + y1) / 2.0 - HEIGHT / 2.0).abs() < 1e-9);
    }

    #[test]
    fn longitudes_shrink_with_latitude() {
        // One degree each way at 60° N: the longitude degree is half as wide.
        let p = Projection::fit([point(59.5, 70.0), point(60.5, 71.0)]).unwrap();
        let (x0, _) = p.project(point(60.0, 70.0));
        let (x1, _) = p.project(point(60.0, 71.0));
        let (_, y0) = p.project(point(60.0, 70.0));
        let (_, y1) = p.project(point(59.0, 70.0));
        assert!(((x1 - x0) / (y1 - y0) - 0.5).abs() < 1e-3);
    }

    #[test]
    fn a_single_point_sits_in_the_middle_and_nothing_fits_nothing() {
        let p = Projection::fit([point(52.0, 77.0)]).unwrap();
        assert_eq!(p.project(point(52.0, 77.0)), (WIDTH / 2.0, HEIGHT / 2.0));
        assert!(Projection::fit([]).is_none());
    }

    #[test]
    fn the_map_draws_the_outline_and_the_payees() {
        let payee = Payee {
            id: 1,
            name: "Askar".into(),
            id_number: None,
            category: shared::wallet::PayeeCategory::Rent,
            address: "Toraigyrov 1".into(),
            region: Region::Pavlodar,
            location: shared::wallet::LatLon {
                lat: 52.2873,
                lon: 76.9674,
            },
            inside_region: true,
            status: shared::wallet::PayeeStatus::Active,
        };
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| shared::Lang::Ru),
                from_url: Memo::new(|_| Some(shared::Lang::Ru)),
            });
            view! { <RegionMap region=Region::Pavlodar payees=vec![payee]/> }.to_html()
        });
        assert!(html.contains(r#"role="img""#), "{html}");
        assert!(html.contains(r#"viewBox="0 0 320 220""#), "{html}");
        assert!(html.contains(r#"data-inside="true""#));
        assert!(html.contains("<path d=\"M"));
        assert!(html.contains("CC BY 4.0"));
    }
}
