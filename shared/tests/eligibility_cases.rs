//! Worked cases of SPEC §3: the example, and each rule's boundaries.

mod common;

use chrono::Datelike;
use common::*;
use rust_decimal::Decimal;
use shared::{
    api::{Citizenship, FamilySize, Settlement},
    eligibility::{age, assess, Assessment, RuleId},
    quota::{QuotaSnapshot, QuotaStatus},
    Lang, Policy, Region,
};

fn run(req: &shared::api::EligibilityRequest, quotas: &QuotaSnapshot) -> Assessment {
    assess(req, req.as_of.unwrap(), Policy::current(), quotas).unwrap()
}

fn passed(a: &Assessment, rule: RuleId) -> bool {
    a.rules.iter().find(|r| r.rule == rule).unwrap().passed
}

#[test]
fn spec_worked_example() {
    // As of 2026-03-01, family of 3, urban: 908 250, 108 125 × 12, 1 946 250.
    let a = run(&spec_request(), &quotas(2026, 10));
    assert!(a.eligible());
    let e = a.entitlements.as_ref().unwrap();
    assert_eq!(e.relocation_subsidy.amount(), Decimal::from(908_250));
    assert_eq!(e.monthly_voucher.amount(), Decimal::from(108_125));
    assert_eq!(e.voucher_months, 12);
    assert_eq!(e.employer_housing_limit.amount(), Decimal::from(1_946_250));

    let json = serde_json::to_value(a.to_response(Policy::current(), Lang::En)).unwrap();
    assert_eq!(json["eligible"], true);
    assert_eq!(json["entitlements"]["relocation_subsidy"], "908250");
    assert_eq!(json["entitlements"]["monthly_voucher"], "108125");
    assert_eq!(json["entitlements"]["voucher_months"], 12);
    assert_eq!(json["entitlements"]["employer_housing_limit"], "1946250");
    assert_eq!(json["warnings"], serde_json::json!([]));
    assert_eq!(json["policy_version"], Policy::current().version);
}

#[test]
fn every_rule_is_reported_in_order_with_reason_and_citation_in_each_language() {
    let mut req = spec_request();
    req.applicant.iin = "123".into();
    req.applicant.citizenship = Citizenship::Foreign;
    let a = run(&req, &quotas(2026, 0));
    for lang in Lang::ALL {
        let resp = a.to_response(Policy::current(), lang);
        let ids: Vec<_> = resp.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]);
        assert!(resp
            .rules
            .iter()
            .all(|r| !r.reason.is_empty() && !r.citation.is_empty()));
        assert!(!resp.eligible);
        assert_eq!(resp.entitlements, None);
    }
    let ru = a.to_response(Policy::current(), Lang::Ru);
    let en = a.to_response(Policy::current(), Lang::En);
    assert_ne!(ru.rules[0].reason, en.rules[0].reason);
    assert!(ru.rules[0].reason.chars().any(|c| ('а'..='я').contains(&c)));
}

#[test]
fn age_boundaries_on_the_birthday() {
    // Born 2008-03-01: 17 on 2026-02-28, 18 on 2026-03-01.
    // Born 1963-03-01: 62 on 2026-02-28, 63 on 2026-03-01.
    let cases = [
        ("2008-03-01", "2026-02-28", false),
        ("2008-03-01", "2026-03-01", true),
        ("1963-03-01", "2026-02-28", true),
        ("1963-03-01", "2026-03-01", false),
    ];
    for (birth, as_of, ok) in cases {
        let mut req = spec_request();
        req.applicant.birth_date = date(birth);
        req.applicant.iin = iin_for(date(birth), true, 17).unwrap();
        req.as_of = Some(date(as_of));
        let a = run(&req, &quotas(2026, 3));
        assert_eq!(passed(&a, RuleId::E3), ok, "born {birth}, as of {as_of}");
        assert_eq!(a.eligible(), ok);
    }
}

/// E3 for `birth` on `as_of`: whether it passed and the age its reason gives.
fn e3_on(birth: &str, as_of: &str) -> (bool, String) {
    let mut req = spec_request();
    req.applicant.birth_date = date(birth);
    req.applicant.iin = iin_for(date(birth), false, 29)
        .or_else(|| iin_for(date(birth), false, 30))
        .unwrap();
    req.as_of = Some(date(as_of));
    let year = date(as_of).year();
    let a = run(&req, &quotas(year, 3));
    assert!(a.cautions.is_empty(), "the IIN encodes {birth}");
    let reason = a.to_response(Policy::current(), Lang::En).rules[2]
        .reason
        .clone();
    (passed(&a, RuleId::E3), reason)
}

