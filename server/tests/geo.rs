//! `GET /api/v1/geo/locate` (SPEC §7), through the real router. It does not touch the
//! database, so SQLite alone is enough.

mod common;

use axum::http::StatusCode;
use common::{has_cyrillic, Backend, Options, TestApp};
use serde_json::json;

async fn app() -> TestApp {
    let options = Options {
        demo: false,
        site: None,
    };
    TestApp::with(Backend::Sqlite, options)
        .await
        .expect("SQLite is always available")
}

#[tokio::test]
async fn a_point_is_answered_with_its_region_and_whether_it_is_a_destination() {
    let app = app().await;
    for (query, answer) in [
        // SPEC §7's example: Pavlodar.
        (
            "lat=52.2873&lon=76.9674",
            json!({"region": "pavlodar", "destination": true}),
        ),
        // Semey: Abai since 2022, not East Kazakhstan.
        (
            "lat=50.4111&lon=80.2275",
            json!({"region": "abai", "destination": true}),
        ),
        // Shymkent: a region people move from.
        (
            "lat=42.3174&lon=69.5901",
            json!({"region": "shymkent", "destination": false}),
        ),
        // Moscow, and Bishkek some 15 km beyond the border.
        (
            "lat=55.7558&lon=37.6173",
            json!({"region": null, "destination": false}),
        ),
        (
            "lon=74.5698&lat=42.8746",
            json!({"region": null, "destination": false}),
        ),
        // Edges of the coordinate ranges are points too.
        (
            "lat=-90&lon=180",
            json!({"region": null, "destination": false}),
        ),
        (
            "lat=%2052.2873%20&lon=76.9674",
            json!({"region": "pavlodar", "destination": true}),
        ),
    ] {
        let reply = app.get(&format!("/api/v1/geo/locate?{query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.text());
        assert_eq!(reply.json(), answer, "{query}");
    }
}

#[tokio::test]
async fn missing_unparsable_or_out_of_range_coordinates_are_a_400_naming_the_field() {
    let app = app().await;
    for (query, field) in [
        ("", "lat"),
        ("lon=76.9674", "lat"),
        ("lat=52.2873", "lon"),
        ("lat=&lon=76.9674", "lat"),
        ("lat=north&lon=76.9674", "lat"),
        ("lat=52,2873&lon=76.9674", "lat"),
        ("lat=52.2873&lon=76.9674e", "lon"),
        ("lat=NaN&lon=76.9674", "lat"),
        ("lat=52.2873&lon=inf", "lon"),
        ("lat=90.0001&lon=76.9674", "lat"),
        ("lat=-91&lon=76.9674", "lat"),
        ("lat=52.2873&lon=180.5", "lon"),
        ("lat=52.2873&lon=-181", "lon"),
    ] {
        let reply = app.get(&format!("/api/v1/geo/locate?{query}")).await;
        let error = reply.error(StatusCode::BAD_REQUEST, query);
        assert_eq!(error.code, "invalid_coordinate", "{query}");
        assert_eq!(error.field.as_deref(), Some(field), "{query}");
    }
    let twice = app.get("/api/v1/geo/locate?lat=1&lat=2&lon=3").await;
    let error = twice.error(StatusCode::BAD_REQUEST, "lat twice");
    assert_eq!(error.field.as_deref(), Some("lat"));
}

#[tokio::test]
async fn errors_are_in_the_language_asked() {
    let app = app().await;
    let uri = "/api/v1/geo/locate?lat=52.2873&lon=200";
    let en = app.get(uri).await.error(StatusCode::BAD_REQUEST, "en");
    assert!(en.message.contains("longitude"), "{}", en.message);
    assert!(en.message.contains("200"), "{}", en.message);
    let ru = app
        .get(&format!("{uri}&lang=ru"))
        .await
        .error(StatusCode::BAD_REQUEST, "ru");
    assert!(ru.message.contains("долгот"), "{}", ru.message);
    let kk = app
        .get_with(uri, &[("accept-language", "kk")])
        .await
        .error(StatusCode::BAD_REQUEST, "kk");
    assert!(kk.message.contains("бойлық"), "{}", kk.message);
    assert!(has_cyrillic(&kk.message) && kk.message != ru.message);
    let missing = app
        .get("/api/v1/geo/locate?lon=76&lang=ru")
        .await
        .error(StatusCode::BAD_REQUEST, "missing lat");
    assert!(missing.message.contains("широта"), "{}", missing.message);
}

#[tokio::test]
async fn the_openapi_document_describes_the_endpoint() {
    let app = app().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    let operation = &doc["paths"]["/api/v1/geo/locate"]["get"];
    for status in ["200", "400"] {
        assert!(operation["responses"][status].is_object(), "{status}");
    }
    let params: Vec<&str> = operation["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        params.contains(&"lat") && params.contains(&"lon"),
        "{params:?}"
    );
    assert!(doc["components"]["schemas"]["Location"]["properties"]["region"].is_object());
}
