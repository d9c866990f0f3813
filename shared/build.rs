//! Turns the human-edited `policy/policy.toml` into JSON at build time, so the browser
//! bundle carries no TOML parser, and derives the policy version from the file's content.

use sha2::{Digest, Sha256};
use std::{env, fs, path::PathBuf};

fn main() {
    let source = "policy/policy.toml";
    println!("cargo:rerun-if-changed={source}");
    let text = fs::read_to_string(source).expect("policy/policy.toml is readable");
    let value: toml::Value = toml::from_str(&text).expect("policy/policy.toml is valid TOML");
    let json = serde_json::to_string(&value).expect("policy converts to JSON");

    let revision = value
        .get("revision")
        .and_then(|r| r.as_str())
        .expect("policy/policy.toml has a `revision` string");
    let digest = Sha256::digest(text.as_bytes());
    let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let version = format!("{revision}+{hash}");

    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out.join("policy.json"), json).unwrap();
    fs::write(out.join("policy_version.txt"), version).unwrap();
}
