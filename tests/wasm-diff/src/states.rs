//! Generated contract histories — months confirmed, failed, missing, sent twice, out of
//! order, outside the contract — judged on generated days, for the browser and the server
//! to work out the same state.

use crate::{signatures, Rng};
use serde::{Deserialize, Serialize};
use shared::contract::{state, ContractTerms, MonthConfirmation};
use shared::ledger::Month;

/// Terms, every confirmation received (in arrival order) and the current month.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StateCase {
    pub terms: ContractTerms,
    pub confirmations: Vec<MonthConfirmation>,
    pub today: Month,
}

/// The whole state: status, counts, the months counted, the awaited month, what this
/// month lacks, the expected payout month and the amount.
pub fn evaluate(case: &StateCase) -> serde_json::Value {
    serde_json::to_value(state(&case.terms, &case.confirmations, case.today))
        .expect("states serialise")
}

pub(crate) fn generate(n: usize, rng: &mut Rng) -> Vec<StateCase> {
    (0..n).map(|_| one(rng)).collect()
}

fn one(rng: &mut Rng) -> StateCase {
    let terms = signatures::terms(rng);
    // Months from two before the start to past the contract's 72.
    let index = terms.start_month.year() * 12 + terms.start_month.month() as i32 - 3;
    let first = Month::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1).expect("a month");
    let month = |rng: &mut Rng| first.plus(rng.below(84) as u32).expect("a month");
    let report = |rng: &mut Rng, month: Month| {
        let fault = rng.below(20);
        MonthConfirmation {
            month,
            resident: fault != 0,
            employed: fault != 1,
            social_paid: fault != 2,
            pension_paid: fault != 3,
        }
    };
    // Month after month from the start, now and then one missing or failed, so many
    // contracts get as far as fulfilment or a breach; then a few stray rows (sent again,
    // before the start, past the end) and some out of order.
    let mut confirmations = Vec::new();
    for n in 0..rng.below(80) as u32 {
        let month = terms.start_month.plus(n).expect("a month");
        if rng.below(12) != 0 {
            confirmations.push(report(rng, month));
        }
    }
    for _ in 0..rng.below(6) {
        let stray = month(rng);
        confirmations.push(report(rng, stray));
    }
    for _ in 0..rng.below(4) {
        let (i, j) = (rng.below(100) as usize, rng.below(100) as usize);
        if i < confirmations.len() && j < confirmations.len() {
            confirmations.swap(i, j);
        }
    }
    let today = month(rng);
    StateCase {
        terms,
        confirmations,
        today,
    }
}
