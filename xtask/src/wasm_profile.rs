//! What the app's WebAssembly is made of: the size of each function's code, grouped by the
//! crate it comes from, read from a build that keeps its function names.

use anyhow::{Context, Result};
use std::collections::HashMap;
use wasmparser::{Name, Parser, Payload};

/// Code bytes per crate, largest first, and the largest single functions.
pub struct Profile {
    pub code_bytes: u64,
    pub data_bytes: u64,
    pub by_crate: Vec<(String, u64)>,
    pub largest: Vec<(String, u64)>,
}

pub fn profile(wasm: &[u8]) -> Result<Profile> {
    let mut imported_functions = 0u32;
    let mut sizes: Vec<u64> = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut data_bytes = 0u64;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("reading the wasm module")? {
            Payload::ImportSection(reader) => {
                for imports in reader {
                    for import in imports?.into_iter() {
                        if matches!(import?.1.ty, wasmparser::TypeRef::Func(_)) {
                            imported_functions += 1;
                        }
                    }
                }
            }
            Payload::CodeSectionEntry(body) => sizes.push(body.range().len() as u64),
            Payload::DataSection(reader) => data_bytes += reader.range().len() as u64,
            Payload::CustomSection(section) => {
                if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Name::Function(map) = name? {
                            for naming in map {
                                let naming = naming?;
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut by_crate: HashMap<String, u64> = HashMap::new();
    let mut largest = Vec::new();
    for (i, size) in sizes.iter().enumerate() {
        let raw = names
            .get(&(imported_functions + i as u32))
            .map_or("?", String::as_str);
        let name = format!("{:#}", rustc_demangle::demangle(raw));
        *by_crate.entry(crate_of(&name)).or_default() += size;
        largest.push((name, *size));
    }
    let mut by_crate: Vec<(String, u64)> = by_crate.into_iter().collect();
    by_crate.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    largest.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    largest.truncate(15);
    Ok(Profile {
        code_bytes: sizes.iter().sum(),
        data_bytes,
        by_crate,
        largest,
    })
}

/// The crate a demangled function name belongs to: the first path segment, or for
/// `<Type as Trait>::method` the crate of the type.
fn crate_of(name: &str) -> String {
    // `<T as tachys::view::Render>::build`: a generic type says nothing; the trait does.
    let name = match name.split_once(" as ") {
        Some((ty, the_trait)) if ty.trim_start_matches('<').len() <= 2 => the_trait,
        _ => name,
    };
    let name = name.trim_start_matches('<').trim_start_matches('&');
    let name = name.strip_prefix("mut ").unwrap_or(name);
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    match &name[..end] {
        "" => "(other)".into(),
        "impl" => "(impl blocks)".into(),
        krate => krate.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn functions_are_grouped_by_their_crate() {
        assert_eq!(crate_of("tachys::view::Render::build"), "tachys");
        assert_eq!(
            crate_of("<serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::x"),
            "serde_json"
        );
        assert_eq!(crate_of("<&mut serde_json::de::X as Y>::z"), "serde_json");
        assert_eq!(crate_of("dlmalloc::dlmalloc::Dlmalloc::malloc"), "dlmalloc");
        assert_eq!(crate_of("?"), "(other)");
        assert_eq!(
            crate_of("<T as tachys::view::any_view::IntoAny>::x"),
            "tachys"
        );
    }
}
