//! Tripartite contracts over HTTP, on SQLite and PostgreSQL: creation from an approved
//! application, the three signatures and activation, the signatures refused (tampered
//! terms, a wrong key, one replayed from another contract), changed terms and revoked keys
//! voiding signatures, and who sees which contracts.

mod common;
mod support;

use axum::{http::StatusCode, Router};
use chrono::{Datelike, NaiveDate};
use common::{Backend, Reply, TestApp};
use serde_json::{json, Value};
use server::{clock::Clock, AppState, Site};
use shared::{
    contract::{
        hex, sign, signature::key_fingerprint, signature::public_key, ContractTerms, Party,
    },
    ledger::Month,
    Tenge,
};
use sqlx::Row;
use support::*;

on_both_backends!(
    three_valid_signatures_make_a_contract_active,
    forged_and_stale_signatures_are_refused,
    changed_terms_void_every_signature,
    a_revoked_key_loses_its_pending_signatures,
    creation_needs_an_approved_application_of_the_officers_region,
    lists_are_scoped_and_follow_the_state,
);

const OFFICER_KEY: [u8; 32] = [3; 32];

/// The region of the test's contracts: one the demo data leaves alone.
const REGION: &str = "kostanay";

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The month after this one: a start month every creation accepts.
fn next_month() -> Month {
    Month::of(today()).plus(1).unwrap()
}

/// The test's accounts: an officer of [`REGION`] (with the test's key), an officer of
/// another region, and an admin.
struct World {
    app: TestApp,
    officer: Session,
    pavlodar: Session,
    admin: Session,
}

impl World {
    async fn start(backend: Backend) -> Option<World> {
        let app = TestApp::start(backend).await?;
        let admin = login(&app.router, ADMIN.login, ADMIN.password).await;
        let officer = new_officer(&app, &admin, REGION).await;
        let pavlodar = new_officer(&app, &admin, "pavlodar").await;
        register_key(&app.router, &officer, &OFFICER_KEY).await;
        Some(World {
            app,
            officer,
            pavlodar,
            admin,
        })
    }

    fn r(&self) -> &Router {
        &self.app.router
    }

    /// A new employer with its signing key.
    async fn employer(&self) -> Session {
        let bin = next_bin();
        let reply = call(
            self.r(),
            "POST",
            "/api/v1/auth/register/employer",
            Some(&employer_body(&bin, PASSWORD)),
            None,
        )
        .await;
        assert!(reply.status.is_success(), "{}", reply.text());
        let employer = login(self.r(), &bin, PASSWORD).await;
        register_key(self.r(), &employer, &employer_key(&employer)).await;
        employer
    }

    /// A new resettler with their signing key and an approved application to [`REGION`]
    /// naming a vacancy of `employer`; returns them and the application.
    async fn applicant(&self, employer: &Session) -> (Session, i64) {
        let iin = next_iin();
        let reply = call(
            self.r(),
            "POST",
            "/api/v1/auth/register/resettler",
            Some(&resettler_body(&iin, PASSWORD)),
            None,
        )
        .await;
        assert!(reply.status.is_success(), "{}", reply.text());
        let resettler = login(self.r(), &iin, PASSWORD).await;
        register_key(self.r(), &resettler, &resettler_key(&resettler)).await;
        let vacancy = insert_vacancy(&self.app.store, employer.user_id(), REGION).await;
        let application =
            insert_approved(&self.app, resettler.user_id(), vacancy, "approved").await;
        (resettler, application)
    }

    async fn create(&self, application: i64, officer: &Session) -> Reply {
        let body = json!({
            "application_id": application,
            "start_month": next_month(),
            "declared_housing_costs": "1200000",
        });
        call(
            self.r(),
            "POST",
            "/api/v1/contracts",
            Some(&body.to_string()),
            Some(officer),
        )
        .await
    }

