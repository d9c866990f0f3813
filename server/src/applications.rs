//! Resettlers' applications: submission (re-checked with the shared eligibility rules and
//! the current quota), the officers' queue, and decisions. An approval takes one family
//! place of the region's quota for the application's year in the same serialised, audited
//! transaction as the status change, so concurrent approvals never overbook a quota.

use crate::{
    audit::{self, Event},
    auth::{authorize, Action, Principal},
    error::ApiError,
    fail,
    paged::{self, Conditions, Param},
    refusal::{self, Refusal},
    store::{Backend, StoreError},
    Store,
};
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::json;
use shared::{
    api::{Applicant, Destination, EligibilityRequest, FamilySize},
    application::{
        family_problems, Application, ApplicationList, ApplicationStatus, FamilyMember, Problem,
        SubmitApplication, VacancyApplicant, REASON_MAX_CHARS,
    },
    eligibility::assess,
    Lang, Policy, Region,
};
use sqlx::{any::AnyRow, Row};

/// Items per page unless asked otherwise, and the most a page may hold.
pub const PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// The audit subject of one application.
pub fn subject(id: i64) -> String {
    format!("application:{id}")
}

/// Now, as stored: RFC 3339 UTC with microseconds.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A value's JSON text form (`"urban"`), for enums kept as text.
pub(crate) fn enum_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

pub(crate) fn parse_text<T: DeserializeOwned>(column: &str, text: String) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.clone()))
        .map_err(|_| StoreError::Corrupt(format!("{column} = {text:?}")))
}

pub(crate) fn parse_region(text: String) -> Result<Region, StoreError> {
    Region::from_id(&text).ok_or_else(|| StoreError::Corrupt(format!("region = {text:?}")))
}

fn count(n: i64, column: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{column} = {n}")))
}

const SELECT: &str = concat!(
    "SELECT a.id, a.applicant_id, u.login AS applicant_iin, a.status, a.region, ",
    "a.settlement, a.vacancy_id, a.year, a.family_size, a.family_members, a.birth_date, ",
    "a.citizenship, a.current_region, a.prior_support, a.reason, a.submitted_at, a.decided_at, ",
    "c.id AS contract_id ",
    "FROM applications a JOIN users u ON u.id = a.applicant_id ",
    // At most one contract per application (a unique index).
    "LEFT JOIN contracts c ON c.application_id = a.id"
);
/// The `FROM` part of [`SELECT`], for counting.
const FROM: &str = "FROM applications a JOIN users u ON u.id = a.applicant_id";

fn from_row(row: &AnyRow) -> Result<Application, StoreError> {
    let members: String = row.try_get("family_members")?;
    let family_members: Vec<FamilyMember> =
        serde_json::from_str(&members).map_err(|_| StoreError::Corrupt("family_members".into()))?;
    let birth_date: String = row.try_get("birth_date")?;
    let year: i64 = row.try_get("year")?;
    Ok(Application {
        id: row.try_get("id")?,
        status: {
            let s: String = row.try_get("status")?;
            ApplicationStatus::from_id(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("status = {s:?}")))?
        },
        applicant_id: row.try_get("applicant_id")?,
        applicant_iin: row.try_get("applicant_iin")?,
        family_size: count(row.try_get("family_size")?, "family_size")?,
        family_members,
        destination: Destination {
            region: parse_region(row.try_get("region")?)?,
            settlement: parse_text("settlement", row.try_get("settlement")?)?,
        },
        vacancy_id: row.try_get("vacancy_id")?,
        year: i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("year = {year}")))?,
        birth_date: birth_date
            .parse::<NaiveDate>()
            .map_err(|_| StoreError::Corrupt(format!("birth_date = {birth_date:?}")))?,
        citizenship: parse_text("citizenship", row.try_get("citizenship")?)?,
        current_region: parse_region(row.try_get("current_region")?)?,
        prior_resettlement_support: row.try_get::<i64, _>("prior_support")? != 0,
        reason: row.try_get("reason")?,
        submitted_at: row.try_get("submitted_at")?,
        decided_at: row.try_get("decided_at")?,
        contract_id: row.try_get("contract_id")?,
    })
}

