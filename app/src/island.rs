//! The app in the browser. Public pages arrive as HTML pre-rendered at build time (see
//! `prerender`), readable before any script runs; the only part that needs the app is the
//! checker, which is mounted into the page's `#checker` and replaces its pre-rendered form
//! in one go, so nothing moves on screen. What the person typed before the app was ready,
//! and where the focus was, is carried over; the answers are also kept for the visit, so a
//! switch of language (another page) or a reload does not lose them.

use crate::{
    form::{Draft, FormState},
    pages::check::{Checker, Quotas},
    UiLang,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::{
    api::{Citizenship, Settlement},
    Lang, Region,
};

/// The checker with what it needs from the page around it.
#[component]
pub fn CheckerIsland(lang: Lang, draft: Draft, as_of: NaiveDate) -> impl IntoView {
    provide_context(UiLang {
        current: Memo::new(move |_| lang),
        from_url: Memo::new(move |_| Some(lang)),
    });
    let form = FormState::with_draft(draft);
    provide_context(form);
    provide_context(Quotas::new());
    Effect::new(move |_| form.draft.with(|d| crate::browser::store_draft(&encode(d))));
    view! { <Checker as_of/> }
}

/// The form's raw field values, in form order: what the page's fields hold.
pub struct Fields {
    pub iin: String,
    pub birth_date: String,
    pub citizenship: String,
    pub current_region: String,
    pub family_size: String,
    pub destination: String,
    pub rural: bool,
    pub prior_support: bool,
}

impl Fields {
    /// The form's state from the raw values, as the form's own handlers would set it.
    pub fn to_draft(&self) -> Draft {
        let defaults = Draft::default();
        Draft {
            iin: self.iin.clone(),
            birth_date: self.birth_date.clone(),
            citizenship: match self.citizenship.as_str() {
                "kandas" => Citizenship::Kandas,
                "foreign" => Citizenship::Foreign,
                "citizen" => Citizenship::Citizen,
                _ => defaults.citizenship,
            },
            current_region: Region::from_id(&self.current_region),
            family_size: self.family_size.clone(),
            destination: Region::from_id(&self.destination),
            settlement: if self.rural {
                Settlement::Rural
            } else {
                Settlement::Urban
            },
            prior_support: self.prior_support,
        }
    }
}

/// Separates the fields of a stored draft; never typed into a form field.
const SEPARATOR: char = '\u{1f}';

/// A draft as one string for session storage.
pub fn encode(d: &Draft) -> String {
    let citizenship = match d.citizenship {
        Citizenship::Citizen => "citizen",
        Citizenship::Kandas => "kandas",
        Citizenship::Foreign => "foreign",
    };
    [
        d.iin.as_str(),
        d.birth_date.as_str(),
        citizenship,
        d.current_region.map_or("", Region::id),
        d.family_size.as_str(),
        d.destination.map_or("", Region::id),
        if d.settlement == Settlement::Rural {
            "rural"
        } else {
            "urban"
        },
        if d.prior_support { "yes" } else { "no" },
    ]
    .join(&SEPARATOR.to_string())
}

/// The draft stored by [`encode`], or `None` for anything else.
pub fn decode(text: &str) -> Option<Draft> {
    let parts: Vec<&str> = text.split(SEPARATOR).collect();
    let [iin, birth, citizenship, current, family, destination, settlement, prior] = parts[..]
    else {
        return None;
    };
    let fields = Fields {
        iin: iin.into(),
        birth_date: birth.into(),
        citizenship: citizenship.into(),
        current_region: current.into(),
        family_size: family.into(),
        destination: destination.into(),
        rural: settlement == "rural",
        prior_support: prior == "yes",
    };
    Some(fields.to_draft())
}

/// What to start the form with: what was typed into the pre-rendered form if anything,
/// else the answers kept from earlier in the visit, else an empty form.
pub fn initial_draft(typed: Option<Draft>, stored: Option<Draft>) -> Draft {
    match typed {
        Some(t) if t != Draft::default() => t,
        _ => stored.unwrap_or_default(),
    }
}

#[cfg(target_arch = "wasm32")]
mod page {
    use super::*;
    use crate::form::Field;
    use wasm_bindgen::JsCast;

    fn value_of(doc: &web_sys::Document, id: &str) -> Option<String> {
        let element = doc.get_element_by_id(id)?;
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            return Some(input.value());
        }
        element
            .dyn_ref::<web_sys::HtmlSelectElement>()
            .map(|select| select.value())
    }

    fn is_checked(doc: &web_sys::Document, id: &str) -> bool {
        doc.get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| input.checked())
    }

    /// The pre-rendered form's values, if the page has the form.
    pub fn typed(doc: &web_sys::Document) -> Option<Draft> {
        let text = |field: Field| value_of(doc, field.id()).unwrap_or_default();
        let fields = Fields {
            iin: value_of(doc, Field::Iin.id())?,
            birth_date: text(Field::BirthDate),
            citizenship: value_of(doc, "citizenship").unwrap_or_default(),
            current_region: text(Field::CurrentRegion),
            family_size: text(Field::FamilySize),
            destination: text(Field::Destination),
            rural: is_checked(doc, "settlement_rural"),
            prior_support: value_of(doc, "prior_support").as_deref() == Some("yes"),
        };
        Some(fields.to_draft())
    }

    /// Mounts the checker into `#checker`, if this page has one.
    pub fn start() {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(root) = doc
            .get_element_by_id(crate::pages::check::CHECKER_ID)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let lang = crate::browser::page_lang(&doc);
        let focus = doc
            .active_element()
            .map(|e| e.id())
            .filter(|id| !id.is_empty());
        let stored = crate::browser::stored_draft().and_then(|s| decode(&s));
        let draft = initial_draft(typed(&doc), stored);
        let as_of = crate::browser::today();
        root.set_text_content(None);
        leptos::mount::mount_to(root, move || view! { <CheckerIsland lang draft as_of/> }).forget();
        if let Some(id) = focus {
            crate::browser::focus(&id, false);
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use page::start;

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> Fields {
        Fields {
            iin: "900514300121".into(),
            birth_date: "1990-05-14".into(),
            citizenship: "kandas".into(),
            current_region: "turkestan".into(),
            family_size: "3".into(),
            destination: "north_kazakhstan".into(),
            rural: true,
            prior_support: true,
        }
    }

    #[test]
    fn untouched_fields_give_the_default_form() {
        let fields = Fields {
            iin: String::new(),
            birth_date: String::new(),
            citizenship: "citizen".into(),
            current_region: String::new(),
            family_size: "1".into(),
            destination: String::new(),
            rural: false,
            prior_support: false,
        };
        assert_eq!(fields.to_draft(), Draft::default());
    }

    #[test]
    fn typed_values_are_carried_over() {
        let draft = filled().to_draft();
        assert_eq!(draft.current_region, Some(Region::Turkestan));
        assert_eq!(draft.destination, Some(Region::NorthKazakhstan));
        assert_eq!(draft.settlement, Settlement::Rural);
        assert_eq!(draft.citizenship, Citizenship::Kandas);
        assert!(draft.prior_support);
        assert_eq!(draft.family_size, "3");
    }

    #[test]
    fn a_stored_draft_comes_back_whole() {
        let draft = filled().to_draft();
        assert_eq!(decode(&encode(&draft)), Some(draft));
        assert_eq!(decode(&encode(&Draft::default())), Some(Draft::default()));
        assert_eq!(decode("not a draft"), None);
    }

    #[test]
    fn typing_wins_over_the_kept_answers() {
        let typed = filled().to_draft();
        let stored = Draft {
            family_size: "7".into(),
            ..Draft::default()
        };
        assert_eq!(
            initial_draft(Some(typed.clone()), Some(stored.clone())),
            typed
        );
        assert_eq!(
            initial_draft(Some(Draft::default()), Some(stored.clone())),
            stored
        );
        assert_eq!(initial_draft(None, None), Draft::default());
    }
}
