//! Known places and the region that holds each (`None`: outside Kazakhstan), for the geo
//! tests of `shared` and for xtask's test that the simplified boundaries agree with the full
//! ones. Town centres, WGS 84.

use shared::Region;

pub struct Town {
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub region: Option<Region>,
}

const fn town(name: &'static str, lat: f64, lon: f64, region: Option<Region>) -> Town {
    Town {
        name,
        lat,
        lon,
        region,
    }
}

use Region::*;

pub const TOWNS: &[Town] = &[
    town("Pavlodar", 52.2873, 76.9674, Some(Pavlodar)),
    town("Ekibastuz", 51.7298, 75.3266, Some(Pavlodar)),
    town("Petropavl", 54.8728, 69.1430, Some(NorthKazakhstan)),
    town("Kostanay", 53.2144, 63.6246, Some(Kostanay)),
    // Abai, Ulytau and Zhetysu were split off in 2022: their towns must not fall in the
    // parent oblasts (East Kazakhstan, Karaganda, Almaty region).
    town("Semey", 50.4111, 80.2275, Some(Abai)),
    town("Ayagoz", 47.9667, 80.4333, Some(Abai)),
    // 4 km from the border with Pavlodar region.
    town("Kurchatov", 50.7561, 78.5419, Some(Abai)),
    town("Oskemen", 49.9483, 82.6279, Some(EastKazakhstan)),
    town("Zhezkazgan", 47.7833, 67.7144, Some(Ulytau)),
    town("Satpayev", 47.9000, 67.5333, Some(Ulytau)),
    town("Karazhal", 48.0025, 70.7958, Some(Ulytau)),
    town("Karaganda", 49.8047, 73.1094, Some(Karaganda)),
    town("Balkhash", 46.8481, 74.9950, Some(Karaganda)),
    town("Taldykorgan", 45.0156, 78.3739, Some(Zhetysu)),
    town("Ushtobe", 45.2514, 77.9838, Some(Zhetysu)),
    town("Zharkent", 44.1628, 80.0000, Some(Zhetysu)),
    town("Konaev", 43.8667, 77.0667, Some(AlmatyRegion)),
    // 7 km from the city of Almaty.
    town("Talgar", 43.3033, 77.2400, Some(AlmatyRegion)),
    town("Oral", 51.2333, 51.3667, Some(WestKazakhstan)),
    town("Aktobe", 50.2839, 57.1670, Some(Aktobe)),
    town("Kokshetau", 53.2833, 69.3833, Some(Akmola)),
    town("Astana", 51.1694, 71.4491, Some(Astana)),
    town("Almaty", 43.2567, 76.9286, Some(AlmatyCity)),
    town("Shymkent", 42.3174, 69.5901, Some(Shymkent)),
    town("Turkistan", 43.2973, 68.2518, Some(Turkestan)),
    town("Taraz", 42.9000, 71.3667, Some(Zhambyl)),
    town("Kyzylorda", 44.8528, 65.5092, Some(Kyzylorda)),
    // On the Caspian shore, a kilometre from the water.
    town("Aktau", 43.6500, 51.1500, Some(Mangystau)),
    town("Moscow", 55.7558, 37.6173, None),
    // Bishkek and Tashkent lie some 15 km from Kazakhstan.
    town("Bishkek", 42.8746, 74.5698, None),
    town("Tashkent", 41.2995, 69.2401, None),
    town("Urumqi", 43.8256, 87.6168, None),
    town("the Caspian Sea west of Aktau", 43.6000, 50.5000, None),
    town("0°N 0°E", 0.0, 0.0, None),
];
