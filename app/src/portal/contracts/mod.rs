//! The tripartite contract's pages (SPEC §5): lists per role, one contract with its
//! timeline and signatures, its printout, and the officer's creation form.

use crate::i18n::{tr, ContractsKey};
use leptos::prelude::*;

/// `/{lang}/my/contracts`: the party's contracts, or the region's for its staff.
#[component]
pub fn Contracts() -> impl IntoView {
    view! { <h1>{tr(ContractsKey::Title)}</h1> }
}

/// `/{lang}/my/contracts/new?application=N`: the officer creates a contract.
#[component]
pub fn NewContract() -> impl IntoView {
    view! { <h1>{tr(ContractsKey::Title)}</h1> }
}

/// `/{lang}/my/contracts/{id}`: one contract.
#[component]
pub fn ContractPage() -> impl IntoView {
    view! { <h1>{tr(ContractsKey::Title)}</h1> }
}

/// `/{lang}/my/contracts/{id}/print`: the contract on A4.
#[component]
pub fn PrintContract() -> impl IntoView {
    view! { <h1>{tr(ContractsKey::Title)}</h1> }
}
