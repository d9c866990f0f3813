//! (placeholder, being written)
use leptos::prelude::*;
#[component] pub fn Home() -> impl IntoView { view! { <p>"employer Home"</p> } }
#[component] pub fn NewVacancy() -> impl IntoView { view! { <p>"employer NewVacancy"</p> } }
#[component] pub fn EditVacancy() -> impl IntoView { view! { <p>"employer EditVacancy"</p> } }
#[component] pub fn Applicants() -> impl IntoView { view! { <p>"employer Applicants"</p> } }
