//! Demo data for `--demo`: quotas of every resettlement region for 2024–2026, an account of
//! every role (README, "Demo accounts (demo only)"), and vacancies and applications in
//! several states ([`seed_work`]), funded budgets with issued and returned vouchers
//! ([`seed_vouchers`]), and contracts in every state ([`seed_contracts`]).
//!
//! Deterministic, so a demo looks the same on every machine. Some places are already used,
//! and one region's 2026 quota is fully used so that rule E7 can be seen failing. Accounts
//! are created through the same functions as registration and staff creation, so they are
//! validated, hashed and audited like real ones.

use crate::{
    accounts::{self, AccountError},
    applications::Decision,
    audit::Actor,
    auth::Principal,
    ledger::LedgerError,
    Store,
};
use chrono::NaiveDate;
use shared::{
    account::{CreateStaff, RegisterEmployer, RegisterResettler, Role, StaffRole},
    api::{Citizenship, Destination, Settlement},
    application::{FamilyMember, SubmitApplication},
    contract::{
        api::{CreateContract, SignContract},
        Party,
    },
    ledger::Month,
    vacancy::VacancyDraft,
    wallet::{LatLon, PayRequest, PayeeCategory, RegisterPayee},
    Lang, Policy, Region, Tenge,
};
use sqlx::Row;

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

/// Claims a seed step for this database: false when it was done before.
async fn claim(store: &Store, name: &str) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "INSERT INTO seed_runs (name, applied_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(chrono::Utc::now().to_rfc3339())
    .execute(store.pool())
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Every demo account.
pub const ACCOUNTS: [DemoAccount; 5] = [RESETTLER, EMPLOYER, AKIMAT_NORTH, AKIMAT_PAVLODAR, ADMIN];

