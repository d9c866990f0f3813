//! Worked cases of SPEC §3: the example, and each rule's boundaries.

mod common;

use common::*;
use rust_decimal::Decimal;
use shared::{
    api::{Citizenship, FamilySize, Settlement},
    eligibility::{assess, Assessment, RuleId},
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
    assert!(resp.warnings[0].message.contains("1990-05-14"));
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
