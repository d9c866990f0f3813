//! Qonys citizen portal: explains the voluntary resettlement program and lets a person check,
//! in the browser, whether they qualify and for how much.
//!
//! The rules are not implemented here: every answer comes from the shared rules crate, the
//! same code the server runs. This crate only collects input, renders answers and talks to
//! the server's public API.

// Rendering deeply nested views to HTML needs more than the default depth.
#![recursion_limit = "256"]

pub mod account;
pub mod api;
pub mod browser;
pub mod client;
pub mod components;
pub mod form;
pub mod forms;
pub mod i18n;
pub mod island;
pub mod outcome;
pub mod pages;
pub mod portal;
#[cfg(feature = "ssr")]
pub mod prerender;

use components::{footer::Footer, header::Header};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};
use pages::{
    account::AccountPage, check::CheckPage, home::HomePage, login::LoginPage, not_found::NotFound,
    offline::OfflinePage, vacancies::VacanciesPage, vacancy::VacancyPage,
};
use shared::Lang;

/// The interface language: the one in the URL (Kazakh on paths without one).
#[derive(Clone, Copy)]
pub struct UiLang {
    pub current: Memo<Lang>,
    /// `Some` only when the path starts with a supported language code.
    pub from_url: Memo<Option<Lang>>,
}

impl UiLang {
    pub fn get(&self) -> Lang {
        self.current.get()
    }
}

/// The UI language from context; provided by [`App`] and by the checker's island.
pub fn use_lang() -> UiLang {
    expect_context::<UiLang>()
}

/// The language code at the start of `path`, if it is one of ours.
pub fn lang_from_path(path: &str) -> Option<Lang> {
    let first = path.trim_start_matches('/').split('/').next()?;
    Lang::ALL.into_iter().find(|l| l.code() == first)
}

/// `path` with its language segment replaced by `lang` (the same page in another language).
pub fn path_in_lang(path: &str, lang: Lang) -> String {
    match lang_from_path(path) {
        Some(_) => {
            let rest = path.trim_start_matches('/');
            let rest = rest.split_once('/').map_or("", |(_, r)| r);
            format!("/{}/{}", lang.code(), rest)
        }
        None => format!("/{}/", lang.code()),
    }
}

/// Every public page: header, the routed content and footer. Rendered to HTML at build
/// time (see `prerender`); in the browser only the checker runs (see `island`).
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell/>
        </Router>
    }
}

/// The frame of every page: header with navigation, the routed main content, footer.
#[component]
fn Shell() -> impl IntoView {
    let location = use_location();
    let from_url = Memo::new(move |_| location.pathname.with(|p| lang_from_path(p)));
    // A path without one of our languages is a not-found page, in the state language.
    let current = Memo::new(move |_| from_url.get().unwrap_or(Lang::Kk));
    provide_context(UiLang { current, from_url });
    provide_context(form::FormState::new());
    provide_context(pages::check::Quotas::new());

    view! {
        <Header/>
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/:lang") view=HomePage/>
                <Route path=path!("/:lang/check") view=CheckPage/>
                <Route path=path!("/:lang/login") view=LoginPage/>
                <Route path=path!("/:lang/vacancies") view=VacanciesPage/>
                <Route path=path!("/:lang/vacancy") view=VacancyPage/>
                <Route path=path!("/:lang/my") view=AccountPage/>
                <Route path=path!("/:lang/offline") view=OfflinePage/>
            </Routes>
        </main>
        <Footer/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_segment_is_read_and_replaced() {
        assert_eq!(lang_from_path("/kk/check"), Some(Lang::Kk));
        assert_eq!(lang_from_path("/ru/"), Some(Lang::Ru));
        assert_eq!(lang_from_path("/en"), Some(Lang::En));
        assert_eq!(lang_from_path("/"), None);
        assert_eq!(lang_from_path("/de/check"), None);
        assert_eq!(lang_from_path("/kkk/"), None);
        assert_eq!(path_in_lang("/kk/check", Lang::En), "/en/check");
        assert_eq!(path_in_lang("/kk/", Lang::Ru), "/ru/");
        assert_eq!(path_in_lang("/kk", Lang::Ru), "/ru/");
        assert_eq!(path_in_lang("/nowhere", Lang::Kk), "/kk/");
    }
}
