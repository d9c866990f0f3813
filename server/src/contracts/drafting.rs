//! Creating a contract from an approved application, and changing its terms while it is
//! being signed. The terms are fixed by `ContractTerms::fix` with the policy in force on the
//! creation day; a change keeps the contract's id and creation day, so only what the officer
//! changed (and what the policy derives from it) differs.

use super::{
    load, not_found, not_signing, signing, subject, view, visible, CREATED, TERMS_CHANGED,
};
use crate::Store;
use crate::{
    applications::{self, now_text},
    audit::{self, Event},
    auth::{authorize, Action, Principal},
    error::ApiError,
    fail,
    refusal::Refusal,
};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::{json, Value};
use shared::{
    api::ErrorDetail,
    application::{ApplicationStatus, Problem, Problems},
    contract::{
        api::{AmendTerms, Contract, CreateContract, Stage},
        fingerprint, hex, ContractTerms, TermsDraft, TermsProblem,
    },
    Lang, Policy, Tenge,
};
use sqlx::Row;

/// 422 with every problem of the terms: `error` is the first, `errors` all of them.
fn terms_problems(lang: Lang, found: &[TermsProblem]) -> Refusal {
    let errors: Vec<Problem> = found
        .iter()
        .map(|p| Problem {
            code: p.code().into(),
            field: p.field().into(),
            message: p.message(lang),
        })
        .collect();
    let error = match errors.first() {
        Some(first) => ErrorDetail {
            code: first.code.clone(),
            message: first.message.clone(),
            field: Some(first.field.clone()),
        },
        None => return ApiError::internal().into(),
    };
    Refusal::Body {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        lang,
        body: serde_json::to_value(Problems { error, errors }).unwrap_or_default(),
    }
}

fn fix(
    id: i64,
    draft: TermsDraft,
    created_on: NaiveDate,
    lang: Lang,
) -> Result<ContractTerms, Refusal> {
    ContractTerms::fix(id, draft, created_on, Policy::current())
        .map_err(|found| terms_problems(lang, &found))
}

/// What the log keeps of the terms: accounts by id, no IIN or BIN.
fn snapshot(terms: &ContractTerms, fingerprint: &str) -> Value {
    let money = |t: Tenge| t.to_string();
    json!({
        "fingerprint": fingerprint,
        "created_on": terms.created_on.to_string(),
        "resettler": audit::user_subject(terms.resettler_id),
        "employer": audit::user_subject(terms.employer_id),
        "region": terms.region.id(),
        "vacancy_id": terms.vacancy_id,
        "position": terms.position,
        "monthly_salary": money(terms.monthly_salary),
        "start_month": terms.start_month.to_string(),
        "housing_limit": money(terms.housing_limit),
        "declared_housing_costs": money(terms.declared_housing_costs),
        "required_months": terms.required_months,
        "breach_threshold": terms.breach_threshold,
    })
}

fn application_not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "application_not_found",
        fail::texts(
            "Мұндай өтініш жоқ.",
            "Такого заявления нет.",
            "There is no such application.",
        ),
    )
    .with_field("application_id")
}

fn not_approved() -> ApiError {
    fail::conflict(
        "application_not_approved",
        fail::texts(
            "Шарт тек мақұлданған өтініш бойынша жасалады.",
            "Договор заключается только по одобренному заявлению.",
            "A contract is made only from an approved application.",
        ),
    )
}

fn without_vacancy() -> ApiError {
    fail::conflict(
        "application_without_vacancy",
        fail::texts(
            "Өтініште бос орын көрсетілмеген: шарттың жұмыс берушісі жоқ.",
            "В заявлении не указана вакансия: у договора нет работодателя.",
            "The application names no vacancy: the contract would have no employer.",
        ),
    )
}

fn contract_exists() -> ApiError {
    fail::conflict(
        "contract_exists",
        fail::texts(
            "Бұл өтініш бойынша шарт жасалып қойған.",
            "По этому заявлению договор уже создан.",
            "A contract has already been made from this application.",
        ),
    )
}