    /// A new contract of `employer` with a new resettler: the resettler and its id.
    async fn contract(&self, employer: &Session) -> (Session, i64) {
        let (resettler, application) = self.applicant(employer).await;
        let reply = self.create(application, &self.officer).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        (
            resettler,
            reply.json()["terms"]["contract_id"].as_i64().unwrap(),
        )
    }

    async fn get(&self, id: i64, session: &Session) -> Reply {
        call(
            self.r(),
            "GET",
            &format!("/api/v1/contracts/{id}"),
            None,
            Some(session),
        )
        .await
    }

    /// Signs contract `id` as `session`, the `party` it is, over the terms it sees.
    async fn sign(&self, id: i64, session: &Session, party: Party, secret: &[u8; 32]) -> Reply {
        let contract = self.get(id, session).await.json();
        let signature = hex(&sign(secret, &terms(&contract), party));
        let fingerprint = contract["fingerprint"].as_str().unwrap();
        self.post_signature(id, session, fingerprint, &signature)
            .await
    }

    async fn post_signature(
        &self,
        id: i64,
        session: &Session,
        fingerprint: &str,
        signature: &str,
    ) -> Reply {
        let body = json!({ "fingerprint": fingerprint, "signature": signature }).to_string();
        let uri = format!("/api/v1/contracts/{id}/signatures");
        call(self.r(), "POST", &uri, Some(&body), Some(session)).await
    }

    /// The contract signed by all three parties.
    async fn sign_all(&self, id: i64, resettler: &Session, employer: &Session) {
        for (session, party, secret) in [
            (resettler, Party::Resettler, resettler_key(resettler)),
            (employer, Party::Employer, employer_key(employer)),
            (&self.officer, Party::Akimat, OFFICER_KEY),
        ] {
            let reply = self.sign(id, session, party, &secret).await;
            assert_eq!(
                reply.status,
                StatusCode::CREATED,
                "{party:?}: {}",
                reply.text()
            );
        }
    }
}

/// A party's secret key: its own for each account, as public keys are unique.
fn key_for(base: u8, session: &Session) -> [u8; 32] {
    let mut secret = [base; 32];
    secret[..8].copy_from_slice(&session.user_id().to_le_bytes());
    secret
}

fn resettler_key(session: &Session) -> [u8; 32] {
    key_for(1, session)
}

fn employer_key(session: &Session) -> [u8; 32] {
    key_for(2, session)
}

fn terms(contract: &Value) -> ContractTerms {
    serde_json::from_value(contract["terms"].clone()).expect("terms")
}