/// One application, if it exists.
pub async fn get(store: &Store, id: i64) -> Result<Option<Application>, StoreError> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Which applications a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub applicant: Option<i64>,
    pub region: Option<Region>,
    pub status: Option<ApplicationStatus>,
}

/// A page (from 1) of the applications matching `filter`, newest first, with their count.
pub async fn list(
    store: &Store,
    filter: &Filter,
    page: u32,
    per_page: u32,
) -> Result<ApplicationList, StoreError> {
    let mut conditions = Conditions::default();
    if let Some(applicant) = filter.applicant {
        conditions.add("a.applicant_id =", Param::Int(applicant));
    }
    if let Some(region) = filter.region {
        conditions.add("a.region =", Param::Text(region.id().to_string()));
    }
    if let Some(status) = filter.status {
        conditions.add("a.status =", Param::Text(status.id().to_string()));
    }
    let (total, rows) = paged::fetch(
        store,
        SELECT,
        FROM,
        "a.id DESC",
        &conditions,
        page,
        per_page,
    )
    .await?;
    Ok(ApplicationList {
        items: rows.iter().map(from_row).collect::<Result<_, _>>()?,
        total,
        page,
        per_page,
    })
}

/// The applicants to one vacancy, newest first.
pub async fn applicants_of(
    store: &Store,
    vacancy_id: i64,
) -> Result<Vec<VacancyApplicant>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.id, a.status, a.family_size, a.settlement, a.submitted_at, u.phone \
         FROM applications a JOIN users u ON u.id = a.applicant_id \
         WHERE a.vacancy_id = $1 ORDER BY a.id DESC",
    )
    .bind(vacancy_id)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(VacancyApplicant {
                application_id: row.try_get("id")?,
                status: ApplicationStatus::from_id(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("status = {status:?}")))?,
                family_size: count(row.try_get("family_size")?, "family_size")?,
                settlement: parse_text("settlement", row.try_get("settlement")?)?,
                phone: row.try_get("phone")?,
                submitted_at: row.try_get("submitted_at")?,
            })
        })
        .collect()
}

fn not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "application_not_found",
        fail::texts(
            "Мұндай өтініш жоқ.",
            "Такого заявления нет.",
            "There is no such application.",
        ),
    )
}

fn already_open() -> ApiError {
    fail::conflict(
        "application_open",
        fail::texts(
            "Сізде қаралып жатқан немесе мақұлданған өтініш бар: бір адам бір ғана өтініш бере алады.",
            "У вас уже есть заявление на рассмотрении или одобренное: одно заявление на человека.",
            "You already have an application under review or approved: one application per person.",
        ),
    )
}

