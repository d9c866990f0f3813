//! `/`: sends the person to the home page in their language (remembered, else the
//! browser's, else Kazakh).

use crate::use_lang;
use leptos::prelude::*;
use leptos_router::{components::Redirect, NavigateOptions};

#[component]
pub fn RootRedirect() -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    view! {
        <Redirect
            path=format!("/{}/", lang.code())
            options=NavigateOptions { replace: true, ..Default::default() }
        />
    }
}
