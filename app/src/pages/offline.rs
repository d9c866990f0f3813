//! What the service worker shows, without a network, for a page that needs the server
//! (sign-in, vacancies, the signed-in areas): not "no such page", but that the connection
//! is missing, and the way to the checker, which works offline.

use crate::{
    i18n::{t, PageKey},
    use_lang,
};
use leptos::prelude::*;

#[component]
pub fn OfflinePage() -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        view! {
            <div class="wrap page">
                <h1>{t(l, PageKey::OfflineTitle)}</h1>
                <p>{t(l, PageKey::OfflineText)}</p>
                <p>
                    <a class="button" href=format!("/{}/check", l.code())>
                        {t(l, PageKey::OfflineCheck)}
                    </a>
                </p>
            </div>
        }
    }
}
