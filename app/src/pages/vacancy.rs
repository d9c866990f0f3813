//! (placeholder, being written)
use leptos::prelude::*;
#[component] pub fn VacancyPage() -> impl IntoView { view! { <div class="wrap page"><p>"vacancy"</p></div> } }
