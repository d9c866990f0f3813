//! (placeholder, being written)
use leptos::prelude::*;
#[component] pub fn Home() -> impl IntoView { view! { <p>"resettler Home"</p> } }
#[component] pub fn Apply() -> impl IntoView { view! { <p>"resettler Apply"</p> } }
