//! Accounts: registration of resettlers and employers, staff accounts, and the lookups that
//! sign-in and `/auth/me` need. The API, the command line and the demo data all create
//! accounts through these functions, so every account is checked, hashed and audited alike.

use crate::{
    audit::{self, Actor, Event},
    auth::password::{self, HashError},
    error::ApiError,
    fail,
    store::StoreError,
    Store,
};
use serde_json::{json, Value};
use shared::{
    account::{
        check_password, clean_text, id_message, normalize_phone, normalize_staff_login, parse_bin,
        parse_iin, Account, CreateStaff, IdKind, RegisterEmployer, RegisterResettler, Role,
        StaffAccount, StaffRole, TextFieldError,
    },
    Lang, Localized, Policy, Region,
};
use sqlx::{AnyConnection, Row};

/// Why an account was not created.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A field is not acceptable; `field` is its name in the request, `message` says why in
    /// each language (the English one in the log and on the command line).
    #[error("{field}: {}", message.en)]
    Invalid {
        field: &'static str,
        code: &'static str,
        message: Localized,
    },
    /// A staff login already in use (staff creation only: registrations never say so).
    #[error("the login `{0}` is taken")]
    LoginTaken(String),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> AccountError {
        AccountError::Store(e.into())
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> ApiError {
        match e {
            AccountError::Invalid {
                field,
                code,
                message,
            } => fail::invalid(field, code, message),
            AccountError::LoginTaken(_) => fail::conflict(
                "login_taken",
                fail::texts(
                    "Бұл логин бос емес. Басқасын таңдаңыз.",
                    "Этот логин уже занят. Выберите другой.",
                    "This login is already in use. Choose another.",
                ),
            ),
            AccountError::Hash(e) => {
                tracing::error!(error = %e, "cannot hash a password");
                ApiError::internal()
            }
            AccountError::Store(e) => crate::store_error(e),
        }
    }
}

/// A refused field, its message in each language given by `message`.
fn invalid(
    field: &'static str,
    code: &'static str,
    message: impl Fn(Lang) -> String,
) -> AccountError {
    AccountError::Invalid {
        field,
        code,
        message: Localized::from_fn(message),
    }
}

/// `region` is not one that resettlers move to, in `lang`.
pub fn not_a_destination(region: Region, lang: Lang) -> String {
    let name = Policy::current().region_name(region, lang);
    Localized {
        kk: format!("{name} қоныстандыру өңірі болып табылмайды."),
        ru: format!("{name} не является регионом вселения."),
        en: format!("{name} is not a resettlement (destination) region."),
    }
    .get(lang)
    .to_string()
}

/// What a registration did. The API answers both the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    /// A new account with this id.
    Created(i64),
    /// The IIN or BIN already had this account; nothing changed.
    Repeat(i64),
}

/// A row of `users` to insert.
struct NewAccount {
    role: Role,
    login: String,
    password_hash: String,
    region: Option<Region>,
    phone: Option<String>,
    organisation: Option<String>,
    contact: Option<String>,
}

/// Registers a resettler by IIN (check digit validated), phone and password.
pub async fn register_resettler(
    store: &Store,
    request: &RegisterResettler,
) -> Result<Registered, AccountError> {
    let iin = parse_iin(&request.iin)
        .map_err(|e| invalid("iin", "invalid_iin", |l| id_message(IdKind::Iin, e, l)))?;
    let phone = normalize_phone(&request.phone)
        .map_err(|e| invalid("phone", "invalid_phone", |l| e.message(l)))?;
    check_password(&request.password)
        .map_err(|e| invalid("password", "weak_password", |l| e.message(l)))?;
    // Hashed before looking for the IIN, so a repeat takes as long as a new account.
    let password_hash = password::hash(request.password.clone()).await?;
    register(
        store,
        NewAccount {
            role: Role::Resettler,
            login: iin,
            password_hash,
            region: None,
            phone: Some(phone),
            organisation: None,
            contact: None,
        },
        json!({ "role": Role::Resettler }),
    )
    .await
}

/// Registers an employer by BIN (check digit validated), organisation, contact and password.
pub async fn register_employer(
    store: &Store,
    request: &RegisterEmployer,
) -> Result<Registered, AccountError> {
    let bin = parse_bin(&request.bin)
        .map_err(|e| invalid("bin", "invalid_bin", |l| id_message(IdKind::Bin, e, l)))?;
    let organisation = clean_text(&request.organisation).ok_or_else(|| {
        invalid("organisation", "invalid_organisation", |l| {
            TextFieldError::Organisation.message(l)
        })
    })?;
    let contact = clean_text(&request.contact).ok_or_else(|| {
        invalid("contact", "invalid_contact", |l| {
            TextFieldError::Contact.message(l)
        })
    })?;
    check_password(&request.password)
        .map_err(|e| invalid("password", "weak_password", |l| e.message(l)))?;
    let password_hash = password::hash(request.password.clone()).await?;
    let after = json!({ "role": Role::Employer, "organisation": organisation });
    register(
        store,
        NewAccount {
            role: Role::Employer,
            login: bin,
            password_hash,
            region: None,
            phone: None,
            organisation: Some(organisation),
            contact: Some(contact),
        },
        after,
    )
    .await
}

