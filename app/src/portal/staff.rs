//! (placeholder, being written)
use leptos::prelude::*;
#[component] pub fn Home() -> impl IntoView { view! { <p>"staff Home"</p> } }
#[component] pub fn Queue() -> impl IntoView { view! { <p>"staff Queue"</p> } }
#[component] pub fn QuotaEditor() -> impl IntoView { view! { <p>"staff QuotaEditor"</p> } }
#[component] pub fn StaffAccounts() -> impl IntoView { view! { <p>"staff StaffAccounts"</p> } }
