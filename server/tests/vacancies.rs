//! Vacancies: posted, edited and closed by their employer under the shared rules, searched
//! by anyone, with their applicants visible to their employer only. On SQLite and
//! PostgreSQL.

mod common;
mod support;

use axum::http::StatusCode;
use common::{has_cyrillic, Backend, TestApp};
use serde_json::Value;
use support::*;

on_both_backends!(
    post_search_edit_close,
    bad_vacancies_get_every_problem,
    an_employer_lists_its_own
);

async fn post_search_edit_close(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let employer = login(r, EMPLOYER.login, EMPLOYER.password).await;
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;
    let admin = login(r, ADMIN.login, ADMIN.password).await;

    let before = app.get("/api/v1/vacancies").await.json()["total"]
        .as_u64()
        .unwrap();
    let mut ids = Vec::new();
    for (region, salary) in [
        ("north_kazakhstan", "250001"),
        ("north_kazakhstan", "90000.50"),
        ("pavlodar", "400001"),
    ] {
        let reply = call(
            r,
            "POST",
            "/api/v1/vacancies",
            Some(&vacancy_body(region, salary)),
            Some(&employer),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let json = reply.json();
        // Exact, without trailing zeros of the fraction.
        assert_eq!(json["monthly_salary"], salary.trim_end_matches('0'));
        assert_eq!(json["status"], "open");
        ids.push(json["id"].as_i64().unwrap());
    }
    // Stored exactly, in tiyn.
    use sqlx::Row;
    let tiyn: i64 = sqlx::query("SELECT salary_tiyn FROM vacancies WHERE id = $1")
        .bind(ids[1])
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .try_get("salary_tiyn")
        .unwrap();
    assert_eq!(tiyn, 9_000_050);

    // Search: newest first, filters, total, pages.
    let all = app.get("/api/v1/vacancies?per_page=100").await.json();
    assert_eq!(all["total"].as_u64().unwrap(), before + 3);
    assert_eq!(all["items"][0]["id"], ids[2]);
    let found = app
        .get("/api/v1/vacancies?region=north_kazakhstan&salary_from=100000&housing=true&settlement=urban")
        .await
        .json();
    let got: Vec<i64> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert!(got.contains(&ids[0]) && !got.contains(&ids[1]) && !got.contains(&ids[2]));
    assert!(found["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["region"] == "north_kazakhstan"));
    let page = app.get("/api/v1/vacancies?per_page=1&page=2").await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], ids[1]);
    assert_eq!(page["total"], all["total"]);
    for bad in [
        "region=narnia",
        "salary_from=lots",
        "page=0",
        "per_page=1000",
        "settlement=town",
    ] {
        let reply = app.get(&format!("/api/v1/vacancies?{bad}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
    }

    // Detail, edit by its employer only.
    let uri = format!("/api/v1/vacancies/{}", ids[0]);
    assert_eq!(app.get(&uri).await.json()["title"], "Сварщик / Welder");
    let edited = call(
        r,
        "PUT",
        &uri,
        Some(&vacancy_body("pavlodar", "260000")),
        Some(&employer),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
    assert_eq!(edited.json()["region"], "pavlodar");
    let other = call(
        r,
        "PUT",
        &uri,
        Some(&vacancy_body("pavlodar", "1")),
        Some(&admin),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // An application to it shows to the employer, without the family's IINs.
    let body: Value = {
        let mut b: Value = serde_json::from_str(&application_body("pavlodar", &[])).unwrap();
        b["vacancy_id"] = ids[0].into();
        b
    };
    let applied = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&body.to_string()),
        Some(&resettler),
    )
    .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.text());
    let applicants = call(
        r,
        "GET",
        &format!("{uri}/applications"),
        None,
        Some(&employer),
    )
    .await;
    assert_eq!(applicants.status, StatusCode::OK);
    let applicants = applicants.json();
    assert_eq!(applicants["items"].as_array().unwrap().len(), 1);
    assert!(!applicants.to_string().contains(RESETTLER.login));

    // Closing: out of the search, no more edits, idempotent.
    let closed = call(r, "POST", &format!("{uri}/close"), None, Some(&employer)).await;
    assert_eq!(closed.json()["status"], "closed");
    let again = call(r, "POST", &format!("{uri}/close"), None, Some(&employer)).await;
    assert_eq!(again.status, StatusCode::OK);
    let all = app.get("/api/v1/vacancies?per_page=100").await.json();
    assert!(all["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["id"] != ids[0]));
    let edit = call(
        r,
        "PUT",
        &uri,
        Some(&vacancy_body("pavlodar", "260000")),
        Some(&employer),
    )
    .await;
    assert_eq!(
        edit.error(StatusCode::CONFLICT, "closed").code,
        "vacancy_closed"
    );
    assert_eq!(
        app.get("/api/v1/vacancies/999999").await.status,
        StatusCode::NOT_FOUND
    );

    // Audited.
    assert!(audit_entries(&app.store, "vacancy.create").await.len() >= 3);
    let updates = audit_entries(&app.store, "vacancy.update").await;
    let (_, _, before, after) = updates.last().unwrap();
    assert_eq!(before.as_ref().unwrap()["region"], "north_kazakhstan");
    assert_eq!(after.as_ref().unwrap()["region"], "pavlodar");
    assert_eq!(audit_entries(&app.store, "vacancy.close").await.len(), 1);
}

async fn bad_vacancies_get_every_problem(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let employer = login(r, EMPLOYER.login, EMPLOYER.password).await;
    let audited = audit_entries(&app.store, "vacancy.create").await.len();
    let mut body: Value = serde_json::from_str(&vacancy_body("turkestan", "1000")).unwrap();
    body["title"] = "".into();
    body["places"] = 0.into();
    let reply = call(
        r,
        "POST",
        "/api/v1/vacancies?lang=ru",
        Some(&body.to_string()),
        Some(&employer),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    let json = reply.json();
    let got: Vec<(&str, &str)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("title_missing", "title"),
            ("region_not_destination", "region"),
            ("salary_below_minimum", "monthly_salary"),
            ("places_out_of_range", "places"),
        ]
    );
    assert_eq!(json["error"]["field"], "title");
    assert!(json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| has_cyrillic(e["message"].as_str().unwrap())));
    // Money as a JSON number, or finer than a tiyn, is refused.
    body = serde_json::from_str(&vacancy_body("pavlodar", "250000")).unwrap();
    body["monthly_salary"] = 250000.into();
    let reply = call(
        r,
        "POST",
        "/api/v1/vacancies",
        Some(&body.to_string()),
        Some(&employer),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = call(
        r,
        "POST",
        "/api/v1/vacancies",
        Some(&vacancy_body("pavlodar", "250000.001")),
        Some(&employer),
    )
    .await;
    assert_eq!(reply.json()["errors"][0]["code"], "salary_invalid");
    // Nothing refused was stored or audited.
    assert_eq!(
        audit_entries(&app.store, "vacancy.create").await.len(),
        audited
    );
}

async fn an_employer_lists_its_own(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let employer = login(r, EMPLOYER.login, EMPLOYER.password).await;
    let other = insert_user(&app.store, "employer").await;
    let theirs = insert_vacancy(&app.store, other, "north_kazakhstan").await;
    let before = call(r, "GET", "/api/v1/vacancies/mine", None, Some(&employer))
        .await
        .json()["total"]
        .as_u64()
        .unwrap();
    let mut ids = Vec::new();
    for region in ["north_kazakhstan", "pavlodar"] {
        let reply = call(
            r,
            "POST",
            "/api/v1/vacancies",
            Some(&vacancy_body(region, "250000")),
            Some(&employer),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        ids.push(reply.json()["id"].as_i64().unwrap());
    }
    let closed = call(
        r,
        "POST",
        &format!("/api/v1/vacancies/{}/close", ids[0]),
        None,
        Some(&employer),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK);

    // Open and closed, newest first, no one else's.
    let mine = call(r, "GET", "/api/v1/vacancies/mine", None, Some(&employer)).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text());
    let mine = mine.json();
    assert_eq!(mine["total"].as_u64().unwrap(), before + 2);
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], ids[1]);
    assert_eq!(items[0]["status"], "open");
    assert_eq!(items[1]["id"], ids[0]);
    assert_eq!(items[1]["status"], "closed");
    let employer_id = employer.user_id();
    assert!(items.iter().all(|v| v["employer_id"] == employer_id));
    assert!(items.iter().all(|v| v["id"] != theirs));

    // Pages.
    let page = call(
        r,
        "GET",
        "/api/v1/vacancies/mine?per_page=1&page=2",
        None,
        Some(&employer),
    )
    .await
    .json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], ids[0]);
    assert_eq!(page["total"], mine["total"]);
    let bad = call(
        r,
        "GET",
        "/api/v1/vacancies/mine?page=0",
        None,
        Some(&employer),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Employers only.
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;
    let refused = call(r, "GET", "/api/v1/vacancies/mine", None, Some(&resettler)).await;
    assert_eq!(
        refused.error(StatusCode::FORBIDDEN, "resettler").code,
        "forbidden"
    );
    assert_eq!(
        app.get("/api/v1/vacancies/mine").await.status,
        StatusCode::UNAUTHORIZED
    );
}
