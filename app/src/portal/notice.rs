//! How the signed-in pages say that something is loading or went wrong.

use super::login_path;
use crate::{
    client::Failure,
    forms::failure_message,
    i18n::{t, AccountKey, PortalKey},
    use_lang,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::Lang;

/// What the server said, or what went wrong on the way.
pub(crate) fn failure_text(failure: &Failure, lang: Lang) -> String {
    match failure.problems.first() {
        Some(problem) => problem.message.clone(),
        None => failure_message(failure, lang).to_string(),
    }
}

/// A call that failed: why, and a way to sign in again when the session ended.
#[component]
pub(crate) fn FailureNotice(failure: Failure) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    let sign_in = failure.is_unauthenticated().then(|| {
        let location = use_location();
        let here = format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        );
        view! {
            <p>
                <a class="button" rel="external" href=login_path(lang, &here)>
                    {t(lang, PortalKey::SignIn)}
                </a>
            </p>
        }
    });
    view! {
        <div class="notice notice-error" role="alert">
            <p>{failure_text(&failure, lang)}</p>
            {sign_in}
        </div>
    }
}

/// Says a page is being loaded.
pub(crate) fn loading(lang: Lang) -> AnyView {
    view! { <p class="status" role="status">{t(lang, AccountKey::Loading)}</p> }.into_any()
}

/// The calendar day of an RFC 3339 timestamp; the text itself if it is not one.
pub(crate) fn day_text(timestamp: &str, lang: Lang) -> String {
    timestamp
        .get(..10)
        .and_then(shared::date::parse_iso)
        .map_or_else(|| timestamp.to_string(), |d| shared::date::format(d, lang))
}