#[test]
fn age_limits_for_a_birthday_on_29_february() {
    // SPEC §3: a term in years ends on the same month and day of its last year, or on the
    // month's last day where the month has no such day. Born 29 February 2008: 18 on
    // 28 February 2026, a common year.
    for (birth, as_of, ok, age) in [
        ("2008-02-29", "2026-02-27", false, 17),
        ("2008-02-29", "2026-02-28", true, 18),
        ("2008-02-29", "2026-03-01", true, 18),
        // Born 29 February 1964: 63, pension age, on 28 February 2027.
        ("1964-02-29", "2027-02-27", true, 62),
        ("1964-02-29", "2027-02-28", false, 63),
        ("1964-02-29", "2027-03-01", false, 63),
        // In a leap year the birthday is 29 February itself, not the 28th.
        ("2008-02-29", "2028-02-28", true, 19),
        ("2008-02-29", "2028-02-29", true, 20),
        ("1964-02-29", "2028-02-28", false, 63),
        ("1964-02-29", "2028-02-29", false, 64),
    ] {
        let (passed, reason) = e3_on(birth, as_of);
        assert_eq!(passed, ok, "born {birth}, as of {as_of}: {reason}");
        assert!(
            reason.starts_with(&format!("You are {age}:")),
            "born {birth}, as of {as_of}: {reason}"
        );
    }
}

#[test]
fn age_limits_for_ordinary_birthdays_in_common_and_leap_years() {
    for (birth, as_of, ok, age) in [
        // 28 February and 1 March births, turning 18 in a common year…
        ("2008-02-28", "2026-02-27", false, 17),
        ("2008-02-28", "2026-02-28", true, 18),
        ("2008-03-01", "2026-02-28", false, 17),
        ("2008-03-01", "2026-03-01", true, 18),
        // …and in a leap year, where 29 February is nobody's birthday here.
        ("2010-02-28", "2028-02-27", false, 17),
        ("2010-02-28", "2028-02-28", true, 18),
        ("2010-03-01", "2028-02-29", false, 17),
        ("2010-03-01", "2028-03-01", true, 18),
        // Turning 63 in a common and in a leap year.
        ("1963-02-28", "2026-02-27", true, 62),
        ("1963-02-28", "2026-02-28", false, 63),
        ("1965-03-01", "2028-02-29", true, 62),
        ("1965-03-01", "2028-03-01", false, 63),
        // The rest of the year: the day before and the birthday.
        ("2008-12-31", "2026-12-30", false, 17),
        ("2008-12-31", "2026-12-31", true, 18),
        ("1963-01-01", "2025-12-31", true, 62),
        ("1963-01-01", "2026-01-01", false, 63),
    ] {
        let (passed, reason) = e3_on(birth, as_of);
        assert_eq!(passed, ok, "born {birth}, as of {as_of}: {reason}");
        assert!(
            reason.starts_with(&format!("You are {age}:")),
            "born {birth}, as of {as_of}: {reason}"
        );
    }
}

#[test]
fn age_in_completed_years() {
    let years = |birth, on| age(date(birth), date(on));
    assert_eq!(years("2008-02-29", "2008-02-29"), Some(0));
    assert_eq!(years("2008-02-29", "2009-02-27"), Some(0));
    assert_eq!(years("2008-02-29", "2009-02-28"), Some(1));
    assert_eq!(years("2008-02-29", "2012-02-28"), Some(3));
    assert_eq!(years("2008-02-29", "2012-02-29"), Some(4));
    assert_eq!(
        years("2000-02-29", "2100-02-28"),
        Some(100),
        "2100 is a common year"
    );
    assert_eq!(years("1990-05-14", "2026-05-13"), Some(35));
    assert_eq!(years("1990-05-14", "2026-05-14"), Some(36));
    assert_eq!(years("2026-03-02", "2026-03-01"), None);
}

#[test]
fn birth_date_after_the_check_fails_age() {
    let mut req = spec_request();
    req.applicant.birth_date = date("2027-01-01");
    assert!(!passed(&run(&req, &quotas(2026, 3)), RuleId::E3));
}

#[test]
fn citizenship_rule() {
    for (c, ok) in [
        (Citizenship::Citizen, true),
        (Citizenship::Kandas, true),
        (Citizenship::Foreign, false),
    ] {
        let mut req = spec_request();
        req.applicant.citizenship = c;
        assert_eq!(
            passed(&run(&req, &quotas(2026, 3)), RuleId::E2),
            ok,
            "{c:?}"
        );
    }
}

