//! The few browser facilities the app needs: today's date, the remembered language, the
//! document's `lang` and title, focus. Native builds (unit tests) get inert stand-ins so the
//! crate compiles and tests run without a browser.

use chrono::NaiveDate;
use shared::Lang;

/// localStorage key of the language the person chose.
pub const LANG_KEY: &str = "qonys.lang";

/// The language to use when the URL has none: remembered choice, then the browser's, then
/// Kazakh, the state language.
pub fn preferred_lang() -> Lang {
    stored_lang().or_else(navigator_lang).unwrap_or(Lang::Kk)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::JsCast;

    fn storage() -> Option<web_sys::Storage> {
        // Storage can be disabled (private mode); the app then simply does not remember.
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn stored_lang() -> Option<Lang> {
        Lang::from_code(&storage()?.get_item(LANG_KEY).ok()??)
    }

    pub fn store_lang(lang: Lang) {
        if let Some(s) = storage() {
            let _ = s.set_item(LANG_KEY, lang.code());
        }
    }

    pub fn navigator_lang() -> Option<Lang> {
        let tag = web_sys::window()?.navigator().language()?;
        Lang::from_accept_language(&tag)
    }

    pub fn today() -> NaiveDate {
        // The person's local calendar date: that is the day they mean by "today".
        let now = js_sys::Date::new_0();
        NaiveDate::from_ymd_opt(
            now.get_full_year() as i32,
            now.get_month() + 1,
            now.get_date(),
        )
        .unwrap_or_default()
    }

    pub fn set_document_lang(lang: Lang) {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
        }
    }

    pub fn set_title(title: &str) {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(title);
        }
    }

    pub fn focus(id: &str, scroll: bool) {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
            if scroll {
                el.scroll_into_view();
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    pub fn stored_lang() -> Option<Lang> {
        None
    }

    pub fn store_lang(_lang: Lang) {}

    pub fn navigator_lang() -> Option<Lang> {
        None
    }

    pub fn today() -> NaiveDate {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i32::try_from(secs / 86_400).unwrap_or(0);
        // 719_163 days from 0001-01-01 to 1970-01-01.
        NaiveDate::from_num_days_from_ce_opt(719_163 + days).unwrap_or_default()
    }

    pub fn set_document_lang(_lang: Lang) {}

    pub fn set_title(_title: &str) {}

    pub fn focus(_id: &str, _scroll: bool) {}
}

pub use imp::{
    focus, navigator_lang, set_document_lang, set_title, store_lang, stored_lang, today,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_today_is_a_plausible_date() {
        assert!(today() > NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    }
}
