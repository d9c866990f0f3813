//! `GET /geo/locate`: which region holds a point, by the shared geo-fence code (SPEC §7).

use super::openapi::schemas;
use crate::{
    error::ApiError,
    extract::ApiQuery,
    fail::{invalid, texts},
};
use axum::Json;
use serde::Deserialize;
use shared::{
    geo::{Location, Point},
    Policy,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocateQuery {
    /// Latitude in degrees (WGS 84), −90 to 90. Required.
    #[param(value_type = f64, minimum = -90, maximum = 90, example = 52.2873)]
    lat: Option<String>,
    /// Longitude in degrees (WGS 84), −180 to 180. Required.
    #[param(value_type = f64, minimum = -180, maximum = 180, example = 76.9674)]
    lon: Option<String>,
}

/// The region that holds a point, and whether the program resettles people to it. Outside
/// Kazakhstan the region is `null`. Boundaries: geokz 1.0.2 by Alexander Rodionov / Bureau
/// of National Statistics of Kazakhstan, CC BY 4.0, simplified to about 2 km.
#[utoipa::path(
    get,
    path = "/geo/locate",
    tag = "rules",
    params(LocateQuery),
    responses(
        (status = 200, description = "The region holding the point (`null` outside Kazakhstan) and whether it is a destination region", body = schemas::Location),
        (status = 400, description = "A coordinate missing, not a number or out of range (`invalid_coordinate`, `field`: `lat` or `lon`), or a parameter given twice (`invalid_query`)", body = schemas::ErrorBody),
    )
)]
pub async fn locate(ApiQuery(query): ApiQuery<LocateQuery>) -> Result<Json<Location>, ApiError> {
    let lat_text = query.lat.as_deref();
    let lon_text = query.lon.as_deref();
    let lat = number("lat", lat_text)?;
    let lon = number("lon", lon_text)?;
    let point = Point::new(lat, lon).map_err(|error| {
        let field = error.field();
        let text = if field == "lat" { lat_text } else { lon_text };
        not_a_coordinate(field, text.unwrap_or_default())
    })?;
    Ok(Json(Location::of(point, Policy::current())))
}

/// The parameter `field` as a number; its range is [`Point::new`]'s to check.
fn number(field: &'static str, text: Option<&str>) -> Result<f64, ApiError> {
    let Some(text) = text else {
        return Err(coordinate_required(field));
    };
    text.trim()
        .parse()
        .map_err(|_| not_a_coordinate(field, text))
}

/// How the messages name a coordinate: in Kazakh, in Russian (nominative and instrumental),
/// in English, and its limit in degrees.
struct Words {
    kk: &'static str,
    ru: &'static str,
    ru_as: &'static str,
    en: &'static str,
    limit: u16,
}

fn words(field: &str) -> Words {
    if field == "lat" {
        Words {
            kk: "ендік",
            ru: "широта",
            ru_as: "широтой",
            en: "latitude",
            limit: 90,
        }
    } else {
        Words {
            kk: "бойлық",
            ru: "долгота",
            ru_as: "долготой",
            en: "longitude",
            limit: 180,
        }
    }
}

fn coordinate_required(field: &str) -> ApiError {
    let w = words(field);
    invalid(
        field,
        "invalid_coordinate",
        texts(
            format!("«{field}» сұрау параметрі міндетті: градуспен берілген {}, мысалы: ?lat=52.2873&lon=76.9674.", w.kk),
            format!("Нужен параметр запроса «{field}» — {} в градусах, например: ?lat=52.2873&lon=76.9674.", w.ru),
            format!("The query parameter “{field}” is required: the {} in degrees, e.g. ?lat=52.2873&lon=76.9674.", w.en),
        ),
    )
}

fn not_a_coordinate(field: &str, value: &str) -> ApiError {
    let Words {
        kk,
        ru_as,
        en,
        limit,
        ..
    } = words(field);
    invalid(
        field,
        "invalid_coordinate",
        texts(
            format!("«{field}» параметрі −{limit}–{limit} аралығындағы сан, градуспен берілген {kk} болуы керек; көрсетілгені: «{value}»."),
            format!("Параметр «{field}» должен быть {ru_as} в градусах — числом от −{limit} до {limit}; указано: «{value}»."),
            format!("“{field}” must be the {en} in degrees, a number from −{limit} to {limit}; got “{value}”."),
        ),
    )
}
