//! Signing keys: the public halves of the Ed25519 key pairs the contract parties make in
//! their browsers (SPEC §5). The private half never reaches the server.
//!
//! - An account (resettler, employer, akimat officer) has at most one live key; a second
//!   registration is refused until the first is revoked (the partial unique index
//!   `signing_keys_live` holds even against a race).
//! - A lost key is revoked by an officer of a region where the account is a party to a
//!   contract (or is that region's officer), or by an admin. Its signatures on contracts
//!   still being signed are voided, so the party signs again with a new key; signatures on
//!   active or finished contracts stay, checkable with the revoked key.
//!
//! Every registration and revocation is audited, naming the account and the key's
//! fingerprint.

use crate::{
    applications::now_text,
    audit::{self, Event},
    auth::{authorize, Action, Principal},
    contracts,
    error::ApiError,
    fail,
    refusal::Refusal,
    store::{Backend, StoreError},
    Store,
};
use axum::http::StatusCode;
use serde_json::json;
use shared::{
    account::Role,
    contract::{
        api::{KeyList, SigningKey},
        encoding::parse_hex,
        hex,
        signature::{check_public_key, key_fingerprint, SignatureError},
    },
    Lang,
};
use sqlx::{any::AnyRow, AnyConnection, Row};

/// An account registered a signing key.
pub const REGISTERED: &str = "signing_key.registered";
/// An officer or admin revoked a signing key.
pub const REVOKED: &str = "signing_key.revoked";

/// The audit subject of one key.
pub fn subject(id: i64) -> String {
    format!("signing_key:{id}")
}

const SELECT: &str = "SELECT id, account_id, public_key, created_at, revoked_at FROM signing_keys";

fn from_row(row: &AnyRow) -> Result<SigningKey, StoreError> {
    let public_key: String = row.try_get("public_key")?;
    let bytes = parse_hex(&public_key)
        .ok_or_else(|| StoreError::Corrupt(format!("public_key = {public_key:?}")))?;
    Ok(SigningKey {
        id: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        fingerprint: key_fingerprint(&bytes),
        public_key,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// The account's live key, if any.
pub(crate) async fn live_key(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Option<SigningKey>, StoreError> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE account_id = $1 AND revoked_at IS NULL"
    ))
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The key's public half as bytes.
pub(crate) fn public_key_bytes(key: &SigningKey) -> Result<Vec<u8>, StoreError> {
    parse_hex(&key.public_key)
        .ok_or_else(|| StoreError::Corrupt(format!("public_key = {:?}", key.public_key)))
}

/// 422 for a signature or key the shared rules refuse, on `field`.
pub(crate) fn signature_error(error: SignatureError, field: &str) -> ApiError {
    ApiError::localized(
        StatusCode::UNPROCESSABLE_ENTITY,
        error.code(),
        fail::texts(
            error.message(Lang::Kk),
            error.message(Lang::Ru),
            error.message(Lang::En),
        ),
    )
    .with_field(field)
}

fn malformed(error: SignatureError) -> ApiError {
    signature_error(error, "public_key")
}

/// Registers `public_key_hex` (64 hex digits) as `principal`'s live signing key.
pub async fn register(
    store: &Store,
    principal: &Principal,
    public_key_hex: &str,
) -> Result<SigningKey, Refusal> {
    authorize(principal, Action::HoldSigningKey)?;
    let bytes = parse_hex(public_key_hex)
        .ok_or(SignatureError::MalformedKey)
        .and_then(|bytes| check_public_key(&bytes).map(|()| bytes))
        .map_err(malformed)?;
    let public_key = hex(&bytes);

    let mut tx = audit::begin(store).await?;
    if live_key(&mut tx, principal.user_id).await?.is_some() {
        return Err(fail::conflict(
            "key_exists",
            fail::texts(
                "Сізде қолданыстағы қол қою кілті бар. Жаңасын тіркеу үшін алдымен әкімдік қызметкеріне ескісін кері қайтартыңыз.",
                "У вас уже есть действующий ключ подписи. Чтобы зарегистрировать новый, попросите сотрудника акимата отозвать старый.",
                "You already have a live signing key. To register a new one, ask an akimat officer to revoke the old one.",
            ),
        )
        .into());
    }
    let used = sqlx::query("SELECT id FROM signing_keys WHERE public_key = $1")
        .bind(&public_key)
        .fetch_optional(&mut *tx)
        .await?;
    if used.is_some() {
        return Err(fail::conflict(
            "key_used",
            fail::texts(
                "Бұл кілт бұрын тіркелген. Жаңа кілт жасаңыз.",
                "Этот ключ уже регистрировался. Создайте новый ключ.",
                "This key has been registered before. Make a new key.",
            ),
        )
        .into());
    }
    let id: i64 = sqlx::query(
        "INSERT INTO signing_keys (account_id, public_key, created_at) VALUES ($1, $2, $3) \
         RETURNING id",
    )
    .bind(principal.user_id)
    .bind(&public_key)
    .bind(now_text())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let key = fetch(&mut tx, id).await?.ok_or_else(ApiError::internal)?;
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: REGISTERED,
            subject: Some(subject(id)),
            before: None,
            after: Some(json!({
                "account": audit::user_subject(principal.user_id),
                "fingerprint": key.fingerprint,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(key)
}

async fn fetch(conn: &mut AnyConnection, id: i64) -> Result<Option<SigningKey>, StoreError> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every key of `account_id`, the live one first, then the newest.
pub async fn keys_of(store: &Store, account_id: i64) -> Result<KeyList, StoreError> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE account_id = $1 \
         ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, id DESC"
    ))
    .bind(account_id)
    .fetch_all(store.pool())
    .await?;
    Ok(KeyList {
        keys: rows.iter().map(from_row).collect::<Result<_, _>>()?,
    })
}

/// Whether staff `principal` may see and revoke the keys of `account_id`: an admin any
/// account's; an officer those of the parties to their region's contracts and of their
/// region's officers.
async fn in_scope(
    conn: &mut AnyConnection,
    principal: &Principal,
    account_id: i64,
) -> Result<bool, StoreError> {
    let found = match (principal.role, principal.region) {
        (Role::Admin, _) => {
            sqlx::query("SELECT id FROM users WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&mut *conn)
                .await?
        }
        (Role::Akimat, Some(region)) => sqlx::query(
            "SELECT u.id FROM users u WHERE u.id = $1 AND ((u.role = 'akimat' AND u.region = $2) \
                 OR EXISTS (SELECT 1 FROM contracts c WHERE c.region = $3 \
                 AND (c.resettler_id = u.id OR c.employer_id = u.id)))",
        )
        .bind(account_id)
        .bind(region.id())
        .bind(region.id())
        .fetch_optional(&mut *conn)
        .await?,
        _ => None,
    };
    Ok(found.is_some())
}

fn account_not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "account_not_found",
        fail::texts(
            "Мұндай есептік жазба жоқ.",
            "Такой учётной записи нет.",
            "There is no such account.",
        ),
    )
}

pub fn key_not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "signing_key_not_found",
        fail::texts(
            "Мұндай қол қою кілті жоқ.",
            "Такого ключа подписи нет.",
            "There is no such signing key.",
        ),
    )
}

