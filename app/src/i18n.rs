//! Every user-facing string of the app, in Kazakh, Russian and English.
//!
//! The texts live in `app/i18n/<lang>.toml`, one file per language, and are turned into key
//! enums and tables at build time (`build.rs`): code names a text by its key, so a wrong key
//! does not compile, and a text missing in one language fails the build. The checker's
//! texts (`Key`) and those of the static pages around it (`PageKey`) are separate tables, so
//! the browser carries only the first. Texts with values use numbered placeholders `{0}`,
//! `{1}`, filled by [`tf`]; the rules' own reasons and citations come from the shared crate.

use shared::Lang;

/// Declares a key enum and its `ALL` from one list, so no key can be left out of the
/// completeness test.
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident; $($key:ident),* $(,)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($key),*
        }

        impl $name {
            /// Every key, for the completeness test.
            pub const ALL: &'static [$name] = &[$($name::$key),*];
        }
    };
}

/// A key of one of the text tables.
pub trait Text: Copy + Send + Sync + 'static {
    /// Kazakh, Russian and English.
    fn texts(self) -> [&'static str; 3];
}

/// Ties each key enum to its generated table.
macro_rules! text_tables {
    ($($name:ident => $table:ident),* $(,)?) => {
        $(impl Text for $name {
            fn texts(self) -> [&'static str; 3] {
                $table(self)
            }
        })*
    };
}

text_tables! {
    Key => checker_texts,
    PageKey => pages_texts,
    AccountKey => account_texts,
    PortalKey => portal_texts,
    ResettlerKey => resettler_texts,
    EmployerKey => employer_texts,
    StaffKey => staff_texts,
    WalletKey => wallet_texts,
    ContractsKey => contracts_texts,
    KeysKey => keys_texts,
}

// The key enums and the text tables, generated from `app/i18n/<lang>.toml` by build.rs.
include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: impl Text) -> &'static str {
    let [kk, ru, en] = key.texts();
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// The text of `key` in `lang` with `{0}`, `{1}`, … replaced by `args`.
pub fn tf(lang: Lang, key: impl Text, args: &[&str]) -> String {
    let mut text = t(lang, key).to_string();
    for (i, arg) in args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), arg);
    }
    text
}

/// A text that follows the interface language, for use in views. Every call returns the
/// same closure type, so the view code for it is generated once, not once per text.
pub fn tr(key: impl Text) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    let lang = crate::use_lang();
    move || t(lang.get(), key)
}

/// A language's name in that language, for the language switcher.
pub fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "Қазақша",
        Lang::Ru => "Русский",
        Lang::En => "English",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<usize> {
        (0..10)
            .filter(|i| text.contains(&format!("{{{i}}}")))
            .collect()
    }

    /// Every text of both tables, by key name.
    fn all() -> Vec<(String, [&'static str; 3])> {
        fn of<K: Text + std::fmt::Debug>(keys: &[K]) -> Vec<(String, [&'static str; 3])> {
            keys.iter().map(|k| (format!("{k:?}"), k.texts())).collect()
        }
        [
            of(Key::ALL),
            of(PageKey::ALL),
            of(AccountKey::ALL),
            of(PortalKey::ALL),
            of(ResettlerKey::ALL),
            of(EmployerKey::ALL),
            of(StaffKey::ALL),
            of(WalletKey::ALL),
            of(ContractsKey::ALL),
            of(KeysKey::ALL),
        ]
        .concat()
    }

    #[test]
    fn every_key_has_a_text_in_every_language() {
        for (key, texts) in all() {
            for (lang, text) in Lang::ALL.into_iter().zip(texts) {
                assert!(!text.trim().is_empty(), "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn every_language_uses_the_same_placeholders() {
        for (key, [kk, ru, en]) in all() {
            assert_eq!(placeholders(kk), placeholders(en), "{key} in kk");
            assert_eq!(placeholders(ru), placeholders(en), "{key} in ru");
        }
    }

    #[test]
    fn kazakh_and_russian_are_cyrillic() {
        let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        for (key, [kk, ru, _]) in all() {
            assert!(cyrillic(kk), "{key} kk");
            assert!(cyrillic(ru), "{key} ru");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            tf(Lang::En, Key::ErrFamilySize, &["1", "15"]),
            "Enter a number from 1 to 15."
        );
    }
}
