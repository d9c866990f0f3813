//! (placeholder, being written)
use leptos::prelude::*;
#[component] pub fn LoginPage() -> impl IntoView { view! { <div class="wrap page"><p>"login"</p></div> } }
