//! The interactive parts ("islands") of the public account pages, in the public bundle:
//! sign-in, vacancy search and one vacancy. Each page is pre-rendered with the same
//! component it runs in the browser (see `pages::login`, `pages::vacancies`,
//! `pages::vacancy`); [`start`] mounts that component into the page's island root,
//! replacing the pre-rendered markup in one go, so nothing moves on screen.
//!
//! Kept small for cheap phones: no router, the shared form parts (`forms`) and API calls
//! (`client`), and the language fixed by the page.

pub mod login;
pub mod vacancies;
pub mod vacancy;

/// The value of `key` in a query string (`?a=1&b=x%20y`, with or without the `?`),
/// percent-decoded with `+` read as a space; `None` when it is not there.
pub fn query_value(search: &str, key: &str) -> Option<String> {
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == key).then(|| decode(v))
    })
}

/// Undoes percent-encoding; a `%` not followed by two hex digits stays as it is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .filter(|h| bytes[i] == b'%' && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The few browser facilities the islands need; inert natively (tests, pre-rendering).
mod browser {
    /// Puts `query` in the address bar without loading a page, so a reload or a shared
    /// link keeps it, and points the language links at the same address.
    pub fn replace_query(path: &str, query: &str) {
        let search = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        #[cfg(target_arch = "wasm32")]
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let url = format!("{path}{search}");
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
        crate::portal::browser::point_language_links(path, &search);
    }

    /// The document's title, e.g. once the vacancy it shows is known.
    pub fn set_title(title: &str) {
        #[cfg(target_arch = "wasm32")]
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(title);
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = title;
    }
}

#[cfg(target_arch = "wasm32")]
mod page {
    use super::{login, vacancies, vacancy};
    use crate::UiLang;
    use leptos::prelude::*;
    use shared::Lang;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, HtmlElement, HtmlInputElement};

    fn element<T: JsCast>(doc: &Document, id: &str) -> Option<T> {
        doc.get_element_by_id(id)?.dyn_into::<T>().ok()
    }

    /// Replaces `root`'s pre-rendered content with `island`, keeping the focus where it was.
    fn mount<V: IntoView + 'static>(
        doc: &Document,
        root: HtmlElement,
        lang: Lang,
        island: impl FnOnce() -> V + 'static,
    ) {
        let focus = doc
            .active_element()
            .map(|e| e.id())
            .filter(|id| !id.is_empty());
        root.set_text_content(None);
        let app = move || {
            provide_context(UiLang {
                current: Memo::new(move |_| lang),
                from_url: Memo::new(move |_| Some(lang)),
            });
            island()
        };
        leptos::mount::mount_to(root, app).forget();
        if let Some(id) = focus {
            crate::browser::focus(&id, false);
        }
    }

    /// Mounts whichever island this page has.
    pub fn start() {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(doc) = window.document() else {
            return;
        };
        let lang = crate::browser::page_lang(&doc);
        let location = window.location();
        let search = location.search().unwrap_or_default();
        if let Some(root) = element::<HtmlElement>(&doc, login::ROOT_ID) {
            // What was typed before the app was ready is kept.
            let typed = |id| element::<HtmlInputElement>(&doc, id).map(|i| i.value());
            let login = typed("login").unwrap_or_default();
            let password = typed("password").unwrap_or_default();
            let next = login::after_sign_in(lang, &search);
            mount(&doc, root, lang, move || {
                view! { <login::SignIn login password next/> }
            });
        } else if let Some(root) = element::<HtmlElement>(&doc, vacancies::ROOT_ID) {
            let filters = vacancies::Filters::from_query(&search);
            mount(&doc, root, lang, move || {
                view! { <vacancies::VacancySearch filters/> }
            });
        } else if let Some(root) = element::<HtmlElement>(&doc, vacancy::ROOT_ID) {
            let id = vacancy::vacancy_id(&search);
            mount(
                &doc,
                root,
                lang,
                move || view! { <vacancy::VacancyDetail id/> },
            );
        } else {
            return;
        }
        // The language links open the same page with the same query (`?id=`, `?next=`).
        if let Ok(path) = location.pathname() {
            crate::portal::browser::point_language_links(&path, &search);
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use page::start;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_found_and_decoded() {
        let search = "?next=/kk/my/apply%3Fvacancy%3D3&q=a+b&empty=&bare";
        assert_eq!(
            query_value(search, "next").as_deref(),
            Some("/kk/my/apply?vacancy=3")
        );
        assert_eq!(query_value(search, "q").as_deref(), Some("a b"));
        assert_eq!(query_value(search, "empty").as_deref(), Some(""));
        assert_eq!(query_value(search, "bare").as_deref(), Some(""));
        assert_eq!(query_value(search, "missing"), None);
        assert_eq!(query_value("", "next"), None);
        assert_eq!(query_value("id=7", "id").as_deref(), Some("7"));
        // Broken escapes stay as written; encoded UTF-8 is read as text.
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%2"), "%zz%2");
        assert_eq!(decode("%D0%90%D2%9B"), "Ақ");
    }

    /// Each page is pre-rendered with its island root, its fields and what needs
    /// JavaScript, in the page's language.
    #[cfg(feature = "ssr")]
    #[test]
    fn pages_are_pre_rendered_with_their_islands() {
        use crate::{
            i18n::{t, AccountKey},
            prerender::render,
        };
        use shared::Lang;

        let has = |html: &str, part: &str| assert!(html.contains(part), "{part} in {html}");
        for lang in Lang::ALL {
            let code = lang.code();
            let noscript = |key| {
                format!(
                    "<noscript><p class=\"notice notice-warning\">{}",
                    t(lang, key)
                )
            };

            let login = render(&format!("/{code}/login"));
            has(&login, r#"<div id="sign-in">"#);
            has(&login, r#"id="login""#);
            has(&login, r#"id="password""#);
            has(&login, r#"type="password""#);
            has(&login, r#"autocomplete="current-password""#);
            has(&login, r#"method="post""#);
            has(&login, t(lang, AccountKey::SignInButton));
            has(&login, &noscript(AccountKey::SignInNeedsJs));
            has(
                &login,
                &format!(r#"href="/{code}/my/register?as=employer""#),
            );

            let search = render(&format!("/{code}/vacancies"));
            has(&search, r#"<div id="vacancy-search">"#);
            for id in ["region", "settlement", "salary_from", "housing"] {
                has(&search, &format!(r#"id="{id}""#));
            }
            has(&search, r#"value="north_kazakhstan""#);
            has(&search, r#"aria-live="polite""#);
            has(&search, t(lang, AccountKey::LoadingVacancies));
            has(&search, &noscript(AccountKey::VacanciesNeedsJs));

            let detail = render(&format!("/{code}/vacancy"));
            has(&detail, r#"<div id="vacancy-detail">"#);
            has(
                &detail,
                &format!("<h1>{}</h1>", t(lang, AccountKey::VacancyHeading)),
            );
            has(&detail, t(lang, AccountKey::LoadingVacancy));
            has(&detail, &noscript(AccountKey::VacancyNeedsJs));
            has(&detail, &format!(r#"href="/{code}/vacancies""#));
        }
    }
}
