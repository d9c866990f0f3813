//! Demo data for `--demo`: quotas of every resettlement region for 2024–2026, and an account
//! of every role (README, "Demo accounts (demo only)").
//!
//! Deterministic, so a demo looks the same on every machine. Some places are already used,
//! and one region's 2026 quota is fully used so that rule E7 can be seen failing. Accounts
//! are created through the same functions as registration and staff creation, so they are
//! validated, hashed and audited like real ones.

use crate::{
    accounts::{self, AccountError},
    audit::Actor,
    Store,
};
use shared::{
    account::{CreateStaff, RegisterEmployer, RegisterResettler, StaffRole},
    Policy, Region,
};

/// Years the demo fills in.
pub const YEARS: [i32; 3] = [2024, 2025, 2026];

/// The region whose 2026 quota the demo leaves with no places.
pub const EXHAUSTED_IN_2026: Region = Region::Ulytau;

/// One region's demo quota for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoQuota {
    pub region: Region,
    pub year: i32,
    pub quota: u32,
    pub used: u32,
}

/// The demo quotas for every resettlement region of `policy`.
pub fn quotas(policy: &Policy) -> Vec<DemoQuota> {
    let mut out = Vec::new();
    for (i, region) in (0u32..).zip(policy.destinations()) {
        for (y, year) in (0u32..).zip(YEARS) {
            let quota = 150 + 25 * i + 30 * y;
            let used = if year == 2026 && region == EXHAUSTED_IN_2026 {
                quota
            } else {
                // Earlier years are mostly used, the current one only partly.
                let percent = match year {
                    2024 => 90 + (i % 3) * 5,
                    2025 => 60 + (i * 7) % 30,
                    _ => 10 + (i * 11) % 40,
                };
                quota * percent / 100
            };
            out.push(DemoQuota {
                region,
                year,
                quota,
                used,
            });
        }
    }
    out
}

/// The seed name recorded when the demo accounts are created.
const ACCOUNTS_SEED: &str = "demo-accounts-v1";

/// A demo account: its role, login and password. Demo only: the passwords are public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub role: &'static str,
    pub login: &'static str,
    pub password: &'static str,
    pub region: Option<Region>,
}

/// The resettler: the IIN of the SPEC's worked example (generated, not a real person's).
pub const RESETTLER: DemoAccount = DemoAccount {
    role: "resettler",
    login: "900514300121",
    password: "demo-resettler-1",
    region: None,
};
/// The resettler's phone.
pub const RESETTLER_PHONE: &str = "+7 700 000 00 01";

/// The employer: a generated BIN (March 2025, resident legal entity).
pub const EMPLOYER: DemoAccount = DemoAccount {
    role: "employer",
    login: "250340000010",
    password: "demo-employer-1",
    region: None,
};

/// The akimat officer of North Kazakhstan.
pub const AKIMAT_NORTH: DemoAccount = DemoAccount {
    role: "akimat",
    login: "akimat.north",
    password: "demo-akimat-north",
    region: Some(Region::NorthKazakhstan),
};

/// The akimat officer of Pavlodar, another destination region.
pub const AKIMAT_PAVLODAR: DemoAccount = DemoAccount {
    role: "akimat",
    login: "akimat.pavlodar",
    password: "demo-akimat-pavlodar",
    region: Some(Region::Pavlodar),
};

/// The program admin.
pub const ADMIN: DemoAccount = DemoAccount {
    role: "admin",
    login: "admin",
    password: "demo-admin-1",
    region: None,
};

/// Every demo account.
pub const ACCOUNTS: [DemoAccount; 5] = [RESETTLER, EMPLOYER, AKIMAT_NORTH, AKIMAT_PAVLODAR, ADMIN];

/// Creates the demo accounts once per database; false when they were created before.
pub async fn seed_accounts(store: &Store) -> Result<bool, AccountError> {
    let claimed = sqlx::query(
        "INSERT INTO seed_runs (name, applied_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(ACCOUNTS_SEED)
    .bind(chrono::Utc::now().to_rfc3339())
    .execute(store.pool())
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(false);
    }
    accounts::register_resettler(
        store,
        &RegisterResettler {
            iin: RESETTLER.login.into(),
            phone: RESETTLER_PHONE.into(),
            password: RESETTLER.password.into(),
        },
    )
    .await?;
    accounts::register_employer(
        store,
        &RegisterEmployer {
            bin: EMPLOYER.login.into(),
            organisation: "ТОО «Demo Soltüstik Agro»".into(),
            contact: "HR office, +7 715 200 00 00".into(),
            password: EMPLOYER.password.into(),
        },
    )
    .await?;
    for staff in [ADMIN, AKIMAT_NORTH, AKIMAT_PAVLODAR] {
        let role = if staff.region.is_some() {
            StaffRole::Akimat
        } else {
            StaffRole::Admin
        };
        accounts::create_staff(
            store,
            Actor::System,
            &CreateStaff {
                role,
                login: staff.login.into(),
                region: staff.region,
                password: staff.password.into(),
            },
        )
        .await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_destination_has_every_year_and_one_is_exhausted() {
        let policy = Policy::current();
        let demo = quotas(policy);
        assert_eq!(demo.len(), policy.destinations().count() * YEARS.len());
        assert!(policy.is_destination(EXHAUSTED_IN_2026));
        assert!(demo.iter().all(|q| q.used <= q.quota));
        assert!(demo
            .iter()
            .any(|q| q.year == 2026 && q.region == EXHAUSTED_IN_2026 && q.used == q.quota));
        assert!(demo.iter().any(|q| q.used > 0 && q.used < q.quota));
    }

    #[test]
    fn demo_accounts_follow_the_rules() {
        use shared::account::{check_password, normalize_staff_login, parse_bin, parse_iin};
        assert!(parse_iin(RESETTLER.login).is_ok());
        assert!(parse_bin(EMPLOYER.login).is_ok());
        for staff in [ADMIN, AKIMAT_NORTH, AKIMAT_PAVLODAR] {
            assert_eq!(
                normalize_staff_login(staff.login).as_deref(),
                Ok(staff.login)
            );
        }
        for account in ACCOUNTS {
            assert!(
                check_password(account.password).is_ok(),
                "{}",
                account.login
            );
        }
        let policy = Policy::current();
        assert!(
            policy.is_destination(Region::NorthKazakhstan)
                && policy.is_destination(Region::Pavlodar)
        );
    }

    #[test]
    fn readme_lists_every_demo_account() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"));
        let section = readme
            .split("## Demo accounts (demo only)")
            .nth(1)
            .expect("README has a \"Demo accounts (demo only)\" section");
        for account in ACCOUNTS {
            assert!(
                section.contains(&format!("`{}`", account.login)),
                "{}",
                account.login
            );
            assert!(
                section.contains(&format!("`{}`", account.password)),
                "{}",
                account.login
            );
        }
    }
}
