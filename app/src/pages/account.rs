//! The shell of the signed-in areas: what shows until their bundle has started (see
//! `portal`), and what to do without JavaScript.

use crate::{
    i18n::{tr, PortalKey},
    portal::PORTAL_ID,
};
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <div class="wrap page">
            <div id=PORTAL_ID>
                <h1>{tr(PortalKey::Title)}</h1>
                <p class="status" role="status">{tr(PortalKey::LoadingAccount)}</p>
                <noscript>
                    <p class="notice notice-warning">{tr(PortalKey::NeedsJs)}</p>
                </noscript>
            </div>
        </div>
    }
}
