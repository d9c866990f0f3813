//! The admin's upload of a state data feed file (SPEC §8), with progress and the per-row
//! report.

use crate::i18n::{tr, KeysKey};
use leptos::prelude::*;

/// `/{lang}/my/feed`.
#[component]
pub fn FeedUpload() -> impl IntoView {
    view! { <h1>{tr(KeysKey::Title)}</h1> }
}
