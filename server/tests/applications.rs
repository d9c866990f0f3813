//! Applications: submission re-checked on the server, one open application per person, the
//! officer's queue of their region, final decisions, and approvals that never overbook a
//! quota, also when many run at once. On SQLite and PostgreSQL.

mod common;
mod support;

use axum::http::StatusCode;
use common::{has_cyrillic, Backend, TestApp};
use serde_json::{json, Value};
use support::*;

on_both_backends!(
    submit_follow_and_decide,
    ineligible_and_invalid_applications_are_refused_with_reasons,
    concurrent_approvals_never_overbook,
);

async fn quota(app: &TestApp, region: &str, year: i32) -> Value {
    app.get(&format!("/api/v1/quotas?year={year}")).await.json()[region].clone()
}

async fn submit_follow_and_decide(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;
    let north = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let pavlodar = login(r, AKIMAT_PAVLODAR.login, AKIMAT_PAVLODAR.password).await;
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let rejections = audit_entries(&app.store, "application.reject").await.len();

    let (spouse, child) = (next_iin(), next_iin());
    let body = application_body(
        "north_kazakhstan",
        &[(&spouse, "1985-01-01"), (&child, "2015-06-01")],
    );
    let reply = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&body),
        Some(&resettler),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let created = reply.json();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["status"], "submitted");
    assert_eq!(created["applicant_iin"], RESETTLER.login);
    assert_eq!(created["family_size"], 3);
    assert_eq!(created["year"], 2026);

    // One open application per person.
    let again = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&body),
        Some(&resettler),
    )
    .await;
    assert_eq!(
        again.error(StatusCode::CONFLICT, "second").code,
        "application_open"
    );

    let mine = call(
        r,
        "GET",
        "/api/v1/applications/mine",
        None,
        Some(&resettler),
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK);
    let mine = mine.json();
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], id);

    // The officer sees their region only; another region's officer neither sees nor decides.
    let queue = call(
        r,
        "GET",
        "/api/v1/applications?status=submitted",
        None,
        Some(&north),
    )
    .await;
    let queue = queue.json();
    assert!(queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == id));
    assert!(queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["destination"]["region"] == "north_kazakhstan"));
    let theirs = call(r, "GET", "/api/v1/applications", None, Some(&pavlodar))
        .await
        .json();
    assert!(theirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["id"] != id));
    let peek = call(
        r,
        "GET",
        "/api/v1/applications?region=north_kazakhstan",
        None,
        Some(&pavlodar),
    )
    .await;
    assert_eq!(peek.status, StatusCode::FORBIDDEN);
    let uri = format!("/api/v1/applications/{id}/approve");
    let refused = call(r, "POST", &uri, None, Some(&pavlodar)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let all = call(
        r,
        "GET",
        "/api/v1/applications?per_page=100",
        None,
        Some(&admin),
    )
    .await
    .json();
    assert!(all["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == id));

    // Approval takes one place of the quota; decisions are final.
    let before = quota(&app, "north_kazakhstan", 2026).await;
    let approved = call(r, "POST", &uri, None, Some(&north)).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    assert_eq!(approved.json()["status"], "approved");
    let after = quota(&app, "north_kazakhstan", 2026).await;
    assert_eq!(
        after["used"].as_u64(),
        before["used"].as_u64().map(|u| u + 1)
    );
    let twice = call(r, "POST", &uri, None, Some(&admin)).await;
    assert_eq!(
        twice.error(StatusCode::CONFLICT, "twice").code,
        "decision_final"
    );
    let reject = call(
        r,
        "POST",
        &format!("/api/v1/applications/{id}/reject"),
        Some(&json!({"reason": "late"}).to_string()),
        Some(&north),
    )
    .await;
    assert_eq!(
        reject.error(StatusCode::CONFLICT, "reject after").code,
        "decision_final"
    );
    // An approved application stays open: no second one.
    let again = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&body),
        Some(&resettler),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Rejection needs a reason, and keeps it.
    let other = insert_application(&app.store, "north_kazakhstan", 2026, None).await;
    let uri = format!("/api/v1/applications/{other}/reject");
    let empty = call(r, "POST", &uri, Some(r#"{"reason":"  "}"#), Some(&north)).await;
    assert_eq!(
        empty.error(StatusCode::BAD_REQUEST, "no reason").code,
        "reason_invalid"
    );
    let rejected = call(
        r,
        "POST",
        &uri,
        Some(r#"{"reason":"Documents missing."}"#),
        Some(&north),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::OK);
    assert_eq!(rejected.json()["reason"], "Documents missing.");
    let missing = call(
        r,
        "POST",
        "/api/v1/applications/999999/approve",
        None,
        Some(&admin),
    )
    .await;
    assert_eq!(
        missing.error(StatusCode::NOT_FOUND, "missing").code,
        "application_not_found"
    );

    // Every status change is audited with before and after, by id, without IINs.
    let submits = audit_entries(&app.store, "application.submit").await;
    let subject = format!("application:{id}");
    assert!(submits
        .iter()
        .any(|(_, s, _, _)| s.as_deref() == Some(&subject)));
    let approvals = audit_entries(&app.store, "application.approve").await;
    let (_, _, before, after) = approvals
        .iter()
        .find(|(_, s, _, _)| s.as_deref() == Some(&subject))
        .expect("approval audited");
    assert_eq!(before.as_ref().unwrap()["status"], "submitted");
    assert_eq!(after.as_ref().unwrap()["status"], "approved");
    assert_eq!(
        audit_entries(&app.store, "application.reject").await.len(),
        rejections + 1
    );
    let text = audit_text(&app.store).await;
    for iin in [RESETTLER.login, &spouse, &child] {
        assert!(!text.contains(iin), "an IIN in the audit log");
    }
    assert!(matches!(
        server::audit::verify(&app.store).await.unwrap(),
        server::audit::Verdict::Intact { .. }
    ));
}

async fn ineligible_and_invalid_applications_are_refused_with_reasons(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;

    // E6: support received before; E5: not a destination. Reasons in the asked language.
    let mut body: Value = serde_json::from_str(&application_body("turkestan", &[])).unwrap();
    body["prior_resettlement_support"] = json!(true);
    let reply = call(
        r,
        "POST",
        "/api/v1/applications?lang=ru",
        Some(&body.to_string()),
        Some(&resettler),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let json = reply.json();
    assert_eq!(json["error"]["code"], "not_eligible");
    let ids: Vec<&str> = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // E7 too: a region that is no destination has no quota.
    assert_eq!(ids, ["E5", "E6", "E7"]);
    for rule in json["rules"].as_array().unwrap() {
        assert_eq!(rule["passed"], false);
        assert!(has_cyrillic(rule["reason"].as_str().unwrap()));
    }
    assert!(has_cyrillic(json["error"]["message"].as_str().unwrap()));

    // E7: a region whose quota for the year is used up.
    let full = application_body(server::demo::EXHAUSTED_IN_2026.id(), &[]);
    let reply = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&full),
        Some(&resettler),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["rules"][0]["id"], "E7");

    // The family: every problem with its field.
    let body = application_body(
        "north_kazakhstan",
        &[("123", "1985-01-01"), (RESETTLER.login, "2099-01-01")],
    );
    let reply = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&body),
        Some(&resettler),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    let json = reply.json();
    let fields: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "family_members[0].iin",
            "family_members[1].iin",
            "family_members[1].birth_date"
        ]
    );
    assert_eq!(json["error"]["code"], "member_iin_invalid");

    // An unknown vacancy.
    let mut body: Value = serde_json::from_str(&application_body("north_kazakhstan", &[])).unwrap();
    body["vacancy_id"] = json!(999_999);
    let reply = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&body.to_string()),
        Some(&resettler),
    )
    .await;
    assert_eq!(reply.json()["errors"][0]["code"], "vacancy_not_open");

    // Nothing was stored.
    let mine = call(
        r,
        "GET",
        "/api/v1/applications/mine",
        None,
        Some(&resettler),
    )
    .await;
    assert_eq!(mine.json()["total"], 0);
}

