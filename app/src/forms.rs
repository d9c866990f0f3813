//! Form building blocks for the pages with accounts, following the GOV.UK pattern: every
//! field has a visible label; a problem is written next to its field (tied with
//! `aria-describedby`, the field marked `aria-invalid`) and listed in a summary at the top
//! that takes the focus and links to each field.
//!
//! Problems are keyed by the request field the server names (`iin`, `family_members[0].iin`),
//! so the server's answer lands on the right field without translation. Element ids are
//! derived from those names with [`field_id`].

use crate::{
    client::{Failure, FieldProblem},
    i18n::{t, tr, AccountKey},
    use_lang,
};
use leptos::prelude::*;
use shared::Lang;

/// The element id of a request field: `family_members[0].iin` → `family_members-0-iin`.
pub fn field_id(field: &str) -> String {
    let mut id = String::with_capacity(field.len());
    for c in field.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// The problems of one form, shown next to the fields and in the summary.
#[derive(Clone, Copy)]
pub struct FormErrors(RwSignal<Vec<FieldProblem>>);

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FormErrors {
    pub fn new() -> FormErrors {
        FormErrors(RwSignal::new(Vec::new()))
    }

    pub fn clear(&self) {
        self.0.set(Vec::new());
    }

    pub fn is_empty(&self) -> bool {
        self.0.with(Vec::is_empty)
    }

    /// Replaces the problems with those found in the browser before sending.
    pub fn set(&self, problems: Vec<FieldProblem>) {
        self.0.set(problems);
    }

    /// Adds one problem about `field`, found in the browser.
    pub fn push(&self, field: &str, message: impl Into<String>) {
        self.0.update(|all| {
            all.push(FieldProblem {
                field: Some(field.to_string()),
                message: message.into(),
            })
        });
    }

    /// Shows the server's refusal: its problems, or what went wrong on the way.
    pub fn show(&self, failure: &Failure, lang: Lang) {
        let problems = if failure.problems.is_empty() {
            vec![FieldProblem {
                field: None,
                message: failure_message(failure, lang).to_string(),
            }]
        } else {
            failure.problems.clone()
        };
        self.0.set(problems);
    }

    /// The problem about `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<String> {
        self.0.with(|all| {
            all.iter()
                .find(|p| p.field.as_deref() == Some(field))
                .map(|p| p.message.clone())
        })
    }

    pub fn all(&self) -> Vec<FieldProblem> {
        self.0.get()
    }
}

/// What to say when a call failed without problems of its own.
pub fn failure_message(failure: &Failure, lang: Lang) -> &'static str {
    match failure.status {
        0 => t(lang, AccountKey::ErrNetwork),
        401 => t(lang, AccountKey::ErrSignedOut),
        403 => t(lang, AccountKey::ErrForbidden),
        _ => t(lang, AccountKey::ErrServer),
    }
}

/// "There is a problem", with a link to every field at fault; takes the focus when it
/// appears so screen readers and keyboard users land on it.
#[component]
pub fn ErrorSummary(errors: FormErrors) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !errors.is_empty() {
            if let Some(el) = summary.get() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <div
            class="error-summary"
            node_ref=summary
            tabindex="-1"
            role="alert"
            aria-labelledby="error-summary-title"
            hidden=move || errors.is_empty()
        >
            <h2 id="error-summary-title">{tr(AccountKey::ErrorSummaryTitle)}</h2>
            <ul>
                {move || {
                    errors
                        .all()
                        .into_iter()
                        .map(|p| match p.field {
                            Some(field) => {
                                view! {
                                    <li>
                                        <a href=format!("#{}", field_id(&field))>{p.message}</a>
                                    </li>
                                }
                                    .into_any()
                            }
                            None => view! { <li>{p.message}</li> }.into_any(),
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// The problem text under a field; empty when there is none.
#[component]
pub fn FieldError(errors: FormErrors, field: &'static str) -> impl IntoView {
    view! {
        <p class="field-error" id=format!("{}-error", field_id(field))>
            {move || errors.for_field(field)}
        </p>
    }
}

/// `aria-describedby` for a field: its hint if it has one, and its problem when shown.
pub fn described_by(
    errors: FormErrors,
    field: &'static str,
    has_hint: bool,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let id = field_id(field);
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if errors.for_field(field).is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A labelled text input bound to `value`, with an optional hint and its problem.
/// `kind` is the input type (`text`, `password`, `tel`, `number`, `date`).
#[component]
pub fn TextField(
    errors: FormErrors,
    /// The request field this input fills (also its name and, via [`field_id`], its id).
    field: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(field);
    let has_hint = hint.is_some();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{}-hint", id)>{h}</p> })}
            <FieldError errors field/>
            <input
                id=id.clone()
                name=field
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || errors.for_field(field).map(|_| "true")
                aria-describedby=described_by(errors, field, has_hint)
            />
        </div>
    }
}

/// The text for a button while its request is under way, for `aria-busy` forms.
pub fn busy_label(lang: Lang, busy: bool, idle: &'static str) -> &'static str {
    if busy {
        t(lang, AccountKey::Sending)
    } else {
        idle
    }
}

/// The current interface language (a shorthand for views).
pub fn lang() -> Lang {
    use_lang().get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_fields_become_element_ids() {
        assert_eq!(field_id("iin"), "iin");
        assert_eq!(field_id("family_members[0].iin"), "family_members-0-iin");
        assert_eq!(field_id("destination.region"), "destination-region");
    }
}