/// Inserts a self-registered account unless its login exists; audits either way.
async fn register(
    store: &Store,
    account: NewAccount,
    after: Value,
) -> Result<Registered, AccountError> {
    let role = account.role;
    let mut tx = audit::begin(store).await?;
    let (registered, actor, event) = match insert(&mut tx, &account).await? {
        Some(id) => (
            Registered::Created(id),
            Actor::User { id, role },
            Event {
                action: audit::action::ACCOUNT_REGISTER,
                subject: Some(audit::user_subject(id)),
                before: None,
                after: Some(after),
            },
        ),
        None => {
            let existing: i64 = sqlx::query("SELECT id FROM users WHERE login = $1")
                .bind(&account.login)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
            (
                Registered::Repeat(existing),
                Actor::Anonymous,
                Event {
                    action: audit::action::ACCOUNT_REGISTER_REPEAT,
                    subject: Some(audit::user_subject(existing)),
                    before: None,
                    after: Some(json!({ "requested_role": role })),
                },
            )
        }
    };
    audit::append(&mut tx, store.backend(), actor, event).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(registered)
}

/// Inserts `account`; `None` when its login is taken.
async fn insert(
    conn: &mut AnyConnection,
    account: &NewAccount,
) -> Result<Option<i64>, AccountError> {
    let row = sqlx::query(
        "INSERT INTO users (role, login, password_hash, region, phone, organisation, contact, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (login) DO NOTHING RETURNING id",
    )
    .bind(account.role.id())
    .bind(&account.login)
    .bind(&account.password_hash)
    .bind(account.region.map(Region::id))
    .bind(&account.phone)
    .bind(&account.organisation)
    .bind(&account.contact)
    .bind(now_text())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Creates an akimat officer (of one destination region) or an admin. `actor` is the admin
/// who asked, or [`Actor::Cli`] / [`Actor::System`].
pub async fn create_staff(
    store: &Store,
    actor: Actor,
    request: &CreateStaff,
) -> Result<StaffAccount, AccountError> {
    let login = normalize_staff_login(&request.login)
        .map_err(|e| invalid("login", "invalid_login", |l| e.message(l)))?;
    let region = match (request.role, request.region) {
        (StaffRole::Akimat, None) => {
            return Err(invalid("region", "region_required", |l| {
                match l {
                    Lang::Kk => {
                        "Әкімдік қызметкері үшін ол жұмыс істейтін қоныстандыру өңірін көрсетіңіз."
                    }
                    Lang::Ru => {
                        "Для сотрудника акимата укажите регион вселения, в котором он работает."
                    }
                    Lang::En => "An akimat officer needs the destination region they work for.",
                }
                .to_string()
            }))
        }
        (StaffRole::Akimat, Some(region)) if !Policy::current().is_destination(region) => {
            return Err(invalid("region", "not_a_destination", |l| {
                not_a_destination(region, l)
            }))
        }
        (StaffRole::Akimat, Some(region)) => Some(region),
        (StaffRole::Admin, None) => None,
        (StaffRole::Admin, Some(_)) => {
            return Err(invalid("region", "region_not_allowed", |l| {
                match l {
                    Lang::Kk => "Әкімші барлық өңірлер бойынша жұмыс істейді: өңірді көрсетпеңіз.",
                    Lang::Ru => {
                        "Администратор работает со всеми регионами: регион указывать не нужно."
                    }
                    Lang::En => "An admin works for all regions; give no region.",
                }
                .to_string()
            }))
        }
    };
    check_password(&request.password)
        .map_err(|e| invalid("password", "weak_password", |l| e.message(l)))?;
    let password_hash = password::hash(request.password.clone()).await?;
    let role = Role::from(request.role);
    let mut tx = audit::begin(store).await?;
    let new = NewAccount {
        role,
        login: login.clone(),
        password_hash,
        region,
        phone: None,
        organisation: None,
        contact: None,
    };
    let Some(id) = insert(&mut tx, &new).await? else {
        return Err(AccountError::LoginTaken(login));
    };
    audit::append(
        &mut tx,
        store.backend(),
        actor,
        Event {
            action: audit::action::STAFF_CREATE,
            subject: Some(audit::user_subject(id)),
            before: None,
            after: Some(json!({ "role": role, "login": login, "region": region })),
        },
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(staff_account(store, id)
        .await?
        .expect("the account was just created"))
}

/// The id and password hash of the account with this (normalised) login.
pub async fn credentials(store: &Store, login: &str) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(store.pool())
        .await?;
    Ok(match row {
        Some(row) => Some((row.try_get("id")?, row.try_get("password_hash")?)),
        None => None,
    })
}

/// An account as its owner sees it.
pub async fn account(store: &Store, id: i64) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query("SELECT id, role, login, region, organisation FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let role: String = row.try_get("role")?;
    let region: Option<String> = row.try_get("region")?;
    let Some(role) = Role::from_id(&role) else {
        return Ok(None);
    };
    Ok(Some(Account {
        id,
        role,
        login: row.try_get("login")?,
        region: region.as_deref().and_then(Region::from_id),
        organisation: row.try_get("organisation")?,
    }))
}

const STAFF_COLUMNS: &str = "SELECT id, role, login, region, created_at FROM users";

fn staff_from_row(row: &sqlx::any::AnyRow) -> Result<StaffAccount, StoreError> {
    let role: String = row.try_get("role")?;
    let region: Option<String> = row.try_get("region")?;
    Ok(StaffAccount {
        id: row.try_get("id")?,
        role: Role::from_id(&role).unwrap_or(Role::Admin),
        login: row.try_get("login")?,
        region: region.as_deref().and_then(Region::from_id),
        created_at: row.try_get("created_at")?,
    })
}

async fn staff_account(store: &Store, id: i64) -> Result<Option<StaffAccount>, StoreError> {
    let row = sqlx::query(&format!("{STAFF_COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.as_ref().map(staff_from_row).transpose()
}

/// Every akimat officer and admin, oldest first.
pub async fn list_staff(store: &Store) -> Result<Vec<StaffAccount>, StoreError> {
    let rows = sqlx::query(&format!(
        "{STAFF_COLUMNS} WHERE role IN ('akimat', 'admin') ORDER BY id"
    ))
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(staff_from_row).collect()
}
