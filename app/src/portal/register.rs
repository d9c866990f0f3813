//! (placeholder, being written)
use leptos::prelude::*;
#[component] pub fn Register() -> impl IntoView { view! { <p>"register Register"</p> } }
