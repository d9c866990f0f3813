//! The few browser facilities the app needs: today's date, focus, and the checker's answers
//! kept for the visit. Native builds (tests, pre-rendering) get inert stand-ins.

use chrono::NaiveDate;

/// sessionStorage key of the checker's answers: kept while the tab is open, so a switch of
/// language or a reload keeps them, and gone when it is closed.
pub const DRAFT_KEY: &str = "qonys.check";

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::JsCast;

    fn session() -> Option<web_sys::Storage> {
        // Storage can be disabled (private mode); the answers are then simply not kept.
        web_sys::window()?.session_storage().ok().flatten()
    }

    pub fn stored_draft() -> Option<String> {
        session()?.get_item(DRAFT_KEY).ok()?
    }

    pub fn store_draft(encoded: &str) {
        if let Some(s) = session() {
            let _ = s.set_item(DRAFT_KEY, encoded);
        }
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

    /// The page's language, from `<html lang>` (each pre-rendered page has its own).
    pub fn page_lang(doc: &web_sys::Document) -> shared::Lang {
        doc.document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|code| shared::Lang::from_code(&code))
            .unwrap_or(shared::Lang::Kk)
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

    pub fn stored_draft() -> Option<String> {
        None
    }

    pub fn store_draft(_encoded: &str) {}

    pub fn today() -> NaiveDate {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i32::try_from(secs / 86_400).unwrap_or(0);
        // 719_163 days from 0001-01-01 to 1970-01-01.
        NaiveDate::from_num_days_from_ce_opt(719_163 + days).unwrap_or_default()
    }

    pub fn focus(_id: &str, _scroll: bool) {}
}

#[cfg(target_arch = "wasm32")]
pub use imp::page_lang;
pub use imp::{focus, store_draft, stored_draft, today};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_today_is_a_plausible_date() {
        assert!(today() > NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    }
}
