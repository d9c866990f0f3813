//! Generates the interface's text tables from `i18n/<lang>.toml`, one file per language, so
//! a translator edits a text file and never Rust code. Each `[section]` becomes a key enum
//! (`checker` → `Key`, `pages` → `PageKey`) whose variants are the keys in PascalCase; the
//! code names texts by those variants, so a key that does not exist fails to compile, and a
//! key missing from one language, an empty text or placeholders (`{0}`) that differ from the
//! English text fail the build with a message naming the file and the key.

use std::{collections::BTreeMap, env, fs, path::PathBuf};

/// In the order of the text arrays: Kazakh, Russian, English.
const LANGS: [&str; 3] = ["kk", "ru", "en"];
/// Sections, the enum each becomes, and what the enum is for.
const SECTIONS: [(&str, &str, &str); 10] = [
    (
        "checker",
        "Key",
        "Identifies one text of the checker, the part of the app that runs in the browser.",
    ),
    (
        "pages",
        "PageKey",
        "Identifies one text of the static pages around the checker (header, footer, home, not \
         found). Rendered only at build time, so none of these is in the browser's download.",
    ),
    (
        "account",
        "AccountKey",
        "Identifies one text of sign-in and vacancy search (public pages, in the public \
         download) and of what every form shares: error summary, network problems.",
    ),
    (
        "portal",
        "PortalKey",
        "Identifies one text of the signed-in areas' frame: navigation, loading, statuses.",
    ),
    (
        "resettler",
        "ResettlerKey",
        "Identifies one text of the resettler's pages: registration, home, application.",
    ),
    (
        "employer",
        "EmployerKey",
        "Identifies one text of the employer's pages: registration, vacancies, applicants.",
    ),
    (
        "staff",
        "StaffKey",
        "Identifies one text of the akimat officers' and admins' pages: queue, quota, staff.",
    ),
    (
        "wallet",
        "WalletKey",
        "Identifies one text of the digital voucher's pages: wallet, payments, payees, budgets.",
    ),
    (
        "contracts",
        "ContractsKey",
        "Identifies one text of the tripartite contract's pages: lists, contract, printout, creation.",
    ),
    (
        "keys",
        "KeysKey",
        "Identifies one text of signing keys, signing and the state data feed's upload.",
    ),
];

type Texts = BTreeMap<String, BTreeMap<String, String>>;

fn main() {
    let files: Vec<(String, Texts)> = LANGS
        .iter()
        .map(|lang| {
            let path = format!("i18n/{lang}.toml");
            println!("cargo:rerun-if-changed={path}");
            let text = fs::read_to_string(&path).unwrap_or_else(|e| fail(&path, &e.to_string()));
            let texts: Texts =
                toml::from_str(&text).unwrap_or_else(|e| fail(&path, &e.to_string()));
            (path, texts)
        })
        .collect();
    let mut code = String::new();
    for (section, enum_name, doc) in SECTIONS {
        let tables: Vec<(&str, &BTreeMap<String, String>)> = files
            .iter()
            .map(|(path, texts)| {
                let table = texts
                    .get(section)
                    .unwrap_or_else(|| fail(path, &format!("no [{section}] section")));
                (path.as_str(), table)
            })
            .collect();
        check(section, &tables);
        code.push_str(&generate(
            section,
            enum_name,
            doc,
            tables[0].1.keys(),
            &tables,
        ));
    }
    for (path, texts) in &files {
        if let Some(extra) = texts
            .keys()
            .find(|s| SECTIONS.iter().all(|(n, _, _)| n != s))
        {
            fail(path, &format!("unknown section [{extra}]"));
        }
    }
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

fn fail(path: &str, message: &str) -> ! {
    panic!("app/{path}: {message}")
}

/// Every language has the same keys, no empty text, and the English text's placeholders.
fn check(section: &str, tables: &[(&str, &BTreeMap<String, String>)]) {
    let (en_path, english) = tables[2];
    for (path, table) in tables {
        for key in english.keys() {
            if !table.contains_key(key) {
                fail(
                    path,
                    &format!("[{section}] `{key}` is missing (it is in app/{en_path})"),
                );
            }
        }
        for (key, text) in table.iter() {
            let Some(english_text) = english.get(key) else {
                fail(
                    path,
                    &format!("[{section}] `{key}` is not in app/{en_path}"),
                );
            };
            if !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || !key.starts_with(|c: char| c.is_ascii_lowercase())
            {
                fail(
                    path,
                    &format!("[{section}] `{key}`: keys are lower_snake_case"),
                );
            }
            if text.trim().is_empty() {
                fail(path, &format!("[{section}] `{key}` is empty"));
            }
            if placeholders(text) != placeholders(english_text) {
                fail(
                    path,
                    &format!(
                        "[{section}] `{key}` has placeholders {:?}, the English text {:?}",
                        placeholders(text),
                        placeholders(english_text)
                    ),
                );
            }
        }
    }
}

fn placeholders(text: &str) -> Vec<usize> {
    (0..10)
        .filter(|i| text.contains(&format!("{{{i}}}")))
        .collect()
}

fn pascal(key: &str) -> String {
    key.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// `keys! { … }` for the enum, and `fn <section>_texts(key) -> [&str; 3]`.
fn generate<'a>(
    section: &str,
    enum_name: &str,
    doc: &str,
    keys: impl Iterator<Item = &'a String> + Clone,
    tables: &[(&str, &BTreeMap<String, String>)],
) -> String {
    let mut code = format!("keys! {{\n    #[doc = {doc:?}]\n    {enum_name};\n");
    for key in keys.clone() {
        code.push_str(&format!("    {},\n", pascal(key)));
    }
    code.push_str("}\n\n");
    code.push_str(&format!(
        "/// The `[{section}]` texts: Kazakh, Russian and English.\n\
         fn {section}_texts(key: {enum_name}) -> [&'static str; 3] {{\n    match key {{\n"
    ));
    for key in keys {
        let [kk, ru, en] = [0, 1, 2].map(|i| &tables[i].1[key]);
        code.push_str(&format!(
            "        {enum_name}::{} => [{kk:?}, {ru:?}, {en:?}],\n",
            pascal(key)
        ));
    }
    code.push_str("    }\n}\n\n");
    code
}
