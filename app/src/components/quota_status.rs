//! Loading state of the quota data rule E7 needs, with a retry when it failed.

use crate::{
    i18n::{t, Key},
    outcome::QuotaState,
    use_lang,
};
use leptos::prelude::*;

#[component]
pub fn QuotaStatus(state: RwSignal<QuotaState>, retry: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        match state.get() {
            QuotaState::NotRequested | QuotaState::Loading => view! {
                <p class="status" role="status">{t(l, Key::QuotaLoading)}</p>
            }
            .into_any(),
            QuotaState::Failed(_) => view! {
                <div class="notice notice-error" role="alert">
                    <p>{t(l, Key::QuotaError)}</p>
                    <button type="button" class="button button-secondary" on:click=move |_| retry.run(())>
                        {t(l, Key::Retry)}
                    </button>
                </div>
            }
            .into_any(),
            QuotaState::Loaded(_) => ().into_any(),
        }
    }
}
