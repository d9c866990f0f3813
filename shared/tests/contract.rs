//! The tripartite contract on hand-made histories (SPEC §5) and against forged, replayed
//! and misattributed signatures.

use proptest::prelude::*;
use rust_decimal::Decimal;
use shared::{
    contract::{
        fingerprint, sign,
        signature::public_key,
        state::{MonthCheck, Requirement},
        unsigned_parties, verify, ContractState, ContractStatus, ContractTerms, MonthConfirmation,
        Party, PartySignature, SignatureError, TermsDraft,
    },
    ledger::Month,
    Policy, Region, Tenge,
};

fn tenge(n: i64) -> Tenge {
    Tenge::new(Decimal::from(n))
}

/// Contract 1, created 2 March 2026, starting January 2027, 24 months needed, breached
/// at 3 unconfirmed in a row; the employer declares 2 500 000 KZT of housing costs, above
/// the 1 946 250 KZT limit.
fn terms() -> ContractTerms {
    terms_with_id(1)
}

fn terms_with_id(contract_id: i64) -> ContractTerms {
    let draft = TermsDraft {
        resettler_id: 11,
        resettler_iin: "900514300121".into(),
        employer_id: 12,
        employer_bin: "940140000385".into(),
        region: Region::Kostanay,
        vacancy_id: 4,
        position: "Electrician".into(),
        monthly_salary: tenge(310_000),
        start_month: month(0),
        declared_housing_costs: tenge(2_500_000),
    };
    let created_on = "2026-03-02".parse().unwrap();
    ContractTerms::fix(contract_id, draft, created_on, Policy::current()).unwrap()
}

/// The `n`-th month of the contract, counting the start month (January 2027) as 0.
fn month(n: u32) -> Month {
    Month::new(2027 + (n / 12) as i32, n % 12 + 1).unwrap()
}

fn confirmed(n: u32) -> MonthConfirmation {
    MonthConfirmation {
        month: month(n),
        resident: true,
        employed: true,
        social_paid: true,
        pension_paid: true,
    }
}

fn unpaid_pension(n: u32) -> MonthConfirmation {
    MonthConfirmation {
        pension_paid: false,
        ..confirmed(n)
    }
}

/// The state with every month before contract month `n` ended.
fn state_in(confirmations: &[MonthConfirmation], n: u32) -> ContractState {
    shared::contract::state(&terms(), confirmations, month(n))
}

#[test]
fn twenty_three_months_then_three_unconfirmed_is_a_breach_for_good() {
    let mut history: Vec<_> = (0..23).map(confirmed).collect();
    // Month 23 has data but no pension paid; months 24 and 25 have none.
    history.push(unpaid_pension(23));

    // In month 25, month 24's report may still come.
    let s = state_in(&history, 25);
    assert_eq!((s.confirmed, s.unconfirmed_run), (23, 1));
    assert_eq!(s.awaiting_report, Some(month(24)));

    let s = state_in(&history, 26);
    assert_eq!(s.status, ContractStatus::Active);
    assert_eq!((s.confirmed, s.unconfirmed_run), (23, 2));
    assert!(s.at_risk);

    // Month 25's report did not come during month 26: the third unconfirmed month.
    let s = state_in(&history, 27);
    assert_eq!(s.status, ContractStatus::Breached);
    assert_eq!(s.ended_in, Some(month(25)));
    assert_eq!((s.confirmed, s.unconfirmed_run), (23, 3));
    assert_eq!(s.payout, Tenge::ZERO);
    assert_eq!(s.expected_payout_month, None);

    // Every later month confirmed: still breached, still nothing paid.
    history.extend((26..60).map(confirmed));
    let later = state_in(&history, 61);
    assert_eq!(later, s);
}

#[test]
fn twenty_four_months_with_gaps_of_two_are_fulfilled() {
    // Confirmed, two unconfirmed, confirmed, … : 24 confirmed months over 70.
    let history: Vec<_> = (0..70).filter(|n| n % 3 == 0).map(confirmed).collect();
    assert_eq!(history.len(), 24);

    // Month 67 unconfirmed, 68's report awaited: confirmed, it would be the 24th, paid
    // when its report comes in month 69.
    let s = state_in(&history, 69);
    assert_eq!(s.status, ContractStatus::Active);
    assert_eq!((s.confirmed, s.unconfirmed_run), (23, 1));
    assert_eq!(s.awaiting_report, Some(month(68)));
    assert_eq!(s.expected_payout_month, Some(month(69)));

    let s = state_in(&history, 70);
    assert_eq!(s.status, ContractStatus::Fulfilled);
    assert_eq!(s.ended_in, Some(month(69)));
    assert_eq!((s.confirmed, s.required), (24, 24));
    // min(declared 2 500 000, limit 1 946 250).
    assert_eq!(s.payout, tenge(1_946_250));
    assert_eq!(s.months.len(), 70);

    // Starting with two unconfirmed months, the 24th confirmed is the 72nd and last month.
    let history: Vec<_> = (0..72).filter(|n| n % 3 == 2).map(confirmed).collect();
    let s = state_in(&history, 80);
    assert_eq!(s.status, ContractStatus::Fulfilled);
    assert_eq!(s.ended_in, Some(month(71)));
    assert_eq!(terms().last_month(), month(71));
}

