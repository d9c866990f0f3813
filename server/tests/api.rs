//! The public API, driven in-process through the real router, on SQLite and PostgreSQL.

mod common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{has_cyrillic, Backend, Options, TestApp, ELIGIBILITY, SPEC_REQUEST};
use serde_json::Value;
use shared::{api::API_PREFIX, Policy, Region};
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
    // (case, content type, body, expected status, a word the message must contain)
    let json = Some("application/json");
    let cases: Vec<(&str, Option<&str>, String, StatusCode, &str)> = vec![
        (
            "truncated JSON",
            json,
            spec[..40].to_string(),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "not JSON",
            json,
            "hello".into(),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "empty body",
            json,
            String::new(),
            StatusCode::BAD_REQUEST,
            "",
        ),
        ("an array", json, "[]".into(), StatusCode::BAD_REQUEST, ""),
        (
            "family size as text",
            json,
            spec.replace("\"family_size\": 3", "\"family_size\": \"3\""),
            StatusCode::BAD_REQUEST,
            "family_size",
        ),
        (
            "family size 0",
            json,
            spec.replace("\"family_size\": 3", "\"family_size\": 0"),
            StatusCode::BAD_REQUEST,
            "family_size",
        ),
        (
            "family size 16",
            json,
            spec.replace("\"family_size\": 3", "\"family_size\": 16"),
            StatusCode::BAD_REQUEST,
            "family_size",
        ),
        (
            "family size negative",
            json,
            spec.replace("\"family_size\": 3", "\"family_size\": -1"),
            StatusCode::BAD_REQUEST,
            "family_size",
        ),
        (
            "family size fractional",
            json,
            spec.replace("\"family_size\": 3", "\"family_size\": 2.5"),
            StatusCode::BAD_REQUEST,
            "family_size",
        ),
        (
            "missing field",
            json,
            without_destination,
            StatusCode::BAD_REQUEST,
            "destination",
        ),
        (
            "unknown field",
            json,
            spec.replacen('{', "{\"nickname\": \"x\",", 1),
            StatusCode::BAD_REQUEST,
            "nickname",
        ),
        (
            "unknown nested field",
            json,
            spec.replace("\"citizenship\"", "\"shoe_size\": 42, \"citizenship\""),
            StatusCode::BAD_REQUEST,
            "shoe_size",
        ),
        (
            "unknown destination region",
            json,
            spec.replace("north_kazakhstan", "narnia"),
            StatusCode::BAD_REQUEST,
            "narnia",
        ),
        (
            "unknown current region",
            json,
            spec.replace("turkestan", "atlantis"),
            StatusCode::BAD_REQUEST,
            "atlantis",
        ),
        (
            "unknown citizenship",
            json,
            spec.replace("\"citizen\"", "\"martian\""),
            StatusCode::BAD_REQUEST,
            "martian",
        ),
        (
            "unknown settlement",
            json,
            spec.replace("\"urban\"", "\"orbital\""),
            StatusCode::BAD_REQUEST,
            "orbital",
        ),
        (
            "impossible date",
            json,
            spec.replace("2026-03-01", "2026-02-30"),
            StatusCode::BAD_REQUEST,
            "as_of",
        ),
        (
            "date in another format",
            json,
            spec.replace("1990-05-14", "14.05.1990"),
            StatusCode::BAD_REQUEST,
            "birth_date",
        ),
        (
            "iin as a number",
            json,
            spec.replace("\"900514300121\"", "900514300121"),
            StatusCode::BAD_REQUEST,
            "iin",
        ),
        (
            "as_of before the policy",
            json,
            spec.replace("2026-03-01", "2019-06-01"),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "missing content type",
            None,
            spec.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "",
        ),
        (
            "text content type",
            Some("text/plain"),
            spec.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "",
        ),
        (
            "form content type",
            Some("application/x-www-form-urlencoded"),
            spec.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "",
        ),
        ("huge body", json, huge, StatusCode::PAYLOAD_TOO_LARGE, ""),
    ];
    for (case, content_type, body, status, word) in cases {
        let mut request = Request::post(ELIGIBILITY);
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let reply = app.send(request.body(Body::from(body)).unwrap()).await;
        reply.assert_error(status, case);
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            message.contains(word),
            "{case}: `{message}` should mention `{word}`"
        );
    }

    let invalid_utf8 = app
        .send(
            Request::post(ELIGIBILITY)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b"{\"as_of\": \"\xff\"}".to_vec()))
                .unwrap(),
        )
        .await;
    invalid_utf8.assert_error(StatusCode::BAD_REQUEST, "invalid UTF-8");

    let code = app
        .post_json("/api/v1/eligibility?lang=de", SPEC_REQUEST, &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "unknown lang");
    assert_eq!(code, "invalid_lang");
    let code = app
        .post_json(ELIGIBILITY, &spec.replace("2026-03-01", "2019-06-01"), &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "as_of before the policy");
    assert_eq!(code, "as_of_out_of_range");

    // JSON with a charset parameter is still JSON.
    let ok = app
        .send(
            Request::post(ELIGIBILITY)
                .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
                .body(Body::from(SPEC_REQUEST))
                .unwrap(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);

    // Paths and methods.
    let routing: [(&str, &str, StatusCode); 8] = [
        ("GET", "/api/v1/nope", StatusCode::NOT_FOUND),
        ("GET", "/api/v2/health", StatusCode::NOT_FOUND),
        ("GET", "/api", StatusCode::NOT_FOUND),
        ("POST", "/api/v1/does/not/exist", StatusCode::NOT_FOUND),
        ("GET", ELIGIBILITY, StatusCode::METHOD_NOT_ALLOWED),
        ("POST", "/api/v1/policy", StatusCode::METHOD_NOT_ALLOWED),
        (
            "DELETE",
            "/api/v1/quotas?year=2026",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        ("PUT", "/api/v1/health", StatusCode::METHOD_NOT_ALLOWED),
    ];
    for (m, uri, status) in routing {
        let request = Request::builder()
            .method(common::method(m))
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        app.send(request)
            .await
            .assert_error(status, &format!("{m} {uri}"));
    }
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
