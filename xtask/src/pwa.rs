//! Offline use and installation: the service worker, the web app manifests and icons.
//!
//! - `sw.js`, from the template `sw.js` next to this file: precaches exactly the files of
//!   this build in one cache named `qonys-<build version>`, so a new deployment installs a
//!   new cache next to the old one and switches over in one step (see the template).
//! - `manifest-<lang>.webmanifest` for each language, linked by the pages of that language.
//! - `icon.svg`, `icon-192.png`, `icon-512.png`, `icon-maskable-512.png`, drawn here: a white
//!   "Q" (a ring with a tail) on the brand blue. Nothing binary is kept in the repository.

use crate::dist::Assets;
use anyhow::{ensure, Context, Result};
use flate2::{write::ZlibEncoder, Compression, Crc};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Write;

/// The service worker template; `__NAME__` placeholders are filled by [`service_worker`].
const SW_TEMPLATE: &str = include_str!("sw.js");

/// Caches of this site are named `qonys-…`; the service worker deletes the others it finds.
const CACHE_PREFIX: &str = "qonys-";

/// Brand blue `#0b5394` and white.
const BRAND: [u8; 3] = [0x0b, 0x53, 0x94];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
const THEME_COLOR: &str = "#0b5394";
const BACKGROUND_COLOR: &str = "#ffffff";

/// Each language's manifest: name, short name and description.
const MANIFESTS: [(&str, &str, &str, &str); 3] = [
    (
        "kk",
        "Qonys — қоныс аудару",
        "Qonys",
        "Қоныс аударушыларға мемлекеттік қолдау: құқығыңызды және көмек мөлшерін тексеріңіз.",
    ),
    (
        "ru",
        "Qonys — переселение",
        "Qonys",
        "Государственная поддержка переселенцев: проверьте право на поддержку и её размер.",
    ),
    (
        "en",
        "Qonys — resettlement",
        "Qonys",
        "State resettlement support: check if you qualify and how much you get.",
    ),
];

/// The files to add to the site: `(name, bytes)`. `pages` are the paths of the pages kept
/// for offline use, `online` those of pages that need the server, `not_found` the pages to
/// fall back on in each language (`/kk/404.html`, `/kk/offline.html`), `built` every file
/// of the site written so far, whose contents make the build version.
pub fn files(
    assets: &Assets,
    pages: &[&str],
    online: &[&str],
    not_found: &[&str],
    built: &[(String, Vec<u8>)],
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("icon.svg".into(), icon_svg().into_bytes()),
        ("icon-192.png".into(), icon_png(192, Glyph::ANY)?),
        ("icon-512.png".into(), icon_png(512, Glyph::ANY)?),
        (
            "icon-maskable-512.png".into(),
            icon_png(512, Glyph::MASKABLE)?,
        ),
    ];
    for (lang, name, short_name, description) in MANIFESTS {
        files.push((
            format!("manifest-{lang}.webmanifest"),
            manifest(lang, name, short_name, description)?,
        ));
    }
    let sw = service_worker(assets, pages, online, not_found, built, &files)?;
    files.push(("sw.js".into(), sw.into_bytes()));
    Ok(files)
}

