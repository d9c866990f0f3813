//! The public pages rendered to HTML natively, from the same components the browser runs.
//! `cargo xtask dist` puts each into its page shell; the browser app then takes the page
//! over (see `main.rs`).

use crate::{
    i18n::{t, PageKey},
    pages::{Bundle, PublicPage},
    App,
};
use leptos::prelude::*;
use leptos_router::location::RequestUrl;
use serde::Serialize;
use shared::Lang;

/// One page in one language, ready for its shell.
#[derive(Debug, Serialize)]
pub struct RenderedPage {
    /// The URL path, e.g. `/kk/check`.
    pub path: String,
    pub lang: &'static str,
    pub title: String,
    pub description: String,
    /// The inner HTML of `<body>`.
    pub body: String,
    /// The browser bundle the page loads after its first paint (`app`, `portal`), if any.
    pub bundle: Option<&'static str>,
}

/// Everything `cargo xtask dist` needs from the pre-renderer.
#[derive(Debug, Serialize)]
pub struct Prerendered {
    pub pages: Vec<RenderedPage>,
    /// The pages the service worker falls back on, in each language: not found
    /// (`/kk/404.html`, also the server's) and offline (`/kk/offline.html`). `path` is the
    /// file.
    pub fallbacks: Vec<RenderedPage>,
}

impl RenderedPage {
    fn new(
        path: String,
        lang: Lang,
        title: String,
        description: String,
        bundle: Bundle,
    ) -> RenderedPage {
        RenderedPage {
            body: render(&path),
            bundle: bundle.name(),
            title,
            description,
            lang: lang.code(),
            path,
        }
    }
}

/// The app's `<body>` content at `path`.
pub fn render(path: &str) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(RequestUrl::new(path));
        view! { <App/> }.to_html()
    })
}

/// Every public page in every language.
pub fn public_pages() -> Vec<RenderedPage> {
    Lang::ALL
        .into_iter()
        .flat_map(|lang| PublicPage::ALL.into_iter().map(move |page| (lang, page)))
        .map(|(lang, page)| {
            RenderedPage::new(
                page.path(lang),
                lang,
                page.title(lang),
                page.description(lang).to_string(),
                page.bundle(),
            )
        })
        .collect()
}

/// The page for an unknown address, in every language.
pub fn not_found_pages() -> Vec<RenderedPage> {
    fallback("404", PageKey::NotFoundTitle, PageKey::NotFoundText)
}

/// The page for one that needs the network when there is none, in every language.
pub fn offline_pages() -> Vec<RenderedPage> {
    fallback("offline", PageKey::OfflineTitle, PageKey::OfflineText)
}

/// `/{lang}/{name}.html` in every language.
fn fallback(name: &str, title: PageKey, text: PageKey) -> Vec<RenderedPage> {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let mut page = RenderedPage::new(
                format!("/{}/{name}", lang.code()),
                lang,
                format!("{} — Qonys", t(lang, title)),
                t(lang, text).to_string(),
                Bundle::None,
            );
            page.path.push_str(".html");
            page
        })
        .collect()
}

pub fn all() -> Prerendered {
    Prerendered {
        pages: public_pages(),
        fallbacks: not_found_pages()
            .into_iter()
            .chain(offline_pages())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str) -> RenderedPage {
        public_pages()
            .into_iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("{path} is not pre-rendered"))
    }

    #[test]
    fn every_public_page_is_rendered_in_every_language() {
        let paths: Vec<String> = public_pages().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            ["kk", "ru", "en"]
                .map(|l| {
                    ["/", "/check", "/login", "/vacancies", "/vacancy", "/my"]
                        .map(|p| format!("/{l}{p}"))
                })
                .concat()
        );
    }

    #[test]
    fn the_home_page_carries_its_content_and_the_amounts() {
        let ru = page("/ru/");
        assert_eq!(ru.lang, "ru");
        assert!(ru.title.ends_with("— Qonys"), "{}", ru.title);
        assert!(!ru.description.is_empty());
        // The heading and the way to the checker, in Russian, with no script needed.
        assert!(ru.body.contains("<h1"), "{}", ru.body);
        assert!(ru.body.contains(r#"href="/ru/check""#), "{}", ru.body);
        assert!(ru.body.contains("Проверить"), "{}", ru.body);
        // Amounts are computed from the policy, grouped in thousands.
        assert!(
            ru.body.contains("₸") || ru.body.contains("тг"),
            "{}",
            ru.body
        );
    }

    #[test]
    fn the_checker_page_has_its_form_and_says_what_needs_javascript() {
        let en = page("/en/check");
        assert!(en.body.contains(r#"id="iin""#), "{}", en.body);
        assert!(en.body.contains(r#"id="destination_region""#));
        assert!(en.body.contains("<noscript>"), "{}", en.body);
        assert!(en.body.contains("JavaScript"));
        let kk = page("/kk/check");
        assert_ne!(kk.body, en.body, "each language has its own text");
        assert_eq!(en.bundle, Some("app"), "the checker needs the app");
        assert_eq!(kk.bundle, Some("app"));
        assert_eq!(page("/en/").bundle, None, "the home page needs no app");
        assert_eq!(page("/en/my").bundle, Some("portal"));
        assert_eq!(page("/ru/login").bundle, Some("account"));
        assert_eq!(page("/kk/vacancies").bundle, Some("account"));
    }

    #[test]
    fn each_language_has_a_not_found_page() {
        let pages = not_found_pages();
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["/kk/404.html", "/ru/404.html", "/en/404.html"]);
        let ru = &pages[1];
        assert!(ru.body.contains(r#"href="/ru/""#), "{}", ru.body);
        assert!(ru.title.ends_with("— Qonys"));
        assert_eq!(ru.bundle, None);
        let offline = &offline_pages()[2];
        assert_eq!(offline.path, "/en/offline.html");
        assert!(offline.body.contains("offline"), "{}", offline.body);
        assert!(offline.body.contains(r#"href="/en/check""#));
    }
}