#[test]
fn fulfilment_is_final() {
    let mut history: Vec<_> = (0..24).map(confirmed).collect();
    let s = state_in(&history, 24);
    assert_eq!(s.status, ContractStatus::Fulfilled);
    // Later months without data or with bad data change nothing.
    history.extend((24..30).map(unpaid_pension));
    assert_eq!(state_in(&history, 40), s);
}

#[test]
fn a_reimported_month_replaces_the_earlier_one() {
    let mut history: Vec<_> = (0..3).map(confirmed).collect();
    history[1] = unpaid_pension(1);
    let s = state_in(&history, 3);
    assert_eq!(s.confirmed, 2);
    assert_eq!(s.months[1].missing, [Requirement::PensionPaid]);

    // The pension was paid after all: the feed sends month 1 again.
    history.push(confirmed(1));
    let s = state_in(&history, 3);
    assert_eq!(s.confirmed, 3);
    assert!(s.months.iter().all(MonthCheck::confirmed));

    // And withdrawn again: the last import wins.
    history.push(unpaid_pension(1));
    assert_eq!(state_in(&history, 3).confirmed, 2);
}

#[test]
fn months_out_of_order_give_the_same_state() {
    let sorted: Vec<_> = (0..30)
        .map(|n| {
            if n % 7 == 3 {
                unpaid_pension(n)
            } else {
                confirmed(n)
            }
        })
        .collect();
    let mut shuffled = sorted.clone();
    shuffled.reverse();
    shuffled.swap(3, 17);
    for today in [5, 20, 31] {
        assert_eq!(state_in(&shuffled, today), state_in(&sorted, today));
    }
}

#[test]
fn what_is_missing_this_month() {
    let history = [
        confirmed(0),
        MonthConfirmation {
            employed: false,
            social_paid: false,
            ..confirmed(1)
        },
    ];
    let s = state_in(&history, 1);
    let this = s.this_month.unwrap();
    assert_eq!(this.month, month(1));
    assert!(this.reported);
    assert_eq!(
        this.missing,
        [Requirement::Employed, Requirement::SocialPaid]
    );
    // Month 1 is still in progress: it does not count yet.
    assert_eq!((s.confirmed, s.unconfirmed_run), (1, 0));
    assert!(!s.at_risk);
}

// ---------------------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------------------

const RESETTLER_KEY: [u8; 32] = [1; 32];
const EMPLOYER_KEY: [u8; 32] = [2; 32];
const OFFICER_KEY: [u8; 32] = [3; 32];

#[test]
fn tampered_terms_are_refused() {
    let terms = terms();
    let signature = sign(&EMPLOYER_KEY, &terms, Party::Employer);
    let key = public_key(&EMPLOYER_KEY);
    assert_eq!(verify(&terms, Party::Employer, &key, &signature), Ok(()));

    let mut tampered = terms.clone();
    tampered.declared_housing_costs = tenge(2_500_001);
    assert_eq!(
        verify(&tampered, Party::Employer, &key, &signature),
        Err(SignatureError::DoesNotVerify)
    );
}

#[test]
fn a_wrong_key_is_refused() {
    let terms = terms();
    let signature = sign(&EMPLOYER_KEY, &terms, Party::Employer);
    assert_eq!(
        verify(
            &terms,
            Party::Employer,
            &public_key(&RESETTLER_KEY),
            &signature
        ),
        Err(SignatureError::DoesNotVerify)
    );
}

#[test]
fn a_signature_replayed_from_another_contract_is_refused() {
    // Contract 2 has the same parties and terms; only its id differs.
    let other = terms_with_id(2);
    let signature = sign(&RESETTLER_KEY, &other, Party::Resettler);
    assert_eq!(
        verify(
            &terms(),
            Party::Resettler,
            &public_key(&RESETTLER_KEY),
            &signature
        ),
        Err(SignatureError::DoesNotVerify)
    );
}

#[test]
fn a_signature_of_another_party_is_refused() {
    // One person holding two roles' key cannot let one signature count twice.
    let terms = terms();
    let signature = sign(&OFFICER_KEY, &terms, Party::Akimat);
    for party in [Party::Resettler, Party::Employer] {
        assert_eq!(
            verify(&terms, party, &public_key(&OFFICER_KEY), &signature),
            Err(SignatureError::DoesNotVerify)
        );
    }
}

