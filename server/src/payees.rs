//! Payees: the landlords and utility providers a voucher pays (SPEC §4).
//!
//! - Anyone may register one, without an account: it starts `pending`. Registrations are
//!   limited per client address ([`REGISTRATIONS_PER_ADDRESS`] within
//!   [`REGISTRATION_WINDOW`]).
//! - The region's officer or an admin verifies it (`active`: it can be paid, and its ledger
//!   account opens in the same transaction) or deactivates it (`inactive`, for good: its
//!   ledger account closes, so no payment posts to it from then on).
//! - Whether a payee lies inside its region is worked out from its stored point by the
//!   shared geo-fence whenever it is read, never stored: one answer, from one piece of code.
//!
//! Every change is audited; the log names the payee (`payee:5`), never its IIN or BIN.

use crate::{
    applications::{enum_text, now_text, parse_region, parse_text},
    audit::{self, Actor, Event},
    auth::{authorize, throttle, Action, Principal},
    error::ApiError,
    fail,
    ledger::{self, AccountFlags, AccountKey, LedgerError},
    refusal::{self, Refusal},
    store::{Backend, StoreError},
    Store,
};
use axum::http::StatusCode;
use serde_json::{json, Value};
use shared::{
    account::{parse_bin, parse_iin},
    application::Problem,
    geo::{self, Point, PointError},
    wallet::{LatLon, Payee, PayeeCategory, PayeeList, PayeeStatus, RegisterPayee},
    Lang, Localized, Policy, Region,
};
use sqlx::{any::AnyRow, Row};
use std::net::IpAddr;

/// A payee's ledger account only ever receives, so it can never hold less than nothing.
pub const PAYEE_FLAGS: AccountFlags = AccountFlags::NO_OVERDRAFT;

pub use shared::wallet::{
    PAYEE_ADDRESS_MAX_CHARS as ADDRESS_MAX_CHARS, PAYEE_NAME_MAX_CHARS as NAME_MAX_CHARS,
};

/// Registrations one client address may make within [`REGISTRATION_WINDOW`].
pub const REGISTRATIONS_PER_ADDRESS: i64 = 20;
/// One hour, in seconds.
pub const REGISTRATION_WINDOW: i64 = 60 * 60;

/// Stored coordinates are millionths of a degree.
const E6: f64 = 1_000_000.0;

/// The audit subject of one payee.
pub fn subject(id: i64) -> String {
    format!("payee:{id}")
}

const SELECT: &str = "SELECT id, name, id_number, category, address, region, lat_e6, lon_e6, \
     status FROM payees";

/// A stored payee; its IIN or BIN only for `staff`.
fn from_row(row: &AnyRow, staff: bool) -> Result<Payee, StoreError> {
    let region = parse_region(row.try_get("region")?)?;
    let (lat, lon): (i64, i64) = (row.try_get("lat_e6")?, row.try_get("lon_e6")?);
    let (lat, lon) = (lat as f64 / E6, lon as f64 / E6);
    let point = Point::new(lat, lon)
        .map_err(|e| StoreError::Corrupt(format!("payee location ({lat}, {lon}): {e}")))?;
    Ok(Payee {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        id_number: if staff {
            Some(row.try_get("id_number")?)
        } else {
            None
        },
        category: parse_text("category", row.try_get("category")?)?,
        address: row.try_get("address")?,
        region,
        location: LatLon { lat, lon },
        inside_region: geo::is_inside(region, point),
        status: parse_text("status", row.try_get("status")?)?,
    })
}

/// One payee, if it exists; its IIN or BIN only for `staff`.
pub async fn get(store: &Store, id: i64, staff: bool) -> Result<Option<Payee>, StoreError> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|row| from_row(&row, staff)).transpose()
}

/// The payee's point, for the geo-fence.
pub fn point(payee: &Payee) -> Option<Point> {
    Point::new(payee.location.lat, payee.location.lon).ok()
}

pub fn not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "payee_not_found",
        fail::texts(
            "Мұндай алушы жоқ.",
            "Такого получателя нет.",
            "There is no such payee.",
        ),
    )
}

/// What a registration came to.
#[derive(Debug)]
pub enum Registration {
    Registered(Payee),
    /// Too many registrations from this address: try again in this many seconds.
    Throttled {
        retry_after: i64,
    },
}

