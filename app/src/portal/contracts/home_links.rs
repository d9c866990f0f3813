//! The account homes' links to the contracts, the signing key and, for admins, the upload
//! of the state data feed's confirmations.

use crate::{
    i18n::{t, ContractsKey as K},
    portal::{my_path, use_session},
    use_lang,
};
use leptos::prelude::*;
use shared::account::Role;

/// `#contracts-link`, `#key-link` (the parties who sign), `#feed-link` (admins).
#[component]
pub fn HomeLinks() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let role = use_session().role();
    let key = matches!(role, Some(Role::Resettler | Role::Employer | Role::Akimat)).then(|| {
        view! {
            <li>
                <a id="key-link" href=my_path(l, "key")>{t(l, K::OpenKey)}</a>
            </li>
        }
    });
    let feed = (role == Some(Role::Admin)).then(|| {
        view! {
            <li>
                <a id="feed-link" href=my_path(l, "feed")>{t(l, K::OpenFeed)}</a>
            </li>
        }
    });
    view! {
        <ul class="list contract-links">
            <li>
                <a id="contracts-link" href=my_path(l, "contracts")>{t(l, K::OpenContracts)}</a>
            </li>
            {key}
            {feed}
        </ul>
    }
}