/// The keys of `account_id`, for staff who reach that account (else 404).
pub async fn keys_for_staff(
    store: &Store,
    principal: &Principal,
    account_id: i64,
) -> Result<KeyList, Refusal> {
    authorize(principal, Action::ManageSigningKeys)?;
    let mut conn = store.pool().acquire().await?;
    if !in_scope(&mut conn, principal, account_id).await? {
        return Err(account_not_found().into());
    }
    drop(conn);
    Ok(keys_of(store, account_id).await?)
}

/// Revokes key `id` for staff `principal`: the key stops signing, and its signatures on
/// contracts still being signed are voided. Keys outside the officer's reach are 404.
pub async fn revoke(store: &Store, principal: &Principal, id: i64) -> Result<SigningKey, Refusal> {
    authorize(principal, Action::ManageSigningKeys)?;
    let mut tx = audit::begin(store).await?;
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1{lock}"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(key_not_found)?;
    let key = from_row(&row)?;
    if !in_scope(&mut tx, principal, key.account_id).await? {
        return Err(key_not_found().into());
    }
    if key.revoked_at.is_some() {
        return Err(fail::conflict(
            "key_revoked",
            fail::texts(
                "Бұл кілт бұрын кері қайтарылған.",
                "Этот ключ уже отозван.",
                "This key has already been revoked.",
            ),
        )
        .into());
    }
    let now = now_text();
    sqlx::query("UPDATE signing_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3")
        .bind(&now)
        .bind(principal.user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let voided = contracts::void_pending_signatures_of_key(&mut tx, id, &now).await?;
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: REVOKED,
            subject: Some(subject(id)),
            before: None,
            after: Some(json!({
                "account": audit::user_subject(key.account_id),
                "fingerprint": key.fingerprint,
                "voided_contracts": voided.iter().map(|c| contracts::subject(*c)).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(SigningKey {
        revoked_at: Some(now),
        ..key
    })
}