/// The registration's problems in `lang`, or the point it gives.
fn check(request: &RegisterPayee, lang: Lang) -> Result<Point, Refusal> {
    let mut found = Vec::new();
    let mut problem = |code: &str, field: &str, texts: Localized| {
        found.push(Problem {
            code: code.into(),
            field: field.into(),
            message: texts.get(lang).to_string(),
        })
    };
    let name = request.name.trim().chars().count();
    if name == 0 || name > NAME_MAX_CHARS {
        problem(
            "name_invalid",
            "name",
            fail::texts(
                format!("Алушының атын жазыңыз ({NAME_MAX_CHARS} таңбаға дейін)."),
                format!("Укажите имя или название получателя (до {NAME_MAX_CHARS} символов)."),
                format!("Give the payee's name (up to {NAME_MAX_CHARS} characters)."),
            ),
        );
    }
    if parse_iin(&request.id_number).is_err() && parse_bin(&request.id_number).is_err() {
        problem(
            "id_number_invalid",
            "id_number",
            fail::texts(
                "Пәтер иесінің ЖСН-ін немесе ұйымның БСН-ін жазыңыз: бақылау цифры дұрыс 12 цифр.",
                "Укажите ИИН арендодателя или БИН организации: 12 цифр с верной контрольной цифрой.",
                "Give the landlord's IIN or the provider's BIN: 12 digits with a valid check digit.",
            ),
        );
    }
    let address = request.address.trim().chars().count();
    if address == 0 || address > ADDRESS_MAX_CHARS {
        problem(
            "address_invalid",
            "address",
            fail::texts(
                format!("Мекенжайды жазыңыз ({ADDRESS_MAX_CHARS} таңбаға дейін)."),
                format!("Укажите адрес (до {ADDRESS_MAX_CHARS} символов)."),
                format!("Give the address (up to {ADDRESS_MAX_CHARS} characters)."),
            ),
        );
    }
    if !Policy::current().is_destination(request.region) {
        problem(
            "region_not_destination",
            "region",
            fail::texts(
                "Ваучер тек көшіп баратын өңірлерде жұмсалады: сол өңірлердің бірін таңдаңыз.",
                "Ваучер тратится только в регионах переселения: выберите один из них.",
                "Vouchers are spent only in the resettlement regions: choose one of them.",
            ),
        );
    }
    let point = Point::new(request.location.lat, request.location.lon);
    if let Err(e) = point {
        let (kk, ru, en) = match e {
            PointError::Latitude => ("ендік", "широта", "latitude"),
            PointError::Longitude => ("бойлық", "долгота", "longitude"),
        };
        let range = match e {
            PointError::Latitude => "−90…90",
            PointError::Longitude => "−180…180",
        };
        problem(
            "location_invalid",
            &format!("location.{}", e.field()),
            fail::texts(
                format!("Орналасқан жері: {kk} {range} аралығындағы градус болуы керек."),
                format!("Местоположение: {ru} должна быть в градусах от {range}."),
                format!("Location: the {en} must be in degrees, {range}."),
            ),
        );
    }
    match point {
        Ok(point) if found.is_empty() => Ok(point),
        _ => Err(refusal::problems(lang, found)),
    }
}

/// What the log keeps of a payee: no IIN or BIN.
fn snapshot(payee: &Payee) -> Value {
    json!({
        "name": payee.name,
        "category": enum_text(&payee.category),
        "region": payee.region.id(),
        "location": { "lat": payee.location.lat, "lon": payee.location.lon },
        "inside_region": payee.inside_region,
        "status": enum_text(&payee.status),
    })
}

