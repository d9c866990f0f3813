//! One component per route, and what the document says about each pre-rendered page.

pub mod account;
pub mod check;
pub mod home;
pub mod login;
pub mod not_found;
pub mod offline;
pub mod vacancies;
pub mod vacancy;

use crate::i18n::{t, PageKey};
use shared::Lang;

/// The pages pre-rendered to HTML in every language by `cargo xtask dist`, so their
/// content arrives before any script: the public pages, and the shell the signed-in areas
/// are loaded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicPage {
    Home,
    Check,
    Login,
    Vacancies,
    /// One vacancy, `?id=` in the address.
    Vacancy,
    /// The signed-in areas' shell, served for every address under `/{lang}/my`.
    Account,
}

/// The browser code a page loads once it has been painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// None: the page is complete as HTML.
    None,
    /// The checker (`src/main.rs`).
    Checker,
    /// Sign-in and the vacancy search (`src/bin/account.rs`).
    Account,
    /// The signed-in areas (`src/bin/portal.rs`).
    Portal,
}

impl Bundle {
    /// The bundle's name in the build (`app`, `portal`), if any.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Bundle::None => None,
            Bundle::Checker => Some("app"),
            Bundle::Account => Some("account"),
            Bundle::Portal => Some("portal"),
        }
    }
}

impl PublicPage {
    pub const ALL: [PublicPage; 6] = [
        PublicPage::Home,
        PublicPage::Check,
        PublicPage::Login,
        PublicPage::Vacancies,
        PublicPage::Vacancy,
        PublicPage::Account,
    ];

    /// The page's address in `lang`, as the app's own links write it.
    pub fn path(self, lang: Lang) -> String {
        let code = lang.code();
        match self {
            PublicPage::Home => format!("/{code}/"),
            PublicPage::Check => format!("/{code}/check"),
            PublicPage::Login => format!("/{code}/login"),
            PublicPage::Vacancies => format!("/{code}/vacancies"),
            PublicPage::Vacancy => format!("/{code}/vacancy"),
            PublicPage::Account => format!("/{code}/my"),
        }
    }

    /// What the page loads after its first paint.
    pub fn bundle(self) -> Bundle {
        match self {
            PublicPage::Home => Bundle::None,
            PublicPage::Check => Bundle::Checker,
            PublicPage::Login | PublicPage::Vacancies | PublicPage::Vacancy => Bundle::Account,
            PublicPage::Account => Bundle::Portal,
        }
    }

    /// The document title: the page's heading, then the portal's name.
    pub fn title(self, lang: Lang) -> String {
        let heading = match self {
            PublicPage::Home => PageKey::HomeTitle,
            PublicPage::Check => PageKey::CheckTitle,
            PublicPage::Login => PageKey::LoginTitle,
            PublicPage::Vacancies => PageKey::VacanciesTitle,
            PublicPage::Vacancy => PageKey::VacancyTitle,
            PublicPage::Account => PageKey::AccountTitle,
        };
        format!("{} — Qonys", t(lang, heading))
    }

    /// The `<meta name="description">` text, shown by search engines.
    pub fn description(self, lang: Lang) -> &'static str {
        t(
            lang,
            match self {
                PublicPage::Home => PageKey::HomeDescription,
                PublicPage::Check => PageKey::CheckDescription,
                PublicPage::Login => PageKey::LoginDescription,
                PublicPage::Vacancies => PageKey::VacanciesDescription,
                PublicPage::Vacancy => PageKey::VacancyDescription,
                PublicPage::Account => PageKey::AccountDescription,
            },
        )
    }
}
