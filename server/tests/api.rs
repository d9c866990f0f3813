//! The public API, driven in-process through the real router, on SQLite and PostgreSQL.

mod common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{has_cyrillic, Backend, Options, TestApp, ELIGIBILITY, SPEC_REQUEST};
use serde_json::Value;
use shared::{api::API_PREFIX, Lang, Policy, Region};
use std::collections::BTreeSet;

on_both_backends!(
    health_answers_ok_when_the_database_is_up,
    health_answers_503_when_the_database_is_gone,
    policy_is_served_with_its_version,
    quotas_show_the_demo_data_per_region,
    quotas_follow_staff_changes,
    quotas_reject_a_bad_year,
    spec_worked_example_is_eligible_with_its_amounts,
    language_comes_from_query_then_accept_language,
    exhausted_quota_fails_e7,
    year_without_quotas_fails_e7,
    as_of_defaults_to_today,
    bad_input_is_a_4xx_json_error,
    errors_speak_the_language_asked,
    demo_seeding_happens_once,
    openapi_documents_every_endpoint,
    security_headers_and_compression_on_api_responses,
);

fn destinations() -> BTreeSet<String> {
    Policy::current()
        .destinations()
        .map(|r| r.id().to_string())
        .collect()
}

async fn health_answers_ok_when_the_database_is_up(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let reply = app.get("/api/v1/health").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), serde_json::json!({"status": "ok"}));
}

async fn health_answers_503_when_the_database_is_gone(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let router = app.router_sharing_store(std::path::Path::new("/nonexistent"));
    let up = common::send(&router, get("/api/v1/health")).await;
    assert_eq!(up.status, StatusCode::OK);
    app.store.close().await;
    let down = common::send(&router, get("/api/v1/health")).await;
    down.assert_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "health with the pool closed",
    );
    // Other endpoints that need the database degrade the same way, still as JSON.
    let quotas = common::send(&router, get("/api/v1/quotas?year=2026")).await;
    quotas.assert_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "quotas with the pool closed",
    );
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

async fn policy_is_served_with_its_version(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let reply = app.get("/api/v1/policy").await;
    assert_eq!(reply.status, StatusCode::OK);
    let policy = reply.json();
    let version = policy["version"].as_str().expect("version is a string");
    assert!(!version.is_empty());
    assert_eq!(version, Policy::current().version);
    // The MRP history of SPEC §2, with effective dates.
    let mrp: Vec<(String, String)> = policy["parameters"]["mrp"]["values"]
        .as_array()
        .expect("mrp values")
        .iter()
        .map(|v| {
            (
                v["from"].as_str().unwrap().to_string(),
                v["value"].to_string().trim_matches('"').to_string(),
            )
        })
        .collect();
    for (from, value) in [
        ("2024-01-01", "3692"),
        ("2025-01-01", "3932"),
        ("2026-01-01", "4325"),
    ] {
        assert!(
            mrp.contains(&(from.to_string(), value.to_string())),
            "MRP {value} from {from} missing in {mrp:?}"
        );
    }
}

async fn quotas_show_the_demo_data_per_region(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for year in [2024, 2025, 2026] {
        let reply = app.get(&format!("/api/v1/quotas?year={year}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{year}");
        let quotas = reply.json();
        let quotas = quotas.as_object().expect("an object keyed by region id");
        let regions: BTreeSet<String> = quotas.keys().cloned().collect();
        assert_eq!(regions, destinations(), "{year}: every resettlement region");
        for (region, q) in quotas {
            let quota = q["quota"].as_u64().unwrap();
            let used = q["used"].as_u64().unwrap();
            let remaining = q["remaining"].as_u64().unwrap();
            assert!(quota > 0, "{year} {region}");
            assert!(used <= quota, "{year} {region}");
            assert_eq!(remaining, quota - used, "{year} {region}");
        }
    }
    let now = app.get("/api/v1/quotas?year=2026").await.json();
    let statuses: Vec<&Value> = now.as_object().unwrap().values().collect();
    assert!(
        statuses.iter().any(|q| q["remaining"] == 0),
        "one region is exhausted in 2026"
    );
    assert!(
        statuses
            .iter()
            .any(|q| q["used"].as_u64().unwrap() > 0 && q["remaining"].as_u64().unwrap() > 0),
        "some region is partly used"
    );
    // No quotas were set for this year: an empty map, not an error.
    let empty = app.get("/api/v1/quotas?year=2030").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.json(), serde_json::json!({}));
}