async fn new_officer(app: &TestApp, admin: &Session, region: &str) -> Session {
    let login_name = next_login("officer.");
    let body = json!({
        "role": "akimat",
        "login": login_name,
        "region": region,
        "password": PASSWORD,
    });
    let reply = call(
        &app.router,
        "POST",
        "/api/v1/staff",
        Some(&body.to_string()),
        Some(admin),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    login(&app.router, &login_name, PASSWORD).await
}

async fn register_key(r: &Router, session: &Session, secret: &[u8; 32]) {
    let body = json!({ "public_key": hex(&public_key(secret)) }).to_string();
    let reply = call(r, "POST", "/api/v1/keys", Some(&body), Some(session)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

/// An application of `resettler` in `status` to [`REGION`] naming `vacancy`.
async fn insert_approved(app: &TestApp, resettler: i64, vacancy: i64, status: &str) -> i64 {
    sqlx::query(
        "INSERT INTO applications (applicant_id, status, region, settlement, vacancy_id, year, \
         family_size, family_members, birth_date, citizenship, current_region, prior_support, \
         submitted_at) VALUES ($1, $2, $3, 'urban', $4, 2026, 1, '[]', \
         '1985-01-01', 'citizen', 'turkestan', 0, '2026-03-01T00:00:00Z') RETURNING id",
    )
    .bind(resettler)
    .bind(status)
    .bind(REGION)
    .bind(vacancy)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap()
}

/// The `after` of each audit entry with `action` about contract `id`.
async fn audit_of(w: &World, action: &str, id: i64) -> Vec<Value> {
    let subject = format!("contract:{id}");
    audit_entries(&w.app.store, action)
        .await
        .into_iter()
        .filter(|e| e.1.as_deref() == Some(subject.as_str()))
        .map(|e| e.3.unwrap_or_default())
        .collect()
}

fn signers(contract: &Value) -> Vec<Option<String>> {
    contract["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["signature"]["key_fingerprint"].as_str().map(String::from))
        .collect()
}

async fn three_valid_signatures_make_a_contract_active(backend: Backend) {
    let Some(w) = World::start(backend).await else {
        return;
    };
    let employer = w.employer().await;
    let (resettler, application) = w.applicant(&employer).await;
    let reply = w.create(application, &w.officer).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let created = reply.json();
    let id = created["terms"]["contract_id"].as_i64().unwrap();
    let fixed = terms(&created);
    assert_eq!(created["stage"], "signing");
    assert_eq!(fixed.resettler_id, resettler.user_id());
    assert_eq!(fixed.employer_id, employer.user_id());
    assert_eq!(fixed.position, "Welder");
    assert_eq!(fixed.monthly_salary, Tenge::from_tiyn(25_000_000));
    assert_eq!(fixed.start_month, next_month());
    assert_eq!(fixed.created_on, today());
    assert_eq!(fixed.required_months, 24);
    assert_eq!(
        created["fingerprint"],
        hex(&shared::contract::fingerprint(&fixed))
    );
    let names: Vec<&str> = created["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["party"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["resettler", "employer", "akimat"]);
    assert_eq!(signers(&created), [None, None, None]);

    // Two of three: still being signed, the akimat missing.
    for (session, party, secret) in [
        (&resettler, Party::Resettler, resettler_key(&resettler)),
        (&employer, Party::Employer, employer_key(&employer)),
    ] {
        let reply = w.sign(id, session, party, &secret).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        assert_eq!(reply.json()["stage"], "signing");
    }
    let list = call(w.r(), "GET", "/api/v1/contracts", None, Some(&w.officer))
        .await
        .json();
    assert_eq!(list["contracts"][0]["id"], id);
    assert_eq!(list["contracts"][0]["unsigned"], json!(["akimat"]));
    let seen = w.get(id, &resettler).await.json();
    assert_eq!(
        signers(&seen),
        [
            Some(key_fingerprint(&public_key(&resettler_key(&resettler)))),
            Some(key_fingerprint(&public_key(&employer_key(&employer)))),
            None
        ]
    );
    assert_eq!(
        seen["parties"][1]["signature"]["signer_account_id"],
        employer.user_id()
    );

    // The same party twice is refused.
    let reply = w
        .sign(id, &employer, Party::Employer, &employer_key(&employer))
        .await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "twice").code,
        "already_signed"
    );

    let reply = w.sign(id, &w.officer, Party::Akimat, &OFFICER_KEY).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let active = reply.json();
    assert_eq!(active["stage"], "active");
    assert_eq!(
        active["parties"][2]["signature"]["signer_account_id"],
        w.officer.user_id()
    );
    let status: String = sqlx::query("SELECT status FROM contracts WHERE id = $1")
        .bind(id)
        .fetch_one(w.app.store.pool())
        .await
        .unwrap()
        .try_get("status")
        .unwrap();
    assert_eq!(status, "active");

    let signed = audit_of(&w, "contract.signed", id).await;
    let parties: Vec<&Value> = signed.iter().map(|e| &e["party"]).collect();
    assert_eq!(parties, ["resettler", "employer", "akimat"]);
    let last = &signed[2];
    assert_eq!(last["signer"], format!("user:{}", w.officer.user_id()));
    assert_eq!(
        last["key_fingerprint"],
        key_fingerprint(&public_key(&OFFICER_KEY))
    );
    assert_eq!(last["fingerprint"], created["fingerprint"]);
    let activated = audit_of(&w, "contract.activated", id).await;
    assert_eq!(activated.len(), 1);
    assert_eq!(activated[0]["status"], "active");
    let created_log = audit_of(&w, "contract.created", id).await;
    assert_eq!(
        created_log[0]["application"],
        format!("application:{application}")
    );
    assert!(!audit_text(&w.app.store)
        .await
        .contains(&fixed.resettler_iin));

    // Signed terms no longer change.
    let amend = json!({
        "start_month": next_month(),
        "monthly_salary": "300000",
        "declared_housing_costs": "1200000",
    });
    let uri = format!("/api/v1/contracts/{id}/terms");
    let reply = call(
        w.r(),
        "PUT",
        &uri,
        Some(&amend.to_string()),
        Some(&w.officer),
    )
    .await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "amend active").code,
        "contract_not_signing"
    );
}

async fn forged_and_stale_signatures_are_refused(backend: Backend) {
    let Some(w) = World::start(backend).await else {
        return;
    };
    let employer = w.employer().await;
    let (resettler, id) = w.contract(&employer).await;
    let (_, other) = w.contract(&employer).await;
    let contract = w.get(id, &employer).await.json();
    let fingerprint = contract["fingerprint"].as_str().unwrap().to_string();
    let current = terms(&contract);
    let employer_key = employer_key(&employer);

    let refused = |reply: Reply, what: &str| {
        let error = reply.error(StatusCode::UNPROCESSABLE_ENTITY, what);
        assert_eq!(error.field.as_deref(), Some("signature"), "{what}");
        error.code
    };
    // Tampered terms: a signature over a higher salary.
    let mut tampered = current.clone();
    tampered.monthly_salary = Tenge::from_tiyn(90_000_000);
    let signature = hex(&sign(&employer_key, &tampered, Party::Employer));
    let reply = w
        .post_signature(id, &employer, &fingerprint, &signature)
        .await;
    assert_eq!(refused(reply, "tampered"), "signature_invalid");
    // A wrong key: not the one registered to the employer.
    let signature = hex(&sign(&[9; 32], &current, Party::Employer));
    let reply = w
        .post_signature(id, &employer, &fingerprint, &signature)
        .await;
    assert_eq!(refused(reply, "wrong key"), "signature_invalid");
    // Replayed from another contract of the same employer.
    let replayed = w.get(other, &employer).await.json();
    let signature = hex(&sign(&employer_key, &terms(&replayed), Party::Employer));
    let reply = w
        .post_signature(id, &employer, &fingerprint, &signature)
        .await;
    assert_eq!(refused(reply, "replayed"), "signature_invalid");
    // The employer's key over the resettler's part.
    let signature = hex(&sign(&employer_key, &current, Party::Resettler));
    let reply = w
        .post_signature(id, &employer, &fingerprint, &signature)
        .await;
    assert_eq!(refused(reply, "another party"), "signature_invalid");
    // Not a signature at all.
    let reply = w
        .post_signature(id, &employer, &fingerprint, "not hex")
        .await;
    assert_eq!(refused(reply, "not hex"), "signature_malformed");
    // Over other terms than the current ones.
    let signature = hex(&sign(&employer_key, &current, Party::Employer));
    let stale = hex(&shared::contract::fingerprint(&tampered));
    let reply = w.post_signature(id, &employer, &stale, &signature).await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "stale").code,
        "terms_changed"
    );
    // Nothing counted.
    assert_eq!(
        signers(&w.get(id, &employer).await.json()),
        [None, None, None]
    );
    assert!(audit_of(&w, "contract.signed", id).await.is_empty());

    // Without a live key.
    let revoke = format!("/api/v1/keys/{}/revoke", {
        let keys = call(w.r(), "GET", "/api/v1/keys/mine", None, Some(&resettler))
            .await
            .json();
        keys["keys"][0]["id"].clone()
    });
    let reply = call(w.r(), "POST", &revoke, None, Some(&w.officer)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = w
        .sign(id, &resettler, Party::Resettler, &resettler_key(&resettler))
        .await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "no key").code,
        "no_signing_key"
    );

    // Someone who is no party does not see it; an admin signs nothing.
    let stranger = w.employer().await;
    let reply = w
        .post_signature(id, &stranger, &fingerprint, &signature)
        .await;
    assert_eq!(
        reply.error(StatusCode::NOT_FOUND, "stranger").code,
        "contract_not_found"
    );
    let reply = w
        .post_signature(id, &w.pavlodar, &fingerprint, &signature)
        .await;
    assert_eq!(
        reply.error(StatusCode::NOT_FOUND, "pavlodar").code,
        "contract_not_found"
    );
    let reply = w
        .post_signature(id, &w.admin, &fingerprint, &signature)
        .await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "admin").code,
        "forbidden"
    );

    // The employer's genuine signature still goes in.
    let reply = w
        .post_signature(id, &employer, &fingerprint, &signature)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

