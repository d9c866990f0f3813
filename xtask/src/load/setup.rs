//! The run's people and payees, made through the API as users make them: the region's
//! budget funded by the admin if it holds too little, resettlers registered, signed in and
//! their applications approved by the region's officer, a landlord and a utility provider
//! registered and verified.

use super::client::{Client, SignedIn};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use shared::{
    account::RegisterResettler,
    api::{Citizenship, Destination, Settlement},
    application::{Application, SubmitApplication},
    budget::{BudgetList, FundBudget, Funding},
    iin::check_digit,
    ledger::Month,
    voucher,
    wallet::{LatLon, Payee, PayeeCategory, RegisterPayee},
    Policy, Region,
};

/// Where the payers move to.
pub const REGION: Region = Region::NorthKazakhstan;
/// Petropavl, inside the region.
const PETROPAVL: LatLon = LatLon {
    lat: 54.8667,
    lon: 69.15,
};
/// The demo's published accounts (README, "Demo accounts").
const ADMIN: (&str, &str) = ("admin", "demo-admin-1");
const OFFICER: (&str, &str) = ("akimat.north", "demo-akimat-north");
/// Every payer's password.
const PASSWORD: &str = "load-test-payer";
/// The payers' birth date, which their IINs encode; the demo's people have other dates.
const BORN: &str = "900321";

/// Who pays whom.
pub struct People {
    pub payers: Vec<SignedIn>,
    pub rent: i64,
    pub utilities: i64,
}

/// Makes `payers` approved resettlers and the two payees; see the module documentation.
pub fn people(client: &Client, payers: usize, today: NaiveDate) -> Result<People> {
    let admin = client.sign_in(ADMIN.0, ADMIN.1)?;
    fund_if_needed(client, &admin, payers, today)?;
    let officer = client.sign_in(OFFICER.0, OFFICER.1)?;
    let mut iins = generated_iins();
    let mut signed_in = Vec::new();
    for (n, iin) in (0..payers).zip(&mut iins) {
        let register = RegisterResettler {
            iin: iin.clone(),
            phone: format!("+7701{n:07}"),
            password: PASSWORD.into(),
        };
        client.post_expecting::<serde_json::Value>(
            "/auth/register/resettler",
            None,
            &register,
            202,
        )?;
        let payer = client.sign_in(&iin, PASSWORD)?;
        let application: Application =
            client.post_expecting("/applications", Some(&payer), &eligible_application(), 201)?;
        client.post_expecting::<Application>(
            &format!("/applications/{}/approve", application.id),
            Some(&officer),
            &serde_json::json!({}),
            200,
        )?;
        signed_in.push(payer);
    }
    let mut payee = |category| {
        let id_number = iins.next().expect("IINs enough");
        register_payee(client, &officer, category, id_number)
    };
    Ok(People {
        payers: signed_in,
        rent: payee(PayeeCategory::Rent)?,
        utilities: payee(PayeeCategory::Utilities)?,
    })
}

/// Funds the region's budget with this month's vouchers of `payers` one-person families,
/// unless it already holds that much (the demo funds it).
fn fund_if_needed(
    client: &Client,
    admin: &SignedIn,
    payers: usize,
    today: NaiveDate,
) -> Result<()> {
    let voucher =
        voucher::monthly_amount(1, Settlement::Urban, Month::of(today), Policy::current())
            .context("this month's voucher amount")?;
    let voucher = voucher.to_tiyn().context("voucher in tiyn")?;
    let needed = voucher * i64::try_from(payers)?;
    let budgets: BudgetList = client.get_ok("/budgets", Some(admin))?;
    let balance = budgets
        .budgets
        .iter()
        .find(|b| b.region == REGION)
        .and_then(|b| b.balance.to_tiyn())
        .unwrap_or_default();
    if balance < needed {
        let fund = FundBudget {
            id: super::payer::Rng::seeded(0).transfer_id(),
            amount: shared::Tenge::from_tiyn(needed - balance),
        };
        let funding: Funding = client.post_expecting(
            &format!("/budgets/{}/fund", REGION.id()),
            Some(admin),
            &fund,
            201,
        )?;
        println!("funded the {REGION} budget: now {}", funding.balance);
    }
    Ok(())
}

/// A single citizen moving from Turkestan to North Kazakhstan: eligible.
fn eligible_application() -> SubmitApplication {
    SubmitApplication {
        family_members: Vec::new(),
        destination: Destination {
            region: REGION,
            settlement: Settlement::Urban,
        },
        vacancy_id: None,
        birth_date: NaiveDate::from_ymd_opt(1990, 3, 21).expect("a date"),
        citizenship: Citizenship::Citizen,
        current_region: Region::Turkestan,
        prior_resettlement_support: false,
    }
}

/// Registers a payee in Petropavl and has the officer verify it; its id.
fn register_payee(
    client: &Client,
    officer: &SignedIn,
    category: PayeeCategory,
    id_number: String,
) -> Result<i64> {
    let register = RegisterPayee {
        name: format!("Load test {category:?}"),
        id_number,
        category,
        address: "Petropavl, Konstitutsii Kazakhstana 1".into(),
        region: REGION,
        location: PETROPAVL,
    };
    let payee: Payee = client.post_expecting("/payees", None, &register, 201)?;
    let _: Payee = client.post_expecting(
        &format!("/payees/{}/verify", payee.id),
        Some(officer),
        &serde_json::json!({}),
        200,
    )?;
    Ok(payee.id)
}

/// IINs of men born on [`BORN`], in serial order, skipping the serials no check digit
/// can make valid.
fn generated_iins() -> impl Iterator<Item = String> {
    (0..10_000u32).filter_map(|serial| {
        let text = format!("{BORN}3{serial:04}");
        let mut first = [0u8; 11];
        for (digit, byte) in first.iter_mut().zip(text.bytes()) {
            *digit = byte - b'0';
        }
        check_digit(&first).map(|check| format!("{text}{check}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::iin::Iin;
    use std::collections::HashSet;

    #[test]
    fn generated_iins_are_valid_distinct_and_encode_the_birth_date() {
        let iins: Vec<String> = generated_iins().take(500).collect();
        assert_eq!(iins.len(), 500);
        assert_eq!(iins.iter().collect::<HashSet<_>>().len(), 500);
        for iin in &iins {
            let parsed = Iin::parse(iin).unwrap_or_else(|e| panic!("{iin}: {e}"));
            assert_eq!(
                parsed.encoded_birth_date(),
                Some(eligible_application().birth_date)
            );
        }
    }
}