async fn quotas_follow_staff_changes(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.store
        .set_quota(Region::Pavlodar, 2026, 77, 70)
        .await
        .unwrap();
    let quotas = app.get("/api/v1/quotas?year=2026").await.json();
    assert_eq!(
        quotas["pavlodar"],
        serde_json::json!({"quota": 77, "used": 70, "remaining": 7})
    );
    // More used than the quota (the quota was lowered): nothing left, never negative.
    app.store
        .set_quota(Region::Pavlodar, 2026, 60, 70)
        .await
        .unwrap();
    let quotas = app.get("/api/v1/quotas?year=2026").await.json();
    assert_eq!(quotas["pavlodar"]["remaining"], 0);
}

async fn quotas_reject_a_bad_year(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for query in [
        "",
        "?year=",
        "?year=abc",
        "?year=1999",
        "?year=2101",
        "?year=2026.5",
        "?year=-2026",
        "?year=99999999999999999999",
        "?year=2026&year=2027",
        "?yaer=2026",
    ] {
        let reply = app.get(&format!("/api/v1/quotas{query}")).await;
        reply.assert_error(StatusCode::BAD_REQUEST, query);
    }
    let missing = app.get("/api/v1/quotas").await.json();
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("year"),
        "the message says what is missing"
    );
}

async fn spec_worked_example_is_eligible_with_its_amounts(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let reply = app.post_json(ELIGIBILITY, SPEC_REQUEST, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer = reply.json();
    assert_eq!(answer["eligible"], true, "{answer:#}");
    let entitlements = &answer["entitlements"];
    assert_eq!(entitlements["relocation_subsidy"], "908250");
    assert_eq!(entitlements["monthly_voucher"], "108125");
    assert_eq!(entitlements["voucher_months"], 12);
    assert_eq!(entitlements["employer_housing_limit"], "1946250");
    let rules = answer["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]);
    for rule in rules {
        assert_eq!(rule["passed"], true, "{rule}");
        assert!(!rule["reason"].as_str().unwrap().is_empty(), "{rule}");
        assert!(!rule["citation"].as_str().unwrap().is_empty(), "{rule}");
    }
    assert_eq!(answer["warnings"], serde_json::json!([]));
    assert_eq!(answer["policy_version"], Policy::current().version.as_str());
    assert_eq!(answer["as_of"], "2026-03-01");
}

async fn language_comes_from_query_then_accept_language(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let reasons = |answer: &Value| -> Vec<String> {
        answer["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reason"].as_str().unwrap().to_string())
            .collect()
    };
    let ask = |uri: &'static str, accept: Option<&'static str>| {
        let app = &app;
        async move {
            let headers: Vec<(&str, &str)> = accept
                .map(|a| vec![("accept-language", a)])
                .unwrap_or_default();
            let reply = app.post_json(uri, SPEC_REQUEST, &headers).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri} {accept:?}");
            let lang = reply.header("content-language").map(str::to_string);
            let answer = reply.json();
            assert_eq!(
                lang.as_deref(),
                answer["lang"].as_str(),
                "Content-Language matches the body"
            );
            answer
        }
    };

    let default = ask(ELIGIBILITY, None).await;
    assert_eq!(default["lang"], "en");
    assert!(!reasons(&default).iter().any(|r| has_cyrillic(r)));

    let ru = ask("/api/v1/eligibility?lang=ru", None).await;
    assert_eq!(ru["lang"], "ru");
    assert!(reasons(&ru).iter().all(|r| has_cyrillic(r)), "{ru:#}");

    let kk = ask("/api/v1/eligibility?lang=kk", None).await;
    assert_eq!(kk["lang"], "kk");
    assert_ne!(reasons(&kk), reasons(&ru));
    assert_ne!(reasons(&kk), reasons(&default));

    let by_header = ask(ELIGIBILITY, Some("ru-RU,ru;q=0.9,en;q=0.8")).await;
    assert_eq!(by_header["lang"], "ru");
    assert_eq!(reasons(&by_header), reasons(&ru));

    let unsupported = ask(ELIGIBILITY, Some("de-DE,fr;q=0.5")).await;
    assert_eq!(unsupported["lang"], "en");

    let query_wins = ask("/api/v1/eligibility?lang=kk", Some("ru")).await;
    assert_eq!(query_wins["lang"], "kk");
    assert_eq!(reasons(&query_wins), reasons(&kk));
}

