//! Unknown paths, including an unsupported language segment.

use crate::{
    i18n::{t, Key},
    use_lang,
};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        view! {
            <div class="wrap page">
                <h1>{t(l, Key::NotFoundTitle)}</h1>
                <p>{t(l, Key::NotFoundText)}</p>
                <p>
                    <a class="button" href=format!("/{}/", l.code())>{t(l, Key::BackHome)}</a>
                </p>
            </div>
        }
    }
}
