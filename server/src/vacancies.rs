//! Employers' vacancies: posted, edited and closed by their employer, checked by the shared
//! rules (`shared::vacancy::problems`) on the day, audited; searched by anyone.

use crate::{
    applications::{enum_text, now_text, parse_region, parse_text},
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
use chrono::NaiveDate;
use serde_json::{json, Value};
use shared::{
    api::Settlement,
    application::Problem,
    vacancy::{problems, Vacancy, VacancyDraft, VacancyList, VacancyStatus},
    Lang, Policy, Region, Tenge,
};
use sqlx::{any::AnyRow, Row};

/// The audit subject of one vacancy.
pub fn subject(id: i64) -> String {
    format!("vacancy:{id}")
}

const SELECT: &str = concat!(
    "SELECT v.id, v.employer_id, u.organisation, v.title, v.description, ",
    "v.region, v.settlement, v.salary_tiyn, v.places, v.housing_provided, v.status, ",
    "v.created_at, v.updated_at FROM vacancies v JOIN users u ON u.id = v.employer_id"
);
/// The `FROM` part of [`SELECT`], for counting.
const FROM: &str = "FROM vacancies v JOIN users u ON u.id = v.employer_id";

fn from_row(row: &AnyRow) -> Result<Vacancy, StoreError> {
    let status: String = row.try_get("status")?;
    let places: i64 = row.try_get("places")?;
    Ok(Vacancy {
        id: row.try_get("id")?,
        employer_id: row.try_get("employer_id")?,
        organisation: row
            .try_get::<Option<String>, _>("organisation")?
            .unwrap_or_default(),
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        region: parse_region(row.try_get("region")?)?,
        settlement: parse_text("settlement", row.try_get("settlement")?)?,
        monthly_salary: Tenge::from_tiyn(row.try_get("salary_tiyn")?),
        places: u32::try_from(places)
            .map_err(|_| StoreError::Corrupt(format!("places = {places}")))?,
        housing_provided: row.try_get::<i64, _>("housing_provided")? != 0,
        status: VacancyStatus::from_id(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status = {status:?}")))?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// What the log keeps of a vacancy.
fn snapshot(draft: &VacancyDraft, status: VacancyStatus) -> Value {
    json!({
        "title": draft.title.trim(),
        "region": draft.region.id(),
        "settlement": enum_text(&draft.settlement),
        "monthly_salary": draft.monthly_salary.to_string(),
        "places": draft.places,
        "housing_provided": draft.housing_provided,
        "status": status.id(),
    })
}

fn snapshot_of(v: &Vacancy) -> Value {
    snapshot(
        &VacancyDraft {
            title: v.title.clone(),
            description: v.description.clone(),
            region: v.region,
            settlement: v.settlement,
            monthly_salary: v.monthly_salary,
            places: v.places,
            housing_provided: v.housing_provided,
        },
        v.status,
    )
}

/// One vacancy, if it exists.
pub async fn get(store: &Store, id: i64) -> Result<Option<Vacancy>, StoreError> {
    let row = sqlx::query(&format!("{SELECT} WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub fn not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "vacancy_not_found",
        fail::texts(
            "Мұндай бос орын жоқ.",
            "Такой вакансии нет.",
            "There is no such vacancy.",
        ),
    )
}

/// The draft's problems on `today`, in `lang`, and its salary in tiyn.
fn check(draft: &VacancyDraft, today: NaiveDate, lang: Lang) -> Result<i64, Refusal> {
    let mut found: Vec<Problem> = problems(draft, today, Policy::current())
        .iter()
        .map(|p| Problem {
            code: p.code().into(),
            field: p.field().into(),
            message: p.message(lang),
        })
        .collect();
    let tiyn = draft.monthly_salary.to_tiyn().filter(|t| *t >= 0);
    if tiyn.is_none() {
        found.push(Problem {
            code: "salary_invalid".into(),
            field: "monthly_salary".into(),
            message: fail::texts(
                "Жалақыны теңгемен жазыңыз, тиынмен ең көбі екі белгі.",
                "Укажите зарплату в тенге, не более двух знаков после запятой.",
                "Write the salary in tenge, with at most two decimal places.",
            )
            .get(lang)
            .to_string(),
        });
    }
    match tiyn {
        Some(tiyn) if found.is_empty() => Ok(tiyn),
        _ => Err(refusal::problems(lang, found)),
    }
}

/// Posts `draft` for the employer `principal`.
pub async fn create(
    store: &Store,
    principal: &Principal,
    draft: VacancyDraft,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vacancy, Refusal> {
    authorize(principal, Action::PostVacancy)?;
    let tiyn = check(&draft, today, lang)?;
    let now = now_text();
    let mut tx = audit::begin(store).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO vacancies (employer_id, title, description, region, settlement, \
         salary_tiyn, places, housing_provided, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9) RETURNING id",
    )
    .bind(principal.user_id)
    .bind(draft.title.trim())
    .bind(draft.description.trim())
    .bind(draft.region.id())
    .bind(enum_text(&draft.settlement))
    .bind(tiyn)
    .bind(i64::from(draft.places))
    .bind(i64::from(draft.housing_provided))
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: audit::action::VACANCY_CREATE,
            subject: Some(subject(id)),
            before: None,
            after: Some(snapshot(&draft, VacancyStatus::Open)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(get(store, id).await?.ok_or_else(not_found)?)
}

/// Loads vacancy `id` inside `tx` (locked on PostgreSQL) and checks that `principal` may
/// manage it.
async fn load_own(
    tx: &mut sqlx::AnyConnection,
    store: &Store,
    principal: &Principal,
    id: i64,
) -> Result<Vacancy, Refusal> {
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE OF v",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!("{SELECT} WHERE v.id = $1{lock}"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
    let vacancy = from_row(&row)?;
    authorize(
        principal,
        Action::ManageVacancy {
            owner: vacancy.employer_id,
        },
    )?;
    Ok(vacancy)
}

fn closed() -> ApiError {
    fail::conflict(
        "vacancy_closed",
        fail::texts(
            "Бос орын жабылған, оны өзгертуге болмайды.",
            "Вакансия закрыта, её нельзя изменить.",
            "The vacancy is closed and cannot be changed.",
        ),
    )
}

/// Replaces vacancy `id` with `draft`; only its employer, only while open.
pub async fn update(
    store: &Store,
    principal: &Principal,
    id: i64,
    draft: VacancyDraft,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vacancy, Refusal> {
    authorize(principal, Action::PostVacancy)?;
    let mut tx = audit::begin(store).await?;
    let before = load_own(&mut tx, store, principal, id).await?;
    if before.status == VacancyStatus::Closed {
        return Err(closed().into());
    }
    let tiyn = check(&draft, today, lang)?;
    sqlx::query(
        "UPDATE vacancies SET title = $1, description = $2, region = $3, settlement = $4, \
         salary_tiyn = $5, places = $6, housing_provided = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(draft.title.trim())
    .bind(draft.description.trim())
    .bind(draft.region.id())
    .bind(enum_text(&draft.settlement))
    .bind(tiyn)
    .bind(i64::from(draft.places))
    .bind(i64::from(draft.housing_provided))
    .bind(now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: audit::action::VACANCY_UPDATE,
            subject: Some(subject(id)),
            before: Some(snapshot_of(&before)),
            after: Some(snapshot(&draft, VacancyStatus::Open)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(get(store, id).await?.ok_or_else(not_found)?)
}

/// Closes vacancy `id`; closing a closed vacancy changes nothing.
pub async fn close(store: &Store, principal: &Principal, id: i64) -> Result<Vacancy, Refusal> {
    authorize(principal, Action::PostVacancy)?;
    let mut tx = audit::begin(store).await?;
    let before = load_own(&mut tx, store, principal, id).await?;
    if before.status == VacancyStatus::Closed {
        tx.rollback().await?;
        return Ok(before);
    }
    sqlx::query("UPDATE vacancies SET status = 'closed', updated_at = $1 WHERE id = $2")
        .bind(now_text())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: audit::action::VACANCY_CLOSE,
            subject: Some(subject(id)),
            before: Some(json!({ "status": "open" })),
            after: Some(json!({ "status": "closed" })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(get(store, id).await?.ok_or_else(not_found)?)
}

/// What a public search asks for.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub region: Option<Region>,
    pub settlement: Option<Settlement>,
    /// Salary at least this many tiyn.
    pub salary_from: Option<i64>,
    /// Only with (true) or without (false) housing.
    pub housing: Option<bool>,
}

/// A page (from 1) of open vacancies matching `search`, newest first, with their count.
pub async fn search(
    store: &Store,
    search: &Search,
    page: u32,
    per_page: u32,
) -> Result<VacancyList, StoreError> {
    let mut conditions = Conditions::default().fixed("v.status = 'open'");
    if let Some(region) = search.region {
        conditions.add("v.region =", Param::Text(region.id().into()));
    }
    if let Some(settlement) = search.settlement {
        conditions.add("v.settlement =", Param::Text(enum_text(&settlement)));
    }
    if let Some(tiyn) = search.salary_from {
        conditions.add("v.salary_tiyn >=", Param::Int(tiyn));
    }
    if let Some(housing) = search.housing {
        conditions.add("v.housing_provided =", Param::Int(i64::from(housing)));
    }
    list(store, &conditions, page, per_page).await
}

/// A page (from 1) of the vacancies employer `employer` posted, open and closed, newest
/// first, with their count.
pub async fn of_employer(
    store: &Store,
    employer: i64,
    page: u32,
    per_page: u32,
) -> Result<VacancyList, StoreError> {
    let mut conditions = Conditions::default();
    conditions.add("v.employer_id =", Param::Int(employer));
    list(store, &conditions, page, per_page).await
}

/// A page of the vacancies under `conditions`, newest first.
async fn list(
    store: &Store,
    conditions: &Conditions,
    page: u32,
    per_page: u32,
) -> Result<VacancyList, StoreError> {
    let (total, rows) =
        paged::fetch(store, SELECT, FROM, "v.id DESC", conditions, page, per_page).await?;
    Ok(VacancyList {
        items: rows.iter().map(from_row).collect::<Result<_, _>>()?,
        total,
        page,
        per_page,
    })
}
