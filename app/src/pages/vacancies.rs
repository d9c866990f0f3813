//! (placeholder, being written)
use leptos::prelude::*;
#[component] pub fn VacanciesPage() -> impl IntoView { view! { <div class="wrap page"><p>"vacancies"</p></div> } }
