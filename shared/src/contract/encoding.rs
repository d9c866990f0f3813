//! The canonical byte encoding of contract terms and its SHA-256, the contract's
//! fingerprint. The format is specified in `docs/contract-encoding.md`: it depends on no
//! serialiser or field order, and it never changes for a format version once released (the
//! test vectors below fail if it drifts).

use super::terms::{ContractTerms, Format};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The terms' canonical bytes: the format's header line, then one `name=value` line per
/// field in a fixed order, each line ending in `\n`.
pub fn encode(terms: &ContractTerms) -> Vec<u8> {
    // Destructured whole, so a new field or format does not compile until it is encoded.
    let Format::V1 = terms.format;
    let ContractTerms {
        format: _,
        contract_id,
        created_on,
        resettler_id,
        resettler_iin,
        employer_id,
        employer_bin,
        region,
        vacancy_id,
        position,
        monthly_salary,
        start_month,
        housing_limit,
        declared_housing_costs,
        required_months,
        breach_threshold,
    } = terms;
    // Money: tenge as a plain decimal without trailing zeros (`1946250`, `250000.5`), the
    // same for every representation of the same amount.
    let money = |t: &crate::Tenge| t.amount().normalize().to_string();
    let fields = [
        ("contract_id", contract_id.to_string()),
        ("created_on", created_on.format("%Y-%m-%d").to_string()),
        ("resettler_id", resettler_id.to_string()),
        ("resettler_iin", text(resettler_iin)),
        ("employer_id", employer_id.to_string()),
        ("employer_bin", text(employer_bin)),
        ("region", region.id().to_string()),
        ("vacancy_id", vacancy_id.to_string()),
        ("position", text(position)),
        ("monthly_salary", money(monthly_salary)),
        ("start_month", start_month.to_string()),
        ("housing_limit", money(housing_limit)),
        ("declared_housing_costs", money(declared_housing_costs)),
        ("required_months", required_months.to_string()),
        ("breach_threshold", breach_threshold.to_string()),
    ];
    let mut out = String::from("qonys-contract-v1\n");
    for (name, value) in fields {
        out += &format!("{name}={value}\n");
    }
    out.into_bytes()
}

/// Text as given, with `\` written `\\` and a line feed written `\n`, so a value always
/// stays on its line and two different values never encode the same.
fn text(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\n', "\\n")
}

/// The contract's fingerprint: SHA-256 of [`encode`].
pub fn fingerprint(terms: &ContractTerms) -> [u8; 32] {
    Sha256::digest(encode(terms)).into()
}

/// Lowercase hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The bytes of hexadecimal text (either case), or `None` if it is not an even number of
/// hex digits.
pub fn parse_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{ledger::Month, Region, Tenge};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    /// The terms of `docs/contract-encoding.md`'s example.
    pub(crate) fn example() -> ContractTerms {
        ContractTerms {
            format: Format::V1,
            contract_id: 17,
            created_on: "2026-03-02".parse().unwrap(),
            resettler_id: 5,
            resettler_iin: "900514300121".into(),
            employer_id: 9,
            employer_bin: "971240001315".into(),
            region: Region::NorthKazakhstan,
            vacancy_id: 3,
            position: "Дәнекерлеуші / Welder".into(),
            monthly_salary: Tenge::new(Decimal::from(250_000)),
            start_month: Month::new(2026, 4).unwrap(),
            housing_limit: Tenge::new(Decimal::from(1_946_250)),
            declared_housing_costs: Tenge::new(Decimal::from_str("1200000.50").unwrap()),
            required_months: 24,
            breach_threshold: 3,
        }
    }

    const EXAMPLE_ENCODING: &str = "qonys-contract-v1
contract_id=17
created_on=2026-03-02
resettler_id=5
resettler_iin=900514300121
employer_id=9
employer_bin=971240001315
region=north_kazakhstan
vacancy_id=3
position=Дәнекерлеуші / Welder
monthly_salary=250000
start_month=2026-04
housing_limit=1946250
declared_housing_costs=1200000.5
required_months=24
breach_threshold=3
";

    #[test]
    fn the_example_encodes_as_documented() {
        assert_eq!(
            String::from_utf8(encode(&example())).unwrap(),
            EXAMPLE_ENCODING
        );
        let doc = include_str!("../../../docs/contract-encoding.md");
        assert!(
            doc.contains(EXAMPLE_ENCODING),
            "docs/contract-encoding.md shows another encoding of the example"
        );
    }

    /// Test vectors: if one of these changes, every signed contract stops verifying.
    #[test]
    fn fingerprints_never_drift() {
        assert_eq!(
            hex(&fingerprint(&example())),
            "c92191a1f5d6d870c17ca4b6b5c2f2a0e4d138b156d91c8ef0c3f8553bfc5b44"
        );
        let mut other = example();
        other.position = "Line one\nline=two \\ back".into();
        other.monthly_salary = Tenge::new(Decimal::from_str("85000.00").unwrap());
        other.contract_id = -1;
        assert_eq!(
            hex(&fingerprint(&other)),
            "b98b6601c5af25e5dc5a8002faae8ca3b457e8576560bcafed361fd71adf6575"
        );
    }

    #[test]
    fn equal_amounts_encode_alike_whatever_their_scale() {
        let mut a = example();
        let mut b = example();
        a.monthly_salary = Tenge::new(Decimal::from(250_000));
        // Read from JSON, an amount keeps the scale it was written with.
        b.monthly_salary = serde_json::from_str("\"250000.00\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(encode(&a), encode(&b));
    }

    #[test]
    fn text_cannot_forge_another_line() {
        let mut forged = example();
        forged.position = "Welder\nmonthly_salary=999999".into();
        let encoded = String::from_utf8(encode(&forged)).unwrap();
        assert_eq!(encoded.lines().count(), EXAMPLE_ENCODING.lines().count());
        assert!(encoded.contains("position=Welder\\nmonthly_salary=999999\n"));
        // An escaped backslash before `n` is not a line feed.
        let mut a = example();
        let mut b = example();
        a.position = "a\\nb".into();
        b.position = "a\nb".into();
        assert_ne!(encode(&a), encode(&b));
    }

    #[test]
    fn every_field_changes_the_fingerprint() {
        let base = fingerprint(&example());
        let changes: [fn(&mut ContractTerms); 15] = [
            |t| t.contract_id += 1,
            |t| t.created_on = t.created_on.succ_opt().unwrap(),
            |t| t.resettler_id += 1,
            |t| t.resettler_iin = "900514300122".into(),
            |t| t.employer_id += 1,
            |t| t.employer_bin = "940140000385".into(),
            |t| t.region = Region::Pavlodar,
            |t| t.vacancy_id += 1,
            |t| t.position.push('!'),
            |t| t.monthly_salary = Tenge::new(t.monthly_salary.amount() + Decimal::ONE),
            |t| t.start_month = Month::new(2026, 5).unwrap(),
            |t| t.housing_limit = Tenge::new(Decimal::from(1)),
            |t| t.declared_housing_costs = Tenge::new(Decimal::from(1)),
            |t| t.required_months += 1,
            |t| t.breach_threshold += 1,
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut terms = example();
            change(&mut terms);
            assert_ne!(fingerprint(&terms), base, "change {i}");
        }
    }

    #[test]
    fn hex_round_trips() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(hex(&bytes), "0001abff");
        assert_eq!(parse_hex("0001ABff"), Some(bytes.to_vec()));
        for bad in ["0", "0g", "éé", "abc"] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }
}
