//! One component per route, and what the document says about each public page.

pub mod check;
pub mod home;
pub mod not_found;

use crate::i18n::{t, PageKey};
use shared::Lang;

/// The pages anyone can open without signing in. Each is pre-rendered to HTML in every
/// language by `cargo xtask dist`, so its content arrives before any script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicPage {
    Home,
    Check,
}

impl PublicPage {
    pub const ALL: [PublicPage; 2] = [PublicPage::Home, PublicPage::Check];

    /// The page's address in `lang`, as the app's own links write it.
    pub fn path(self, lang: Lang) -> String {
        match self {
            PublicPage::Home => format!("/{}/", lang.code()),
            PublicPage::Check => format!("/{}/check", lang.code()),
        }
    }

    /// The document title: the page's heading, then the portal's name.
    pub fn title(self, lang: Lang) -> String {
        let heading = match self {
            PublicPage::Home => PageKey::HomeTitle,
            PublicPage::Check => PageKey::CheckTitle,
        };
        format!("{} — Qonys", t(lang, heading))
    }

    /// The `<meta name="description">` text, shown by search engines.
    pub fn description(self, lang: Lang) -> &'static str {
        match self {
            PublicPage::Home => t(lang, PageKey::HomeDescription),
            PublicPage::Check => t(lang, PageKey::CheckDescription),
        }
    }
}
