//! One vacancy, `?id=` in the address: what the job is, where, what it pays, and the way
//! to apply while it is open.

use super::{browser, query_value, vacancies::facts};
use crate::{
    client::{self, Failure},
    forms::failure_message,
    i18n::{t, AccountKey},
    portal::my_path,
    use_lang,
};
use leptos::{prelude::*, task::spawn_local};
use shared::{
    vacancy::{Vacancy, VacancyStatus},
    Lang,
};

/// The id of the element the vacancy is mounted into.
pub const ROOT_ID: &str = "vacancy-detail";

/// The vacancy id in a query string, if it is one.
pub fn vacancy_id(search: &str) -> Option<i64> {
    query_value(search, "id")?.parse().ok().filter(|id| *id > 0)
}

#[derive(Clone)]
enum State {
    Loading,
    Found(Vacancy),
    /// No such vacancy, or no id in the address.
    Missing,
    Failed(Failure),
}

/// The vacancy `id` (`None`: the address had none); until it is loaded, and while
/// pre-rendering, a loading status.
#[component]
pub fn VacancyDetail(id: Option<i64>) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    let state = RwSignal::new(State::Loading);
    let load = move || {
        let Some(id) = id else {
            state.set(State::Missing);
            return;
        };
        state.set(State::Loading);
        spawn_local(async move {
            state.set(
                match client::get::<Vacancy>(&format!("/vacancies/{id}"), lang).await {
                    Ok(v) => {
                        browser::set_title(&format!("{} — Qonys", v.title));
                        State::Found(v)
                    }
                    Err(f) if f.status == 404 => State::Missing,
                    Err(f) => State::Failed(f),
                },
            );
        });
    };
    // In an effect, so it runs in the browser only, never while pre-rendering.
    Effect::new(move |_| load());

    let heading = t(lang, AccountKey::VacancyHeading);
    move || match state.get() {
        State::Loading => view! {
            <h1>{heading}</h1>
            <p class="status" role="status">{t(lang, AccountKey::LoadingVacancy)}</p>
        }
        .into_any(),
        State::Missing => view! {
            <h1>{heading}</h1>
            <p class="notice notice-warning" role="status">{t(lang, AccountKey::NoSuchVacancy)}</p>
        }
        .into_any(),
        State::Failed(failure) => {
            let message = failure.problems.first().map_or_else(
                || failure_message(&failure, lang).to_string(),
                |p| p.message.clone(),
            );
            view! {
                <h1>{heading}</h1>
                <div class="notice notice-error" role="alert">
                    <p>{message}</p>
                    <button type="button" class="button button-secondary" on:click=move |_| load()>
                        {t(lang, AccountKey::TryAgain)}
                    </button>
                </div>
            }
            .into_any()
        }
        State::Found(v) => view! { <Details v lang/> }.into_any(),
    }
}

/// A vacancy's own content.
#[component]
fn Details(v: Vacancy, lang: Lang) -> impl IntoView {
    let open = v.status == VacancyStatus::Open;
    let apply = my_path(lang, &format!("apply?vacancy={}", v.id));
    view! {
        <h1>{v.title.clone()}</h1>
        <p class="lead">{v.organisation.clone()}</p>
        {(!open)
            .then(|| {
                view! { <p class="notice notice-warning">{t(lang, AccountKey::VacancyClosed)}</p> }
            })}
        {facts(&v, lang)}
        <h2>{t(lang, AccountKey::AboutJob)}</h2>
        // The employer's own line breaks are kept (`white-space: pre-line`).
        <p class="vacancy-description">{v.description}</p>
        {open
            .then(|| {
                view! {
                    <p>
                        <a id="apply-link" class="button" href=apply>
                            {t(lang, AccountKey::Apply)}
                        </a>
                    </p>
                }
            })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_numbers_are_ids() {
        assert_eq!(vacancy_id("?id=42"), Some(42));
        assert_eq!(vacancy_id("?lang=ru&id=7"), Some(7));
        for bad in [
            "",
            "?id=",
            "?id=abc",
            "?id=-3",
            "?id=0",
            "?id=1.5",
            "?vacancy=4",
        ] {
            assert_eq!(vacancy_id(bad), None, "{bad}");
        }
    }
}