/// `sw.js`: the template with this build's file list and cache name.
fn service_worker(
    assets: &Assets,
    pages: &[&str],
    online: &[&str],
    not_found: &[&str],
    built: &[(String, Vec<u8>)],
    own_files: &[(String, Vec<u8>)],
) -> Result<String> {
    ensure!(!pages.is_empty(), "no pages to precache");
    for page in pages {
        ensure!(
            page.starts_with('/'),
            "page path {page:?} does not start with /"
        );
    }
    let hashed: Vec<String> = [&assets.boot, &assets.app.js, &assets.app.wasm, &assets.css]
        .iter()
        .map(|name| format!("/{name}"))
        .collect();
    let page_paths: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
    let not_found: Vec<String> = not_found.iter().map(|p| p.to_string()).collect();
    let precache: Vec<String> = hashed
        .iter()
        .chain(&page_paths)
        .chain(&not_found)
        .cloned()
        .chain(own_files.iter().map(|(name, _)| format!("/{name}")))
        .collect();

    // The build version: everything the cached files are made of.
    let mut digest = Sha256::new();
    for path in &precache {
        digest.update(path.as_bytes());
        digest.update(b"\n");
    }
    for (name, bytes) in built.iter().chain(own_files) {
        digest.update(name.as_bytes());
        digest.update(Sha256::digest(bytes));
    }
    digest.update(SW_TEMPLATE.as_bytes());
    let version: String = digest.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let cache = format!("{CACHE_PREFIX}{version}");

    let sw = SW_TEMPLATE
        .replace("__CACHE__", &cache)
        .replace("__CACHE_PREFIX__", CACHE_PREFIX)
        .replace("__PRECACHE__", &serde_json::to_string(&precache)?)
        .replace("__HASHED__", &serde_json::to_string(&hashed)?)
        .replace("__PAGES__", &serde_json::to_string(&page_paths)?)
        .replace("__NOT_FOUND__", &serde_json::to_string(&not_found)?)
        .replace("__ONLINE__", &serde_json::to_string(online)?)
        .replace("__BOOT__", &hashed[0]);
    ensure!(
        !sw.contains("__"),
        "sw.js template has a placeholder left: {}",
        sw.lines().find(|l| l.contains("__")).unwrap_or_default()
    );
    Ok(sw)
}