#[test]
fn current_region_rule_for_every_region() {
    let policy = Policy::current();
    for region in Region::ALL {
        for citizenship in [Citizenship::Citizen, Citizenship::Kandas] {
            let mut req = spec_request();
            req.applicant.current_region = region;
            req.applicant.citizenship = citizenship;
            let expected = policy.is_origin(region)
                || (region == Region::Abroad && citizenship == Citizenship::Kandas);
            assert_eq!(
                passed(&run(&req, &quotas(2026, 3)), RuleId::E4),
                expected,
                "{region} {citizenship:?}"
            );
        }
    }
    // The SPEC's lists, spelled out.
    for id in [
        "almaty_region",
        "zhambyl",
        "zhetysu",
        "kyzylorda",
        "mangystau",
        "turkestan",
        "shymkent",
    ] {
        assert!(policy.is_origin(Region::from_id(id).unwrap()), "{id}");
    }
    for id in [
        "astana",
        "almaty_city",
        "aktobe",
        "atyrau",
        "pavlodar",
        "abroad",
    ] {
        assert!(!policy.is_origin(Region::from_id(id).unwrap()), "{id}");
    }
}

#[test]
fn destination_rule_for_every_region() {
    let destinations = [
        "abai",
        "akmola",
        "east_kazakhstan",
        "west_kazakhstan",
        "karaganda",
        "kostanay",
        "pavlodar",
        "north_kazakhstan",
        "ulytau",
    ];
    for region in Region::ALL {
        let mut req = spec_request();
        req.destination.region = region;
        let expected = destinations.contains(&region.id());
        assert_eq!(
            passed(&run(&req, &quotas(2026, 3)), RuleId::E5),
            expected,
            "{region}"
        );
    }
}

#[test]
fn destination_must_differ_from_current_region() {
    // A kandas living abroad cannot name "abroad" as destination; nobody moves to where
    // they already live, even if the policy ever listed a region as both.
    let mut req = spec_request();
    req.applicant.citizenship = Citizenship::Kandas;
    req.applicant.current_region = Region::Abroad;
    req.destination.region = Region::Abroad;
    assert!(!passed(&run(&req, &quotas(2026, 3)), RuleId::E5));

    let mut req = spec_request();
    req.applicant.current_region = Region::Pavlodar;
    req.destination.region = Region::Pavlodar;
    let a = run(&req, &quotas(2026, 3));
    assert!(!passed(&a, RuleId::E5));
    assert!(!passed(&a, RuleId::E4));
}

#[test]
fn prior_support_rule() {
    let mut req = spec_request();
    req.applicant.prior_resettlement_support = true;
    let a = run(&req, &quotas(2026, 3));
    assert!(!passed(&a, RuleId::E6));
    assert!(!a.eligible());
}

#[test]
fn quota_zero_and_one() {
    let req = spec_request();
    let with = |quota, used| {
        QuotaSnapshot::new(
            2026,
            [(Region::NorthKazakhstan, QuotaStatus::new(quota, used))].into(),
        )
    };
    assert!(!passed(&run(&req, &with(10, 10)), RuleId::E7));
    assert!(passed(&run(&req, &with(10, 9)), RuleId::E7));
    assert!(!passed(&run(&req, &with(0, 0)), RuleId::E7));
    assert!(passed(&run(&req, &with(1, 0)), RuleId::E7));
    // No quota known for the as-of year: not eligible, and it says so.
    let a = run(&req, &QuotaSnapshot::new(2025, with(5, 0).regions));
    assert!(!passed(&a, RuleId::E7));
    let reason = &a.to_response(Policy::current(), Lang::En).rules[6].reason;
    assert!(reason.contains("2026"), "{reason}");
}

#[test]
fn iin_birth_date_mismatch_is_a_warning_not_a_failure() {
    let mut req = spec_request();
    req.applicant.birth_date = date("1990-05-15");
    let a = run(&req, &quotas(2026, 3));
    assert!(a.eligible());
    let resp = a.to_response(Policy::current(), Lang::En);
    assert_eq!(resp.warnings.len(), 1);
    assert_eq!(resp.warnings[0].code, "iin_birth_date_mismatch");
    let message = &resp.warnings[0].message;
    assert!(message.contains("(14 May 1990)"), "{message}");
    assert!(message.contains("(15 May 1990)"), "{message}");
    for lang in [Lang::Kk, Lang::Ru] {
        let message = &a.to_response(Policy::current(), lang).warnings[0].message;
        assert!(message.contains("(14.05.1990)"), "{message}");
        assert!(message.contains("(15.05.1990)"), "{message}");
    }
}

/// An ISO date (`2026-01-01`) somewhere in `text`.
fn has_iso_date(text: &str) -> bool {
    text.as_bytes().windows(10).any(|w| {
        w.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    })
}

