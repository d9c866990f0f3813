//! Site footer: what the answers are worth, data credits and the policy version in force.

use crate::{
    i18n::{tf, tr, PageKey},
    use_lang,
};
use leptos::prelude::*;
use shared::Policy;

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    let version = &Policy::current().version;
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>{tr(PageKey::FooterNote)}</p>
                <p>{tr(PageKey::FooterSource)}</p>
                <p class="policy-version">
                    {move || tf(lang.get(), PageKey::FooterPolicyVersion, &[version])}
                </p>
            </div>
        </footer>
    }
}