fn manifest(lang: &str, name: &str, short_name: &str, description: &str) -> Result<Vec<u8>> {
    let manifest = json!({
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": lang,
        "dir": "ltr",
        "start_url": format!("/{lang}/"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["government"],
        "icons": [
            { "src": "/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": "/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
            {
                "src": "/icon-maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable"
            }
        ]
    });
    let mut bytes = serde_json::to_vec_pretty(&manifest).context("manifest")?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The "Q", in units of the icon's side (0..1, y downwards): a ring and a tail with round
/// ends, drawn with a stroke of `STROKE`, scaled about the centre by the glyph's scale.
const RING_CENTRE: (f64, f64) = (0.5, 0.47);
const RING_RADIUS: f64 = 0.2;
const STROKE: f64 = 0.095;
const TAIL: [(f64, f64); 2] = [(0.56, 0.56), (0.71, 0.72)];

/// How big the glyph is drawn.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    scale: f64,
}

impl Glyph {
    /// Icons shown as they are.
    const ANY: Glyph = Glyph { scale: 1.2 };
    /// Icons the platform crops (to a circle at worst): the glyph stays inside the safe
    /// zone, the centred circle of 40 % of the side in radius.
    const MASKABLE: Glyph = Glyph { scale: 1.1 };

    /// Signed distance from `(x, y)` to the glyph's edge, in units of the side: negative
    /// inside the stroke.
    fn distance(self, x: f64, y: f64) -> f64 {
        // Undo the scaling about the centre, measure, then scale the distance back.
        let (ux, uy) = (0.5 + (x - 0.5) / self.scale, 0.5 + (y - 0.5) / self.scale);
        let ring = (hypot(ux - RING_CENTRE.0, uy - RING_CENTRE.1) - RING_RADIUS).abs();
        let tail = segment_distance((ux, uy), TAIL[0], TAIL[1]);
        (ring.min(tail) - STROKE / 2.0) * self.scale
    }
}

fn hypot(x: f64, y: f64) -> f64 {
    (x * x + y * y).sqrt()
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
    hypot(p.0 - (a.0 + t * dx), p.1 - (a.1 + t * dy))
}

/// The icon as RGB pixels, row by row: the glyph's edge is anti-aliased by how much of
/// each pixel it covers (from the distance to the edge).
fn icon_pixels(size: u32, glyph: Glyph) -> Vec<u8> {
    let side = f64::from(size);
    let mut rgb = Vec::with_capacity((size * size * 3) as usize);
    for row in 0..size {
        for col in 0..size {
            let (x, y) = ((f64::from(col) + 0.5) / side, (f64::from(row) + 0.5) / side);
            let coverage = (0.5 - glyph.distance(x, y) * side).clamp(0.0, 1.0);
            for (bg, fg) in BRAND.iter().zip(WHITE) {
                let value = f64::from(*bg) + (f64::from(fg) - f64::from(*bg)) * coverage;
                rgb.push(value.round() as u8);
            }
        }
    }
    rgb
}

fn icon_png(size: u32, glyph: Glyph) -> Result<Vec<u8>> {
    png_rgb(size, size, &icon_pixels(size, glyph))
}

/// The same drawing as SVG, for the favicon: a rounded square, since it is shown as is.
fn icon_svg() -> String {
    let scale = Glyph::ANY.scale;
    let number = |v: f64| {
        let s = format!("{:.1}", v * 100.0);
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    // A coordinate, scaled about the centre.
    let n = |v: f64| number(0.5 + (v - 0.5) * scale);
    let brand = format!("#{:02x}{:02x}{:02x}", BRAND[0], BRAND[1], BRAND[2]);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="{brand}"/><g fill="none" stroke="#fff" stroke-width="{w}" stroke-linecap="round"><circle cx="{cx}" cy="{cy}" r="{r}"/><path d="M{x1} {y1}L{x2} {y2}"/></g></svg>
"##,
        w = number(STROKE * scale),
        r = number(RING_RADIUS * scale),
        cx = n(RING_CENTRE.0),
        cy = n(RING_CENTRE.1),
        x1 = n(TAIL[0].0),
        y1 = n(TAIL[0].1),
        x2 = n(TAIL[1].0),
        y2 = n(TAIL[1].1),
    )
}

/// A PNG of 8-bit RGB pixels: signature, header, the zlib-compressed rows (each with
/// filter type 0), end. Small enough not to need an image crate.
fn png_rgb(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>> {
    let stride = width as usize * 3;
    ensure!(rgb.len() == stride * height as usize, "pixel data size");
    let mut header = Vec::with_capacity(13);
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    header.extend([8, 2, 0, 0, 0]);
    let mut raw = Vec::with_capacity((stride + 1) * height as usize);
    for row in rgb.chunks(stride) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::best());
    zlib.write_all(&raw)?;
    let data = zlib.finish()?;

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut png, b"IHDR", &header);
    png_chunk(&mut png, b"IDAT", &data);
    png_chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

fn png_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend((data.len() as u32).to_be_bytes());
    png.extend(kind);
    png.extend(data);
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend(crc.sum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::BundleAssets;
    use flate2::read::ZlibDecoder;
    use std::io::Read;

    const PAGES: [&str; 6] = [
        "/kk/",
        "/kk/check",
        "/ru/",
        "/ru/check",
        "/en/",
        "/en/check",
    ];

    const NOT_FOUND: [&str; 3] = ["/kk/404.html", "/ru/404.html", "/en/404.html"];

    fn assets() -> Assets {
        Assets {
            css: "style-0123456789.css".into(),
            boot: "boot-abcdef0123.js".into(),
            app: BundleAssets {
                js: "app-1111111111.js".into(),
                wasm: "app-2222222222_bg.wasm".into(),
            },
            account: BundleAssets {
                js: "account-6666666666.js".into(),
                wasm: "account-7777777777_bg.wasm".into(),
            },
            portal: BundleAssets {
                js: "portal-3333333333.js".into(),
                wasm: "portal-4444444444_bg.wasm".into(),
            },
        }
    }

    fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
        &files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .1
    }

    fn sw_text(assets: &Assets) -> String {
        let files = files(assets, &PAGES, &[], &NOT_FOUND, &[]).unwrap();
        String::from_utf8(file(&files, "sw.js").to_vec()).unwrap()
    }

    /// The JSON literal after `const <name> = ` in the service worker.
    fn sw_list(sw: &str, name: &str) -> Vec<String> {
        let start = format!("const {name} = ");
        let line = sw.lines().find(|l| l.starts_with(&start)).unwrap();
        serde_json::from_str(line[start.len()..].trim_end_matches(';')).unwrap()
    }

    fn cache_name(sw: &str) -> String {
        let line = sw
            .lines()
            .find(|l| l.starts_with("const CACHE = "))
            .unwrap();
        line.split('\'').nth(1).unwrap().to_string()
    }

    #[test]
    fn exactly_the_files_the_pages_link() {
        let files = files(&assets(), &PAGES, &[], &NOT_FOUND, &[]).unwrap();
        let mut names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "icon-192.png",
                "icon-512.png",
                "icon-maskable-512.png",
                "icon.svg",
                "manifest-en.webmanifest",
                "manifest-kk.webmanifest",
                "manifest-ru.webmanifest",
                "sw.js",
            ]
        );
    }

    #[test]
    fn the_worker_precaches_this_build_and_nothing_else() {
        let sw = sw_text(&assets());
        let precache = sw_list(&sw, "PRECACHE");
        let mut expected: Vec<String> = [
            "/boot-abcdef0123.js",
            "/app-1111111111.js",
            "/app-2222222222_bg.wasm",
            "/style-0123456789.css",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        expected.extend(PAGES.iter().map(|p| p.to_string()));
        expected.extend(NOT_FOUND.iter().map(|p| p.to_string()));
        expected.extend(
            [
                "/icon.svg",
                "/icon-192.png",
                "/icon-512.png",
                "/icon-maskable-512.png",
                "/manifest-kk.webmanifest",
                "/manifest-ru.webmanifest",
                "/manifest-en.webmanifest",
            ]
            .map(String::from),
        );
        assert_eq!(precache, expected);
        assert_eq!(sw_list(&sw, "HASHED"), expected[..4]);
        assert_eq!(sw_list(&sw, "PAGES"), expected[4..10]);
        assert_eq!(sw_list(&sw, "NOT_FOUND"), expected[10..13]);
        assert!(sw.contains("const BOOT = '/boot-abcdef0123.js';"), "{sw}");
        assert!(!sw.contains("__"));
    }

    #[test]
    fn a_new_build_gets_a_new_cache() {
        let first = cache_name(&sw_text(&assets()));
        assert!(first.starts_with("qonys-"), "{first}");
        assert_eq!(first.len(), "qonys-".len() + 12);
        assert!(first["qonys-".len()..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit()));
        assert_eq!(first, cache_name(&sw_text(&assets())), "deterministic");
        let mut changed = assets();
        changed.app.wasm = "app-5555555555_bg.wasm".into();
        assert_ne!(first, cache_name(&sw_text(&changed)));
        let fewer = files(&assets(), &PAGES[..4], &[], &NOT_FOUND, &[]).unwrap();
        let fewer = String::from_utf8(file(&fewer, "sw.js").to_vec()).unwrap();
        assert_ne!(first, cache_name(&fewer));
    }

    #[test]
    fn manifests_in_each_language() {
        let files = files(&assets(), &PAGES, &[], &NOT_FOUND, &[]).unwrap();
        for (lang, name) in [
            ("kk", "Qonys — қоныс аудару"),
            ("ru", "Qonys — переселение"),
            ("en", "Qonys — resettlement"),
        ] {
            let m: serde_json::Value =
                serde_json::from_slice(file(&files, &format!("manifest-{lang}.webmanifest")))
                    .unwrap();
            assert_eq!(m["name"], name);
            assert_eq!(m["short_name"], "Qonys");
            assert_eq!(m["lang"], lang);
            assert_eq!(m["start_url"], format!("/{lang}/"));
            assert_eq!(m["scope"], "/");
            assert_eq!(m["display"], "standalone");
            assert_eq!(m["theme_color"], "#0b5394");
            assert_eq!(m["background_color"], "#ffffff");
            let icons: Vec<(String, String, String)> = m["icons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    let s = |k: &str| i[k].as_str().unwrap().to_string();
                    (s("src"), s("sizes"), s("purpose"))
                })
                .collect();
            assert_eq!(
                icons,
                [
                    ("/icon-192.png", "192x192", "any"),
                    ("/icon-512.png", "512x512", "any"),
                    ("/icon-maskable-512.png", "512x512", "maskable"),
                ]
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            );
        }
    }

    /// Reads back a PNG written by `png_rgb`, checking its structure on the way.
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let mut at = 8;
        let (mut width, mut height, mut idat, mut kinds) = (0, 0, Vec::new(), Vec::new());
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind = &png[at + 4..at + 8];
            let data = &png[at + 8..at + 8 + len];
            let mut crc = Crc::new();
            crc.update(kind);
            crc.update(data);
            let stored = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(
                crc.sum(),
                stored,
                "CRC of {}",
                String::from_utf8_lossy(kind)
            );
            match kind {
                b"IHDR" => {
                    width = u32::from_be_bytes(data[..4].try_into().unwrap());
                    height = u32::from_be_bytes(data[4..8].try_into().unwrap());
                    assert_eq!(&data[8..], [8, 2, 0, 0, 0]);
                }
                b"IDAT" => idat.extend_from_slice(data),
                _ => {}
            }
            kinds.push(String::from_utf8_lossy(kind).to_string());
            at += 12 + len;
        }
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
        let mut raw = Vec::new();
        ZlibDecoder::new(&idat[..]).read_to_end(&mut raw).unwrap();
        let stride = width as usize * 3;
        assert_eq!(raw.len(), (stride + 1) * height as usize);
        let rgb = raw
            .chunks(stride + 1)
            .flat_map(|row| {
                assert_eq!(row[0], 0);
                row[1..].to_vec()
            })
            .collect();
        (width, height, rgb)
    }

    fn pixel(rgb: &[u8], size: u32, x: f64, y: f64) -> [u8; 3] {
        let (col, row) = (
            (x * f64::from(size)) as usize,
            (y * f64::from(size)) as usize,
        );
        let at = (row * size as usize + col) * 3;
        [rgb[at], rgb[at + 1], rgb[at + 2]]
    }

    #[test]
    fn icons_are_pngs_of_the_white_q_on_brand_blue() {
        let files = files(&assets(), &PAGES, &[], &NOT_FOUND, &[]).unwrap();
        for (name, size) in [
            ("icon-192.png", 192),
            ("icon-512.png", 512),
            ("icon-maskable-512.png", 512),
        ] {
            let (w, h, rgb) = decode(file(&files, name));
            assert_eq!((w, h), (size, size), "{name}");
            assert_eq!(pixel(&rgb, size, 0.01, 0.01), BRAND, "{name}: corner");
            assert_eq!(
                pixel(&rgb, size, 0.5, 0.47),
                BRAND,
                "{name}: inside the ring"
            );
        }
        let (_, _, rgb) = decode(file(&files, "icon-512.png"));
        // On the ring's stroke, left of its centre, and on the tail.
        assert_eq!(pixel(&rgb, 512, 0.26, 0.464), WHITE);
        assert_eq!(pixel(&rgb, 512, 0.662, 0.668), WHITE);
    }

    #[test]
    fn the_maskable_icon_keeps_the_glyph_in_the_safe_zone() {
        let files = files(&assets(), &PAGES, &[], &NOT_FOUND, &[]).unwrap();
        let (_, _, rgb) = decode(file(&files, "icon-maskable-512.png"));
        let mut glyph_pixels = 0;
        for (i, px) in rgb.chunks(3).enumerate() {
            if px != BRAND {
                glyph_pixels += 1;
                let (x, y) = ((i % 512) as f64 + 0.5, (i / 512) as f64 + 0.5);
                let r = hypot(x - 256.0, y - 256.0) / 512.0;
                assert!(
                    r <= 0.4,
                    "glyph pixel at ({x}, {y}) is outside the safe zone"
                );
            }
        }
        assert!(glyph_pixels > 10_000);
    }

    #[test]
    fn the_favicon_is_the_same_drawing() {
        let svg = icon_svg();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(r##"fill="#0b5394""##));
        assert!(
            svg.contains(r#"<circle cx="50" cy="46.4" r="24"/>"#),
            "{svg}"
        );
        assert!(svg.contains(r#"stroke-width="11.4""#), "{svg}");
    }
}