#[test]
fn dates_in_answers_are_written_for_their_readers() {
    // The MRP in force on 2026-03-01 applies from 2026-01-01.
    let a = run(&spec_request(), &quotas(2026, 3));
    let basis = |lang| {
        a.to_response(Policy::current(), lang)
            .entitlements
            .unwrap()
            .basis
            .into_iter()
            .map(|b| b.explanation)
            .collect::<Vec<_>>()
    };
    for (lang, written) in [
        (Lang::Kk, "(01.01.2026 бастап)"),
        (Lang::Ru, "(с 01.01.2026)"),
        (Lang::En, "(from 1 January 2026)"),
    ] {
        let amounts_in_mrp: Vec<String> = basis(lang)
            .into_iter()
            .filter(|b| b.contains('×'))
            .collect();
        assert_eq!(amounts_in_mrp.len(), 3, "{lang:?}");
        for b in amounts_in_mrp {
            assert!(b.contains(written), "{lang:?}: {b}");
        }
    }

    // No sentence of any answer carries an ISO date: an encoded birth date that differs,
    // one that is no date at all, every rule failing.
    let mut differs = spec_request();
    differs.applicant.birth_date = date("1990-05-15");
    let mut unreal = spec_request();
    unreal.applicant.iin = (0..100)
        .find_map(|serial| with_check_digit(&format!("9013143{serial:04}")))
        .unwrap();
    let mut refused = spec_request();
    refused.applicant.birth_date = date("2027-01-01");
    refused.applicant.citizenship = Citizenship::Foreign;
    refused.destination.region = Region::Turkestan;
    refused.applicant.prior_resettlement_support = true;
    for req in [spec_request(), differs, unreal, refused] {
        let a = run(&req, &quotas(2026, 0));
        for lang in Lang::ALL {
            let resp = a.to_response(Policy::current(), lang);
            let texts = resp
                .rules
                .iter()
                .map(|r| &r.reason)
                .chain(resp.warnings.iter().map(|w| &w.message))
                .chain(
                    resp.entitlements
                        .iter()
                        .flat_map(|e| e.basis.iter().map(|b| &b.explanation)),
                );
            for text in texts {
                assert!(!has_iso_date(text), "{lang:?}: {text}");
            }
        }
    }
}

/// The 11 digits of `first` and their check digit, if they have one.
fn with_check_digit(first: &str) -> Option<String> {
    let digits: Vec<u8> = first.bytes().map(|b| b - b'0').collect();
    let check = shared::iin::check_digit(&digits.try_into().ok()?)?;
    Some(format!("{first}{check}"))
}

#[test]
fn no_warning_for_an_invalid_iin() {
    // E1 already explains the problem; a birth-date warning would only add noise.
    let mut req = spec_request();
    req.applicant.iin = "900514300123".into();
    let a = run(&req, &quotas(2026, 3));
    assert!(!passed(&a, RuleId::E1));
    assert!(a.cautions.is_empty());
}

#[test]
fn voucher_bands_by_settlement_and_family_size() {
    // MRP 4 325 in 2026; bands urban 20/25/30, rural 15/20/25 MRP.
    let cases = [
        (Settlement::Urban, 1, 20),
        (Settlement::Urban, 2, 25),
        (Settlement::Urban, 3, 25),
        (Settlement::Urban, 4, 30),
        (Settlement::Urban, 15, 30),
        (Settlement::Rural, 1, 15),
        (Settlement::Rural, 3, 20),
        (Settlement::Rural, 4, 25),
    ];
    for (settlement, size, band) in cases {
        let mut req = spec_request();
        req.destination.settlement = settlement;
        req.family_size = FamilySize::try_from(size).unwrap();
        let a = run(&req, &quotas(2026, 3));
        let e = a.entitlements.unwrap();
        assert_eq!(
            e.monthly_voucher.amount(),
            Decimal::from(band * 4325),
            "{settlement:?} {size}"
        );
        assert_eq!(
            e.relocation_subsidy.amount(),
            Decimal::from(70 * 4325 * size)
        );
    }
}

#[test]
fn entitlements_use_the_mrp_of_the_as_of_date() {
    let mut req = spec_request();
    req.as_of = Some(date("2025-06-01"));
    let a = run(&req, &quotas(2025, 3));
    let e = a.entitlements.unwrap();
    assert_eq!(e.relocation_subsidy.amount(), Decimal::from(70 * 3932 * 3));
    assert_eq!(e.employer_housing_limit.amount(), Decimal::from(450 * 3932));
}

#[test]
fn a_date_before_the_policy_is_an_error() {
    let mut req = spec_request();
    req.as_of = Some(date("2023-12-31"));
    let err = assess(
        &req,
        date("2023-12-31"),
        Policy::current(),
        &quotas(2023, 3),
    )
    .unwrap_err();
    assert!(err.to_string().contains("2024-01-01"));
}
