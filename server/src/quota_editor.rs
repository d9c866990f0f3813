//! Staff setting a region's annual family quota: never below the places already used, and
//! audited with the values before and after.

use crate::{
    audit::{self, Actor, Event},
    error::ApiError,
    fail,
    store::{Backend, StoreError},
    Store,
};
use serde_json::json;
use shared::{account::RegionQuota, Lang, Localized, Policy, Region};
use sqlx::Row;

/// The largest quota accepted: far above any region's yearly intake, well inside the
/// database's integer.
pub const MAX_QUOTA: u32 = 1_000_000;

/// Why a quota was not set.
#[derive(Debug, thiserror::Error)]
pub enum QuotaError {
    #[error("`{0}` is not a resettlement (destination) region")]
    NotDestination(Region),
    #[error("the quota must be at most {MAX_QUOTA}")]
    TooLarge,
    #[error("{used} places are already used in {region} {year}; the quota cannot be {quota}")]
    BelowUsed {
        region: Region,
        year: i32,
        quota: u32,
        used: u32,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for QuotaError {
    fn from(e: sqlx::Error) -> QuotaError {
        QuotaError::Store(e.into())
    }
}

impl From<QuotaError> for ApiError {
    fn from(e: QuotaError) -> ApiError {
        match e {
            QuotaError::NotDestination(region) => fail::invalid(
                "region",
                "not_a_destination",
                Localized::from_fn(|l| crate::accounts::not_a_destination(region, l)),
            ),
            QuotaError::TooLarge => fail::invalid(
                "quota",
                "quota_out_of_range",
                fail::texts(
                    format!("Квота {MAX_QUOTA} отбасыдан аспауы керек."),
                    format!("Квота не может быть больше {MAX_QUOTA} семей."),
                    format!("The quota can be at most {MAX_QUOTA} families."),
                ),
            ),
            QuotaError::BelowUsed {
                region,
                year,
                quota,
                used,
            } => {
                let name = |l| Policy::current().region_name(region, l).to_string();
                fail::conflict(
                    "quota_below_used",
                    fail::texts(
                        format!(
                            "Квота бұрыннан пайдаланылған орындар санынан аз бола алмайды: {}, {year} жыл — {used} орын пайдаланылған, көрсетілгені {quota}.",
                            name(Lang::Kk)
                        ),
                        format!(
                            "Квота не может быть меньше числа уже занятых мест: {}, {year} год — занято {used}, указано {quota}.",
                            name(Lang::Ru)
                        ),
                        format!(
                            "The quota cannot be below the places already taken: {}, {year} — {used} taken, {quota} given.",
                            name(Lang::En)
                        ),
                    ),
                )
                .with_field("quota")
            }
            QuotaError::Store(e) => crate::store_error(e),
        }
    }
}

/// The audit subject of one region's quota for one year.
pub fn subject(region: Region, year: i32) -> String {
    format!("quota:{region}:{year}")
}

/// Sets `region`'s quota for `year` to `quota`. Setting the value it already has changes
/// nothing and is not audited.
pub async fn set_quota(
    store: &Store,
    actor: Actor,
    region: Region,
    year: i32,
    quota: u32,
) -> Result<RegionQuota, QuotaError> {
    if !Policy::current().is_destination(region) {
        return Err(QuotaError::NotDestination(region));
    }
    if quota > MAX_QUOTA {
        return Err(QuotaError::TooLarge);
    }
    let new = i32::try_from(quota).map_err(|_| QuotaError::TooLarge)?;
    let mut tx = audit::begin(store).await?;
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let current = sqlx::query(&format!(
        "SELECT quota, used FROM quotas WHERE region = $1 AND year = $2{lock}"
    ))
    .bind(region.id())
    .bind(year)
    .fetch_optional(&mut *tx)
    .await?;
    let before = match current {
        Some(row) => {
            let old: i64 = row.try_get("quota")?;
            let used: i64 = row.try_get("used")?;
            Some((old, used))
        }
        None => None,
    };
    let used = before.map_or(0, |(_, used)| used);
    let used_u32 = u32::try_from(used).unwrap_or(u32::MAX);
    if i64::from(quota) < used {
        return Err(QuotaError::BelowUsed {
            region,
            year,
            quota,
            used: used_u32,
        });
    }
    let result = RegionQuota {
        region,
        year,
        quota,
        used: used_u32,
        remaining: quota.saturating_sub(used_u32),
    };
    if before.map(|(old, _)| old) == Some(i64::from(quota)) {
        tx.rollback().await?;
        return Ok(result);
    }
    match before {
        Some(_) => {
            // `used <= quota` again in the statement itself: never overbooked whatever ran
            // in between.
            let changed = sqlx::query(
                "UPDATE quotas SET quota = $1 WHERE region = $2 AND year = $3 AND used <= $1",
            )
            .bind(new)
            .bind(region.id())
            .bind(year)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(QuotaError::BelowUsed {
                    region,
                    year,
                    quota,
                    used: used_u32,
                });
            }
        }
        None => {
            sqlx::query("INSERT INTO quotas (region, year, quota, used) VALUES ($1, $2, $3, 0)")
                .bind(region.id())
                .bind(year)
                .bind(new)
                .execute(&mut *tx)
                .await?;
        }
    }
    audit::append(
        &mut tx,
        store.backend(),
        actor,
        Event {
            action: audit::action::QUOTA_SET,
            subject: Some(subject(region, year)),
            before: before.map(|(quota, used)| json!({ "quota": quota, "used": used })),
            after: Some(json!({ "quota": quota, "used": used })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(result)
}