/// Registers `request` (pending) from `client`, at `now` (Unix seconds).
pub async fn register(
    store: &Store,
    request: &RegisterPayee,
    client: Option<IpAddr>,
    now: i64,
    lang: Lang,
) -> Result<Registration, Refusal> {
    let point = check(request, lang)?;
    let id_number = parse_iin(&request.id_number).or_else(|_| parse_bin(&request.id_number));
    let id_number = id_number.map_err(|_| ApiError::internal())?;
    let address = throttle::address_key(client);
    let units = |degrees: f64| (degrees * E6).round() as i64;

    let mut tx = audit::begin(store).await?;
    sqlx::query("DELETE FROM payee_registrations WHERE at <= $1")
        .bind(now - REGISTRATION_WINDOW)
        .execute(&mut *tx)
        .await?;
    let recent = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM payee_registrations WHERE address = $1",
    )
    .bind(&address)
    .fetch_one(&mut *tx)
    .await?;
    if recent.try_get::<i64, _>("n")? >= REGISTRATIONS_PER_ADDRESS {
        let oldest: Option<i64> = recent.try_get("oldest")?;
        tx.rollback().await?;
        return Ok(Registration::Throttled {
            retry_after: oldest.unwrap_or(now) + REGISTRATION_WINDOW - now,
        });
    }
    sqlx::query("INSERT INTO payee_registrations (address, at) VALUES ($1, $2)")
        .bind(&address)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query(
        "INSERT INTO payees (name, id_number, category, address, region, lat_e6, lon_e6, \
         status, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) RETURNING id",
    )
    .bind(request.name.trim())
    .bind(id_number)
    .bind(enum_text(&request.category))
    .bind(request.address.trim())
    .bind(request.region.id())
    .bind(units(point.lat()))
    .bind(units(point.lon()))
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let payee = from_row(&row, false)?;
    audit::append(
        &mut tx,
        store.backend(),
        Actor::Anonymous,
        Event {
            action: audit::action::PAYEE_REGISTER,
            subject: Some(subject(id)),
            before: None,
            after: Some(snapshot(&payee)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Registration::Registered(payee))
}

/// 429 for [`Registration::Throttled`].
pub fn too_many_registrations(retry_after: i64) -> axum::response::Response {
    use axum::{
        http::{header, HeaderValue},
        response::IntoResponse,
    };
    let seconds = retry_after.max(1);
    let minutes = (seconds + 59) / 60;
    let mut response = ApiError::localized(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_registrations",
        fail::texts(
            format!("Бұл мекенжайдан тіркелу тым көп. {minutes} минуттан кейін қайталап көріңіз."),
            format!("Слишком много регистраций с этого адреса. Повторите через {minutes} мин."),
            format!("Too many registrations from this address. Try again in {minutes} min."),
        ),
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Which payees a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub region: Option<Region>,
    pub category: Option<PayeeCategory>,
    pub status: Option<PayeeStatus>,
}

/// The payees matching `filter`, oldest first; their IINs and BINs only for `staff`.
pub async fn list(store: &Store, filter: Filter, staff: bool) -> Result<PayeeList, StoreError> {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    let conditions = [
        ("region", filter.region.map(|r| r.id().to_string())),
        ("category", filter.category.as_ref().map(enum_text)),
        ("status", filter.status.as_ref().map(enum_text)),
    ];
    for (column, value) in conditions {
        if let Some(value) = value {
            params.push(value);
            clauses.push(format!("{column} = ${}", params.len()));
        }
    }
    let condition = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    let sql = format!("{SELECT}{condition} ORDER BY id");
    let mut query = sqlx::query(&sql);
    for param in &params {
        query = query.bind(param);
    }
    let rows = query.fetch_all(store.pool()).await?;
    Ok(PayeeList {
        items: rows
            .iter()
            .map(|row| from_row(row, staff))
            .collect::<Result<_, _>>()?,
    })
}

fn deactivated() -> ApiError {
    fail::conflict(
        "payee_deactivated",
        fail::texts(
            "Алушы белсенді емес етілген, оны қайта растауға болмайды: ол қайта тіркелсін.",
            "Получатель отключён, его нельзя подтвердить снова: пусть зарегистрируется заново.",
            "The payee was deactivated and cannot be verified again: it must register anew.",
        ),
    )
}

fn ledger_error(error: LedgerError) -> Refusal {
    match error {
        LedgerError::Store(e) => e.into(),
        other => {
            tracing::error!(error = %other, "payee ledger account");
            ApiError::internal().into()
        }
    }
}

/// Sets payee `id` to `next` for `principal` in one audited transaction, which opens the
/// payee's ledger account when it becomes active. Returns the payee after (as it was when it
/// already was `next`).
async fn decide(
    store: &Store,
    principal: &Principal,
    id: i64,
    next: PayeeStatus,
) -> Result<Payee, Refusal> {
    let mut tx = audit::begin(store).await?;
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1{lock}"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
    let before = from_row(&row, true)?;
    authorize(
        principal,
        Action::ManagePayee {
            region: before.region,
        },
    )?;
    if before.status == next {
        tx.rollback().await?;
        return Ok(before);
    }
    if before.status == PayeeStatus::Inactive {
        return Err(deactivated().into());
    }
    sqlx::query("UPDATE payees SET status = $1, decided_at = $2, decided_by = $3 WHERE id = $4")
        .bind(enum_text(&next))
        .bind(now_text())
        .bind(principal.user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if next == PayeeStatus::Active {
        ledger::open_account_in(&mut tx, &AccountKey::Payee(id), PAYEE_FLAGS)
            .await
            .map_err(ledger_error)?;
    }
    let after = Payee {
        status: next,
        ..before.clone()
    };
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: match next {
                PayeeStatus::Active => audit::action::PAYEE_VERIFY,
                _ => audit::action::PAYEE_DEACTIVATE,
            },
            subject: Some(subject(id)),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Verifies payee `id`: it becomes active and its ledger account opens. Verifying an active
/// payee changes nothing; a deactivated one stays deactivated (409 `payee_deactivated`).
pub async fn verify(store: &Store, principal: &Principal, id: i64) -> Result<Payee, Refusal> {
    decide(store, principal, id, PayeeStatus::Active).await
}

/// Deactivates payee `id` for good, then closes its ledger account (if it was ever
/// verified), so that a payment already past its checks cannot post either. Deactivating
/// an inactive payee changes nothing but makes sure its account is closed.
pub async fn deactivate(store: &Store, principal: &Principal, id: i64) -> Result<Payee, Refusal> {
    let after = decide(store, principal, id, PayeeStatus::Inactive).await?;
    match ledger::close_account(store, &AccountKey::Payee(id)).await {
        Ok(_) | Err(LedgerError::NoSuchAccount(_)) => Ok(after),
        Err(e) => Err(ledger_error(e)),
    }
}