async fn changed_terms_void_every_signature(backend: Backend) {
    let Some(w) = World::start(backend).await else {
        return;
    };
    let employer = w.employer().await;
    let (resettler, id) = w.contract(&employer).await;
    let before = w.get(id, &resettler).await.json();
    let old_fingerprint = before["fingerprint"].as_str().unwrap().to_string();
    let old_signature = hex(&sign(
        &resettler_key(&resettler),
        &terms(&before),
        Party::Resettler,
    ));
    let reply = w
        .post_signature(id, &resettler, &old_fingerprint, &old_signature)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let reply = w
        .sign(id, &employer, Party::Employer, &employer_key(&employer))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);

    let uri = format!("/api/v1/contracts/{id}/terms");
    let amend = |salary: &str, start: Month, costs: &str| {
        json!({
            "start_month": start,
            "monthly_salary": salary,
            "declared_housing_costs": costs,
        })
        .to_string()
    };
    // Every problem at once, and nothing changes.
    let past = Month::new(today().year() - 1, 1).unwrap();
    let reply = call(
        w.r(),
        "PUT",
        &uri,
        Some(&amend("1000", past, "0")),
        Some(&w.officer),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let fields: Vec<Value> = reply.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(
        fields,
        ["monthly_salary", "start_month", "declared_housing_costs"]
    );
    // The same terms change nothing.
    let same = amend("250000", next_month(), "1200000");
    let reply = call(w.r(), "PUT", &uri, Some(&same), Some(&w.officer)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["fingerprint"], old_fingerprint);
    assert_eq!(signers(&reply.json()).iter().flatten().count(), 2);
    // Only the region's officers change terms.
    for session in [&resettler, &w.admin] {
        let reply = call(w.r(), "PUT", &uri, Some(&same), Some(session)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    let reply = call(w.r(), "PUT", &uri, Some(&same), Some(&w.pavlodar)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let raised = amend("300000", next_month(), "1500000");
    let reply = call(w.r(), "PUT", &uri, Some(&raised), Some(&w.officer)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let after = reply.json();
    assert_ne!(after["fingerprint"], old_fingerprint);
    assert_eq!(terms(&after).monthly_salary, Tenge::from_tiyn(30_000_000));
    assert_eq!(terms(&after).contract_id, id);
    assert_eq!(terms(&after).created_on, terms(&before).created_on);
    assert_eq!(signers(&after), [None, None, None]);
    let live: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM contract_signatures WHERE contract_id = $1 AND voided_at IS NULL",
    )
    .bind(id)
    .fetch_one(w.app.store.pool())
    .await
    .unwrap()
    .try_get("n")
    .unwrap();
    assert_eq!(live, 0);
    let changed: Vec<_> = audit_entries(&w.app.store, "contract.terms_changed")
        .await
        .into_iter()
        .filter(|e| e.1 == Some(format!("contract:{id}")))
        .collect();
    assert_eq!(changed.len(), 1, "the unchanged amendment is not logged");
    let (_, _, old, new) = &changed[0];
    assert_eq!(old.as_ref().unwrap()["fingerprint"], old_fingerprint);
    assert_eq!(new.as_ref().unwrap()["fingerprint"], after["fingerprint"]);
    assert_eq!(
        new.as_ref().unwrap()["voided"],
        json!(["resettler", "employer"])
    );

    // The old signature is refused: with the old fingerprint as stale, with the new one as
    // not matching the terms.
    let reply = w
        .post_signature(id, &resettler, &old_fingerprint, &old_signature)
        .await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "old").code,
        "terms_changed"
    );
    let new_fingerprint = after["fingerprint"].as_str().unwrap();
    let reply = w
        .post_signature(id, &resettler, new_fingerprint, &old_signature)
        .await;
    assert_eq!(
        reply.error(StatusCode::UNPROCESSABLE_ENTITY, "old").code,
        "signature_invalid"
    );
    // Signed anew, the contract becomes active.
    w.sign_all(id, &resettler, &employer).await;
    assert_eq!(w.get(id, &resettler).await.json()["stage"], "active");
}

async fn a_revoked_key_loses_its_pending_signatures(backend: Backend) {
    let Some(w) = World::start(backend).await else {
        return;
    };
    let employer = w.employer().await;
    let (first_resettler, active) = w.contract(&employer).await;
    let (second_resettler, pending) = w.contract(&employer).await;
    w.sign_all(active, &first_resettler, &employer).await;
    let reply = w
        .sign(
            pending,
            &employer,
            Party::Employer,
            &employer_key(&employer),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);

    let keys = call(
        w.r(),
        "GET",
        &format!("/api/v1/keys?account={}", employer.user_id()),
        None,
        Some(&w.officer),
    )
    .await
    .json();
    let key = keys["keys"][0].clone();
    let reply = call(
        w.r(),
        "POST",
        &format!("/api/v1/keys/{}/revoke", key["id"]),
        None,
        Some(&w.officer),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    // The pending contract lost the employer's signature; the active one keeps it.
    assert_eq!(signers(&w.get(pending, &employer).await.json())[1], None);
    let kept = w.get(active, &employer).await.json();
    assert_eq!(kept["stage"], "active");
    assert_eq!(signers(&kept)[1].as_deref(), key["fingerprint"].as_str());
    let revoked = audit_entries(&w.app.store, "signing_key.revoked").await;
    let account = json!(format!("user:{}", employer.user_id()));
    let after = revoked
        .iter()
        .filter_map(|e| e.3.as_ref())
        .find(|after| after["account"] == account)
        .expect("the revocation is logged");
    assert_eq!(
        after["voided_contracts"],
        json!([format!("contract:{pending}")])
    );

    // A new key, and the employer signs again; the old key's signatures are refused.
    let reply = w
        .sign(
            pending,
            &employer,
            Party::Employer,
            &employer_key(&employer),
        )
        .await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "revoked").code,
        "no_signing_key"
    );
    let new_key = [8; 32];
    register_key(w.r(), &employer, &new_key).await;
    let reply = w
        .sign(
            pending,
            &employer,
            Party::Employer,
            &employer_key(&employer),
        )
        .await;
    assert_eq!(
        reply
            .error(StatusCode::UNPROCESSABLE_ENTITY, "old key")
            .code,
        "signature_invalid"
    );
    let reply = w.sign(pending, &employer, Party::Employer, &new_key).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    for (session, party, secret) in [
        (
            &second_resettler,
            Party::Resettler,
            resettler_key(&second_resettler),
        ),
        (&w.officer, Party::Akimat, OFFICER_KEY),
    ] {
        let reply = w.sign(pending, session, party, &secret).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    }
    let signed = w.get(pending, &employer).await.json();
    assert_eq!(signed["stage"], "active");
    assert_eq!(
        signers(&signed)[1],
        Some(key_fingerprint(&public_key(&new_key)))
    );
}