/// Creates the demo accounts once per database; false when they were created before.
pub async fn seed_accounts(store: &Store) -> Result<bool, AccountError> {
    if !claim(store, ACCOUNTS_SEED).await? {
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

/// The seed name recorded when the demo vacancies and applications are created.
const WORK_SEED: &str = "demo-work-v1";
const PAYEES_SEED: &str = "demo-payees-v1";

/// The date the demo's applications are submitted and checked on, so the demo is the same
/// whenever it is loaded (and counts against the demo's 2026 quotas).
pub const APPLICATIONS_AS_OF: (i32, u32, u32) = (2026, 3, 1);

/// How many generated resettlers the demo's applications come from.
pub const APPLICANTS: i64 = 4;

/// A generated IIN (born `yymmdd`, century-and-sex digit `c`) with a valid check digit.
fn generated_iin(born: &str, c: u8, serial: u32) -> String {
    with_check_digit(&format!("{born}{c}"), serial, 4)
}

/// `prefix`, the first `serial` from the given one (`width` digits) for which a valid check
/// digit exists, and that digit: IINs and BINs share the rule.
fn with_check_digit(prefix: &str, mut serial: u32, width: usize) -> String {
    loop {
        let text = format!("{prefix}{serial:0width$}");
        let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
        if let Ok(first) = <[u8; 11]>::try_from(digits) {
            if let Some(check) = shared::iin::check_digit(&first) {
                return format!("{text}{check}");
            }
        }
        serial += 1;
    }
}

/// A generated BIN of a resident legal entity registered in `yymm`, with a valid check
/// digit.
fn generated_bin(yymm: &str, serial: u32) -> String {
    with_check_digit(&format!("{yymm}4"), serial, 6)
}

/// Why the demo vacancies and applications could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Store(#[from] crate::StoreError),
    #[error("a demo {0} was refused: {1}")]
    Refused(&'static str, String),
}

impl From<sqlx::Error> for DemoError {
    fn from(e: sqlx::Error) -> DemoError {
        DemoError::Store(e.into())
    }
}

fn refused(what: &'static str) -> impl Fn(crate::refusal::Refusal) -> DemoError {
    move |r| DemoError::Refused(what, format!("{r:?}"))
}

async fn principal(store: &Store, login: &str) -> Result<Principal, DemoError> {
    let row = sqlx::query("SELECT id, role, region FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(store.pool())
        .await?;
    let role: String = row.try_get("role")?;
    let region: Option<String> = row.try_get("region")?;
    Ok(Principal {
        user_id: row.try_get("id")?,
        role: Role::from_id(&role).ok_or(DemoError::Refused("account", role))?,
        region: region.as_deref().and_then(Region::from_id),
    })
}

/// Creates the demo vacancies (of the demo employer) and applications of other generated
/// resettlers in several states, once per database, through the same functions as the API:
/// validated, audited, and approvals take their quota places as real ones do. The demo
/// resettler has none, so a visitor can submit one. False when made before.
pub async fn seed_work(store: &Store) -> Result<bool, DemoError> {
    if !claim(store, WORK_SEED).await? {
        return Ok(false);
    }
    let (y, m, d) = APPLICATIONS_AS_OF;
    let as_of = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let employer = principal(store, EMPLOYER.login).await?;
    let tenge = |n: i64| Tenge::from_tiyn(n * 100);
    let drafts = [
        (
            "Сварщик / Welder",
            "Сменная работа на заводе металлоконструкций в Петропавловске. Обучение на месте.",
            Region::NorthKazakhstan,
            Settlement::Urban,
            280_000,
            5,
            true,
        ),
        (
            "Механизатор / Machine operator",
            "Посевная и уборочная на зерновом хозяйстве, служебное жильё в селе.",
            Region::NorthKazakhstan,
            Settlement::Rural,
            220_000,
            3,
            true,
        ),
        (
            "Медсестра / Nurse",
            "Районная больница, график 2/2.",
            Region::Pavlodar,
            Settlement::Urban,
            190_000,
            2,
            false,
        ),
        (
            "Учитель математики / Maths teacher",
            "Сельская школа, полная ставка.",
            Region::Kostanay,
            Settlement::Rural,
            210_000,
            1,
            true,
        ),
    ];
    let mut vacancies = Vec::new();
    for (title, description, region, settlement, salary, places, housing) in drafts {
        let draft = VacancyDraft {
            title: title.into(),
            description: description.into(),
            region,
            settlement,
            monthly_salary: tenge(salary),
            places,
            housing_provided: housing,
        };
        let v = crate::vacancies::create(store, &employer, draft, as_of, Lang::En)
            .await
            .map_err(refused("vacancy"))?;
        vacancies.push(v.id);
    }

    // (region, vacancy, family members (birth dates), decision)
    enum Then {
        Wait,
        Approve,
        Reject(&'static str),
    }
    let plans = [
        (Region::NorthKazakhstan, Some(vacancies[0]), vec![], Then::Wait),
        (Region::NorthKazakhstan, Some(vacancies[1]), vec![("880302", 4u8)], Then::Approve),
        (Region::Pavlodar, Some(vacancies[2]), vec![], Then::Reject("Не приложена справка с прежнего места работы. / No reference from the previous employer.")),
        (Region::Pavlodar, None, vec![("920715", 4u8), ("150610", 5u8)], Then::Wait),
    ];
    debug_assert_eq!(plans.len() as i64, APPLICANTS);
    for (i, (region, vacancy_id, members, then)) in (1u32..).zip(plans) {
        let iin = generated_iin("870410", 3, 100 * i);
        accounts::register_resettler(
            store,
            &RegisterResettler {
                iin: iin.clone(),
                phone: format!("+7 700 000 01 0{i}"),
                password: format!(
                    "demo-applicant-{i}-not-for-sign-in-{}",
                    hex::encode(rand_bytes())
                ),
            },
        )
        .await?;
        let applicant = principal(store, &iin).await?;
        let family_members = members
            .iter()
            .zip(1u32..)
            .map(|((born, c), n)| FamilyMember {
                iin: generated_iin(born, *c, 100 * i + n),
                birth_date: NaiveDate::parse_from_str(&format!("19{born}"), "%Y%m%d")
                    .ok()
                    .filter(|_| !born.starts_with('1'))
                    .or_else(|| NaiveDate::parse_from_str(&format!("20{born}"), "%Y%m%d").ok())
                    .unwrap_or_default(),
            })
            .collect();
        let request = SubmitApplication {
            family_members,
            destination: Destination {
                region,
                settlement: Settlement::Urban,
            },
            vacancy_id,
            birth_date: NaiveDate::from_ymd_opt(1987, 4, 10).unwrap_or_default(),
            citizenship: Citizenship::Citizen,
            current_region: Region::Turkestan,
            prior_resettlement_support: false,
        };
        let application = crate::applications::submit(store, &applicant, request, as_of, Lang::En)
            .await
            .map_err(refused("application"))?;
        let officer = match region {
            Region::Pavlodar => AKIMAT_PAVLODAR.login,
            _ => AKIMAT_NORTH.login,
        };
        let decision = match then {
            Then::Wait => continue,
            Then::Approve => Decision::Approve,
            Then::Reject(reason) => Decision::Reject {
                reason: reason.into(),
            },
        };
        let officer = principal(store, officer).await?;
        crate::applications::decide(store, &officer, application.id, decision)
            .await
            .map_err(refused("decision"))?;
        // Decided on the demo's date too, so the approved family's vouchers start in its
        // month and the demo has expired months with their returns.
        sqlx::query("UPDATE applications SET decided_at = $1 WHERE id = $2")
            .bind(format!("{as_of}T09:00:00.000000Z"))
            .bind(application.id)
            .execute(store.pool())
            .await?;
    }
    Ok(true)
}

/// Landlords and utility providers in North Kazakhstan, verified by its officer, and a rent
/// payment by the approved demo family; one more registered with a point outside the
/// region, so the geo-fence can be seen refusing it. Once per database, through the same
/// functions as the API. False when made before.
pub async fn seed_payees(store: &Store, today: NaiveDate) -> Result<bool, DemoError> {
    if !claim(store, PAYEES_SEED).await? {
        return Ok(false);
    }
    let officer = principal(store, AKIMAT_NORTH.login).await?;
    // (name, id number, category, address, lat, lon): Petropavl is inside North
    // Kazakhstan, Kokshetau is in Akmola.
    let payees = [
        (
            "ИП Ахметова Г. (квартиры)",
            generated_iin("750312", 4, 501),
            PayeeCategory::Rent,
            "Петропавловск, ул. Конституции Казахстана, 15",
            54.8667,
            69.1500,
        ),
        (
            "ТОО «Петропавл Жылу Сервис»",
            generated_bin("0503", 601),
            PayeeCategory::Utilities,
            "Петропавловск, ул. Жамбыла, 215",
            54.8720,
            69.1390,
        ),
        (
            "ИП Сеитов Б. (комнаты)",
            generated_iin("800114", 3, 502),
            PayeeCategory::Rent,
            "Кокшетау, ул. Абая, 96",
            53.2833,
            69.3833,
        ),
    ];
    let mut ids = Vec::new();
    for (name, id_number, category, address, lat, lon) in payees {
        let request = RegisterPayee {
            name: name.into(),
            id_number,
            category,
            address: address.into(),
            region: Region::NorthKazakhstan,
            location: LatLon { lat, lon },
        };
        let now = chrono::Utc::now().timestamp();
        // Registered from no network peer (0.0.0.0): the demo's entries count against no
        // visitor's registration limit.
        let demo = Some(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let payee = match crate::payees::register(store, &request, demo, now, Lang::En)
            .await
            .map_err(refused("payee"))?
        {
            crate::payees::Registration::Registered(payee) => payee,
            crate::payees::Registration::Throttled { .. } => {
                return Err(DemoError::Refused("payee", "throttled".into()))
            }
        };
        crate::payees::verify(store, &officer, payee.id)
            .await
            .map_err(refused("payee verification"))?;
        ids.push(payee.id);
    }
    let family: i64 = sqlx::query_scalar(
        "SELECT applicant_id FROM applications WHERE status = 'approved' \
         AND region = $1 ORDER BY id LIMIT 1",
    )
    .bind(Region::NorthKazakhstan.id())
    .fetch_one(store.pool())
    .await?;
    let rent = PayRequest {
        id: crate::ledger::derived_id("demo-payment:rent"),
        payee_id: ids[0],
        category: PayeeCategory::Rent,
        amount: Tenge::from_tiyn(45_000 * 100),
    };
    crate::payments::pay(store, family, &rent, today)
        .await
        .map_err(|e| DemoError::Refused("payment", format!("{e:?}")))?;
    Ok(true)
}

/// What the demo puts in every destination region's budget, in tenge.
pub const BUDGET_TENGE: i64 = 50_000_000;

/// Funds every destination region's budget once (the same funding as the admin's), then
/// issues and expires the approved families' vouchers due by `today` as the server's job
/// does: the demo has issued vouchers and, for months past their grace day, returns.
pub async fn seed_vouchers(store: &Store, today: NaiveDate) -> Result<(), LedgerError> {
    for region in Policy::current().destinations() {
        let id = crate::ledger::derived_id(&format!("demo-fund:{region}"));
        crate::budgets::fund(store, region, id, BUDGET_TENGE * 100, "demo".into()).await?;
    }
    let issued = crate::vouchers::issue_due(store, today).await?;
    let expired = crate::vouchers::expire_due(store, today).await?;
    tracing::info!(?issued, ?expired, "demo vouchers");
    Ok(())
}

const CONTRACTS_SEED: &str = "demo-contracts-v1";

/// One demo contract's story.
struct ContractPlan {
    /// Made (and its application approved) this many months before the current month, and
    /// starting then; 0: made today, starting next month.
    age: u32,
    declared_tenge: i64,
    /// Who has signed; all three make it active.
    signers: &'static [Party],
    /// What the registries sent, month by month from the start: `y` confirmed, `p` the
    /// pension contribution unpaid, `.` nothing.
    history: &'static str,
}

/// A contract in every state (SPEC §9): fulfilled and paid, breached, active and at risk,
/// active, and two still being signed.
const CONTRACT_PLANS: [ContractPlan; 6] = [
    ContractPlan {
        age: 30,
        declared_tenge: 1_400_000,
        signers: &Party::ALL,
        history: "yyyyyyyyyyyyyyyyyyyyyyyy",
    },
    ContractPlan {
        age: 14,
        declared_tenge: 1_200_000,
        signers: &Party::ALL,
        history: "yyyyy",
    },
    ContractPlan {
        age: 10,
        declared_tenge: 2_500_000,
        signers: &Party::ALL,
        history: "yyyyyyyy.p",
    },
    ContractPlan {
        age: 6,
        declared_tenge: 900_000,
        signers: &Party::ALL,
        history: "yyyyyyy",
    },
    ContractPlan {
        age: 0,
        declared_tenge: 1_500_000,
        signers: &[Party::Resettler, Party::Employer],
        history: "",
    },
    ContractPlan {
        age: 0,
        declared_tenge: 1_100_000,
        signers: &[Party::Resettler],
        history: "",
    },
];

/// A demo-only signing key, derived from `label`: its secret is in this source code, so it
/// proves nothing. Real keys are made and kept in the parties' browsers.
fn demo_secret_key(label: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("qonys-demo-signing-key-v1:{label}")).into()
}

/// Registers the demo-only key of `label` for `principal`; returns its secret.
async fn demo_key(
    store: &Store,
    principal: &Principal,
    label: &str,
) -> Result<[u8; 32], DemoError> {
    let secret = demo_secret_key(label);
    let public = shared::contract::hex(&shared::contract::signature::public_key(&secret));
    crate::signing_keys::register(store, principal, &public)
        .await
        .map_err(refused("signing key"))?;
    Ok(secret)
}

/// The contracts of [`CONTRACT_PLANS`] in North Kazakhstan, once per database, through the
/// same functions as real use: an employer of their own posts the vacancy, generated
/// resettlers apply and the region's officer approves, the officer makes each contract on
/// the day it was made, the parties register (demo-only) keys and sign, the admin uploads
/// the registries' confirmations, and settlement pays the fulfilled one from the region's
/// budget. The demo employer, resettler and officer keep no key, so a visitor can register
/// one in the browser; a second officer of the region signs for the akimat. False when
/// made before.
pub async fn seed_contracts(store: &Store, today: NaiveDate) -> Result<bool, DemoError> {
    if !claim(store, CONTRACTS_SEED).await? {
        return Ok(false);
    }
    let this_month = Month::of(today);
    let made_on = |age: u32| {
        let index = this_month.year() * 12 + this_month.month() as i32 - 1 - age as i32;
        Month::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1).map(Month::first_day)
    };
    let Some(first_day) =
        made_on(CONTRACT_PLANS[0].age).filter(|day| Policy::current().mrp(*day).is_ok())
    else {
        tracing::warn!(%today, "no demo contracts: the policy does not reach back far enough");
        return Ok(false);
    };

    let bin = generated_bin("2311", 700);
    accounts::register_employer(
        store,
        &RegisterEmployer {
            bin: bin.clone(),
            organisation: "ТОО «Demo Qyzyljar Metal»".into(),
            contact: "HR office, +7 715 200 00 07".into(),
            password: format!(
                "demo-employer-not-for-sign-in-{}",
                hex::encode(rand_bytes())
            ),
        },
    )
    .await?;
    let employer = principal(store, &bin).await?;
    let signer_login = "akimat.north.signer";
    accounts::create_staff(
        store,
        Actor::System,
        &CreateStaff {
            role: StaffRole::Akimat,
            login: signer_login.into(),
            region: Some(Region::NorthKazakhstan),
            password: format!("demo-officer-not-for-sign-in-{}", hex::encode(rand_bytes())),
        },
    )
    .await?;
    let signer = principal(store, signer_login).await?;
    let officer = principal(store, AKIMAT_NORTH.login).await?;
    let employer_key = demo_key(store, &employer, "employer").await?;
    let akimat_key = demo_key(store, &signer, "akimat-north").await?;
    let vacancy = crate::vacancies::create(
        store,
        &employer,
        VacancyDraft {
            title: "Слесарь-монтажник / Fitter".into(),
            description: "Монтаж металлоконструкций, Петропавловск. Общежитие на первые месяцы."
                .into(),
            region: Region::NorthKazakhstan,
            settlement: Settlement::Urban,
            monthly_salary: Tenge::from_tiyn(260_000 * 100),
            places: 10,
            housing_provided: true,
        },
        first_day,
        Lang::En,
    )
    .await
    .map_err(refused("vacancy"))?;

    let mut csv = String::from("iin,bin,month,resident,employed,social_paid,pension_paid\n");
    for (i, plan) in (1u32..).zip(CONTRACT_PLANS) {
        let Some(day) = made_on(plan.age) else {
            continue;
        };
        let iin = generated_iin("910220", 4, 700 + 10 * i);
        accounts::register_resettler(
            store,
            &RegisterResettler {
                iin: iin.clone(),
                phone: format!("+7 700 000 02 0{i}"),
                password: format!(
                    "demo-party-{i}-not-for-sign-in-{}",
                    hex::encode(rand_bytes())
                ),
            },
        )
        .await?;
        let resettler = principal(store, &iin).await?;
        let request = SubmitApplication {
            family_members: vec![],
            destination: Destination {
                region: Region::NorthKazakhstan,
                settlement: Settlement::Urban,
            },
            vacancy_id: Some(vacancy.id),
            birth_date: NaiveDate::from_ymd_opt(1991, 2, 20).unwrap_or_default(),
            citizenship: Citizenship::Citizen,
            current_region: Region::Turkestan,
            prior_resettlement_support: false,
        };
        let application = crate::applications::submit(store, &resettler, request, day, Lang::En)
            .await
            .map_err(refused("contract application"))?;
        crate::applications::decide(store, &officer, application.id, Decision::Approve)
            .await
            .map_err(refused("contract application decision"))?;
        sqlx::query("UPDATE applications SET decided_at = $1 WHERE id = $2")
            .bind(format!("{day}T09:00:00.000000Z"))
            .bind(application.id)
            .execute(store.pool())
            .await?;
        let start_month = match plan.age {
            0 => this_month.plus(1),
            _ => Some(Month::of(day)),
        }
        .ok_or(DemoError::Refused("contract", "no start month".into()))?;
        let create = CreateContract {
            application_id: application.id,
            start_month,
            declared_housing_costs: Tenge::from_tiyn(plan.declared_tenge * 100),
        };
        let contract = crate::contracts::create(store, &officer, &create, day, Lang::En)
            .await
            .map_err(refused("contract"))?;
        let resettler_key = demo_key(store, &resettler, &format!("resettler-{i}")).await?;
        for party in plan.signers {
            let (signer, key) = match party {
                Party::Resettler => (&resettler, &resettler_key),
                Party::Employer => (&employer, &employer_key),
                Party::Akimat => (&signer, &akimat_key),
            };
            let signature = shared::contract::sign(key, &contract.terms, *party);
            let request = SignContract {
                fingerprint: contract.fingerprint.clone(),
                signature: shared::contract::hex(&signature),
            };
            crate::contracts::sign(
                store,
                signer,
                contract.terms.contract_id,
                &request,
                day,
                Lang::En,
            )
            .await
            .map_err(refused("signature"))?;
        }
        for (month, sent) in (0..)
            .filter_map(|n| start_month.plus(n))
            .zip(plan.history.chars())
        {
            let facts = match sent {
                'y' => "1,1,1,1",
                'p' => "1,1,1,0",
                _ => continue,
            };
            csv.push_str(&format!("{iin},{bin},{month},{facts}\n"));
        }
    }

    // The registries' file, uploaded by the admin as in the app; each contract is settled
    // as its months are applied, so the fulfilled one is paid here.
    let admin = principal(store, ADMIN.login).await?;
    let settings = crate::feed::Settings {
        lang: Lang::En,
        limit: crate::feed::BODY_LIMIT,
        today,
    };
    let body = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(
        axum::body::Bytes::from(csv),
    )]);
    let report = crate::feed::import(
        store,
        &crate::feed::Importer::Admin(admin),
        crate::feed::Format::Csv,
        body,
        settings,
    )
    .await
    .map_err(|e| DemoError::Refused("confirmations", e.to_string()))?;
    if let Some(rejected) = report.rejected.first() {
        return Err(DemoError::Refused("confirmations", format!("{rejected:?}")));
    }
    Ok(true)
}

/// Random bytes for passwords no one is meant to know.
fn rand_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    // Without randomness the password is still long and unpublished.
    let _ = getrandom::getrandom(&mut bytes);
    bytes
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
