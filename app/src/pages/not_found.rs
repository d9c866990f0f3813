//! Unknown paths, including an unsupported language segment.

use crate::{
    i18n::{t, PageKey},
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
                <h1>{t(l, PageKey::NotFoundTitle)}</h1>
                <p>{t(l, PageKey::NotFoundText)}</p>
                <p>
                    <a class="button" href=format!("/{}/", l.code())>{t(l, PageKey::BackHome)}</a>
                </p>
            </div>
        }
    }
}
