//! The policy that `build.rs` compiles into the crate is the policy file as serde reads it,
//! and a file that does not match the policy types fails the build with a message naming
//! the entry.

use sha2::{Digest, Sha256};
use shared::Policy;
use std::panic::catch_unwind;
use toml::{Table, Value};

/// The generator itself, to check its build errors without breaking the real build.
#[allow(dead_code)]
#[path = "../build.rs"]
mod build;

const FILE: &str = include_str!("../policy/policy.toml");

#[test]
fn the_generated_policy_is_the_file_read_with_serde() {
    let mut parsed: Policy = toml::from_str(FILE).expect("the policy file matches the types");
    // As `Policy::current()`: the revision and the first 6 bytes of the file's SHA-256.
    let digest = Sha256::digest(FILE.as_bytes());
    let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    parsed.version = format!("{}+{hash}", parsed.revision);

    let current = Policy::current();
    assert_eq!(&parsed, current);
    // `Decimal` equality ignores the scale ("0.50" == "0.5"); the JSON the server sends
    // at GET /api/v1/policy does not.
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        serde_json::to_value(current).unwrap()
    );
}

#[test]
fn region_ids_become_region_variants() {
    let code = build::generate(FILE);
    assert!(code.contains("Region::EastKazakhstan /* regions["));
    assert!(code.contains("Region::AlmatyCity /* regions["));
}

/// The build error for the policy file changed by `edit`.
fn build_error(edit: impl FnOnce(&mut Table)) -> String {
    let mut policy: Table = toml::from_str(FILE).unwrap();
    edit(&mut policy);
    let text = toml::to_string(&policy).unwrap();
    let panic = catch_unwind(|| build::generate(&text)).expect_err("the build fails");
    *panic.downcast::<String>().expect("a formatted message")
}

fn assert_names(error: &str, entry: &str, problem: &str) {
    let prefix = format!("policy/policy.toml: `{entry}`: ");
    assert!(
        error.starts_with(&prefix) && error.contains(problem),
        "{error}"
    );
}

#[test]
fn an_impossible_date_names_the_value() {
    let error = build_error(|p| {
        p["parameters"]["mrp"]["values"][0]["from"] = Value::from("2024-02-30");
    });
    assert_names(
        &error,
        "parameters.mrp.values[0].from",
        "is not a date such as",
    );
}

#[test]
fn an_unquoted_decimal_is_refused() {
    let error = build_error(|p| {
        p["parameters"]["r12_multiplier"]["values"][0]["value"][1]["min_rate"] = Value::from(0.5);
    });
    assert_names(
        &error,
        "parameters.r12_multiplier.values[0].value[1].min_rate",
        "as a string, such as \"0.5\"",
    );
}

#[test]
fn a_quoted_whole_number_is_refused() {
    let error = build_error(|p| {
        p["parameters"]["voucher_months"]["values"][0]["value"] = Value::from("12");
    });
    assert_names(
        &error,
        "parameters.voucher_months.values[0].value",
        "expected a whole number",
    );
}

#[test]
fn a_missing_entry_is_named() {
    let error = build_error(|p| {
        p["parameters"]["mrp"]
            .as_table_mut()
            .unwrap()
            .remove("unit");
    });
    assert_names(&error, "parameters.mrp.unit", "missing");
}

#[test]
fn a_misspelt_entry_is_not_ignored() {
    let error = build_error(|p| {
        let region = p["regions"][0].as_table_mut().unwrap();
        region.insert("orgin".into(), Value::from(true));
    });
    assert_names(&error, "regions[0].orgin", "unknown entry");
}

#[test]
fn a_parameter_without_a_field_is_not_ignored() {
    let error = build_error(|p| {
        let mrp = p["parameters"]["mrp"].clone();
        let parameters = p["parameters"].as_table_mut().unwrap();
        parameters.insert("new_allowance".into(), mrp);
    });
    assert_names(&error, "parameters.new_allowance", "unknown entry");
}

#[test]
fn a_malformed_region_id_is_named() {
    let error = build_error(|p| p["regions"][0]["id"] = Value::from("East-Kazakhstan"));
    assert_names(&error, "regions[0].id", "snake_case region id");
}