async fn exhausted_quota_fails_e7(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let quotas = app.get("/api/v1/quotas?year=2026").await.json();
    let (exhausted, _) = quotas
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, q)| q["remaining"] == 0)
        .expect("the demo data has an exhausted region in 2026");
    let request = SPEC_REQUEST.replace("north_kazakhstan", exhausted);
    let answer = app.post_json(ELIGIBILITY, &request, &[]).await.json();
    assert_eq!(answer["eligible"], false);
    assert_eq!(answer["entitlements"], Value::Null);
    for rule in answer["rules"].as_array().unwrap() {
        let expect_pass = rule["id"] != "E7";
        assert_eq!(rule["passed"], expect_pass, "{rule}");
    }

    // Staff using up the last place elsewhere is seen at once.
    app.store
        .set_quota(Region::NorthKazakhstan, 2026, 5, 5)
        .await
        .unwrap();
    let answer = app.post_json(ELIGIBILITY, SPEC_REQUEST, &[]).await.json();
    assert_eq!(answer["eligible"], false);
    assert_eq!(answer["rules"][6]["id"], "E7");
    assert_eq!(answer["rules"][6]["passed"], false);
}

async fn year_without_quotas_fails_e7(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let request = SPEC_REQUEST.replace("2026-03-01", "2027-03-01");
    let reply = app.post_json(ELIGIBILITY, &request, &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let answer = reply.json();
    assert_eq!(answer["eligible"], false);
    assert_eq!(answer["rules"][6]["passed"], false);
}

async fn as_of_defaults_to_today(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let request = SPEC_REQUEST.replace("\"as_of\": \"2026-03-01\",", "");
    let reply = app.post_json(ELIGIBILITY, &request, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(reply.json()["as_of"], today.as_str());
}

async fn bad_input_is_a_4xx_json_error(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let spec = SPEC_REQUEST;
    let huge = format!(
        "{{\"pad\": \"{}\"}}",
        "x".repeat(server::routes::BODY_LIMIT + 1)
    );
    let without_destination = {
        let mut v: Value = serde_json::from_str(spec).unwrap();
        v.as_object_mut().unwrap().remove("destination");
        v.to_string()
    };
    let without_birth_date = spec.replace("\"birth_date\": \"1990-05-14\",", "");
    assert_ne!(without_birth_date, spec);
    let applicant_as_text = {
        let mut v: Value = serde_json::from_str(spec).unwrap();
        v["applicant"] = Value::from("me");
        v.to_string()
    };
    // (case, content type, body, status, code, field, a word the message must contain)
    let json = Some("application/json");
    let bad = StatusCode::BAD_REQUEST;
    #[rustfmt::skip]
    let cases = vec![
        ("truncated JSON", json, spec[..40].to_string(), bad, "malformed_json", None, "line"),
        ("not JSON", json, "hello".into(), bad, "malformed_json", None, "JSON"),
        ("trailing text", json, format!("{spec} x"), bad, "malformed_json", None, "JSON"),
        ("empty body", json, String::new(), bad, "malformed_json", None, "empty"),
        ("an array", json, "[]".into(), bad, "invalid_type", None, "object"),
        ("family size as text", json, spec.replace("\"family_size\": 3", "\"family_size\": \"3\""), bad, "invalid_type", Some("family_size"), "1 to 15"),
        ("family size 0", json, spec.replace("\"family_size\": 3", "\"family_size\": 0"), bad, "family_size_out_of_range", Some("family_size"), "got 0"),
        ("family size 16", json, spec.replace("\"family_size\": 3", "\"family_size\": 16"), bad, "family_size_out_of_range", Some("family_size"), "got 16"),
        ("family size negative", json, spec.replace("\"family_size\": 3", "\"family_size\": -1"), bad, "family_size_out_of_range", Some("family_size"), "-1"),
        ("family size fractional", json, spec.replace("\"family_size\": 3", "\"family_size\": 2.5"), bad, "family_size_out_of_range", Some("family_size"), "2.5"),
        ("missing field", json, without_destination, bad, "missing_field", Some("destination"), "destination"),
        ("missing nested field", json, without_birth_date, bad, "missing_field", Some("applicant.birth_date"), "applicant.birth_date"),
        ("unknown field", json, spec.replacen('{', "{\"nickname\": \"x\",", 1), bad, "unknown_field", Some("nickname"), "nickname"),
        ("unknown nested field", json, spec.replace("\"citizenship\"", "\"shoe_size\": 42, \"citizenship\""), bad, "unknown_field", Some("applicant.shoe_size"), "shoe_size"),
        ("a field twice", json, spec.replace("\"family_size\": 3", "\"family_size\": 3, \"family_size\": 2"), bad, "duplicate_field", Some("family_size"), "family_size"),
        ("unknown destination region", json, spec.replace("north_kazakhstan", "narnia"), bad, "unknown_region", Some("destination.region"), "narnia"),
        ("unknown current region", json, spec.replace("turkestan", "atlantis"), bad, "unknown_region", Some("applicant.current_region"), "atlantis"),
        ("region as a number", json, spec.replace("\"turkestan\"", "17"), bad, "invalid_type", Some("applicant.current_region"), "region id"),
        ("unknown citizenship", json, spec.replace("\"citizen\"", "\"martian\""), bad, "invalid_value", Some("applicant.citizenship"), "martian"),
        ("unknown settlement", json, spec.replace("\"urban\"", "\"orbital\""), bad, "invalid_value", Some("destination.settlement"), "orbital"),
        ("impossible as_of", json, spec.replace("2026-03-01", "2026-02-30"), bad, "invalid_date", Some("as_of"), "2026-02-30"),
        ("impossible birth date", json, spec.replace("1990-05-14", "1990-02-30"), bad, "invalid_date", Some("applicant.birth_date"), "1990-02-30"),
        ("date in another format", json, spec.replace("1990-05-14", "14.05.1990"), bad, "invalid_date", Some("applicant.birth_date"), "YYYY-MM-DD"),
        ("date as a number", json, spec.replace("\"1990-05-14\"", "19900514"), bad, "invalid_type", Some("applicant.birth_date"), "YYYY-MM-DD"),
        ("iin as a number", json, spec.replace("\"900514300121\"", "900514300121"), bad, "invalid_type", Some("applicant.iin"), "12 digits"),
        ("support as text", json, spec.replace("\"prior_resettlement_support\": false", "\"prior_resettlement_support\": \"no\""), bad, "invalid_type", Some("applicant.prior_resettlement_support"), "true or false"),
        ("applicant as text", json, applicant_as_text, bad, "invalid_type", Some("applicant"), "object"),
        ("as_of before the policy", json, spec.replace("2026-03-01", "2019-06-01"), bad, "as_of_out_of_range", Some("as_of"), "1 January 2024"),
        ("missing content type", None, spec.into(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", None, "application/json"),
        ("text content type", Some("text/plain"), spec.into(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", None, "application/json"),
        ("form content type", Some("application/x-www-form-urlencoded"), spec.into(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", None, "application/json"),
        ("huge body", json, huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None, "16 KiB"),
        ("invalid UTF-8", json, String::new(), bad, "malformed_json", None, "JSON"),
    ];
    for (case, content_type, body, status, code, field, word) in cases {
        let mut request = Request::post(ELIGIBILITY);
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let body = if case == "invalid UTF-8" {
            Body::from(b"{\"as_of\": \"\xff\"}".to_vec())
        } else {
            Body::from(body)
        };
        let reply = app.send(request.body(body).unwrap()).await;
        let error = reply.error(status, case);
        assert_no_parser_text(&error.message, case);
        assert_eq!(error.code, code, "{case}: {error:?}");
        assert_eq!(error.field.as_deref(), field, "{case}: {error:?}");
        assert!(
            error.message.contains(word),
            "{case}: `{}` should mention `{word}`",
            error.message
        );
    }

    let error = app
        .post_json("/api/v1/eligibility?lang=de", SPEC_REQUEST, &[])
        .await
        .error(StatusCode::BAD_REQUEST, "unknown lang");
    assert_eq!(
        (error.code.as_str(), error.field.as_deref()),
        ("invalid_lang", Some("lang"))
    );
    assert!(error.message.contains("de"), "{error:?}");

    // JSON with a charset parameter is still JSON, and so is a +json type.
    for content_type in [
        "application/json; charset=utf-8",
        "application/problem+json",
    ] {
        let ok = app
            .send(
                Request::post(ELIGIBILITY)
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(SPEC_REQUEST))
                    .unwrap(),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{content_type}");
    }

    // Query parameters: the year of the quotas, and any parameter given twice.
    for (uri, code, field) in [
        ("/api/v1/quotas", "invalid_year", "year"),
        ("/api/v1/quotas?year=abc", "invalid_year", "year"),
        ("/api/v1/quotas?year=1999", "invalid_year", "year"),
        (
            "/api/v1/quotas?year=2026&year=2027",
            "invalid_query",
            "year",
        ),
        ("/api/v1/quotas?year=%FF", "invalid_query", ""),
    ] {
        let error = app.get(uri).await.error(StatusCode::BAD_REQUEST, uri);
        assert_eq!(error.code, code, "{uri}: {error:?}");
        assert_eq!(error.field.as_deref().unwrap_or_default(), field, "{uri}");
    }
    let error = app
        .post_json("/api/v1/eligibility?lang=kk&lang=ru", SPEC_REQUEST, &[])
        .await
        .error(StatusCode::BAD_REQUEST, "lang twice");
    assert_eq!(
        (error.code.as_str(), error.field.as_deref()),
        ("invalid_query", Some("lang"))
    );

    // Paths and methods.
    let routing: [(&str, &str, StatusCode, &str); 8] = [
        ("GET", "/api/v1/nope", StatusCode::NOT_FOUND, "not_found"),
        ("GET", "/api/v2/health", StatusCode::NOT_FOUND, "not_found"),
        ("GET", "/api", StatusCode::NOT_FOUND, "not_found"),
        (
            "POST",
            "/api/v1/does/not/exist",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "GET",
            ELIGIBILITY,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            "POST",
            "/api/v1/policy",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            "DELETE",
            "/api/v1/quotas?year=2026",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            "PUT",
            "/api/v1/health",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ];
    for (m, uri, status, code) in routing {
        let request = Request::builder()
            .method(common::method(m))
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let error = app.send(request).await.error(status, &format!("{m} {uri}"));
        assert_eq!(error.code, code, "{m} {uri}");
        assert_eq!(error.field, None, "{m} {uri}");
    }
}

/// Errors in Kazakh, Russian and English: the same code and field in every language, a
/// message written in the language asked for (by `?lang=` or `Accept-Language`), with
/// `Content-Language`, and never the words of a parser.
async fn errors_speak_the_language_asked(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let spec = SPEC_REQUEST;
    let huge = format!(
        "{{\"pad\": \"{}\"}}",
        "x".repeat(server::routes::BODY_LIMIT + 1)
    );
    let without_destination = spec.replace(
        ",\n      \"destination\": { \"region\": \"north_kazakhstan\", \"settlement\": \"urban\" }",
        "",
    );
    assert_ne!(without_destination, spec);
    let json = Some("application/json");
    // (case, method, path and query, content type, body, status, code, field)
    #[rustfmt::skip]
    let cases = vec![
        ("malformed JSON", "POST", ELIGIBILITY, json, spec[..60].to_string(), StatusCode::BAD_REQUEST, "malformed_json", None),
        ("wrong type", "POST", ELIGIBILITY, json, spec.replace("\"family_size\": 3", "\"family_size\": \"3\""), StatusCode::BAD_REQUEST, "invalid_type", Some("family_size")),
        ("unknown field", "POST", ELIGIBILITY, json, spec.replace("\"citizenship\"", "\"shoe_size\": 42, \"citizenship\""), StatusCode::BAD_REQUEST, "unknown_field", Some("applicant.shoe_size")),
        ("missing field", "POST", ELIGIBILITY, json, without_destination, StatusCode::BAD_REQUEST, "missing_field", Some("destination")),
        ("impossible date", "POST", ELIGIBILITY, json, spec.replace("1990-05-14", "1990-02-30"), StatusCode::BAD_REQUEST, "invalid_date", Some("applicant.birth_date")),
        ("unknown region", "POST", ELIGIBILITY, json, spec.replace("north_kazakhstan", "narnia"), StatusCode::BAD_REQUEST, "unknown_region", Some("destination.region")),
        ("family size out of range", "POST", ELIGIBILITY, json, spec.replace("\"family_size\": 3", "\"family_size\": 16"), StatusCode::BAD_REQUEST, "family_size_out_of_range", Some("family_size")),
        ("as_of before the policy", "POST", ELIGIBILITY, json, spec.replace("2026-03-01", "2019-06-01"), StatusCode::BAD_REQUEST, "as_of_out_of_range", Some("as_of")),
        ("body too large", "POST", ELIGIBILITY, json, huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None),
        ("wrong content type", "POST", ELIGIBILITY, Some("text/plain"), spec.to_string(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", None),
        ("bad query parameter", "GET", "/api/v1/quotas?year=abc", None, String::new(), StatusCode::BAD_REQUEST, "invalid_year", Some("year")),
        ("missing query parameter", "GET", "/api/v1/quotas", None, String::new(), StatusCode::BAD_REQUEST, "invalid_year", Some("year")),
        ("unknown endpoint", "GET", "/api/v1/nope", None, String::new(), StatusCode::NOT_FOUND, "not_found", None),
        ("wrong method", "DELETE", "/api/v1/policy", None, String::new(), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None),
    ];
    for (case, m, uri, content_type, body, status, code, field) in cases {
        let mut messages = Vec::new();
        for (lang, by_header) in [
            (Lang::Kk, false),
            (Lang::Ru, false),
            (Lang::En, false),
            (Lang::Kk, true),
            (Lang::Ru, true),
        ] {
            let separator = if uri.contains('?') { '&' } else { '?' };
            let uri = if by_header {
                uri.to_string()
            } else {
                format!("{uri}{separator}lang={}", lang.code())
            };
            let mut request = Request::builder().method(common::method(m)).uri(&uri);
            if let Some(ct) = content_type {
                request = request.header(header::CONTENT_TYPE, ct);
            }
            if by_header {
                let accept = format!("de-DE,{};q=0.9,en;q=0.5", lang.code());
                request = request.header(header::ACCEPT_LANGUAGE, accept);
            }
            let reply = app
                .send(request.body(Body::from(body.clone())).unwrap())
                .await;
            let context = format!("{case}, {uri}, {lang:?}");
            let error = reply.error(status, &context);
            assert_eq!(error.code, code, "{context}: {error:?}");
            assert_eq!(error.field.as_deref(), field, "{context}: {error:?}");
            assert_eq!(
                reply.header("content-language"),
                Some(lang.code()),
                "{context}"
            );
            assert_no_parser_text(&error.message, &context);
            match lang {
                Lang::En => assert!(!has_cyrillic(&error.message), "{context}: {error:?}"),
                Lang::Ru => {
                    assert!(has_cyrillic(&error.message), "{context}: {error:?}");
                    assert!(!has_kazakh_letters(&error.message), "{context}: {error:?}");
                }
                Lang::Kk => assert!(has_kazakh_letters(&error.message), "{context}: {error:?}"),
            }
            messages.push((lang, by_header, error.message));
        }
        // The query and the header give the same words; the three languages differ.
        let text = |l: Lang, h: bool| {
            messages
                .iter()
                .find(|(lang, by_header, _)| *lang == l && *by_header == h)
                .map(|(_, _, m)| m.clone())
                .unwrap()
        };
        assert_eq!(text(Lang::Kk, false), text(Lang::Kk, true), "{case}");
        assert_eq!(text(Lang::Ru, false), text(Lang::Ru, true), "{case}");
        assert_ne!(text(Lang::Kk, false), text(Lang::Ru, false), "{case}");
        assert_ne!(text(Lang::Ru, false), text(Lang::En, false), "{case}");
    }

    // An unknown `?lang=` is itself an error, said in the header's language.
    let reply = app
        .post_json(
            "/api/v1/eligibility?lang=de",
            SPEC_REQUEST,
            &[("accept-language", "ru")],
        )
        .await;
    let error = reply.error(StatusCode::BAD_REQUEST, "lang=de");
    assert_eq!(error.code, "invalid_lang");
    assert!(has_cyrillic(&error.message), "{error:?}");
    assert!(error.message.contains("«de»"), "{error:?}");

    // Dates in messages are written for their readers.
    let body = spec.replace("2026-03-01", "2019-06-01");
    for (lang, date) in [
        ("kk", "01.01.2024"),
        ("ru", "01.01.2024"),
        ("en", "1 January 2024"),
    ] {
        let reply = app
            .post_json(&format!("{ELIGIBILITY}?lang={lang}"), &body, &[])
            .await;
        let error = reply.error(StatusCode::BAD_REQUEST, lang);
        assert!(error.message.contains(date), "{lang}: {error:?}");
        assert!(!error.message.contains("2024-01-01"), "{lang}: {error:?}");
    }
}

/// What serde, serde_json, chrono and axum say, which the client must never see.
fn assert_no_parser_text(message: &str, context: &str) {
    for leak in [
        "Failed to",
        "deserialize",
        "serde",
        "input is out of range",
        "input contains invalid characters",
        "premature end",
        "trailing",
        "invalid type:",
        "invalid value:",
        "unknown variant",
        "unknown field `",
        "missing field `",
        "expected one of",
        "expected u32",
        "EOF",
        "at line",
        "Expected request",
        "length limit",
        "\u{1}",
    ] {
        assert!(
            !message.contains(leak),
            "{context}: `{leak}` leaked: {message}"
        );
    }
}

fn has_kazakh_letters(text: &str) -> bool {
    text.contains(['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'])
}

async fn demo_seeding_happens_once(backend: Backend) {
    let Some(app) = TestApp::with(
        backend,
        Options {
            demo: false,
            site: None,
        },
    )
    .await
    else {
        return;
    };
    assert_eq!(
        app.get("/api/v1/quotas?year=2026").await.json(),
        serde_json::json!({}),
        "no demo data unless asked"
    );
    assert!(app.store.seed_demo().await.unwrap(), "first seed loads");
    let before = app.get("/api/v1/quotas?year=2026").await.json();
    assert_eq!(
        before
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>(),
        destinations()
    );

    // Staff change a quota; seeding again (a restart with --demo) must keep it.
    app.store
        .set_quota(Region::Kostanay, 2026, 999, 1)
        .await
        .unwrap();
    assert!(
        !app.store.seed_demo().await.unwrap(),
        "second seed is a no-op"
    );
    let restarted = server::build_app(&server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: app.db.url.clone(),
        demo: true,
        site: "/nonexistent".into(),
        today: None,
        log_json: false,
    })
    .await
    .expect("restart with --demo");
    let after = common::send(&restarted, get("/api/v1/quotas?year=2026"))
        .await
        .json();
    assert_eq!(
        after["kostanay"],
        serde_json::json!({"quota": 999, "used": 1, "remaining": 998})
    );
    let mut expected = before.clone();
    expected["kostanay"] = after["kostanay"].clone();
    // The first start with --demo also made the demo's applications: its approvals in
    // North Kazakhstan (one, and those its contracts are made from) took places through the
    // audited path, as real ones do.
    let approved: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications WHERE status = 'approved' \
         AND region = 'north_kazakhstan' AND year = 2026",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    let approved = u64::try_from(approved).unwrap();
    assert!(
        approved > 1,
        "the demo's contracts come from approved applications"
    );
    let north = &mut expected["north_kazakhstan"];
    north["used"] = (north["used"].as_u64().unwrap() + approved).into();
    north["remaining"] = (north["remaining"].as_u64().unwrap() - approved).into();
    assert_eq!(after, expected, "nothing else changed either");
}

async fn openapi_documents_every_endpoint(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let reply = app.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in paths.keys() {
        assert!(path.starts_with(API_PREFIX), "{path}");
    }
    for (path, method, statuses) in [
        ("/api/v1/health", "get", &["200", "503"][..]),
        ("/api/v1/policy", "get", &["200"][..]),
        ("/api/v1/quotas", "get", &["200", "400"][..]),
        (
            "/api/v1/eligibility",
            "post",
            &["200", "400", "413", "415"][..],
        ),
        ("/api/v1/openapi.json", "get", &["200"][..]),
    ] {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} documented");
        for status in statuses {
            assert!(
                operation["responses"][status].is_object(),
                "{method} {path} documents {status}"
            );
        }
    }
    let eligibility = &doc["paths"]["/api/v1/eligibility"]["post"];
    assert!(eligibility["requestBody"].is_object());
    let params: Vec<&str> = eligibility["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(params.contains(&"lang") && params.contains(&"Accept-Language"));
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "ErrorBody",
        "EligibilityRequest",
        "EligibilityResponse",
        "Health",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    assert!(schemas["ErrorBody"]["properties"]["error"].is_object());
    // The error detail: code and message always, the offending field when there is one.
    let detail = &schemas["ErrorDetail"];
    for property in ["code", "message", "field"] {
        assert!(detail["properties"][property].is_object(), "{detail:#}");
    }
    let required: Vec<&str> = detail["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(required, ["code", "message"], "{detail:#}");
    let bad_request = &eligibility["responses"]["400"]["content"]["application/json"];
    assert_eq!(bad_request["example"]["error"]["code"], "invalid_date");
    assert_eq!(
        bad_request["example"]["error"]["field"],
        "applicant.birth_date"
    );

    // Every reference points at a schema that is in the document.
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {r}"));
        assert!(schemas.contains_key(name), "dangling reference {r}");
    }
}

async fn security_headers_and_compression_on_api_responses(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for uri in ["/api/v1/health", "/api/v1/nope", "/api/v1/quotas"] {
        let reply = app.get(uri).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("no-referrer"),
            "{uri}"
        );
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{uri}");
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
    let plain = app.get("/api/v1/policy").await;
    let gzip = app
        .get_with("/api/v1/policy", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(gzip.status, StatusCode::OK);
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    assert!(gzip.body.len() < plain.body.len());
}
