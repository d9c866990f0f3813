//! The portal's three languages.

use serde::{Deserialize, Serialize};

/// Kazakh, Russian or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Kk,
    Ru,
    #[default]
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The BCP 47 tag, also used in URLs (`/kk/…`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| code.eq_ignore_ascii_case(l.code()))
    }

    /// The first supported language of an `Accept-Language` header, if any.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .filter_map(|tag| tag.trim().split('-').next())
            .find_map(Lang::from_code)
    }
}

/// A text in all three languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Localized {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Localized {
    /// The text `text` gives for each language.
    pub fn from_fn(text: impl Fn(Lang) -> String) -> Localized {
        Localized {
            kk: text(Lang::Kk),
            ru: text(Lang::Ru),
            en: text(Lang::En),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_first_supported() {
        assert_eq!(
            Lang::from_accept_language("de-DE,ru;q=0.8,en;q=0.5"),
            Some(Lang::Ru)
        );
        assert_eq!(Lang::from_accept_language("kk-KZ"), Some(Lang::Kk));
        assert_eq!(Lang::from_accept_language("fr"), None);
    }
}