/// Submits `request` for the resettler `principal` as of `today`: the family is checked,
/// the eligibility rules are re-run with the current quota, and one open application per
/// person is enforced.
pub async fn submit(
    store: &Store,
    principal: &Principal,
    request: SubmitApplication,
    today: NaiveDate,
    lang: Lang,
) -> Result<Application, Refusal> {
    authorize(principal, Action::SubmitApplication)?;
    let iin: String = sqlx::query("SELECT login FROM users WHERE id = $1 AND role = 'resettler'")
        .bind(principal.user_id)
        .fetch_optional(store.pool())
        .await?
        .ok_or_else(fail::unauthenticated)?
        .try_get("login")?;

    // The family.
    let counted = request.family_members.len().saturating_add(1);
    let size = u32::try_from(counted)
        .ok()
        .and_then(|n| FamilySize::try_from(n).ok());
    let mut found: Vec<Problem> = family_problems(
        &iin,
        &request.family_members,
        u32::try_from(counted).unwrap_or(u32::MAX),
        today,
    )
    .iter()
    .map(|p| Problem {
        code: p.code().into(),
        field: p.field(),
        message: p.message(lang),
    })
    .collect();
    if size.is_none() {
        let max = FamilySize::MAX - 1;
        found.push(Problem {
            code: "family_size_out_of_range".into(),
            field: "family_members".into(),
            message: fail::texts(
                format!("Сізбен бірге көшетін отбасы мүшелері {max} адамнан аспауы керек."),
                format!("С вами могут переехать не более {max} членов семьи."),
                format!("At most {max} family members can move with you."),
            )
            .get(lang)
            .to_string(),
        });
    }

    // The vacancy, if any: open, and in the destination region.
    if let Some(vacancy_id) = request.vacancy_id {
        let row = sqlx::query("SELECT region, status FROM vacancies WHERE id = $1")
            .bind(vacancy_id)
            .fetch_optional(store.pool())
            .await?;
        let (region, status) = match row {
            Some(row) => (
                row.try_get::<String, _>("region")?,
                row.try_get::<String, _>("status")?,
            ),
            None => (String::new(), String::new()),
        };
        if status != "open" {
            found.push(Problem {
                code: "vacancy_not_open".into(),
                field: "vacancy_id".into(),
                message: fail::texts(
                    "Бұл бос орын жоқ немесе жабылған.",
                    "Этой вакансии нет или она закрыта.",
                    "This vacancy does not exist or is closed.",
                )
                .get(lang)
                .to_string(),
            });
        } else if region != request.destination.region.id() {
            found.push(Problem {
                code: "vacancy_region_mismatch".into(),
                field: "vacancy_id".into(),
                message: fail::texts(
                    "Бос орын сіз көшетін өңірде емес.",
                    "Вакансия не в регионе, куда вы переезжаете.",
                    "The vacancy is not in the region you are moving to.",
                )
                .get(lang)
                .to_string(),
            });
        }
    }
    let Some(family_size) = size.filter(|_| found.is_empty()) else {
        return Err(refusal::problems(lang, found));
    };

    // The eligibility rules, with the quota as it is now.
    let policy = Policy::current();
    let quotas = store.quotas(today.year()).await?;
    let check = EligibilityRequest {
        as_of: Some(today),
        applicant: Applicant {
            iin: iin.clone(),
            birth_date: request.birth_date,
            citizenship: request.citizenship,
            current_region: request.current_region,
            prior_resettlement_support: request.prior_resettlement_support,
        },
        family_size,
        destination: request.destination,
    };
    let assessment = assess(&check, today, policy, &quotas)
        .map_err(|e| ApiError::as_of_out_of_range(e.first_effective))?;
    if !assessment.eligible() {
        let failed = assessment
            .to_response(policy, lang)
            .rules
            .into_iter()
            .filter(|r| !r.passed)
            .collect();
        return Err(refusal::not_eligible(lang, failed));
    }

    let members = serde_json::to_string(&request.family_members)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut tx = audit::begin(store).await?;
    let open = sqlx::query(
        "SELECT id FROM applications WHERE applicant_id = $1 AND status IN ('submitted', 'approved')",
    )
    .bind(principal.user_id)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_some() {
        return Err(already_open().into());
    }
    let year = i64::from(today.year());
    let id: i64 = sqlx::query(
        "INSERT INTO applications (applicant_id, status, region, settlement, vacancy_id, year, \
         family_size, family_members, birth_date, citizenship, current_region, prior_support, \
         submitted_at) VALUES ($1, 'submitted', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         RETURNING id",
    )
    .bind(principal.user_id)
    .bind(request.destination.region.id())
    .bind(enum_text(&request.destination.settlement))
    .bind(request.vacancy_id)
    .bind(year)
    .bind(i64::from(family_size.get()))
    .bind(members)
    .bind(request.birth_date.to_string())
    .bind(enum_text(&request.citizenship))
    .bind(request.current_region.id())
    .bind(i64::from(request.prior_resettlement_support))
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    // Ids only: no IIN, no birth date in the log.
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: audit::action::APPLICATION_SUBMIT,
            subject: Some(subject(id)),
            before: None,
            after: Some(json!({
                "status": "submitted",
                "applicant": audit::user_subject(principal.user_id),
                "region": request.destination.region.id(),
                "year": year,
                "family_size": family_size.get(),
                "vacancy_id": request.vacancy_id,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(get(store, id).await?.ok_or_else(not_found)?)
}

/// An officer's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

/// Approves or rejects application `id`. Decisions are final; an approval takes one place
/// of the region's quota for the application's year, or is refused when none is left.
pub async fn decide(
    store: &Store,
    principal: &Principal,
    id: i64,
    decision: Decision,
) -> Result<Application, Refusal> {
    authorize(principal, Action::ReviewApplications)?;
    if let Decision::Reject { reason } = &decision {
        let chars = reason.trim().chars().count();
        if chars == 0 || chars > REASON_MAX_CHARS {
            return Err(fail::invalid(
                "reason",
                "reason_invalid",
                fail::texts(
                    format!("Бас тарту себебін жазыңыз ({REASON_MAX_CHARS} таңбаға дейін)."),
                    format!("Укажите причину отказа (до {REASON_MAX_CHARS} символов)."),
                    format!(
                        "Give the reason for the rejection (up to {REASON_MAX_CHARS} characters)."
                    ),
                ),
            )
            .into());
        }
    }
    let next = match decision {
        Decision::Approve => ApplicationStatus::Approved,
        Decision::Reject { .. } => ApplicationStatus::Rejected,
    };
    let mut tx = audit::begin(store).await?;
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT status, region, year FROM applications WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(not_found)?;
    let status: String = row.try_get("status")?;
    let status = ApplicationStatus::from_id(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("status = {status:?}")))?;
    let region = parse_region(row.try_get("region")?)?;
    let year: i64 = row.try_get("year")?;
    let year = i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("year = {year}")))?;
    authorize(principal, Action::DecideApplication { region })?;
    if !status.can_become(next) {
        return Err(fail::conflict(
            "decision_final",
            fail::texts(
                "Бұл өтініш бойынша шешім қабылданып қойған; ол өзгермейді.",
                "По этому заявлению решение уже принято; оно окончательное.",
                "This application has already been decided; decisions are final.",
            ),
        )
        .into());
    }
    let mut after = json!({ "status": next.id() });
    match &decision {
        Decision::Approve => {
            // The check and the increment are one statement: never past the quota.
            let taken = sqlx::query(
                "UPDATE quotas SET used = used + 1 WHERE region = $1 AND year = $2 AND used < quota",
            )
            .bind(region.id())
            .bind(year)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken != 1 {
                let name = |l| Policy::current().region_name(region, l).to_string();
                return Err(fail::conflict(
                    "quota_exhausted",
                    fail::texts(
                        format!("{}, {year} жыл: квотада бос орын қалмады.", name(Lang::Kk)),
                        format!("{}, {year} год: в квоте не осталось мест.", name(Lang::Ru)),
                        format!(
                            "{}, {year}: no family places are left in the quota.",
                            name(Lang::En)
                        ),
                    ),
                )
                .into());
            }
            let used: i64 = sqlx::query("SELECT used FROM quotas WHERE region = $1 AND year = $2")
                .bind(region.id())
                .bind(year)
                .fetch_one(&mut *tx)
                .await?
                .try_get("used")?;
            after["quota"] = json!({
                "subject": crate::quota_editor::subject(region, year),
                "used_before": used - 1,
                "used": used,
            });
        }
        Decision::Reject { reason } => {
            after["reason"] = json!(reason.trim());
        }
    }
    let reason = match &decision {
        Decision::Reject { reason } => Some(reason.trim().to_string()),
        Decision::Approve => None,
    };
    let changed = sqlx::query(
        "UPDATE applications SET status = $1, reason = $2, decided_at = $3, decided_by = $4 \
         WHERE id = $5 AND status = 'submitted'",
    )
    .bind(next.id())
    .bind(reason)
    .bind(now_text())
    .bind(principal.user_id)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(ApiError::internal().into());
    }
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: match next {
                ApplicationStatus::Approved => audit::action::APPLICATION_APPROVE,
                _ => audit::action::APPLICATION_REJECT,
            },
            subject: Some(subject(id)),
            before: Some(json!({ "status": status.id() })),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(get(store, id).await?.ok_or_else(not_found)?)
}