/// Creates the contract of `request` for officer `principal` on `today`: the resettler
/// and the destination region come from the approved application, the employer, position
/// and salary from its vacancy, the rest from the request and the policy of `today`.
pub async fn create(
    store: &Store,
    principal: &Principal,
    request: &CreateContract,
    today: NaiveDate,
    lang: Lang,
) -> Result<Contract, Refusal> {
    authorize(principal, Action::DraftContracts)?;
    let application = applications::get(store, request.application_id)
        .await?
        .ok_or_else(application_not_found)?;
    let region = application.destination.region;
    authorize(principal, Action::DraftContract { region })?;
    if application.status != ApplicationStatus::Approved {
        return Err(not_approved().into());
    }
    let vacancy_id = application.vacancy_id.ok_or_else(without_vacancy)?;
    let vacancy = sqlx::query(
        "SELECT v.employer_id, v.title, v.salary_tiyn, u.login AS bin \
         FROM vacancies v JOIN users u ON u.id = v.employer_id WHERE v.id = $1",
    )
    .bind(vacancy_id)
    .fetch_optional(store.pool())
    .await?
    .ok_or_else(without_vacancy)?;
    let draft = TermsDraft {
        resettler_id: application.applicant_id,
        resettler_iin: application.applicant_iin.clone(),
        employer_id: vacancy.try_get("employer_id")?,
        employer_bin: vacancy.try_get("bin")?,
        region,
        vacancy_id,
        position: vacancy.try_get("title")?,
        monthly_salary: Tenge::from_tiyn(vacancy.try_get("salary_tiyn")?),
        start_month: request.start_month,
        declared_housing_costs: request.declared_housing_costs,
    };

    let mut tx = audit::begin(store).await?;
    let existing = sqlx::query("SELECT id FROM contracts WHERE application_id = $1")
        .bind(application.id)
        .fetch_optional(&mut *tx)
        .await?;
    if existing.is_some() {
        return Err(contract_exists().into());
    }
    // The id is part of the terms: insert first, then fix the terms with it.
    let id: i64 = sqlx::query(
        "INSERT INTO contracts (resettler_iin, employer_bin, start_month, status, created_at, \
         application_id, resettler_id, employer_id, region, created_by) \
         VALUES ($1, $2, $3, 'signing', $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&draft.resettler_iin)
    .bind(&draft.employer_bin)
    .bind(draft.start_month.to_string())
    .bind(now_text())
    .bind(application.id)
    .bind(draft.resettler_id)
    .bind(draft.employer_id)
    .bind(region.id())
    .bind(principal.user_id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let terms = fix(id, draft, today, lang)?;
    let fingerprint = hex(&fingerprint(&terms));
    sqlx::query("UPDATE contracts SET terms = $1, fingerprint = $2 WHERE id = $3")
        .bind(terms_json(&terms)?)
        .bind(&fingerprint)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let mut after = snapshot(&terms, &fingerprint);
    after["application"] = json!(applications::subject(application.id));
    after["status"] = json!(Stage::Signing.id());
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: CREATED,
            subject: Some(subject(id)),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    view::get(store, principal, id, today, lang).await
}

fn terms_json(terms: &ContractTerms) -> Result<String, ApiError> {
    serde_json::to_string(terms).map_err(|e| {
        tracing::error!(error = %e, "cannot write contract terms");
        ApiError::internal()
    })
}

/// Changes the start month, salary and declared housing costs of contract `id` while it is
/// being signed. New terms void every signature given so far; the same terms change
/// nothing.
pub async fn amend(
    store: &Store,
    principal: &Principal,
    id: i64,
    request: &AmendTerms,
    today: NaiveDate,
    lang: Lang,
) -> Result<Contract, Refusal> {
    authorize(principal, Action::DraftContracts)?;
    let mut tx = audit::begin(store).await?;
    let stored = load(&mut tx, store.backend(), id, true)
        .await?
        .filter(|s| visible(principal, &s.terms))
        .ok_or_else(not_found)?;
    let old = &stored.terms;
    authorize(principal, Action::DraftContract { region: old.region })?;
    if stored.status != Stage::Signing {
        return Err(not_signing().into());
    }
    let draft = TermsDraft {
        resettler_id: old.resettler_id,
        resettler_iin: old.resettler_iin.clone(),
        employer_id: old.employer_id,
        employer_bin: old.employer_bin.clone(),
        region: old.region,
        vacancy_id: old.vacancy_id,
        position: old.position.clone(),
        monthly_salary: request.monthly_salary,
        start_month: request.start_month,
        declared_housing_costs: request.declared_housing_costs,
    };
    let terms = fix(id, draft, old.created_on, lang)?;
    if terms == *old {
        tx.rollback().await?;
        return view::get(store, principal, id, today, lang).await;
    }
    let fingerprint = hex(&fingerprint(&terms));
    sqlx::query(
        "UPDATE contracts SET terms = $1, fingerprint = $2, start_month = $3 WHERE id = $4",
    )
    .bind(terms_json(&terms)?)
    .bind(&fingerprint)
    .bind(terms.start_month.to_string())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let voided = signing::void_signatures(&mut tx, id, &now_text()).await?;
    let mut after = snapshot(&terms, &fingerprint);
    after["voided"] = json!(voided.iter().map(|p| p.id()).collect::<Vec<_>>());
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: TERMS_CHANGED,
            subject: Some(subject(id)),
            before: Some(snapshot(old, &stored.fingerprint)),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    view::get(store, principal, id, today, lang).await
}