async fn creation_needs_an_approved_application_of_the_officers_region(backend: Backend) {
    let Some(w) = World::start(backend).await else {
        return;
    };
    let employer = w.employer().await;
    let (_, application) = w.applicant(&employer).await;

    let reply = w.create(987_654, &w.officer).await;
    assert_eq!(
        reply.error(StatusCode::NOT_FOUND, "none").code,
        "application_not_found"
    );
    let reply = w.create(application, &w.pavlodar).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "pavlodar").code,
        "forbidden"
    );
    for session in [&employer, &w.admin] {
        assert_eq!(
            w.create(application, session).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let vacancy = insert_vacancy(&w.app.store, employer.user_id(), REGION).await;
    let someone = insert_user(&w.app.store, "resettler").await;
    let submitted = insert_approved(&w.app, someone, vacancy, "submitted").await;
    let reply = w.create(submitted, &w.officer).await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "submitted").code,
        "application_not_approved"
    );

    // Every problem of the terms, with its field.
    let body = json!({
        "application_id": application,
        "start_month": Month::new(today().year() - 1, 1).unwrap(),
        "declared_housing_costs": "0",
    });
    let reply = call(
        w.r(),
        "POST",
        "/api/v1/contracts",
        Some(&body.to_string()),
        Some(&w.officer),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let problems = reply.json();
    assert_eq!(problems["error"]["code"], "start_before_creation");
    let codes: Vec<Value> = problems["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].clone())
        .collect();
    assert_eq!(
        codes,
        ["start_before_creation", "housing_costs_not_positive"]
    );

    let reply = w.create(application, &w.officer).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let made = reply.json()["terms"]["contract_id"].as_i64().unwrap();
    let reply = w.create(application, &w.officer).await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "twice").code,
        "contract_exists"
    );
    // The queue names the contract made from the application.
    let queue = call(
        w.r(),
        "GET",
        "/api/v1/applications?status=approved&per_page=100",
        None,
        Some(&w.officer),
    )
    .await
    .json();
    let listed = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == application)
        .unwrap();
    assert_eq!(listed["contract_id"], made);
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM contracts WHERE region = $1")
        .bind(REGION)
        .fetch_one(w.app.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(count, 1, "refusals leave no contract behind");
    let by_officer = audit_entries(&w.app.store, "contract.created")
        .await
        .into_iter()
        .filter(|e| e.0 == format!("user:{}", w.officer.user_id()))
        .count();
    assert_eq!(by_officer, 1);
}

