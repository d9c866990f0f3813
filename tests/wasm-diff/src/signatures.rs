//! Generated contract signatures, genuine and spoilt in every way the verifier tells apart,
//! for the browser and the server to judge alike.

use crate::Rng;
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use shared::{
    contract::{
        encoding::{hex, parse_hex},
        fingerprint, sign,
        signature::{key_fingerprint, public_key},
        terms::Format,
        verify, ContractTerms, Party,
    },
    ledger::Month,
    Region, Tenge,
};

/// Terms, a party, and a key and signature presented for them (hex), with the secret key
/// that made the genuine signature so the wasm build can sign again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignatureCase {
    pub terms: ContractTerms,
    pub party: Party,
    pub secret_key: String,
    pub public_key: String,
    pub signature: String,
}

/// The fingerprint, the verdict (`ok` or the error's code), the key's short fingerprint
/// and the signature the secret key makes for these terms and party.
pub fn evaluate(case: &SignatureCase) -> serde_json::Value {
    let bytes = |text: &str| parse_hex(text).expect("cases carry hex");
    let (key, signature) = (bytes(&case.public_key), bytes(&case.signature));
    let secret: [u8; 32] = bytes(&case.secret_key).try_into().expect("32-byte secret");
    serde_json::json!({
        "fingerprint": hex(&fingerprint(&case.terms)),
        "verify": match verify(&case.terms, case.party, &key, &signature) {
            Ok(()) => "ok",
            Err(e) => e.code(),
        },
        "key_fingerprint": key_fingerprint(&key),
        "signature": hex(&sign(&secret, &case.terms, case.party)),
    })
}

/// Positions with what the encoding must escape or keep as given.
const POSITIONS: [&str; 5] = [
    "Welder",
    "Дәнекерлеуші",
    "Line one\nline=two",
    "back\\slash\\n",
    "  spaced  ",
];

/// The group order ℓ of Ed25519, little-endian: adding it to a signature's scalar gives
/// the same point arithmetic but a non-canonical encoding, which strict checks refuse.
const GROUP_ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

pub(crate) fn generate(n: usize, rng: &mut Rng) -> Vec<SignatureCase> {
    (0..n).map(|_| one(rng)).collect()
}

fn one(rng: &mut Rng) -> SignatureCase {
    let terms = terms(rng);
    let party = rng.pick(&Party::ALL);
    let secret: [u8; 32] = std::array::from_fn(|_| rng.below(256) as u8);
    let mut key = public_key(&secret).to_vec();
    let mut signature = sign(&secret, &terms, party).to_vec();
    let mut presented = terms.clone();
    let mut presented_party = party;
    match rng.below(10) {
        // Signed for other terms.
        0 => presented.contract_id += 1,
        1 => presented.position.push(' '),
        // Another party's signature.
        2 => presented_party = rng.pick(&Party::ALL),
        // Another key.
        3 => key = public_key(&[rng.below(256) as u8; 32]).to_vec(),
        // A flipped bit of the signature.
        4 => signature[rng.below(64) as usize] ^= 1 << rng.below(8),
        // Truncated.
        5 => signature.truncate(rng.below(64) as usize),
        // A key that is not a curve point, or one of small order.
        6 => key = (0..32).map(|_| rng.below(256) as u8).collect(),
        7 => key = [&[1][..], &[0; 31]].concat(),
        // The same signature with a non-canonical scalar.
        8 => add_group_order(&mut signature[32..]),
        _ => {}
    }
    SignatureCase {
        terms: presented,
        party: presented_party,
        secret_key: hex(&secret),
        public_key: hex(&key),
        signature: hex(&signature),
    }
}

/// `scalar + ℓ`, little-endian; a scalar below ℓ < 2²⁵³ never overflows 32 bytes.
fn add_group_order(scalar: &mut [u8]) {
    let mut carry = 0u16;
    for (byte, order) in scalar.iter_mut().zip(GROUP_ORDER) {
        let sum = u16::from(*byte) + u16::from(order) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
}

pub(crate) fn terms(rng: &mut Rng) -> ContractTerms {
    let money = |rng: &mut Rng| Tenge::new(Decimal::new(rng.below(1_000_000_000) as i64, 2));
    let created_on = rng.date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), 365 * 5);
    ContractTerms {
        format: Format::V1,
        contract_id: rng.below(1_000_000) as i64,
        created_on,
        resettler_id: rng.below(10_000) as i64,
        resettler_iin: format!("{:012}", rng.below(1_000_000_000_000)),
        employer_id: rng.below(10_000) as i64,
        employer_bin: format!("{:012}", rng.below(1_000_000_000_000)),
        region: rng.pick(&Region::ALL),
        vacancy_id: rng.below(10_000) as i64,
        position: rng.pick(&POSITIONS).to_string(),
        monthly_salary: money(rng),
        start_month: Month::of(created_on + Duration::days(rng.below(90) as i64)),
        housing_limit: money(rng),
        declared_housing_costs: money(rng),
        required_months: 24,
        breach_threshold: 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated cases reach every verdict, so the comparison covers each path.
    #[test]
    fn every_verdict_occurs() {
        let mut rng = Rng(2026);
        let verdicts: std::collections::BTreeSet<String> = generate(500, &mut rng)
            .iter()
            .map(|case| evaluate(case)["verify"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            verdicts.into_iter().collect::<Vec<_>>(),
            [
                "ok",
                "public_key_malformed",
                "signature_invalid",
                "signature_malformed"
            ]
        );
    }

    #[test]
    fn a_non_canonical_scalar_is_refused_though_the_signature_is_otherwise_genuine() {
        let mut rng = Rng(7);
        let mut case = one(&mut rng);
        let secret: [u8; 32] = parse_hex(&case.secret_key).unwrap().try_into().unwrap();
        case.public_key = hex(&public_key(&secret));
        let mut signature = sign(&secret, &case.terms, case.party);
        case.signature = hex(&signature);
        assert_eq!(evaluate(&case)["verify"], "ok");
        add_group_order(&mut signature[32..]);
        case.signature = hex(&signature);
        assert_eq!(evaluate(&case)["verify"], "signature_invalid");
    }
}