async fn concurrent_approvals_never_overbook(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let region = shared::Region::Akmola;
    app.store.set_quota(region, 2026, 5, 0).await.unwrap();
    let audited = audit_entries(&app.store, "application.approve").await.len();
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(insert_application(&app.store, region.id(), 2026, None).await);
    }
    // Several officers' sessions (admins may decide any region).
    let mut sessions = Vec::new();
    for _ in 0..4 {
        sessions.push(login(r, ADMIN.login, ADMIN.password).await);
    }
    let mut tasks = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let router = r.clone();
        let session = sessions[i % sessions.len()].clone();
        let uri = format!("/api/v1/applications/{id}/approve");
        tasks.push(tokio::spawn(async move {
            call(&router, "POST", &uri, None, Some(&session)).await
        }));
    }
    let (mut approved, mut refused) = (0, 0);
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            StatusCode::OK => approved += 1,
            StatusCode::CONFLICT => {
                assert_eq!(reply.json()["error"]["code"], "quota_exhausted");
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", reply.text()),
        }
    }
    assert_eq!((approved, refused), (5, 15));
    let q = quota(&app, region.id(), 2026).await;
    assert_eq!(
        (q["quota"].as_u64(), q["used"].as_u64()),
        (Some(5), Some(5))
    );
    let admin = &sessions[0];
    let list = call(
        r,
        "GET",
        "/api/v1/applications?region=akmola&status=approved",
        None,
        Some(admin),
    )
    .await
    .json();
    assert_eq!(list["total"], 5);
    assert_eq!(
        audit_entries(&app.store, "application.approve").await.len(),
        audited + 5
    );
    assert!(matches!(
        server::audit::verify(&app.store).await.unwrap(),
        server::audit::Verdict::Intact { .. }
    ));
}

on_both_backends!(demo_has_work_in_every_state);

/// `--demo` makes vacancies and applications in several states through the audited paths.
async fn demo_has_work_in_every_state(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let all = call(r, "GET", "/api/v1/applications", None, Some(&admin))
        .await
        .json();
    // The demo's contracts come from approved applications of their own (their states:
    // tests/settlement.rs).
    let for_contracts: Vec<i64> =
        sqlx::query_scalar("SELECT application_id FROM contracts WHERE application_id IS NOT NULL")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    let mut states: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !for_contracts.contains(&a["id"].as_i64().unwrap()))
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    states.sort();
    assert_eq!(states, ["approved", "rejected", "submitted", "submitted"]);
    assert!(
        app.get("/api/v1/vacancies").await.json()["total"]
            .as_u64()
            .unwrap()
            >= 4
    );
    assert_eq!(
        audit_entries(&app.store, "application.approve").await.len(),
        1 + for_contracts.len()
    );
    assert_eq!(
        audit_entries(&app.store, "application.reject").await.len(),
        1
    );
    // The demo resettler has none: a visitor can submit one.
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;
    let mine = call(
        r,
        "GET",
        "/api/v1/applications/mine",
        None,
        Some(&resettler),
    )
    .await;
    assert_eq!(mine.json()["total"], 0);
    assert!(matches!(
        server::audit::verify(&app.store).await.unwrap(),
        server::audit::Verdict::Intact { .. }
    ));
}