#[test]
fn the_contract_needs_all_three_valid_signatures() {
    let terms = terms();
    let keys = [RESETTLER_KEY, EMPLOYER_KEY, OFFICER_KEY].map(|k| public_key(&k));
    let signatures = [
        sign(&RESETTLER_KEY, &terms, Party::Resettler),
        sign(&EMPLOYER_KEY, &terms, Party::Employer),
        sign(&OFFICER_KEY, &terms, Party::Akimat),
    ];
    let presented: Vec<PartySignature> = Party::ALL
        .into_iter()
        .zip(keys.iter().zip(&signatures))
        .map(|(party, (key, signature))| PartySignature {
            party,
            public_key: key,
            signature,
        })
        .collect();
    assert_eq!(unsigned_parties(&terms, &presented), []);
    // A missing party.
    assert_eq!(unsigned_parties(&terms, &presented[..2]), [Party::Akimat]);
    // The employer's signature presented as the akimat's too does not stand in for it.
    let mut misattributed = presented[..2].to_vec();
    misattributed.push(PartySignature {
        party: Party::Akimat,
        ..presented[1]
    });
    assert_eq!(unsigned_parties(&terms, &misattributed), [Party::Akimat]);
    // Changed terms void every earlier signature.
    let mut changed = terms.clone();
    changed.start_month = month(1);
    assert_eq!(unsigned_parties(&changed, &presented), Party::ALL);
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// Up to 80 contract months of confirmations (some past the contract's 72), each all true
/// or missing one thing, with duplicates.
fn histories() -> impl Strategy<Value = Vec<MonthConfirmation>> {
    prop::collection::vec((0u32..80, 0u8..6), 0..120).prop_map(|rows| {
        rows.into_iter()
            .map(|(n, fault)| {
                let mut c = confirmed(n);
                match fault {
                    0 => c.resident = false,
                    1 => c.pension_paid = false,
                    _ => {}
                }
                c
            })
            .collect()
    })
}

/// SPEC §5 read literally: walk the ended months, counting confirmed months and runs of
/// unconfirmed ones; a month without a report is not judged while its report may still
/// come (during the month after it).
fn reference(history: &[MonthConfirmation], today: u32) -> (ContractStatus, u32) {
    let mut latest = std::collections::HashMap::new();
    for c in history {
        latest.insert(c.month, *c);
    }
    let (mut confirmed, mut run) = (0, 0);
    for n in 0..today.min(72) {
        let report = latest.get(&month(n));
        if report.is_none() && n + 1 >= today {
            break;
        }
        let ok =
            report.is_some_and(|c| c.resident && c.employed && c.social_paid && c.pension_paid);
        if ok {
            confirmed += 1;
            run = 0;
        } else {
            run += 1;
        }
        if run == 3 {
            return (ContractStatus::Breached, confirmed);
        }
        if confirmed == 24 {
            return (ContractStatus::Fulfilled, confirmed);
        }
    }
    (ContractStatus::Active, confirmed)
}

proptest! {
    #[test]
    fn the_state_follows_spec_section_5(history in histories(), today in 0u32..90) {
        let s = state_in(&history, today);
        prop_assert_eq!((s.status, s.confirmed), reference(&history, today));
        prop_assert_eq!(s.at_risk, s.status == ContractStatus::Active && s.unconfirmed_run > 0);
        prop_assert!(s.unconfirmed_run < 3 || s.status == ContractStatus::Breached);
        prop_assert_eq!(s.ended_in.is_some(), s.status != ContractStatus::Active);
    }

    #[test]
    fn order_of_distinct_months_does_not_matter(history in histories(), today in 0u32..90) {
        let mut distinct = history.clone();
        distinct.sort_by_key(|c| c.month);
        distinct.dedup_by_key(|c| c.month);
        let mut reversed = distinct.clone();
        reversed.reverse();
        prop_assert_eq!(state_in(&distinct, today), state_in(&reversed, today));
    }

    #[test]
    fn an_ended_contract_stays_ended(history in histories(), today in 0u32..90, later in 0u32..30) {
        let s = state_in(&history, today);
        if s.status != ContractStatus::Active {
            let then = state_in(&history, today + later);
            prop_assert_eq!(then.status, s.status);
            prop_assert_eq!(then.ended_in, s.ended_in);
        }
    }

    #[test]
    fn only_the_exact_signature_verifies(
        secret in any::<[u8; 32]>(), byte in 0usize..64, bit in 0u8..8, party in 0usize..3
    ) {
        let terms = terms();
        let party = Party::ALL[party];
        let key = public_key(&secret);
        let mut signature = sign(&secret, &terms, party);
        prop_assert_eq!(verify(&terms, party, &key, &signature), Ok(()));
        signature[byte] ^= 1 << bit;
        prop_assert_eq!(
            verify(&terms, party, &key, &signature),
            Err(SignatureError::DoesNotVerify)
        );
    }

    #[test]
    fn fingerprints_of_different_positions_differ(a in ".{0,40}", b in ".{0,40}") {
        prop_assume!(a != b);
        let (mut x, mut y) = (terms(), terms());
        x.position = a;
        y.position = b;
        prop_assert_ne!(fingerprint(&x), fingerprint(&y));
    }
}