/// The router over the same database on `day`.
fn router_on(w: &World, day: NaiveDate) -> Router {
    server::router(AppState {
        store: w.app.store.clone(),
        site: Site::new(std::path::Path::new("not-built")),
        clock: Clock::fixed(day),
    })
}

async fn confirm(w: &World, contract: i64, month: Month) {
    sqlx::query(
        "INSERT INTO confirmations (contract_id, month, resident, employed, social_paid, \
         pension_paid, received_at) VALUES ($1, $2, 1, 1, 1, 1, '2026-01-01T00:00:00Z')",
    )
    .bind(contract)
    .bind(month.to_string())
    .execute(w.app.store.pool())
    .await
    .unwrap();
}

fn ids(list: &Value) -> Vec<i64> {
    list["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

async fn lists_are_scoped_and_follow_the_state(backend: Backend) {
    let Some(w) = World::start(backend).await else {
        return;
    };
    let employer = w.employer().await;
    let other_employer = w.employer().await;
    let (at_risk_resettler, at_risk) = w.contract(&employer).await;
    let (breached_resettler, breached) = w.contract(&employer).await;
    let (other_resettler, signing) = w.contract(&other_employer).await;
    w.sign_all(at_risk, &at_risk_resettler, &employer).await;
    w.sign_all(breached, &breached_resettler, &employer).await;

    // Four months after the start month (the fourth month's report still awaited): the
    // first confirmed then two missing is at risk; three missing is a breach, shown before
    // any settlement records it.
    let start = next_month();
    confirm(&w, at_risk, start).await;
    let later = router_on(&w, start.plus(4).unwrap().first_day());
    let list = |session: &Session, query: &str| {
        let later = later.clone();
        let uri = format!("/api/v1/contracts{query}");
        let session = session.clone();
        async move {
            let reply = call(&later, "GET", &uri, None, Some(&session)).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
            reply.json()
        }
    };
    let all = list(&w.officer, "").await;
    assert_eq!(ids(&all), [signing, breached, at_risk], "newest first");
    assert_eq!(all["total"], 3);
    let summary = &all["contracts"][2];
    assert_eq!(summary["stage"], "active");
    assert_eq!(
        (
            summary["confirmed"].as_u64(),
            summary["unconfirmed_run"].as_u64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(summary["at_risk"], true);
    assert_eq!(
        summary["expected_payout_month"],
        start.plus(3 + 23).unwrap().to_string()
    );
    assert_eq!(all["contracts"][1]["stage"], "breached");
    assert_eq!(all["contracts"][1]["payout"], "0");
    assert_eq!(
        all["contracts"][0]["unsigned"],
        json!(["resettler", "employer", "akimat"])
    );
    for (filter, expected) in [
        ("signing", vec![signing]),
        ("active", vec![at_risk]),
        ("at_risk", vec![at_risk]),
        ("breached", vec![breached]),
        ("fulfilled", vec![]),
    ] {
        let found = list(&w.officer, &format!("?filter={filter}")).await;
        assert_eq!(ids(&found), expected, "{filter}");
    }
    let page = list(&w.officer, "?page=2&per_page=2").await;
    assert_eq!(
        (ids(&page), page["total"].as_u64()),
        (vec![at_risk], Some(3))
    );
    let reply = call(
        &later,
        "GET",
        "/api/v1/contracts?filter=late",
        None,
        Some(&w.officer),
    )
    .await;
    assert_eq!(
        reply
            .error(StatusCode::BAD_REQUEST, "filter")
            .field
            .as_deref(),
        Some("filter")
    );
    let detail = call(
        &later,
        "GET",
        &format!("/api/v1/contracts/{breached}"),
        None,
        Some(&w.officer),
    )
    .await
    .json();
    assert_eq!(detail["stage"], "breached");
    assert_eq!(detail["today"], start.plus(4).unwrap().to_string());

    // Each party sees its own; an employer never another employer's.
    assert_eq!(ids(&list(&employer, "").await), [breached, at_risk]);
    assert_eq!(ids(&list(&other_employer, "").await), [signing]);
    assert_eq!(ids(&list(&other_resettler, "").await), [signing]);
    assert_eq!(ids(&list(&w.pavlodar, "").await), Vec::<i64>::new());
    let everything = ids(&list(&w.admin, "").await);
    assert!([at_risk, breached, signing]
        .iter()
        .all(|id| everything.contains(id)));
    for (session, id) in [
        (&other_employer, at_risk),
        (&employer, signing),
        (&at_risk_resettler, breached),
        (&w.pavlodar, at_risk),
    ] {
        let reply = w.get(id, session).await;
        assert_eq!(
            reply.error(StatusCode::NOT_FOUND, "stranger").code,
            "contract_not_found"
        );
    }
    assert_eq!(w.get(signing, &w.admin).await.status, StatusCode::OK);
    let reply = call(w.r(), "GET", "/api/v1/contracts/abc", None, Some(&w.admin)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
